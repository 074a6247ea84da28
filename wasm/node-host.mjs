// Loads the wasm module under Node (run.mjs, tests/wasm, tests/bench/wasm).
//
// The module is built for the browser (ENVIRONMENT=web,worker), so under Node it cannot fetch
// its .wasm: we compile the bytes ourselves and hand the glue the instance (instantiateWasm). It
// also cannot see the real file system; for a script that reads files next to it we mirror a
// directory tree into its in-memory file system (MEMFS) at the same absolute path and make that
// the current directory. The tree is made at once, but a file's bytes are read from the disk
// only when it is first opened (or resized): a script run from a big directory would otherwise
// wait for every file to be copied (0.2-0.4 s from this repository's root). Writes stay in
// memory. Standard input, when asked for, is read whole from fd 0 at the first read.
import { existsSync, readFileSync, readdirSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const here = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(here, 'dist');
const moduleFile = path.join(distDir, 'lunette.mjs');
const wasmFile = path.join(distDir, 'lunette.wasm');
const startHintsFile = path.join(distDir, 'lunette.start-hints.json');  // wasm/start_hints.mjs

// Limits for mirroring a directory into MEMFS: enough for a test corpus, never a whole disk
// (only the files a script opens are read, whatever their size).
const kMirrorMaxDepth = 4;
const kMirrorMaxFiles = 4000;

export class ModuleMissingError extends Error {}

export function moduleBuilt() {
  return existsSync(moduleFile) && existsSync(wasmFile);
}

// Resolves to the Emscripten module object (with .Session and .FS).
// options: { stdin: 'fd0' | Uint8Array | null, mirror: dir | null, env: object | null,
//            compileStartAhead: boolean (see withStartHints; it sets V8 flags for the process) }
export async function loadLunette(options = {}) {
  if (!moduleBuilt()) {
    throw new ModuleMissingError(
      `the wasm module is not built (${path.relative(process.cwd(), moduleFile)} is missing);` +
        ' build it with wasm/build.sh');
  }
  let bytes = readFileSync(wasmFile);
  if (options.compileStartAhead) bytes = withStartHints(bytes);
  // The .wasm is compiled (off the main thread) while the glue is imported and parsed.
  const compiling = WebAssembly.compile(bytes);
  const { default: createLunette } = await import(pathToFileURL(moduleFile).href);
  let instantiationFailed;
  const failure = new Promise((resolve, reject) => {
    instantiationFailed = reject;
  });
  const config = {
    instantiateWasm(imports, receiveInstance) {
      compiling
        .then((compiled) =>
          WebAssembly.instantiate(compiled, imports).then((instance) => receiveInstance(instance, compiled)))
        .catch(instantiationFailed);
      return {};  // the exports arrive through receiveInstance
    },
    print: (text) => process.stdout.write(text + '\n'),
    printErr: (text) => process.stderr.write(text + '\n'),
    preRun: [],
  };
  if (options.stdin !== undefined) config.stdin = stdinReader(options.stdin);
  if (options.env) config.preRun.push((module) => copyEnvironment(module, options.env));
  const module = await Promise.race([createLunette(config), failure]);
  if (options.mirror) mirrorDirectory(module.FS, path.resolve(options.mirror));
  return module;
}

// The module's bytes with a "compilationHints" section (V8's wasm compilation hints, behind
// --experimental-wasm-compilation-hints) that has the functions every start-up runs
// (wasm/start_hints.mjs's list) compiled by Liftoff on V8's background threads while the glue is
// imported, and every other function compiled at its first call as before. V8 reads the hints'
// strategies only without lazy compilation, so both flags are set here, before the compile.
// Unchanged bytes, and no flag set, when the list is missing or belongs to another build.
// The section goes before the code section, one byte per declared function:
// strategy | baseline tier << 2 | top tier << 4, with strategy 1 lazy, 2 eager; tier 1 Liftoff,
// 0 V8's default (TurboFan when the function turns out hot, as without hints).
const kHintLazy = 0x01;
const kHintEagerLiftoff = 0x02 | (0x01 << 2);
const kCodeSection = 10;
const kFunctionSection = 3;
const kImportSection = 2;

export function withStartHints(bytes) {
  let list;
  try {
    list = JSON.parse(readFileSync(startHintsFile, 'utf8'));
  } catch {
    return bytes;
  }
  const hinted = withCompilationHints(bytes, list);
  if (hinted === bytes) return bytes;
  v8.setFlagsFromString('--experimental-wasm-compilation-hints');
  v8.setFlagsFromString('--no-wasm-lazy-compilation');
  return hinted;
}

// `bytes` with the hints section for `list` ({ wasmBytes, functions: [function index, ...] })
// inserted before the code section; `bytes` itself if the list is for another module's size or
// the bytes do not parse.
export function withCompilationHints(bytes, list) {
  if (list?.wasmBytes !== bytes.length || !Array.isArray(list.functions)) return bytes;
  const layout = moduleLayout(bytes);
  if (!layout) return bytes;
  const hints = new Uint8Array(layout.declaredFunctions).fill(kHintLazy);
  for (const index of list.functions) {
    const declared = index - layout.importedFunctions;
    if (declared >= 0 && declared < hints.length) hints[declared] = kHintEagerLiftoff;
  }
  const name = Buffer.from('compilationHints');
  const payload = Buffer.concat([
    Buffer.from(leb128(name.length)), name, Buffer.from(leb128(hints.length)), hints]);
  const section = Buffer.concat([Buffer.from([0, ...leb128(payload.length)]), payload]);
  return Buffer.concat([
    bytes.subarray(0, layout.codeSectionStart), section, bytes.subarray(layout.codeSectionStart)]);
}

function leb128(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

// Reads a module's bytes from `position` on: single bytes and unsigned LEB128 numbers.
class WasmReader {
  constructor(bytes, position) {
    this.bytes = bytes;
    this.position = position;
  }
  byte() {
    return this.bytes[this.position++];
  }
  skipName() {
    const length = this.leb();  // read before the position it moves is added to
    this.position += length;
  }
  leb() {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = this.byte();
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  }
}

// Where the code section starts and how many functions the module imports and declares; null
// if the bytes do not parse as expected.
function moduleLayout(bytes) {
  const reader = new WasmReader(bytes, 8);  // past the magic number and version
  let importedFunctions = 0;
  let declaredFunctions = -1;
  while (reader.position < bytes.length) {
    const start = reader.position;
    const id = reader.byte();
    const size = reader.leb();
    const end = reader.position + size;
    if (id === kCodeSection) {
      if (declaredFunctions < 0 || importedFunctions < 0) return null;
      return { codeSectionStart: start, importedFunctions, declaredFunctions };
    }
    if (id === kFunctionSection) declaredFunctions = reader.leb();
    if (id === kImportSection) importedFunctions = countImportedFunctions(reader);
    reader.position = end;
  }
  return null;
}

// The import section's function imports (they come first in the function index space); -1 for
// an import kind this reader does not know.
function countImportedFunctions(reader) {
  let functions = 0;
  for (let count = reader.leb(); count > 0; count -= 1) {
    reader.skipName();  // module
    reader.skipName();  // field
    const kind = reader.byte();
    if (kind === 0) {  // function: type index
      functions += 1;
      reader.leb();
    } else if (kind === 1 || kind === 2) {  // table (element type first) or memory: limits
      if (kind === 1) reader.byte();
      if (reader.byte() & 1) reader.leb();  // flags: a maximum follows the minimum
      reader.leb();
    } else if (kind === 3) {  // global: value type, mutability
      reader.position += 2;
    } else if (kind === 4) {  // tag: attribute, type index
      reader.byte();
      reader.leb();
    } else {
      return -1;
    }
  }
  return functions;
}

// Emscripten asks for stdin one byte at a time; null means end of file.
function stdinReader(source) {
  let bytes = source instanceof Uint8Array ? source : null;
  let position = 0;
  return () => {
    if (bytes === null) {
      try {
        bytes = source === 'fd0' ? readFileSync(0) : new Uint8Array(0);
      } catch {
        bytes = new Uint8Array(0);
      }
    }
    return position < bytes.length ? bytes[position++] : null;
  };
}

function copyEnvironment(module, env) {
  // Emscripten fills module.ENV with defaults (USER=web_user, ...) before preRun returns.
  if (!module.ENV) return;
  for (const [name, value] of Object.entries(env)) module.ENV[name] = value;
}

// Mirrors `root` (files and subdirectories, within the limits above) into MEMFS at the same
// absolute path and changes into it. Nodes are made through their parent's node operations,
// not by path: resolving each absolute path from the root cost more than the disk's listing.
export function mirrorDirectory(FS, root) {
  const budget = { files: kMirrorMaxFiles };
  FS.mkdirTree(root);
  mirrorTree(FS.lookupPath(root).node, root, 0, budget);
  FS.chdir(root);
}

const kDirectoryMode = 0o040777;
const kFileMode = 0o100666;

function mirrorTree(dirNode, dir, depth, budget) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth + 1 >= kMirrorMaxDepth) continue;
      const child = dirNode.node_ops.mknod(dirNode, entry.name, kDirectoryMode, 0);
      mirrorTree(child, full, depth + 1, budget);
    } else if (entry.isFile() && budget.files > 0) {
      budget.files -= 1;
      loadOnFirstUse(dirNode.node_ops.mknod(dirNode, entry.name, kFileMode, 0), full);
    }
  }
}

// Makes an empty MEMFS file node stand for the disk file `full`: its stat shows the disk
// file's size, and the bytes are read in the first time the node is opened or resized (an
// opening that truncates resizes first). A file that cannot be read by then reads as empty.
function loadOnFirstUse(node, full) {
  const fileOps = node.node_ops;
  const streamOps = node.stream_ops;
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    try {
      const bytes = readFileSync(full);
      node.contents = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
      node.usedBytes = bytes.length;
    } catch {
      // unreadable now: empty, as a copy made at start would have been missing
    }
  };
  node.node_ops = {
    ...fileOps,
    getattr(n) {
      const attr = fileOps.getattr(n);
      if (!loaded) {
        try {
          attr.size = statSync(full).size;
        } catch {
          // gone from the disk: empty
        }
      }
      return attr;
    },
    setattr(n, attr) {
      load();
      return fileOps.setattr(n, attr);
    },
  };
  node.stream_ops = {
    ...streamOps,
    open(stream) {
      load();
      if (streamOps.open) streamOps.open(stream);
    },
  };
}

// Writes all of `bytes` to a file descriptor, waiting out EAGAIN on non-blocking pipes.
export function writeAll(fd, bytes) {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}
