// recording-units.test.mjs - the page's recording under plain Node (no browser): samples stored
// column-wise and replaced, output marks, coroutine transitions, the cursor's moment, the
// worker's byte-to-character mark conversion, and the store's automation view of a cursor.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CoroutineHistory, OutputMarks, SampleSeries, axisRange, reconcileWithCounts, recordAt,
  resolveMoment, xAtFraction,
} from '../../web/src/recording.js';
import { Utf8Offsets, incompleteTail } from '../../web/src/utf8-offsets.js';

globalThis.requestAnimationFrame ??= (fn) => setTimeout(fn, 0);
const { createStore, COROUTINE_CAP } = await import('../../web/src/state.js');
const { cycleLines, decimate } = await import('../../web/src/charts.js');

const birth = (id, instr) => ({ kind: 'coroutine', id, from: 'suspended', to: 'suspended',
  created: true, instr });
const FIELDS = ['t', 'instr', 'allocated', 'total', 'threshold', 'phase', 'co.suspended',
  'co.collected', 'line', 'cycle', 'reason'];
const row = (i, extra = {}) => {
  const r = { t: i, instr: i * 100, allocated: i * 1000, total: 5000 + i, threshold: 9000,
    phase: i % 2, 'co.suspended': i, 'co.collected': 0, line: 10 + (i % 3), cycle: 0, reason: 6,
    ...extra };
  return FIELDS.map((f) => r[f]);
};

test('samples grow column-wise past their first capacity and keep every row below the cap', () => {
  const s = new SampleSeries(1000, 16);
  s.append({ fields: FIELDS, rows: Array.from({ length: 700 }, (_, i) => row(i)) });
  assert.equal(s.length, 700);
  assert.ok(s.get('t') instanceof Float64Array);
  assert.equal(s.get('t')[699], 699);
  assert.equal(s.get('line')[5], 12);
});

test('a replace batch replaces the whole recording; a plain one appends', () => {
  const s = new SampleSeries();
  s.append({ fields: FIELDS, rows: [row(0), row(1), row(2)] });
  s.append({ fields: FIELDS, rows: [row(3)] });
  assert.equal(s.length, 4);
  s.append({ fields: FIELDS, rows: [row(0), row(2), row(3)], replace: true });
  assert.deepEqual([...s.get('t').subarray(0, s.length)], [0, 2, 3]);
  s.append({ fields: FIELDS, rows: [row(4)] });
  assert.deepEqual([...s.get('t').subarray(0, s.length)], [0, 2, 3, 4]);
});

test('past the cap the older half thins but phase changes and cycle ends stay', () => {
  const s = new SampleSeries(64, 64);
  const reasonOf = (i) => (i === 13 ? 3 : i === 21 ? 2 : 6);  // a cycle end, a phase change
  const rows = Array.from({ length: 65 }, (_, i) => row(i, { reason: reasonOf(i) }));
  s.append({ fields: FIELDS, rows });
  assert.ok(s.length < 64);
  const t = [...s.get('t').subarray(0, s.length)];
  assert.ok(t.includes(13) && t.includes(21), 'cycle end and phase change kept');
  assert.equal(t[t.length - 1], 64);
  for (let i = 1; i < t.length; i++) assert.ok(t[i] > t[i - 1]);
});

test('rows are found by any x column, before and after', () => {
  const s = new SampleSeries();
  s.append({ fields: FIELDS, rows: [row(0), row(2), row(4), row(6)] });
  assert.equal(s.indexAtOrBefore('instr', 450), 2);
  assert.equal(s.indexAtOrBefore('instr', -5), 0);
  assert.equal(s.indexAtOrAfter('allocated', 2500), 2);
  assert.equal(s.indexAtOrAfter('allocated', 1e9), 3);
});

test('the cursor resolves to the last sample at or before its x, on each axis', () => {
  const s = new SampleSeries();
  s.append({ fields: FIELDS, rows: [row(2), row(4), row(6), row(10)] });
  assert.deepEqual(axisRange(s, 'time').min, 0, 'time starts at 0');
  assert.equal(axisRange(s, 'bytes').min, 2000, 'other axes start at the first sample');
  const x = xAtFraction(s, 'time', 0.5);  // 5 ms
  const m = resolveMoment(s, { axis: 'time', x });
  assert.deepEqual([m.row, m.t, m.instr, m.line, m.phaseName, m.fraction], [1, 4, 400, 11,
    'pause', 0.5]);
  assert.equal(m.coroutines.suspended, 4);
  const onBytes = resolveMoment(s, { axis: 'bytes', x: xAtFraction(s, 'bytes', 1) });
  assert.equal(onBytes.row, 3);
  assert.equal(resolveMoment(new SampleSeries(), { axis: 'time', x: 1 }), null);
});

