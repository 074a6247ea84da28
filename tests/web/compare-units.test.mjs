// compare-units.test.mjs - the Compare view's pure parts under plain Node: which settings may be
// compared, the rows and the best of each column, output differences, the runner's sequence
// (warm-up, one run after another, stale messages, Stop, a lost worker) against a scripted
// client, and share links carrying the compared settings.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import './node-compat.mjs';
import {
  bestOfColumns, COMPARE_MAX, defaultCompareSettings, describeSetting, differenceSentences,
  errorSentences, firstDifference, nextSetting, normalizeCompareSettings, outputFlags, rowOf,
} from '../../web/src/compare-model.js';
import { CompareRunner, keepFields, newRun, WARMUP_SOURCE } from '../../web/src/compare-runner.js';
import { decodeShare, encodeShare, ShareError } from '../../web/src/share.js';

const inc = (pause) => ({ mode: 'incremental', params: { pause, stepmul: 100, stepsize: 13 } });
const gen = { mode: 'generational', params: { minormul: 20, majormul: 100 } };

test('compared settings: 2 to 4 known settings, refused in strict mode, repaired otherwise', () => {
  assert.deepEqual(normalizeCompareSettings([inc(100), gen], { strict: true }), [inc(100), gen]);
  // Missing parameters take their defaults.
  assert.deepEqual(normalizeCompareSettings([{ mode: 'incremental', params: { pause: 100 } }, gen],
    { strict: true })[0], inc(100));
  assert.throws(() => normalizeCompareSettings([inc(100)], { strict: true }),
    /^Error: 1 setting to compare \(2 to 4 are possible\)$/);
  assert.throws(() => normalizeCompareSettings(Array(5).fill(gen), { strict: true }), /5 settings/);
  assert.throws(() => normalizeCompareSettings('incremental', { strict: true }), /not a list/);
  assert.throws(() => normalizeCompareSettings([gen, { mode: 'arc' }], { strict: true }),
    /setting 2: unknown collector mode "arc"/);
  assert.throws(() => normalizeCompareSettings([gen, inc(5000)], { strict: true }),
    /setting 2: parameter pause out of range/);
  // Repairing: clamped, filled up to two, cut down to four.
  assert.equal(normalizeCompareSettings([gen, inc(5000)])[1].params.pause, 1000);
  assert.equal(normalizeCompareSettings([gen]).length, 2);
  assert.equal(normalizeCompareSettings(Array(6).fill(gen)).length, COMPARE_MAX);
});

test('the first comparison offered is the current setting against the other Lua 5.4 mode', () => {
  assert.deepEqual(defaultCompareSettings(inc(150)), [inc(150), gen]);
  assert.equal(defaultCompareSettings(gen)[1].mode, 'incremental');
});

test('an added setting differs from the others by its first parameter', () => {
  assert.deepEqual(nextSetting([inc(200)]), inc(400));
  assert.deepEqual(nextSetting([inc(200), inc(400)]), inc(800));
  assert.deepEqual(nextSetting([inc(400), inc(800)]), inc(1000));  // capped at the maximum
  assert.deepEqual(nextSetting([gen]).params, { minormul: 40, majormul: 100 });
});

test('a setting is described as the CLI spells it', () => {
  assert.equal(describeSetting(inc(100)), 'incremental pause=100 stepmul=100 stepsize=13');
});

test('a row takes the Session summary, else the heap figures from the recording', () => {
  const run = newRun(inc(100));
  Object.assign(run, { status: 'finished', elapsedMs: 12.5, instructions: 999,
    summary: { peakBytes: 2048, finalBytes: 1024, cycles: 3, steps: 9, longestStepMs: 0.5,
      p99StepMs: 0.4, gcMs: 1.5, instructions: 1000 } });
  assert.deepEqual(rowOf(run), { status: 'finished', peakBytes: 2048, finalBytes: 1024, cycles: 3,
    longestStepMs: 0.5, p99StepMs: 0.4, gcMs: 1.5, elapsedMs: 12.5, instructions: 1000 });

  const old = newRun(gen);
  old.status = 'finished';
  old.instructions = 77;
  old.series.append({ fields: ['t', 'total'], rows: [[0, 100], [1, 900], [2, 300]] });
  old.cycles.push({ kind: 'cycle' }, { kind: 'cycle' });
  assert.deepEqual(rowOf(old), { status: 'finished', peakBytes: 900, finalBytes: 300, cycles: 2,
    longestStepMs: null, p99StepMs: null, gcMs: null, elapsedMs: null, instructions: 77 });
});

