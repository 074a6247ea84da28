#!/usr/bin/env node
// Self time by function of a V8 CPU profile of the wasm module, named through the link's
// symbol map:
//   node --cpu-prof --cpu-prof-dir=DIR --cpu-prof-interval 200 wasm/run.mjs prog.lua
//   node tests/bench/wasm_profile_by_function.mjs DIR/*.cpuprofile [symbols] [--top=N]
// The release module has no name section, so V8 names its functions by index
// (wasm-function[N]); the map that `--emit-symbol-map` writes beside the module (configure
// build-wasm with -DCMAKE_EXE_LINKER_FLAGS=--emit-symbol-map) turns them into C++ names, and is
// found by itself in wasm/dist (it must be the map of the build that was profiled: indices
// move with every change). Self time only: what a function's callees inlined into it
// count as its own, so compare with a native perf profile of the same program to see which
// calls are dearer there (session 17 found allocateRaw, allocationSite and tableWeakness that
// way: calls of their own in the module, where GCC had inlined allocateRaw natively).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
let top = 30;
const files = [];
for (const arg of args) {
  if (arg.startsWith('--top=')) top = Number(arg.slice(6)) || top;
  else files.push(arg);
}
if (files.length < 1) {
  process.stderr.write(
    'usage: wasm_profile_by_function.mjs PROFILE.cpuprofile [SYMBOLS] [--top=N]\n');
  process.exit(2);
}
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const besideModule = path.join(root, 'wasm/dist/lunette.mjs.symbols');
const symbolsPath = files[1] ?? (existsSync(besideModule) ? besideModule : null);

// Function index -> name (the map's lines are "index:name").
const names = new Map();
if (symbolsPath) {
  for (const line of readFileSync(symbolsPath, 'utf8').split('\n')) {
    const colon = line.indexOf(':');
    // The map escapes characters outside [A-Za-z0-9_] as \hh ("runLoop\28lunette::State&...").
    const name = line.slice(colon + 1).replace(/\\([0-9a-f]{2})/g, (_, hex) =>
      String.fromCharCode(parseInt(hex, 16)));
    if (colon > 0) names.set(Number(line.slice(0, colon)), name);
  }
}

const profile = JSON.parse(readFileSync(files[0], 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map();
let total = 0;
for (let k = 0; k < profile.samples.length; ++k) {
  let name = nodes.get(profile.samples[k]).callFrame.functionName || '(anonymous)';
  const index = /^wasm-function\[(\d+)\]$/.exec(name);
  if (index && names.has(Number(index[1]))) name = names.get(Number(index[1]));
  const micros = profile.timeDeltas[k] ?? 0;
  total += micros;
  selfMicros.set(name, (selfMicros.get(name) ?? 0) + micros);
}
const rows = [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, top);
for (const [name, micros] of rows) {
  const share = ((100 * micros) / total).toFixed(1).padStart(5);
  const ms = (micros / 1000).toFixed(0).padStart(6);
  console.log(`${share}%  ${ms} ms  ${name.slice(0, 80)}`);
}