test('output marks give the text printed by a moment, never text printed later', () => {
  const marks = new OutputMarks();
  marks.add(100, 6);
  marks.add(250, 12);
  marks.add(250, 14);  // same instruction: the later offset wins
  marks.add(900, 20);
  assert.equal(marks.charsAt(50), 0);
  assert.equal(marks.charsAt(100), 6);
  assert.equal(marks.charsAt(899), 14);
  assert.equal(marks.charsAt(5000), 20);
  const small = new OutputMarks(8);
  for (let i = 1; i <= 40; i++) small.add(i * 10, i);
  assert.ok(small.length <= 8);
  assert.equal(small.charsAt(400), 40, 'the newest mark survives thinning');
  for (let i = 1; i <= 40; i++) assert.ok(small.charsAt(i * 10) <= i, `no text early at ${i}`);
});

test('a coroutine is absent before its birth and shows its status of the moment after', () => {
  const h = new CoroutineHistory();
  h.add(birth(7, 500));
  h.add({ kind: 'coroutine', id: 7, from: 'suspended', to: 'running', created: false, instr: 600 });
  h.add({ kind: 'coroutine', id: 7, from: 'running', to: 'dead', created: false, instr: 700 });
  h.add({ kind: 'coroutine', id: 7, from: 'dead', to: 'collected', created: false, instr: 900 });
  const rec = { id: 7, status: 'dead', collected: true, createdMs: 5, collectedMs: 9,
    lastResumeMs: 6, error: 'boom' };
  assert.equal(recordAt(rec, h, { instr: 499, t: 4 }), null);
  assert.deepEqual(pick(recordAt(rec, h, { instr: 550, t: 5.5 })), ['suspended', false]);
  assert.equal(recordAt(rec, h, { instr: 550, t: 5.5 }).lastResumeMs, null, 'not resumed yet');
  assert.deepEqual(pick(recordAt(rec, h, { instr: 650, t: 6.5 })), ['running', false]);
  assert.deepEqual(pick(recordAt(rec, h, { instr: 800, t: 8 })), ['dead', false]);
  assert.equal(recordAt(rec, h, { instr: 800, t: 8 }).error, 'boom');
  assert.deepEqual(pick(recordAt(rec, h, { instr: 950, t: 9.5 })), ['dead', true]);
  // Without transitions, the record's own times decide.
  const other = { id: 8, status: 'suspended', collected: true, createdMs: 3, collectedMs: 9 };
  assert.equal(recordAt(other, h, { instr: 0, t: 2 }), null);
  assert.deepEqual(pick(recordAt(other, h, { instr: 0, t: 5 })), ['suspended', false]);
  assert.deepEqual(pick(recordAt(other, h, { instr: 0, t: 9 })), ['suspended', true]);
});

function pick(r) {
  return [r.status, r.collected];
}

test('birth and collection come from the record when their events were left out', () => {
  // The VM rate-limits births and collections like switches: coroutine 9's only recorded
  // transition is a resume; its record dates its birth and collection by instruction count.
  const h = new CoroutineHistory();
  h.add({ kind: 'coroutine', id: 9, from: 'suspended', to: 'running', instr: 600, skipped: 40 });
  h.add({ kind: 'coroutine', id: 9, from: 'running', to: 'suspended', instr: 700 });
  const rec = { id: 9, status: 'suspended', collected: true, createdMs: 5, createdInstr: 500,
    collectedMs: 9, collectedInstr: 900 };
  assert.equal(recordAt(rec, h, { instr: 499, t: 5 }), null, 'not born yet');
  assert.deepEqual(pick(recordAt(rec, h, { instr: 550, t: 5 })), ['suspended', false]);
  assert.deepEqual(pick(recordAt(rec, h, { instr: 650, t: 6 })), ['running', false]);
  assert.deepEqual(pick(recordAt(rec, h, { instr: 899, t: 9 })), ['suspended', false],
    'the collection time is shared with earlier moments: the instruction count decides');
  assert.deepEqual(pick(recordAt(rec, h, { instr: 900, t: 9 })), ['suspended', true]);
});