test('the best of each column is the lowest among finished runs, when they differ', () => {
  const row = (status, peakBytes, cycles, gcMs) => ({ status, peakBytes, cycles, gcMs });
  const best = bestOfColumns([
    row('finished', 500, 10, 1), row('finished', 900, 4, 1), row('stopped', 100, 1, 0),
    row('finished', 500, 7, null)]);
  assert.deepEqual([...best.peakBytes], [0, 3]);      // a tie marks both; stopped runs ignored
  assert.deepEqual([...best.cycles], [1]);
  assert.deepEqual([...best.gcMs], []);               // all equal: no mark
  assert.deepEqual([...best.finalBytes], []);         // nobody has it
  // Values the table writes alike are equal: no mark on one of them.
  const shown = (key, v) => v.toFixed(1);
  assert.deepEqual([...bestOfColumns([row('finished', 1.04, 1, 1), row('finished', 0.96, 1, 1)],
    shown).peakBytes], []);
  // One finished run alone is nobody's best.
  assert.deepEqual([...bestOfColumns([row('finished', 1, 1, 1), row('error', 2, 2, 2)]).cycles],
    []);
});

test('the first differing line of two transcripts is found', () => {
  assert.equal(firstDifference('a\nb\n', 'a\nb\n'), null);
  assert.deepEqual(firstDifference('a\nb\nc', 'a\nB\nc'), { line: 2, a: 'b', b: 'B' });
  assert.deepEqual(firstDifference('a', 'a\nmore'), { line: 2, a: null, b: 'more' });
});

test('outputs are compared against the first finished run; stopped runs are not compared', () => {
  const run = (status, output, error) => ({ ...newRun(gen), status, output, error });
  const runs = [run('stopped', 'x\n'), run('finished', 'one\ntwo\n'), run('finished', 'one\ntwo\n'),
    run('finished', 'one\n2\n'), run('error', 'one\ntwo\n', { message: 'main.lua:3: boom' })];
  const flags = outputFlags(runs);
  assert.equal(flags[0], null);
  assert.deepEqual(flags[1], { same: true, baseline: true });
  assert.deepEqual(flags[2], { same: true });
  assert.deepEqual(flags[3], { same: false, against: 1,
    difference: { line: 2, a: 'two', b: '2' } });
  assert.equal(flags[4].same, false, 'ending in an error is a difference');
  const sentences = differenceSentences(runs, flags);
  assert.equal(sentences.length, 2);
  assert.equal(sentences[0], 'run 4 (generational minormul=20 majormul=100) printed “2” where ' +
    'run 2 printed “two” (line 2)');
  assert.match(sentences[1], /run 5 .* printed “\[error\] main.lua:3: boom” where run 2 printed nothing/);
});

test('errors are reported once per distinct message, naming the runs', () => {
  const run = (status, message) => ({ ...newRun(gen), status, error: message && { message } });
  assert.deepEqual(errorSentences([run('error', 'main.lua:1: boom'), run('finished'),
    run('error', 'main.lua:1: boom'), run('error', 'not enough memory'),
    run('error', 'main.lua:1: boom')]), [
    'runs 1, 3 and 5 ended in an error: main.lua:1: boom',
    'run 4 ended in an error: not enough memory',
  ]);
  assert.deepEqual(errorSentences([run('finished'), run('stopped')]), []);
});

test('only the columns the chart needs are kept from a sample batch', () => {
  const kept = keepFields({ fields: ['t', 'instr', 'bytes.table', 'total', 'allocated'],
    rows: [[1, 2, 3, 4, 5]], replace: true });
  assert.deepEqual(kept, { fields: ['t', 'instr', 'allocated', 'total'], rows: [[1, 2, 5, 4]],
    replace: true });
  assert.equal(keepFields(null), null);
});

