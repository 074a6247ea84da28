// web/src/worker.js speaking PROTOCOL.md, run in a Node worker thread (worker-host.mjs), and the
// SessionClient promise wrapper on top of it.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';

import { moduleBuilt } from '../../wasm/node-host.mjs';
import { SessionClient } from '../../web/src/session-client.js';

const skip = moduleBuilt() ? false : 'the wasm module is not built (wasm/build.sh)';
const hostUrl = new URL('./worker-host.mjs', import.meta.url);
const workers = [];

// A Node worker thread dressed as a browser Worker (EventTarget-style messages).
function browserLikeWorker() {
  const worker = new Worker(hostUrl);
  workers.push(worker);
  return {
    postMessage: (message) => worker.postMessage(message),
    addEventListener: (type, listener) => {
      if (type === 'message') worker.on('message', (data) => listener({ data }));
      if (type === 'error') worker.on('error', (error) => listener({ message: error.message }));
    },
    terminate: () => worker.terminate(),
  };
}

// The raw protocol: collects every message; `next(predicate)` waits for a matching one.
function rawWorker() {
  const worker = browserLikeWorker();
  const seen = [];
  const waiters = [];
  worker.addEventListener('message', ({ data }) => {
    seen.push({ ...data, at: performance.now() });
    for (const waiter of [...waiters]) {
      if (waiter.predicate(data)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve({ ...data, at: performance.now() });
      }
    }
  });
  const next = (predicate, timeoutMs = 10000) => {
    const found = seen.find((m) => predicate(m) && !m.consumed);
    if (found) {
      found.consumed = true;
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such message in time')), timeoutMs);
      waiters.push({ predicate, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  };
  const send = (type, seq, payload) => worker.postMessage({ type, seq, payload });
  return { worker, seen, next, send };
}

after(() => Promise.all(workers.map((w) => w.terminate())));

describe('Worker protocol', { skip }, () => {
  test('Worker.AnnouncesReadyWithTheVersion', async () => {
    const w = rawWorker();
    const ready = await w.next((m) => m.type === 'ready');
    assert.match(ready.payload.version, /^Lunette/);
  });

  test('Worker.AnswersACheckBetweenSlicesOfARunningScriptWithoutDisturbingIt', async () => {
    const w = rawWorker();
    const source = 'local n = 0\nfor i = 1, 3000000 do n = n + i end\nprint(n)';
    w.send('run', 1, { source, chunkname: '=main.lua', budget: 20000 });
    await w.next((m) => m.type === 'slice' && m.seq === 1);
    w.send('check', 0, { version: 7, source: 'if x then\n  print(1)\n', chunkname: '=main.lua' });
    const checked = await w.next((m) => m.type === 'checked');
    assert.deepEqual(checked.payload, { version: 7, ok: false, line: 3, column: 1,
      message: "main.lua:3: 'end' expected (to close 'if' at line 1) near <eof>" });
    const done = await w.next((m) => m.type === 'done' && m.seq === 1, 30000);
    assert.ok(checked.at < done.at, 'answered while the run was still going');
    assert.equal(done.payload.status, 'finished');
    assert.equal(done.payload.output, '4500001500000\n');
    w.send('check', 0, { version: 8, source: 'local a, b = 1\n', chunkname: '=main.lua' });
    const good = await w.next((m) => m.type === 'checked' && m.payload.version === 8);
    assert.equal(good.payload.ok, true);
    assert.deepEqual(good.payload.names.map((n) => `${n.kind} ${n.name} ${n.from}-${n.to}`),
      ['local a 2-0', 'local b 2-0']);
  });

  test('Worker.RunEndsWithDoneCarryingOutputAndSamples', async () => {
    const w = rawWorker();
    const source = 'print("hello") io.stderr:write("careful\\n")';
    w.send('run', 1, { source, chunkname: '=input' });
    const done = await w.next((m) => m.type === 'done');
    assert.equal(done.seq, 1);
    assert.equal(done.payload.status, 'finished');
    assert.equal(done.payload.output, 'hello\n');
    assert.equal(done.payload.errorOutput, 'careful\n');
    assert.deepEqual(done.payload.samples.fields.slice(0, 4), ['t', 'instr', 'allocated', 'total']);
    assert.ok(done.payload.samples.rows.length >= 1);
    assert.ok(Array.isArray(done.payload.events));
    assert.deepEqual(done.payload.coroutines, []);
    assert.ok(done.payload.instructions > 0);
  });

  test('Worker.DoneCarriesTheRunSummaryForTheCompareView', async () => {
    const w = rawWorker();
    const source = 'local keep = {}\nfor i = 1, 20000 do keep[i % 100 + 1] = { i } end';
    w.send('run', 3, { source, chunkname: '=input', gc: { mode: 'incremental',
      params: { pause: 100 } } });
    const done = await w.next((m) => m.type === 'done');
    const s = done.payload.summary;
    assert.equal(done.payload.status, 'finished');
    assert.deepEqual(Object.keys(s).sort(), ['cycles', 'finalBytes', 'gcMs', 'instructions',
      'longestStepMs', 'p99StepMs', 'peakBytes', 'steps']);
    assert.ok(s.cycles >= 2, `${s.cycles} cycles`);
    assert.ok(s.peakBytes >= s.finalBytes && s.finalBytes > 0);
    assert.ok(s.longestStepMs >= s.p99StepMs && s.gcMs >= s.longestStepMs);
    assert.equal(s.instructions, done.payload.instructions);
  });

  test('Worker.AShimRunHasVirtualTimeOnEveryRowAndReportsItsWaiters', async () => {
    const w = rawWorker();
    const source = [
      'backend = {reply = require("ngx.semaphore").new()}',
      'ngx.thread.spawn(function() backend.reply:wait() end)',
      'ngx.sleep(90)',
      'local t = {} for i = 1, 2000 do t[i] = {i} end',
      'ngx.sleep(30)',
    ].join('\n');
    w.send('run', 1, { source, chunkname: '=input', shim: 'ngx' });
    const done = await w.next((m) => m.type === 'done' && m.seq === 1);
    assert.equal(done.payload.status, 'finished', JSON.stringify(done.payload.error));
    // Every slice's rows, in order: the virtual clock never goes back and ends at 120 s.
    const batches = w.seen.filter((m) => m.seq === 1 && (m.type === 'slice' || m.type === 'done'));
    const vtimes = [];
    for (const b of batches) {
      const column = b.payload.samples.fields.indexOf('vtime');
      for (const row of b.payload.samples.rows) vtimes.push(row[column]);
    }
    assert.ok(vtimes.length >= 3);
    assert.ok(vtimes.every(Number.isFinite), 'the worker fills rows taken before the clock started');
    assert.equal(vtimes[0], 0);
    assert.equal(vtimes.at(-1), 120);
    for (let i = 1; i < vtimes.length; i++) assert.ok(vtimes[i] >= vtimes[i - 1]);
    assert.ok(vtimes.includes(90));
    // The waiter: what it waits for, and a certain suspect with the path through the semaphore.
    assert.deepEqual(Object.values(done.payload.waiting), ['semaphore #1']);
    const stuck = done.payload.suspects.list.filter((s) => s.waitsFor === 'semaphore #1');
    assert.equal(stuck.length, 1);
    assert.equal(stuck[0].path[0].text, '_G.backend.reply.waiters[1]');
  });

  test('Worker.APlainRunHasNoVirtualTimeAndAnUnknownShimIsAnError', async () => {
    const w = rawWorker();
    w.send('run', 1, { source: 'print(ngx)', chunkname: '=input' });
    const plain = await w.next((m) => m.type === 'done' && m.seq === 1);
    assert.equal(plain.payload.output, 'nil\n');
    const column = plain.payload.samples.fields.indexOf('vtime');
    assert.ok(plain.payload.samples.rows.every((row) => row[column] === null));
    assert.equal(plain.payload.waiting, undefined);
    w.send('run', 2, { source: 'print(1)', chunkname: '=input', shim: 'apache' });
    const refused = await w.next((m) => m.type === 'done' && m.seq === 2);
    assert.equal(refused.payload.status, 'error');
    assert.match(refused.payload.error.message, /unknown server shim 'apache'/);
    assert.equal(refused.payload.output, '');
  });

  test('Worker.SyntaxErrorEndsTheRunAtOnceWithItsLine', async () => {
    const w = rawWorker();
    w.send('run', 7, { source: 'x = 1\nif then', chunkname: '=input' });
    const done = await w.next((m) => m.type === 'done');
    assert.equal(done.payload.status, 'error');
    assert.equal(done.payload.error.line, 2);
    assert.match(done.payload.error.message, /^input:2:/);
  });

  test('Worker.RuntimeErrorReportsMessageLineAndTraceback', async () => {
    const w = rawWorker();
    w.send('run', 2, { source: 'local t = nil\nprint(#t)', chunkname: '=input' });
    const done = await w.next((m) => m.type === 'done');
    assert.equal(done.payload.status, 'error');
    assert.equal(done.payload.error.line, 2);
    assert.match(done.payload.error.traceback, /stack traceback/);
  });

  test('Worker.StopEndsAnInfiniteLoopWithin100Ms', async () => {
    const w = rawWorker();
    w.send('run', 3, { source: 'while true do end', chunkname: '=input' });
    await w.next((m) => m.type === 'slice' && m.seq === 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sentAt = performance.now();
    w.send('stop', 3, {});
    const done = await w.next((m) => m.type === 'done' && m.seq === 3);
    assert.equal(done.payload.status, 'stopped');
    assert.ok(done.at - sentAt < 100, `done came ${(done.at - sentAt).toFixed(1)} ms after stop`);
  });

  test('Worker.SlicesLastAboutEightMilliseconds', async () => {
    const w = rawWorker();
    w.send('run', 4, { source: 'local n = 0 while true do n = n + 1 end', chunkname: '=input' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    w.send('stop', 4, {});
    await w.next((m) => m.type === 'done' && m.seq === 4);
    const slices = w.seen.filter((m) => m.type === 'slice' && m.seq === 4);
    const late = slices.slice(slices.length / 2);  // once the budget has adapted
    const gaps = late.slice(1).map((m, i) => m.at - late[i].at);
    const median = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)];
    // Wall-clock gaps depend on the machine's load (CI shares 2 cores), so only a gross
    // failure to slice is an error here; the adaptive budget aims at ~8 ms per slice.
    console.log(`median slice ${median.toFixed(2)} ms over ${slices.length} slices`);
    assert.ok(slices.length >= 5, `only ${slices.length} slices in 600 ms`);
    assert.ok(median < 150, `median slice ${median.toFixed(2)} ms`);
    assert.ok(late.every((m) => m.payload.status === 'running'));
  });

  test('Worker.NewRunReplacesTheCurrentOne', async () => {
    const w = rawWorker();
    w.send('run', 5, { source: 'while true do end', chunkname: '=input' });
    await w.next((m) => m.type === 'slice' && m.seq === 5);
    w.send('run', 6, { source: 'print(6)', chunkname: '=input' });
    const first = await w.next((m) => m.type === 'done' && m.seq === 5);
    const second = await w.next((m) => m.type === 'done' && m.seq === 6);
    assert.equal(first.payload.status, 'stopped');
    assert.equal(second.payload.status, 'finished');
    assert.equal(second.payload.output, '6\n');
  });

  test('Worker.GcMessagesApplyAndReport', async () => {
    const w = rawWorker();
    w.send('setGc', 10, { mode: 'luajit', params: { pause: 150, stepmul: 300, minormul: 5 } });
    const gc = await w.next((m) => m.type === 'gc' && m.seq === 10);
    assert.equal(gc.payload.mode, 'luajit');
    assert.deepEqual(gc.payload.params, { pause: 150, stepmul: 300 });
    assert.ok(gc.payload.total > 0 && gc.payload.threshold > 0);
    w.send('gcAction', 11, { name: 'collect' });
    const collected = await w.next((m) => m.type === 'gc' && m.seq === 11);
    assert.equal(collected.payload.mode, 'luajit');
    w.send('run', 12, { source: 'print(collectgarbage("count") > 0)', chunkname: '=input' });
    const done = await w.next((m) => m.type === 'done' && m.seq === 12);
    assert.equal(done.payload.output, 'true\n');
  });

  test('Worker.DropsMalformedAndUnknownMessages', async () => {
    const w = rawWorker();
    w.worker.postMessage(null);
    w.worker.postMessage({ nope: 1 });
    w.send('explode', 1, {});
    w.send('run', 13, { source: 'print("still fine")' });
    const done = await w.next((m) => m.type === 'done' && m.seq === 13);
    assert.equal(done.payload.output, 'still fine\n');
  });

  test('Worker.OsExitFinishesTheRunWithItsCode', async () => {
    const w = rawWorker();
    w.send('run', 14, { source: 'print(1) os.exit(4)' });
    const done = await w.next((m) => m.type === 'done' && m.seq === 14);
    assert.equal(done.payload.status, 'finished');
    assert.equal(done.payload.exitCode, 4);
    assert.equal(done.payload.output, '1\n');
  });
});

describe('Worker stepping', { skip }, () => {
  test('Worker.ASteppingRunWaitsAtLinesAndItsHeapIsSteppedByHand', async () => {
    const w = rawWorker();
    const source = 'holder = {}\nholder.child = {}\nprint(holder.child ~= nil)';
    w.send('run', 1, { source, chunkname: '=main.lua', stepping: { pauseAtStart: true } });
    const first = await w.next((m) => m.type === 'slice' && m.seq === 1);
    assert.equal(first.payload.status, 'paused');
    assert.equal(first.payload.line, 1);
    const firstGraph = await w.next((m) => m.type === 'heapGraph' && m.payload.request === 'line');
    assert.equal(firstGraph.payload.line, 1);
    assert.equal(firstGraph.payload.nodes.filter((n) => n.library).length, 1);
    w.send('nextLine', 1, {});
    const second = await w.next((m) => m.type === 'heapGraph' && m.payload.line === 2);
    assert.ok(second.payload.nodes.some((n) => n.label === 'table holder'));
    w.send('gcStep', 1, { expand: false });
    const step = await w.next((m) => m.type === 'heapGraph' && m.payload.request === 'step');
    assert.equal(step.payload.unit, 'start');
    assert.equal(step.payload.phase, 'propagate');
    w.send('resume', 1, {});
    const end = await w.next((m) => m.type === 'heapGraph' && m.payload.request === 'end');
    const done = await w.next((m) => m.type === 'done' && m.seq === 1);
    assert.ok(end.at <= done.at, 'the last picture comes before done');
    assert.equal(done.payload.output, 'true\n');
    w.send('finishCycle', 1, {});
    const finished = await w.next((m) => m.type === 'heapGraph' && m.payload.request === 'finish');
    assert.equal(finished.payload.phase, 'pause');
    assert.ok(finished.payload.nodes.some((n) => n.label === 'table holder.child'));
  });

  test('Worker.StepsAreRefusedWithoutASteppingRun', async () => {
    const w = rawWorker();
    w.send('run', 1, { source: 'x = {}', chunkname: '=main.lua' });
    await w.next((m) => m.type === 'done' && m.seq === 1);
    w.send('gcStep', 1, {});
    const refused = await w.next((m) => m.type === 'heapGraph');
    assert.match(refused.payload.error, /no stepping run/);
  });
});

describe('SessionClient', { skip }, () => {
  test('SessionClient.RunResolvesWithDoneAndStreamsSlices', async () => {
    const client = new SessionClient({ createWorker: browserLikeWorker });
    const ready = await client.ready;
    assert.match(ready.version, /^Lunette/);
    const slices = [];
    const source = 'for i = 1, 3 do print(i) for j = 1, 3e6 do end end';
    const done = await client.run(source, { onSlice: (s) => slices.push(s) });
    assert.equal(done.status, 'finished');
    const printed = slices.map((s) => s.output).join('') + done.output;
    assert.equal(printed, '1\n2\n3\n');
    assert.ok(slices.length >= 1, 'a long loop yields slices');
    client.terminate();
  });

  test('SessionClient.StopResolvesTheRunAsStopped', async () => {
    const client = new SessionClient({ createWorker: browserLikeWorker });
    await client.ready;
    const running = client.run('while true do end');
    setTimeout(() => client.stop(), 100);
    const done = await running;
    assert.equal(done.status, 'stopped');
    assert.notEqual(done.killed, true);
    client.terminate();
  });

  test('SessionClient.GcRequestsResolveWithTheGcPayload', async () => {
    const client = new SessionClient({ createWorker: browserLikeWorker });
    const gc = await client.setGc('generational', { minormul: 25, majormul: 120 });
    assert.deepEqual([gc.mode, gc.params.minormul, gc.params.majormul], ['generational', 25, 120]);
    const after = await client.gcAction('collect');
    assert.equal(after.mode, 'generational');
    client.terminate();
  });

  test('SessionClient.WatchdogReplacesAWorkerThatCannotStop', async () => {
    // A comparator that never returns runs in a nested interpreter loop that cannot pause.
    const client = new SessionClient({ createWorker: browserLikeWorker, stopTimeoutMs: 300 });
    await client.ready;
    const running = client.run('table.sort({3, 2, 1}, function(a, b) while true do end end)');
    setTimeout(() => client.stop(), 100);
    const done = await running;
    assert.equal(done.status, 'stopped');
    assert.equal(done.killed, true);
    const next = await client.run('print("fresh worker")');
    assert.equal(next.output, 'fresh worker\n');
    client.terminate();
  });
});

// Pause/Resume and output marks (issue 11, the page's timeline).
describe('Worker recording', { skip }, () => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const tIndex = (payload) => payload.samples.fields.indexOf('t');

  test('Worker.PauseHoldsTheSlicesUntilResume', async () => {
    const w = rawWorker();
    w.send('run', 1, { source: 'local n = 0 while true do n = n + 1 end', chunkname: '=input' });
    await w.next((m) => m.type === 'slice' && m.seq === 1);
    w.send('pause', 1, {});
    const paused = await w.next((m) => m.type === 'slice' && m.payload.status === 'paused');
    await sleep(300);
    const after = w.seen.filter((m) => m.at > paused.at);
    assert.deepEqual(after.map((m) => m.type), [], 'nothing runs while paused');
    w.send('resume', 1, {});
    w.send('resume', 1, {});  // a second resume must not start a second chain of slices
    // (Predicates see the message as it arrives, before `at` is added.)
    const next = await w.next((m) => m.type === 'slice' && m.seq === 1 &&
      m.payload.instructions > paused.payload.instructions);
    await sleep(300);
    w.send('stop', 1, {});
    const done = await w.next((m) => m.type === 'done' && m.seq === 1);
    assert.equal(done.payload.status, 'stopped');
    // One chain: slices keep their length (about 8 ms apart), not two interleaved ones.
    const resumed = w.seen.filter((m) => m.type === 'slice' && m.at > next.at);
    assert.ok(resumed.length < 300 / 3, `${resumed.length} slices in 300 ms`);
  });

  test('Worker.StopEndsAPausedRun', async () => {
    const w = rawWorker();
    w.send('run', 4, { source: 'while true do end', chunkname: '=input' });
    await w.next((m) => m.type === 'slice' && m.seq === 4);
    w.send('pause', 4, {});
    await w.next((m) => m.type === 'slice' && m.payload.status === 'paused');
    w.send('stop', 4, {});
    const done = await w.next((m) => m.type === 'done' && m.seq === 4, 2000);
    assert.equal(done.payload.status, 'stopped');
  });

  test('Worker.PausedTimeIsKeptOutOfTheRunClock', async () => {
    const w = rawWorker();
    w.send('run', 2, { source: 'local n = 0 while true do n = n + 1 end', chunkname: '=input' });
    await w.next((m) => m.type === 'slice' && m.seq === 2);
    w.send('pause', 2, {});
    const paused = await w.next((m) => m.type === 'slice' && m.payload.status === 'paused');
    await sleep(500);
    w.send('resume', 2, {});
    const next = await w.next((m) => m.type === 'slice' && m.seq === 2 &&
      m.payload.instructions > paused.payload.instructions && m.payload.samples.rows.length > 0);
    w.send('stop', 2, {});
    const before = w.seen.filter((m) => m.seq === 2 && m.at <= paused.at &&
      m.payload.samples?.rows.length);
    const lastBefore = Math.max(...before.flatMap((m) =>
      m.payload.samples.rows.map((r) => r[tIndex(m.payload)])));
    const firstAfter = next.payload.samples.rows[0][tIndex(next.payload)];
    const jump = firstAfter - lastBefore;
    assert.ok(jump < 250, `t jumped ${jump} ms over a 500 ms pause`);
    assert.ok(next.payload.elapsedMs < next.at - paused.at, 'elapsedMs leaves the pause out');
  });

  test('Worker.OutputMarksSayHowMuchOfTheOutputWasWrittenWhen', async () => {
    const w = rawWorker();
    const source = 'for i = 1, 3 do io.write("é", i, "\\n") end';
    w.send('run', 3, { source, chunkname: '=input' });
    const done = await w.next((m) => m.type === 'done' && m.seq === 3);
    const marks = done.payload.outputMarks;
    assert.ok(Array.isArray(marks) && marks.length >= 1, JSON.stringify(marks));
    const last = marks[marks.length - 1];
    assert.equal(last[1], done.payload.output.length, 'the last mark covers all of the output');
    assert.ok(last[0] <= done.payload.instructions);
    for (let i = 1; i < marks.length; i++) {
      assert.ok(marks[i][0] >= marks[i - 1][0] && marks[i][1] >= marks[i - 1][1]);
    }
  });
});