test('a running status left over by a skipped yield gives way to the exact counts', () => {
  const h = new CoroutineHistory();
  for (const id of [1, 2, 3]) {
    h.add({ kind: 'coroutine', id, from: 'suspended', to: 'suspended', created: true, instr: id });
    h.add({ kind: 'coroutine', id, from: 'suspended', to: 'running', instr: 10 * id });
  }
  const records = [1, 2, 3].map((id) => ({ id, status: 'running', collected: false }));
  reconcileWithCounts(records, h, { instr: 100, coroutines: { running: 1, normal: 0 } });
  assert.deepEqual(records.map((r) => r.status), ['suspended', 'suspended', 'running']);
});

test('byte marks become offsets of the decoded text, characters split across drains included',
  () => {
    const offsets = new Utf8Offsets();
    const decoder = new TextDecoder();
    const bytes = new TextEncoder().encode('aé🌙\nb');  // 1 + 2 + 4 + 1 + 1 bytes
    const first = bytes.slice(0, 5);   // 'a', 'é', and 2 bytes of the moon
    const second = bytes.slice(5);
    assert.equal(incompleteTail(first), 2);
    const text1 = decoder.decode(first, { stream: true });
    const marks1 = offsets.convert(first, [[10, 1], [20, 3], [30, 5]], false);
    assert.equal(text1, 'aé');
    assert.deepEqual(marks1, [[10, 1], [20, 2], [30, 2]]);
    const text2 = decoder.decode(second, { stream: false });
    const marks2 = offsets.convert(second, [[40, 2], [50, 4]], true);
    assert.equal(text2, '🌙\nb');
    assert.deepEqual(marks2, [[40, 2], [50, 4]]);
    assert.equal(text2.slice(0, marks2[0][1]), '🌙');
  });

test('decimation by x keeps a spike in a sparse stretch and spans the whole run', () => {
  // Dense recent rows, sparse old ones (as a thinned recording is).
  const xs = Float64Array.from([...Array.from({ length: 50 }, (_, i) => i * 100),
    ...Array.from({ length: 20000 }, (_, i) => 5000 + i * 0.25)]);
  const ys = Float64Array.from(xs, (x, i) => (i === 17 ? 1e9 : x % 7));
  const idx = decimate(ys, xs.length, 400, xs);
  assert.ok(idx.length <= 400, `${idx.length} points`);
  assert.ok(idx.includes(17), 'the spike survives');
  assert.equal(idx[0], 0);
  assert.equal(idx[idx.length - 1], xs.length - 1);
  for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1]);
});

test('the store: seek, the cursor snapshot, output and coroutines as of the moment, live again',
  () => {
    const store = createStore();
    const seq = store.beginRun();
    store.applySlice(seq, {
      output: 'one\n', outputMarks: [[150, 4]], instructions: 300,
      samples: { fields: FIELDS, rows: [row(0), row(1), row(2), row(3)] },
      events: [{ kind: 'coroutine', id: 1, from: 'suspended', to: 'suspended', created: true,
        t: 2, instr: 200 }],
      coroutines: [{ id: 1, status: 'suspended', createdMs: 2, collected: false }],
    });
    store.applyDone(seq, {
      status: 'finished', output: 'two\n', outputMarks: [[450, 4]], instructions: 500,
      samples: { fields: FIELDS, rows: [row(4), row(5, { reason: 8 })] }, events: [],
      coroutines: [],
    });
    const { state } = store;
    assert.equal(store.snapshot().samples, 6);
    assert.equal(store.snapshot().cursor, null);
    assert.ok(store.seek(0.3));  // t 1.5 -> row 1 (t 1, instr 100)
    const c = store.snapshot().cursor;
    assert.deepEqual([c.fraction, c.ms, c.line, c.phase, c.coroutines.suspended],
      [0.3, 1, 11, 'propagate', 1]);
    assert.equal(store.outputAtCursor().text, '');
    assert.deepEqual(store.coroutineRecords(), [], 'coroutine 1 is born at instr 200');
    store.seek(0.6);  // t 3 -> instr 300
    assert.equal(store.outputAtCursor().text, 'one\n');
    assert.equal(store.coroutineRecords().length, 1);
    store.seek(1);
    assert.equal(store.outputAtCursor().text, 'one\ntwo\n');
    assert.equal(store.snapshot().cursor.reason, 'end');
    // Another axis keeps the moment.
    store.seek(0.6);
    store.setView({ xAxis: 'instr' });
    assert.equal(store.snapshot().cursor.ms, 3);
    assert.equal(store.snapshot().cursor.axis, 'instr');
    store.stepCursor(-1);
    assert.equal(store.snapshot().cursor.ms, 2, 'a step back is at least one row');
    store.live();
    assert.equal(store.snapshot().cursor, null);
    assert.equal(state.moment, null);
    store.seek(0.5);
    store.beginRun();
    assert.equal(store.snapshot().cursor, null, 'a new run is live');
  });