// A client that records requests; the test plays the worker's answers.
function scriptedRunner() {
  const sent = [];
  let on = null;
  const changes = [];
  const runner = new CompareRunner({
    chunkname: '=main.lua',
    createClient(handlers) {
      on = handlers;
      return {
        run: (seq, payload) => sent.push({ type: 'run', seq, payload }),
        stop: (seq) => sent.push({ type: 'stop', seq }),
      };
    },
    onChange: (_, what) => changes.push(what),
  });
  const last = () => sent[sent.length - 1];
  const answer = (type, payload, seq = last().seq) => on.message({ type, seq, payload });
  const summary = (peakBytes) => ({ peakBytes, finalBytes: 1, cycles: 1, steps: 1,
    longestStepMs: 1, p99StepMs: 1, gcMs: 1, instructions: 10 });
  return { runner, sent, last, answer, summary, changes, handlers: () => on };
}

test('the runner warms the VM up once, then runs each setting in turn', async () => {
  const { runner, sent, last, answer, summary } = scriptedRunner();
  const done = runner.compare([inc(100), inc(400)], 'print(1)');
  assert.equal(last().payload.source, WARMUP_SOURCE);
  answer('done', { status: 'finished', output: 'warm-up output\n' });
  assert.equal(last().payload.source, 'print(1)');
  assert.deepEqual(last().payload.gc, inc(100));
  assert.equal(last().payload.chunkname, '=main.lua');
  answer('slice', { output: '1\n', samples: { fields: ['t', 'total', 'bytes.string'],
    rows: [[0, 10, 3], [1, 20, 4]] }, events: [{ kind: 'cycle', t: 1 }, { kind: 'step' }] });
  // A late message of the warm-up is stale.
  answer('slice', { output: 'stale\n' }, last().seq - 1);
  answer('done', { status: 'finished', elapsedMs: 5, instructions: 10, summary: summary(20) });
  assert.deepEqual(last().payload.gc, inc(400));
  answer('done', { status: 'error', output: '1\n', elapsedMs: 6, error: { message: 'boom' },
    summary: summary(30) });
  const rows = await done;
  assert.deepEqual(rows.map((r) => [r.status, r.peakBytes, r.elapsedMs]),
    [['finished', 20, 5], ['error', 30, 6]]);
  const [first, second] = runner.runs;
  assert.equal(first.output, '1\n');
  assert.equal(first.series.length, 2);
  assert.deepEqual([...first.series.columns.keys()], ['t', 'total'], 'unneeded columns dropped');
  assert.equal(first.cycles.length, 1);
  assert.equal(second.error.message, 'boom');
  // The next comparison on the same worker needs no warm-up.
  runner.compare([gen, inc(100)], 'print(2)');
  assert.equal(last().payload.source, 'print(2)');
  assert.equal(sent.filter((m) => m.payload?.source === WARMUP_SOURCE).length, 1);
});

test('Stop ends the current run and skips the rest; a new comparison can follow', async () => {
  const { runner, sent, last, answer, summary } = scriptedRunner();
  const done = runner.compare([inc(100), inc(400), gen], 'while true do end');
  answer('done', { status: 'finished' });  // warm-up
  answer('slice', { instructions: 5000, elapsedMs: 3 });
  runner.stop();
  runner.stop();  // a second press sends nothing more
  assert.deepEqual(sent.filter((m) => m.type === 'stop').map((m) => m.seq), [last().seq - 0]);
  answer('done', { status: 'stopped', instructions: 6000, summary: summary(1) },
    sent.find((m) => m.type === 'stop').seq);
  const rows = await done;
  assert.deepEqual(rows.map((r) => r.status), ['stopped', 'stopped', 'stopped']);
  assert.equal(rows[0].instructions, 10);
  assert.equal(rows[1].instructions, null);
  assert.equal(runner.running, false);
  assert.equal(sent.filter((m) => m.type === 'run').length, 2, 'runs 2 and 3 never started');
});

test('extra run options reach every compared run, not the warm-up', () => {
  const { runner, sent, answer } = scriptedRunner();
  runner.compare([inc(100), gen], 'x', { shim: 'ngx', gc: 'ignored' });
  answer('done', { status: 'finished' });  // warm-up
  answer('done', { status: 'finished' });
  const runs = sent.filter((m) => m.type === 'run');
  assert.equal(runs[0].payload.shim, undefined);
  assert.equal(runs[1].payload.shim, 'ngx');
  assert.equal(runs[2].payload.shim, 'ngx');
  assert.deepEqual(runs[1].payload.gc, inc(100), 'the setting wins over the extras');
});

