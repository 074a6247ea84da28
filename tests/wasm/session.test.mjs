// The embind Session through the real wasm module: budgets and stop, errors with lines, output
// bytes, os.exit, the collector controls, memory and stack limits, and telemetry samples.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { loadLunette, moduleBuilt } from '../../wasm/node-host.mjs';

const skip = moduleBuilt() ? false : 'the wasm module is not built (wasm/build.sh)';
let lunette;
const decoder = new TextDecoder();

before(async () => {
  if (!skip) lunette = await loadLunette({ stdin: null });
});

function fresh() {
  return new lunette.Session();
}

// Loads and runs `source` to the end (or `maxCalls` run() calls); returns the last result and
// the text printed.
function runAll(session, source, { budget = 1e7, maxCalls = 1000, chunkname = '=input' } = {}) {
  const loaded = session.load(source, chunkname);
  assert.ok(loaded.ok, loaded.message);
  let result;
  for (let i = 0; i < maxCalls; i++) {
    result = session.run(budget);
    if (result.status !== 'paused') break;
  }
  const { stdout, stderr } = session.drainOutput();
  return { result, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

describe('Session', { skip }, () => {
  test('Session.ReportsItsVersion', () => {
    assert.match(lunette.Session.version(), /^Lunette .*Lua 5\.4/);
  });

  test('Session.RunsAScriptToTheEndAndCapturesPrintAndIoWrite', () => {
    const session = fresh();
    const { result, stdout } = runAll(session, 'print("hi", 1 + 2) io.write("x", 4, "\\n")');
    assert.equal(result.status, 'finished');
    assert.equal(stdout, 'hi\t3\nx4\n');
    session.delete();
  });

  // os.clock is what a script times its own loop iterations and the collector's pauses with:
  // Emscripten's clock() counts whole milliseconds, which reads a 0.3 ms gap as 0 or 1 ms.
  test('Session.OsClockResolvesMicrosecondsAndNeverGoesBack', () => {
    const session = fresh();
    const { result, stdout } = runAll(session, `
      local first, last, finest, backwards = os.clock(), os.clock(), math.huge, false
      for _ = 1, 200000 do
        local now = os.clock()
        if now < last then backwards = true end
        if now > last and now - last < finest then finest = now - last end
        last = now
      end
      print(finest < 0.0005, backwards, last - first < 60)`);
    assert.equal(result.status, 'finished');
    assert.equal(stdout, 'true\tfalse\ttrue\n');
    session.delete();
  });

  test('Session.KeepsStderrApartAndOutputBytesExact', () => {
    const session = fresh();
    session.load('io.write("\\xff\\0A") io.stderr:write("warn\\n")', '=input');
    assert.equal(session.run(1e6).status, 'finished');
    const { stdout, stderr } = session.drainOutput();
    assert.deepEqual([...stdout], [0xff, 0, 0x41]);
    assert.equal(decoder.decode(stderr), 'warn\n');
    const again = session.drainOutput();
    assert.equal(again.stdout.length + again.stderr.length, 0, 'draining empties the buffers');
    session.delete();
  });

  test('Session.InfiniteLoopPausesAtEveryBudgetAndCanBeAbandoned', () => {
    const session = fresh();
    assert.ok(session.load('local n = 0 while true do n = n + 1 end', '=input').ok);
    let previous = session.instructionCount();
    for (let i = 0; i < 5; i++) {
      const result = session.run(20000);
      assert.equal(result.status, 'paused');
      assert.ok(result.instructions >= 20000, `ran ${result.instructions} instructions`);
      assert.ok(session.instructionCount() > previous);
      previous = session.instructionCount();
    }
    session.stop();
    assert.equal(session.status(), 'idle');
    assert.equal(session.run(1000).status, 'idle', 'nothing left to run after stop');
    const { result, stdout } = runAll(session, 'print("next script")');
    assert.equal(result.status, 'finished');
    assert.equal(stdout, 'next script\n');
    session.delete();
  });

  test('Session.RuntimeErrorCarriesMessageLineAndTraceback', () => {
    const session = fresh();
    const { result } = runAll(session, 'local x\n\nx.y = 1\n');
    assert.equal(result.status, 'error');
    assert.match(result.error.message, /^input:3: attempt to index a nil value \(local 'x'\)/);
    assert.equal(result.error.kind, 'runtime');
    assert.equal(result.error.line, 3);
    assert.deepEqual({ ...result.error.position }, { chunk: 'input', line: 3 });
    assert.match(result.error.traceback, /^stack traceback:/);
    session.delete();
  });

  test('Session.ErrorWithoutPositionTakesItsLineFromTheRaisingFrame', () => {
    const session = fresh();
    const { result } = runAll(session, 'local function f()\n  error({code = 1})\nend\nf()\n');
    assert.equal(result.status, 'error');
    assert.equal(result.error.message, '(error object is a table value)');
    assert.equal(result.error.line, 2);
    assert.deepEqual({ ...result.error.position }, { chunk: 'input', line: 2 });
    session.delete();
  });

  test('Session.SyntaxErrorIsALoadResultWithLine', () => {
    const session = fresh();
    const loaded = session.load('local x = 1\nx = = 2\n', '=input');
    assert.equal(loaded.ok, false);
    assert.match(loaded.message, /^input:2: unexpected symbol near '='/);
    assert.equal(loaded.line, 2);
    session.delete();
  });

  test('Session.OsExitEndsTheRunWithItsCodeEvenInsidePcall', () => {
    const session = fresh();
    const { result, stdout } = runAll(session, 'print(pcall(os.exit, 3)) print("after")');
    assert.equal(result.status, 'exit');
    assert.equal(result.exitCode, 3);
    assert.equal(stdout, '');
    const again = runAll(session, 'print(os.exit == nil)');
    assert.equal(again.stdout, 'false\n', 'the Session is usable after os.exit');
    session.delete();
  });

  test('Session.ArgsBecomeTheArgTableAndTheChunkVarargs', () => {
    const session = fresh();
    session.setArgs('script.lua', ['a', 'b']);
    const { stdout } = runAll(session, 'print(arg[0], arg[1], arg[2], select("#", ...), ...)');
    assert.equal(stdout, 'script.lua\ta\tb\t2\ta\tb\n');
    session.delete();
  });

  test('Session.MemoryBombFailsWithNotEnoughMemoryAndTheSessionRunsTheNextScript', () => {
    const session = fresh();
    session.setMemoryLimit(32 << 20);
    const bomb = 'local t = {} local s = string.rep("x", 1 << 16)\n' +
      'for i = 1, 1e9 do t[i] = s .. i end';
    const { result } = runAll(session, bomb);
    assert.equal(result.status, 'error');
    assert.equal(result.error.kind, 'memory');
    assert.match(result.error.message, /not enough memory/);
    const next = runAll(session, 'local t = {} for i = 1, 1000 do t[i] = i end print(#t)');
    assert.equal(next.result.status, 'finished');
    assert.equal(next.stdout, '1000\n');
    session.delete();
  });

  test('Session.StringDoublingBombIsCaughtByTheDefaultLimit', () => {
    const session = fresh();
    const { result } = runAll(session, 'local s = "x" while true do s = s .. s end');
    assert.equal(result.status, 'error');
    assert.match(result.error.message, /not enough memory/);
    assert.equal(runAll(session, 'print(1)').stdout, '1\n');
    session.delete();
  });

  test('Session.RunawayLuaRecursionIsAStackOverflowErrorNotATrap', () => {
    const session = fresh();
    const { result } = runAll(session, 'local function f(n) return 1 + f(n + 1) end\nf(1)\n');
    assert.equal(result.status, 'error');
    assert.match(result.error.message, /stack overflow/);
    assert.equal(runAll(session, 'print("alive")').stdout, 'alive\n');
    session.delete();
  });

  test('Session.RecursionThroughNativeCallsIsACStackOverflowErrorNotATrap', () => {
    const scripts = [
      'local function f(s) return (s:gsub(".", f)) end\nf("x")',
      'local t = setmetatable({}, {__index = function(t, k) return t[k] end})\nlocal _ = t.x',
      'local mt = {} mt.__tostring = function(o) return tostring(setmetatable({}, mt)) end\n' +
        'print(tostring(setmetatable({}, mt)))',
    ];
    const session = fresh();
    for (const script of scripts) {
      const { result } = runAll(session, script);
      assert.equal(result.status, 'error', script);
      assert.match(result.error.message, /stack overflow/, script);
    }
    assert.equal(runAll(session, 'print("alive")').stdout, 'alive\n');
    session.delete();
  });

  test('Session.DeeplyNestedSourceIsASyntaxErrorNotATrap', () => {
    const session = fresh();
    const loaded = session.load(`return ${'('.repeat(100000)}1${')'.repeat(100000)}`, '=input');
    assert.equal(loaded.ok, false);
    assert.match(loaded.message, /overflow|too many/);
    session.delete();
  });

  test('Session.SetGcSwitchesModeAndParameters', () => {
    const session = fresh();
    let report = session.setGc('generational', { minormul: 30, majormul: 150 });
    assert.equal(report.ok, true);
    assert.equal(report.mode, 'generational');
    assert.equal(report.params.minormul, 30);
    assert.equal(report.params.majormul, 150);
    report = session.setGc('luajit', { pause: 150, stepmul: 300 });
    assert.equal(report.mode, 'luajit');
    assert.equal(report.params.pause, 150);
    assert.equal(report.params.stepmul, 300);
    report = session.setGc('incremental', { pause: 100, stepmul: 200, stepsize: 10 });
    assert.deepEqual([report.mode, report.params.pause, report.params.stepsize],
      ['incremental', 100, 10]);
    const { stdout } = runAll(session, 'print(collectgarbage("incremental"))');
    assert.equal(stdout, 'incremental\n');
    report = session.setGc('copying', {});
    assert.equal(report.ok, false);
    assert.match(report.error, /unknown collector mode/);
    session.delete();
  });

  test('Session.GcActionsCollectStopAndRestart', () => {
    const session = fresh();
    runAll(session, 'garbage = {} for i = 1, 20000 do garbage[i] = {i} end garbage = nil');
    let report = session.gcAction('stop', 0);
    assert.equal(report.running, false);
    report = session.gcAction('restart', 0);
    assert.equal(report.running, true);
    const before = session.gcState().total;
    report = session.gcAction('collect', 0);
    assert.equal(report.ok, true);
    assert.ok(report.total < before / 2, `collect freed garbage (${before} -> ${report.total})`);
    assert.equal(session.gcAction('step', 10).ok, true);
    assert.equal(session.gcAction('explode', 0).ok, false);
    session.delete();
  });

  test('Session.CollectorActionsBetweenSlicesLeaveThePausedRunIntact', () => {
    const session = fresh();
    const script = 'local keep = {}\nfor i = 1, 200000 do keep[i % 1000 + 1] = {i} end\n' +
      'local sum = 0 for _, t in ipairs(keep) do sum = sum + t[1] end print(#keep, sum)';
    assert.ok(session.load(script, '=input').ok);
    const actions = ['collect', 'step', 'stop', 'restart', 'collect'];
    let result;
    for (let i = 0; i < 10000; i++) {
      result = session.run(5000);
      if (result.status !== 'paused') break;
      if (i < actions.length) assert.equal(session.gcAction(actions[i], 1).ok, true);
      if (i === 2) session.setGc('generational', {});
    }
    assert.equal(result.status, 'finished');
    const { stdout } = session.drainOutput();
    assert.equal(decoder.decode(stdout), '1000\t199500500\n');
    session.delete();
  });

  test('Telemetry.AllocateAndDropGivesSamplesWhoseTotalRisesAndFalls', () => {
    const session = fresh();
    session.setSampleInterval(5000);
    const script = 'for round = 1, 30 do local t = {} for i = 1, 3000 do t[i] = {i} end end';
    assert.ok(session.load(script, '=input').ok);
    const rows = [];
    const events = [];
    let fields;
    for (let i = 0; i < 1000; i++) {
      const result = session.run(20000);
      const telemetry = session.telemetry();
      fields = telemetry.samples.fields;
      rows.push(...telemetry.samples.rows);
      events.push(...telemetry.events);
      if (result.status !== 'paused') break;
    }
    const cycles = events.filter((e) => e.kind === 'cycle');
    assert.ok(cycles.length >= 2, `${cycles.length} cycle events`);
    assert.ok(cycles.filter((c) => c.freed > 0).length >= 2, 'cycles free the dropped tables');
    assert.ok(cycles.every((c) => Number.isFinite(c.durationNs) && c.freedByKind.table >= 0));
    assert.ok(events.some((e) => e.kind === 'phase' && e.to === 'atomic'));
    const totals = rows.map((row) => row[fields.indexOf('total')]);
    let rises = 0;
    let falls = 0;
    for (let i = 1; i < totals.length; i++) {
      if (totals[i] > totals[i - 1]) rises++;
      if (totals[i] < totals[i - 1]) falls++;
    }
    assert.ok(rows.length >= 20, `${rows.length} samples`);
    assert.ok(rises >= 3 && falls >= 3, `total rose ${rises} and fell ${falls} times`);
    const instr = rows.map((row) => row[fields.indexOf('instr')]);
    assert.ok(instr.every((v, i) => i === 0 || v >= instr[i - 1]), 'instr never decreases');
    const last = rows.at(-1);
    const kinds = fields.filter((f) => f.startsWith('bytes.'));
    const byKind = kinds.reduce((sum, f) => sum + last[fields.indexOf(f)], 0);
    assert.ok(byKind <= last[fields.indexOf('total')] && byKind > 0);
    session.delete();
  });

  test('Telemetry.FieldsFollowTheProtocol', () => {
    const session = fresh();
    runAll(session, 'local x = {}');
    const { samples } = session.telemetry();
    assert.deepEqual(samples.fields, [
      't', 'instr', 'allocated', 'total', 'threshold', 'debt', 'estimate', 'phase',
      'bytes.string', 'bytes.table', 'bytes.lclosure', 'bytes.nclosure', 'bytes.upvalue',
      'bytes.proto', 'bytes.thread', 'bytes.userdata',
      'co.suspended', 'co.running', 'co.normal', 'co.dead', 'co.collected',
      'line', 'cycle', 'reason', 'vtime']);
    assert.ok(samples.rows.length >= 1);
    assert.deepEqual(session.telemetry().samples.rows, [], 'telemetry drains the samples');
    assert.deepEqual(session.coroutines(), []);
    session.delete();
  });

  test('Telemetry.CountsCoroutinesByStatusAndListsTheRegistry', () => {
    const session = fresh();
    runAll(session, 'keep = {}\nfor i = 1, 3 do\n' +
      '  keep[i] = coroutine.create(function() coroutine.yield() end)\nend\n' +
      'coroutine.resume(keep[1]) coroutine.resume(keep[1])');
    const { samples, events } = session.telemetry();
    const last = samples.rows.at(-1);
    const count = (name) => last[samples.fields.indexOf(name)];
    const statuses = ['co.suspended', 'co.running', 'co.normal', 'co.dead'];
    assert.deepEqual(statuses.map(count), [2, 0, 0, 1]);
    assert.ok(events.some((e) => e.kind === 'coroutine' && e.created && e.id === 3));
    const registry = session.coroutines();
    assert.equal(registry.length, 3);
    assert.deepEqual(registry[0].site, { chunk: 'input', line: 3, name: registry[0].site.name });
    assert.equal(registry[0].status, 'dead');
    assert.equal(registry[0].resumes, 2);
    assert.equal(registry[2].status, 'suspended');
    session.delete();
  });

  test('Session.ResetGivesAFreshUniverse', () => {
    const session = fresh();
    runAll(session, 'leftover = 42');
    assert.equal(runAll(session, 'print(leftover)').stdout, '42\n', 'same state without reset');
    session.reset();
    assert.equal(runAll(session, 'print(leftover)').stdout, 'nil\n');
    session.delete();
  });

  test('Session.CloseRunsFinalizersLikeLuaClose', () => {
    const session = fresh();
    runAll(session, 'setmetatable({}, {__gc = function() print("finalized") end})');
    session.close();
    assert.equal(decoder.decode(session.drainOutput().stdout), 'finalized\n');
    session.delete();
  });

  // What run.mjs calls at a process exit: close()'s finalizers, the heap left unfreed.
  test('Session.CloseForExitRunsTheFinalizersOfAClose', () => {
    const session = fresh();
    runAll(session,
      'for i = 1, 3 do setmetatable({}, {__gc = function() print("finalized " .. i) end}) end');
    session.closeForExit();
    assert.equal(decoder.decode(session.drainOutput().stdout),
      'finalized 3\nfinalized 2\nfinalized 1\n');
    assert.equal(session.status(), 'idle');
    session.delete();
  });
});
