// Loads the wasm module under Node (run.mjs, tests/wasm, tests/bench/wasm).
//
// The module is built for the browser (ENVIRONMENT=web,worker), so under Node it cannot fetch
// its .wasm: we compile the bytes ourselves and hand the glue the instance (instantiateWasm). It also cannot see the real file system; for a
// script that reads files next to it we copy a directory tree into its in-memory file system
// (MEMFS) at the same absolute path and make that the current directory. Writes stay in
// memory. Standard input, when asked for, is read whole from fd 0 at the first read.
import { existsSync, readFileSync, readdirSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(here, 'dist');
const moduleFile = path.join(distDir, 'lunette.mjs');
const wasmFile = path.join(distDir, 'lunette.wasm');

// Limits for mirroring a directory into MEMFS: enough for a test corpus, never a whole disk.
const kMirrorMaxDepth = 4;
const kMirrorMaxBytes = 64 << 20;
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

// Copies `root` (files and subdirectories, within the limits above) into MEMFS at the same
// absolute path and changes into it.
export function mirrorDirectory(FS, root) {
  const budget = { bytes: kMirrorMaxBytes, files: kMirrorMaxFiles };
  FS.mkdirTree(root);
  copyTree(FS, root, 0, budget);
  FS.chdir(root);
}

function copyTree(FS, dir, depth, budget) {
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
      FS.mkdirTree(full);
      copyTree(FS, full, depth + 1, budget);
    } else if (entry.isFile()) {
      copyFile(FS, full, budget);
    }
  }
}

function copyFile(FS, full, budget) {
  let size;
  try {
    size = statSync(full).size;
  } catch {
    return;
  }
  if (budget.files <= 0 || size > budget.bytes) return;
  budget.files -= 1;
  budget.bytes -= size;
  try {
    FS.writeFile(full, readFileSync(full));
  } catch {
    // unreadable: the script will see it as missing
  }
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