test('Skip stops only the current run; the comparison goes on with the next', async () => {
  const { runner, sent, last, answer } = scriptedRunner();
  const done = runner.compare([inc(100), inc(400)], 'while true do end');
  runner.skip();  // the warm-up cannot be skipped
  assert.equal(sent.filter((m) => m.type === 'stop').length, 0);
  answer('done', { status: 'finished' });  // warm-up
  runner.skip();
  runner.skip();  // once per run
  const stops = sent.filter((m) => m.type === 'stop');
  assert.deepEqual(stops.map((m) => m.seq), [last().seq]);
  answer('done', { status: 'stopped' });
  assert.deepEqual(last().payload.gc, inc(400), 'the next setting runs');
  answer('done', { status: 'finished' });
  assert.deepEqual((await done).map((r) => r.status), ['stopped', 'finished']);
});

test('a new comparison stops the one in progress, which resolves with what it had', async () => {
  const { runner, last, answer } = scriptedRunner();
  const first = runner.compare([inc(100), gen], 'x');
  answer('done', { status: 'finished' });  // warm-up
  const stopSeq = last().seq;
  const second = runner.compare([gen, inc(100)], 'y');
  assert.deepEqual((await first).map((r) => r.status), ['stopped', 'stopped']);
  // The first comparison's late `done` does not end a run of the second.
  answer('done', { status: 'stopped' }, stopSeq);
  assert.equal(runner.runs[0].status, 'running');
  assert.equal(last().payload.source, 'y');
  answer('done', { status: 'finished' });
  answer('done', { status: 'finished' });
  assert.deepEqual((await second).map((r) => r.status), ['finished', 'finished']);
});

test('a worker lost during a run ends that run in an error and the comparison goes on', async () => {
  const { runner, last, answer, handlers } = scriptedRunner();
  const done = runner.compare([inc(100), gen], 'x');
  answer('done', { status: 'finished' });  // warm-up
  handlers().restart('hang', last().seq);
  // A new worker: warmed up again before the next run.
  assert.equal(last().payload.source, WARMUP_SOURCE);
  answer('done', { status: 'finished' });
  assert.deepEqual(last().payload.gc, gen);
  answer('done', { status: 'finished' });
  const rows = await done;
  assert.deepEqual(rows.map((r) => r.status), ['error', 'finished']);
  assert.match(runner.runs[0].error.message, /stopped answering/);
});

test('share links carry the compared settings; old links still decode', async () => {
  const source = 'print("compare me")\n';
  const compare = [inc(100), inc(400), gen];
  // Field by field: other optional fields may ride along in the same link.
  const decoded = await decodeShare(await encodeShare({ source, gc: gen, compare }));
  assert.equal(decoded.source, source);
  assert.deepEqual(decoded.gc, gen);
  assert.deepEqual(decoded.compare, compare);
  // A link made before the Compare view (no `compare`) decodes as it did.
  const plain = await decodeShare(await encodeShare({ source, gc: gen }));
  assert.equal(plain.source, source);
  assert.deepEqual(plain.gc, gen);
  assert.equal('compare' in plain, false);
});

test('share links with bad compared settings are refused with a ShareError', async () => {
  const encode = async (data) => {
    const stream = new Blob([JSON.stringify(data)]).stream()
      .pipeThrough(new CompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    return `#v1.${Buffer.from(bytes).toString('base64url')}`;
  };
  const base = { source: 'print(1)', gc: gen };
  for (const [compare, why] of [
    [[gen], /compared settings are invalid: 1 setting to compare/],
    [[gen, gen, gen, gen, gen], /5 settings/],
    [{ mode: 'incremental' }, /not a list/],
    [[gen, { mode: 'incremental', params: { pause: -5 } }], /setting 2: parameter pause/],
    [[gen, { mode: 'tracing' }], /setting 2: unknown collector mode/],
  ]) {
    await assert.rejects(decodeShare(await encode({ ...base, compare })),
      (err) => err instanceof ShareError && why.test(err.message), JSON.stringify(compare));
  }
});
