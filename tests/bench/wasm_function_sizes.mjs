#!/usr/bin/env node
// The largest function bodies of a WebAssembly module, in bytes of code:
//   node tests/bench/wasm_function_sizes.mjs [module.wasm [symbols]] [--top=N]
// (default wasm/dist/lunette.wasm, the 20 largest). The release module has no name section:
// to see names, link with `--emit-symbol-map` (e.g. configure build-wasm with
// -DCMAKE_EXE_LINKER_FLAGS=--emit-symbol-map) and pass the lunette.mjs.symbols it writes, or
// let this script find it beside the module. Why it matters: V8 compiles the interpreter's
// dispatch loop (runLoop, the largest function) with TurboFan in the background while the
// script runs in baseline code, for a time that grows faster than the body's size
// (`node --trace-wasm-compilation-times wasm/run.mjs prog.lua` prints it per function).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
let top = 20;
const files = [];
for (const arg of args) {
  if (arg.startsWith('--top=')) top = Number(arg.slice(6)) || top;
  else files.push(arg);
}
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasmPath = files[0] ?? path.join(root, 'wasm/dist/lunette.wasm');
const besideModule = wasmPath.replace(/\.wasm$/, '.mjs.symbols');
const symbolsPath = files[1] ?? (existsSync(besideModule) ? besideModule : null);
const bytes = readFileSync(wasmPath);

// Reads the module's sections: the count of imported functions (they come first in the
// function index space) and each defined function's body size.
function functionBodies(buf) {
  let p = 8;  // past the magic number and the version
  const leb = () => {
    let result = 0, shift = 0, byte;
    do {
      byte = buf[p++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const skipLimits = () => {
    const flags = buf[p++];
    leb();
    if (flags & 1) leb();
  };
  let imports = 0;
  const sizes = [];
  while (p < buf.length) {
    const id = buf[p++];
    const size = leb();
    const end = p + size;
    if (id === 2) {  // imports: module name, field name, kind, description
      for (let n = leb(); n > 0; --n) {
        for (let name = 0; name < 2; ++name) {
          const length = leb();  // (read before p is: `p += leb()` would add to the old p)
          p += length;
        }
        const kind = buf[p++];
        if (kind === 0) { leb(); ++imports; }  // function: its type index
        else if (kind === 1) { ++p; skipLimits(); }  // table: element type, limits
        else if (kind === 2) skipLimits();  // memory
        else if (kind === 3) p += 2;  // global: value type, mutability
        else if (kind === 4) { ++p; leb(); }  // tag: attribute, type index
      }
    } else if (id === 10) {  // code
      for (let n = leb(); n > 0; --n) {
        const body = leb();
        sizes.push(body);
        p += body;
      }
    }
    p = end;
  }
  return { imports, sizes };
}

function symbolNames(file) {
  const names = new Map();
  if (!file) return names;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^(\d+):(.*)$/.exec(line);
    if (match) names.set(Number(match[1]), match[2].replace(/\\([0-9a-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))));
  }
  return names;
}

const { imports, sizes } = functionBodies(bytes);
const names = symbolNames(symbolsPath);
const total = sizes.reduce((sum, size) => sum + size, 0);
console.log(`${wasmPath}: ${bytes.length} bytes, ${sizes.length} functions (${imports} imported), ${total} bytes of code`);
const ranked = sizes.map((size, n) => ({ index: imports + n, size })).sort((x, y) => y.size - x.size);
for (const { index, size } of ranked.slice(0, top)) {
  const name = names.get(index) ?? '';
  console.log(`${String(index).padStart(6)} ${String(size).padStart(8)}  ${name.slice(0, 100)}`);
}
