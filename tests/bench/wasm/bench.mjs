// The wasm benchmark: tests/bench/programs/*.lua in Node, through Lunette's wasm module
// (wasm/dist) and through wasmoon (PUC Lua 5.4 compiled to wasm, pinned in package.json).
//
//   cd tests/bench/wasm && npm ci && node bench.mjs [filter]
//
// Each program runs 3 times per engine, alternating, in a fresh Lua state each time; the best
// wall time of the chunk itself (compile + run, not engine creation) is kept. Prints the seconds
// for each engine, the ratio lunette/wasmoon, and the geometric mean of the ratios. Both
// engines' printed output (each program prints a checksum) must agree; a disagreement or an
// error is a failure (exit status 1). Being slower is not.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { LuaFactory } from 'wasmoon';

import { loadLunette } from '../../../wasm/node-host.mjs';

const kRuns = 3;
const kBudget = 1e9;
const here = path.dirname(fileURLToPath(import.meta.url));
const programsDir = path.join(here, '..', 'programs');

// print() for wasmoon that formats like Lua's own (tostring on every argument, tabs).
const kWasmoonPrint = `
local sink = __sink
__sink = nil
print = function(...)
  local parts = table.pack(...)
  for i = 1, parts.n do parts[i] = tostring(parts[i]) end
  sink(table.concat(parts, "\\t", 1, parts.n))
end`;

async function runLunette(lunette, source, name) {
  const session = new lunette.Session();
  const started = performance.now();
  const loaded = session.load(source, `@${name}`);
  if (!loaded.ok) throw new Error(loaded.message);
  let result;
  do result = session.run(kBudget); while (result.status === 'paused');
  const seconds = (performance.now() - started) / 1000;
  const output = new TextDecoder().decode(session.drainOutput().stdout);
  session.delete();
  if (result.status !== 'finished') throw new Error(result.error?.message ?? result.status);
  return { seconds, output };
}

async function runWasmoon(factory, source) {
  const engine = await factory.createEngine({ injectObjects: false, enableProxy: false });
  const lines = [];
  try {
    engine.global.set('__sink', (line) => lines.push(`${line}\n`));
    await engine.doString(kWasmoonPrint);
    const started = performance.now();
    await engine.doString(source);
    return { seconds: (performance.now() - started) / 1000, output: lines.join('') };
  } finally {
    engine.global.close();
  }
}

function row(name, theirs, ours, ratio) {
  return `${name.padEnd(16)} ${theirs.padStart(10)} ${ours.padStart(10)} ${ratio.padStart(8)}`;
}

async function main() {
  const filter = process.argv[2] ?? '';
  const lunette = await loadLunette({ stdin: null });
  const factory = new LuaFactory();
  const programs = readdirSync(programsDir)
    .filter((f) => f.endsWith('.lua') && f.includes(filter))
    .sort();
  const ratios = [];
  let failures = 0;
  console.log(row('program', 'wasmoon', 'lunette', 'ratio'));
  for (const file of programs) {
    const name = path.basename(file, '.lua');
    const source = readFileSync(path.join(programsDir, file), 'utf8');
    let best = { wasmoon: Infinity, lunette: Infinity };
    let problem = null;
    for (let i = 0; i < kRuns && !problem; i++) {
      try {
        const theirs = await runWasmoon(factory, source);
        const ours = await runLunette(lunette, source, file);
        if (theirs.output !== ours.output) {
          const [a, b] = [theirs.output, ours.output].map((text) => JSON.stringify(text));
          problem = `outputs differ: wasmoon ${a} lunette ${b}`;
        }
        best = {
          wasmoon: Math.min(best.wasmoon, theirs.seconds),
          lunette: Math.min(best.lunette, ours.seconds),
        };
      } catch (error) {
        problem = `failed: ${error.message}`;
      }
    }
    if (problem) {
      console.log(`${name.padEnd(16)} FAILED: ${problem}`);
      failures += 1;
      continue;
    }
    const ratio = best.lunette / best.wasmoon;
    ratios.push(ratio);
    console.log(row(name, best.wasmoon.toFixed(3), best.lunette.toFixed(3), ratio.toFixed(2)));
  }
  if (ratios.length) {
    const mean = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
    const summary = `geometric mean ratio (lunette/wasmoon): ${mean.toFixed(2)}`;
    console.log(`${summary} over ${ratios.length} programs`);
  } else {
    console.log('no programs measured');
  }
  if (failures) {
    console.log(`${failures} program(s) failed`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`bench: ${error.stack ?? error}`);
  process.exit(1);
});
