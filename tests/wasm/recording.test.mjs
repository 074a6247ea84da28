// The recording through the real wasm module: the samples the VM takes are the same in wasm
// and natively (`lunette --trace`) on the same script, wherever they do not depend on the
// heap's byte sizes (wasm32's objects are smaller, so collector and allocation samples fall
// elsewhere); output is stamped with the instruction count it was printed at.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import { loadLunette, moduleBuilt } from '../../wasm/node-host.mjs';

const native = process.env.LUNETTE_NATIVE;
const skip = !moduleBuilt() ? 'the wasm module is not built (wasm/build.sh)'
  : !native ? 'LUNETTE_NATIVE (the native lunette) is not set' : false;
let lunette;

before(async () => {
  if (!skip) lunette = await loadLunette({ stdin: null });
});

// The collector is stopped and only collected explicitly, so cycles are the same on both sides.
const script = `collectgarbage("stop")
local parked = {}
for i = 1, 300 do
  local co = coroutine.create(function(x) coroutine.yield(x) end)
  coroutine.resume(co, i)
  parked[#parked + 1] = co
  for j = 1, 50 do local s = j * i end
end
for i = 1, 100 do parked[i] = nil end
collectgarbage("collect")
local sum = 0
for i = 1, 200000 do sum = sum + i % 7 end
collectgarbage("collect")
print(sum)
`;

// Reasons whose place depends on instructions only: tick, cycle end (explicit collections
// here), collectgarbage call, coroutine counts, run end.
const portableReasons = new Set([0, 3, 5, 7, 8]);
const portableFields = ['instr', 'line', 'cycle', 'reason', 'co.suspended', 'co.running',
  'co.normal', 'co.dead', 'co.collected'];

// What the State did before the script's first instruction differs (the standalone switches
// the collector's mode at start, a full cycle), so samples before it are left out and cycles
// are counted from the script's start.
function portable(fields, rows) {
  const reason = fields.indexOf('reason');
  const instr = fields.indexOf('instr');
  const columns = portableFields.map((name) => fields.indexOf(name));
  assert.ok(columns.every((c) => c >= 0), `fields ${fields}`);
  const picked = rows.filter((row) => row[instr] > 0 && portableReasons.has(row[reason]))
    .map((row) => columns.map((c) => row[c]));
  const cycle = portableFields.indexOf('cycle');
  const firstCycle = picked.length ? picked[0][cycle] : 0;
  for (const row of picked) row[cycle] -= firstCycle;
  return picked;
}

// Mirrors a stream of sample batches as the page does: `replace` starts over.
function mirror(batches) {
  let rows = [];
  let fields = [];
  for (const samples of batches) {
    if (samples.replace) rows = [];
    fields = samples.fields;
    rows.push(...samples.rows);
  }
  return { fields, rows };
}

describe('Recording', { skip }, () => {
  test('Recording.WasmAndNativeTakeTheSameSamplesOfTheSameScript', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lunette-recording-'));
    const file = join(dir, 'main.lua');
    writeFileSync(file, script);
    const tracePath = join(dir, 'trace.jsonl');
    // The standalone starts in generational mode (as lua.c does); the Session in incremental.
    execFileSync(native, ['--gc=incremental', '--trace', tracePath, file]);
    const nativeBatches = readFileSync(tracePath, 'utf8').trim().split('\n')
      .map((line) => JSON.parse(line).samples);
    const fromNative = mirror(nativeBatches);

    const session = new lunette.Session();
    session.setSampleInterval(50000);
    assert.ok(session.load(script, '@' + file).ok);
    const batches = [];
    for (let i = 0; i < 100; i++) {
      const result = session.run(1e9);
      batches.push(session.telemetry().samples);
      if (result.status !== 'paused') break;
    }
    const fromWasm = mirror(batches);
    session.delete();

    const a = portable(fromNative.fields, fromNative.rows);
    const b = portable(fromWasm.fields, fromWasm.rows);
    assert.ok(a.length >= 20, `${a.length} portable samples`);
    assert.deepEqual(b, a);
    // The parking loop is in the samples, on its lines, with the suspended count climbing.
    const line = portableFields.indexOf('line');
    assert.ok(b.some((row) => row[line] >= 4 && row[line] <= 7), 'a sample inside the loop');
    assert.equal(b.at(-1)[portableFields.indexOf('co.collected')], 100);
  });

  test('Recording.OutputMarksSayWhenEachPartOfTheOutputWasPrinted', () => {
    const session = new lunette.Session();
    assert.ok(session.load(
      'print("first") local x = 0 for i = 1, 100000 do x = x + i end print("second")\n' +
      'for i = 1, 100000 do x = x - i end io.write("third\\n")', '=input').ok);
    const result = session.run(1e9);
    assert.equal(result.status, 'finished');
    const { stdout } = session.drainOutput();
    const marks = JSON.parse(session.drainOutputMarks());
    assert.deepEqual(marks.map((m) => m[1]), [6, 13, 19]);
    assert.equal(new TextDecoder().decode(stdout), 'first\nsecond\nthird\n');
    assert.ok(marks[0][0] < marks[1][0] && marks[1][0] < marks[2][0], JSON.stringify(marks));
    assert.ok(marks[1][0] - marks[0][0] > 100000, 'the loop ran between the first two prints');
    assert.equal(session.drainOutputMarks(), '[]', 'marks drain with the output');
    session.delete();
  });
});