test('the registry the page keeps is capped: a run making many coroutines keeps the newest',
  () => {
    const store = createStore();
    const seq = store.beginRun();
    for (let batch = 0; batch < 20; batch++) {
      const coroutines = Array.from({ length: 1000 }, (_, k) => ({ id: batch * 1000 + k + 1,
        status: 'dead', collected: true }));
      store.applySlice(seq, { coroutines, samples: { fields: ['t'], rows: [[batch]] } });
    }
    const ids = [...store.state.coroutines.keys()];
    assert.equal(ids.length, COROUTINE_CAP);
    assert.equal(Math.max(...ids), 20_000);
    assert.equal(Math.min(...ids), 20_000 - COROUTINE_CAP + 1);
  });

test('coroutine transitions are capped per coroutine and in all, oldest coroutines first', () => {
  const h = new CoroutineHistory(100, 500);
  for (let id = 1; id <= 300; id++) {
    h.add({ kind: 'coroutine', id, from: 'suspended', to: 'suspended', created: true, instr: id });
    h.add({ kind: 'coroutine', id, from: 'suspended', to: 'dead', instr: id + 0.5 });
  }
  assert.ok(h.byId.size <= 100 && h.total <= 500);
  assert.equal(h.statusAt(300, 1000), 'dead');
  assert.equal(h.statusAt(1, 1000), undefined, 'the oldest was forgotten');
  const busy = new CoroutineHistory();
  busy.add(birth(1, 0));
  for (let k = 1; k <= 10_000; k++) {
    const to = k % 2 ? 'running' : 'suspended';
    busy.add({ kind: 'coroutine', id: 1, from: 'x', to, instr: k });
  }
  assert.ok(busy.total <= 4096, `${busy.total} transitions kept`);
  assert.equal(busy.statusAt(1, 10_000), 'suspended');
  assert.equal(busy.statusAt(1, -1), null, 'not born yet: the birth is kept');
});

test('the longest pause at the end of a run is the run summary\'s when no cycle event had it',
  () => {
    const store = createStore();
    const seq = store.beginRun();
    store.applySlice(seq, {
      output: '', instructions: 100, samples: { fields: FIELDS, rows: [row(0)] },
      events: [{ kind: 'cycle', t: 0, instr: 50, longestStepNs: 200000 }], coroutines: [],
    });
    assert.equal(store.state.longestPauseNs, 200000);
    store.applyDone(seq, {
      status: 'finished', output: '', instructions: 200, samples: { fields: FIELDS, rows: [] },
      events: [], coroutines: [], summary: { longestStepMs: 0.75, steps: 40 },
    });
    assert.equal(store.state.longestPauseNs, 750000, 'a step of a cycle whose event was dropped');
  });

test('a cycle\'s tooltip gives its longest step and how many steps it took', () => {
  const lines = cycleLines({ kind: 'cycle', t: 12, longestStepNs: 250000, steps: 37 });
  assert.ok(lines.some((line) => /^longest step .+ of 37 steps$/.test(line)), lines.join(' | '));
  const one = cycleLines({ kind: 'cycle', t: 12, longestStepNs: 250000, steps: 1 });
  assert.ok(one.some((line) => / of 1 step$/.test(line)), one.join(' | '));
});

test('a coroutine born at the sample\'s own instruction but after it was taken is left out',
  () => {
    const h = new CoroutineHistory();
    const records = [1, 2, 3].map((id) => ({ id, status: 'suspended', collected: false,
      createdInstr: id === 3 ? 100 : id }));
    const counts = { suspended: 2, running: 0, normal: 0, dead: 0, collected: 0 };
    const shown = reconcileWithCounts(records, h, { instr: 100, coroutines: counts });
    assert.deepEqual(shown.map((r) => r.id), [1, 2]);
    const counted = reconcileWithCounts(records, h,
      { instr: 100, coroutines: { ...counts, suspended: 3 } });
    assert.deepEqual(counted.map((r) => r.id), [1, 2, 3], 'one the sample counted stays');
  });
