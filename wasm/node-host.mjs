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

const here = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(here, 'dist');
const moduleFile = path.join(distDir, 'lunette.mjs');
const wasmFile = path.join(distDir, 'lunette.wasm');

// Limits for mirroring a directory into MEMFS: enough for a test corpus, never a whole disk
// (only the files a script opens are read, whatever their size).
const kMirrorMaxDepth = 4;
const kMirrorMaxFiles = 4000;

export class ModuleMissingError extends Error {}

export function moduleBuilt() {
  return existsSync(moduleFile) && existsSync(wasmFile);
}

// Resolves to the Emscripten module object (with .Session and .FS).
// options: { stdin: 'fd0' | Uint8Array | null, mirror: dir | null, env: object | null }
export async function loadLunette(options = {}) {
  if (!moduleBuilt()) {
    throw new ModuleMissingError(
      `the wasm module is not built (${path.relative(process.cwd(), moduleFile)} is missing);` +
        ' build it with wasm/build.sh');
  }
  // The .wasm is compiled (off the main thread) while the glue is imported and parsed.
  const compiling = WebAssembly.compile(readFileSync(wasmFile));
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
