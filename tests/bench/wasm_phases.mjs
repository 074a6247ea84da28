#!/usr/bin/env node
// Where one program's wasm time goes, phase by phase, the way run.mjs runs it:
//   node [--no-liftoff ...] tests/bench/wasm_phases.mjs [--slice=N] prog.lua
// Prints (to stderr, ms): node start (process start to this script's first line), importing
// the Emscripten glue, reading the .wasm, compiling it (WebAssembly.compile), instantiating
// and the runtime's start-up, the Session's creation and settings, the chunk's compile, each
// run slice (instructions and ms, so the tier-up from Liftoff to TurboFan shows as the
// slices' speed changing), the state's close (as at run.mjs's exit: finalizers, no freeing).
// The script's own output is discarded. V8's flags are run.mjs's.
// Run it from an empty directory: like run.mjs's callers, nothing is mirrored into MEMFS.
const t0 = performance.now();  // ms since the process started
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

// run.mjs's flags (see there), set before the module is compiled.
v8.setFlagsFromString('--no-wasm-loop-unrolling');
v8.setFlagsFromString('--wasm-lazy-validation');

const distDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../wasm/dist');
const argv = process.argv.slice(2);
let slice = 20_000_000;
if (argv[0]?.startsWith('--slice=')) slice = Number(argv.shift().slice(8));
const script = argv[0];
if (!script) {
  process.stderr.write('usage: node tests/bench/wasm_phases.mjs [--slice=N] prog.lua\n');
  process.exit(2);
}
const rows = [];
let last = performance.now();
function mark(name) {
  const now = performance.now();
  rows.push([name, now - last]);
  last = now;
}
rows.push(['node start', t0]);
const { default: createLunette } = await import(pathToFileURL(path.join(distDir, 'lunette.mjs')).href);
mark('import glue');
const bytes = readFileSync(path.join(distDir, 'lunette.wasm'));
mark('read .wasm');
const compiled = await WebAssembly.compile(bytes);
mark('compile (lazy)');
const module = await createLunette({
  print() {},
  printErr() {},
  instantiateWasm(imports, receive) {
    WebAssembly.instantiate(compiled, imports).then((instance) => receive(instance, compiled));
    return {};
  },
});
mark('instantiate + runtime');
const session = new module.Session();
session.setMemoryLimit(0);
session.setGc('generational', {});
session.setArgs(script, []);
mark('session');
const loaded = session.load(readFileSync(script), `@${script}`);
if (!loaded.ok) throw new Error(loaded.message);
mark('chunk compile');
let total = 0;
let status;
let slices = 0;
do {
  const start = performance.now();
  const result = session.run(slice);
  session.drainOutput();
  const ms = performance.now() - start;
  status = result.status;
  total += ms;
  slices += 1;
  if (slices <= 6 || status !== 'paused')
    process.stderr.write(`  slice ${slices}: ${result.instructions} instructions ${ms.toFixed(1)} ms` +
      ` (${(result.instructions / ms / 1000).toFixed(0)} M/s)\n`);
} while (status === 'paused');
rows.push([`run (${slices} slices, ${status})`, total]);
last = performance.now();
session.closeForExit();  // as run.mjs at its exit: the finalizers, no freeing
session.drainOutput();
mark('close');
const all = performance.now();
for (const [name, ms] of rows) process.stderr.write(`${name.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms\n`);
process.stderr.write(`${'total to exit'.padEnd(28)} ${all.toFixed(1).padStart(8)} ms\n`);
