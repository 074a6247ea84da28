#!/usr/bin/env node
// Build step (wasm/CMakeLists.txt, after the link): records which of the module's functions
// every `node wasm/run.mjs` runs before and around a script's first lines, for node-host.mjs to
// have V8 compile them ahead, in the background, instead of one by one on the main thread.
//   node wasm/start_hints.mjs            (writes wasm/dist/lunette.start-hints.json)
//
// V8 compiles a wasm function lazily, at its first call, with its baseline compiler (Liftoff)
// on the main thread: start-up (the runtime, the State and its libraries, the chunk's compile,
// the interpreter loop) called about 330 functions, 180 KB of code, each compiled while the
// script waited. Those functions are found here by running a small script through run.mjs under
// --trace-wasm-compilation-times, which names each function Liftoff compiled. node-host.mjs
// turns the list into a "compilationHints" section (a V8 feature behind a flag) that asks for
// them eagerly and for every other function lazily, as before.
//
// The list belongs to one build of the module: it records the module's size, and node-host.mjs
// ignores a list whose size differs (a module rebuilt without this step loads as before).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const wasmFile = path.join(here, 'dist', 'lunette.wasm');
const hintsFile = path.join(here, 'dist', 'lunette.start-hints.json');

// What a typical short script runs first: a numeric loop, a table filled and walked, a
// function call, string formatting, print.
const kStartScript = `
local t = {}
for i = 1, 200 do t[#t + 1] = i * 2 end
local function total(list)
  local s = 0
  for _, v in ipairs(list) do s = s + v end
  return s
end
print(("sum %d of %d"):format(total(t), #t))
`;

// An earlier list must not take part in the run that makes the new one.
rmSync(hintsFile, { force: true });
const dir = mkdtempSync(path.join(tmpdir(), 'lunette-start-hints-'));
try {
  writeFileSync(path.join(dir, 'start.lua'), kStartScript);
  const traced = spawnSync(process.execPath,
    ['--trace-wasm-compilation-times', path.join(here, 'run.mjs'), 'start.lua'],
    { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (traced.status !== 0) {
    process.stderr.write(`start_hints.mjs: the start-up script failed:\n${traced.stderr}`);
    process.exit(1);
  }
  const functions = new Set();
  for (const match of traced.stdout.matchAll(/^Compiled function \S*#(\d+) using Liftoff/gm)) {
    functions.add(Number(match[1]));
  }
  if (functions.size === 0) {
    process.stderr.write('start_hints.mjs: no function compiled by Liftoff in the trace\n');
    process.exit(1);
  }
  const list = {
    wasmBytes: statSync(wasmFile).size,
    functions: [...functions].sort((a, b) => a - b),
  };
  writeFileSync(hintsFile, JSON.stringify(list) + '\n');
  console.log(`start_hints.mjs: ${list.functions.length} start-up functions -> ${hintsFile}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
