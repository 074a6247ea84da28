// units.test.mjs - the playground's pure modules under plain Node (no browser): example headers,
// share-link encoding, GC settings validation, sample storage, chart decimation and ticks, and
// the worker-message check.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import './node-compat.mjs';
import { parseExample } from '../../web/src/example-header.js';
import { defaultParams, normalizeGc } from '../../web/src/gc-config.js';
import { decodeShare, encodeShare, MAX_FRAGMENT, ShareError } from '../../web/src/share.js';
import { errorRecord, SampleSeries } from '../../web/src/state.js';
import { axisRange, hasVirtualTime } from '../../web/src/recording.js';
import { normalizeServer, shimOf } from '../../web/src/server.js';
import { waitingText } from '../../web/src/coroutine-table.js';
import { validMessage } from '../../web/src/worker-client.js';
import { formatBytes, formatMs } from '../../web/src/format.js';
import { censusRows } from '../../web/src/heap-panels.js';

globalThis.requestAnimationFrame ??= (fn) => setTimeout(fn, 0);
const { decimate, niceByteStep } = await import('../../web/src/charts.js');

test('example headers read a labelled title and description', () => {
  const text = '-- Title: Weak tables\n-- Description: Keys vanish.\nprint(1)\n';
  const ex = parseExample('weak.lua', text);
  assert.deepEqual(ex, { title: 'Weak tables', description: 'Keys vanish.', server: 'none',
    stepping: false });
});

test('example headers read plain first comment lines', () => {
  const text = '-- Hello from Lunette: a tour.\n-- Watch: the output.\n\nlocal x\n';
  const ex = parseExample('hello.lua', text);
  assert.deepEqual(ex, { title: 'Hello from Lunette: a tour.', description: 'Watch: the output.',
    server: 'none', stepping: false });
});

test('example headers fall back to the file name and skip a shebang', () => {
  assert.deepEqual(parseExample('leak_closures.lua', 'print(1)\n'),
    { title: 'leak closures', description: '', server: 'none', stepping: false });
  assert.deepEqual(parseExample('a.lua', '#!/usr/bin/lua\n-- Title\nprint(1)\n'),
    { title: 'Title', description: '', server: 'none', stepping: false });
});

test('an example header marks a Stepping example on a line of its own', () => {
  const text = '-- Title: Colours\n-- Stepping: yes\n-- Press GC step.\nlocal t = {}\n';
  assert.deepEqual(parseExample('c.lua', text),
    { title: 'Colours', description: 'Press GC step.', server: 'none', stepping: true });
  assert.equal(parseExample('d.lua', '-- Title: T\n-- Stepping: no\n').stepping, false);
});

test('an example header names its server on a Server line, which is not its description', () => {
  const text = '-- Title: Parked\n-- Server: ngx\n-- Handlers park.\n-- Watch: x\nngx.sleep(1)\n';
  assert.deepEqual(parseExample('p.lua', text),
    { title: 'Parked', description: 'Handlers park.', server: 'ngx', stepping: false });
  const late = '-- Title: T\n-- D\n-- Watch: w\n-- Server: skynet\nlocal x\n-- Server: ngx\n';
  assert.equal(parseExample('s.lua', late).server, 'skynet', 'only the leading comments count');
  assert.equal(parseExample('a.lua', '-- Title: T\n-- Server: apache\n').server, 'none');
});

test('share links round-trip the script and GC settings exactly', async () => {
  const source = 'print("héllo 🌙")\n\t-- <b>x</b> & "y"\n'.repeat(50);
  const gc = { mode: 'luajit', params: { pause: 150, stepmul: 300 } };
  const fragment = await encodeShare({ source, gc });
  assert.match(fragment, /^#v1\.[A-Za-z0-9_-]+$/);
  assert.ok(fragment.length < source.length, 'compressed');
  assert.deepEqual(await decodeShare(fragment), { source, gc, server: 'none' });
});

// A v1 payload built by hand, as an older page (or a hostile one) would write it.
async function handMadeLink(data) {
  const json = JSON.stringify(data);
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return `#v1.${Buffer.from(bytes).toString('base64url')}`;
}

async function linkData(fragment) {
  const bytes = Buffer.from(fragment.slice(4), 'base64url');
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return JSON.parse(await new Response(stream).text());
}

test('share links carry the server when one is set, and links without one still open', async () => {
  const gc = { mode: 'incremental', params: { pause: 200, stepmul: 100, stepsize: 13 } };
  const withServer = await encodeShare({ source: 'ngx.sleep(1)', gc, server: 'skynet' });
  assert.deepEqual(await decodeShare(withServer), { source: 'ngx.sleep(1)', gc, server: 'skynet' });
  assert.equal((await linkData(withServer)).server, 'skynet');
  // No server: the payload is exactly what pages before the Server selector wrote.
  const plain = await encodeShare({ source: 'print(1)', gc, server: 'none' });
  assert.deepEqual(Object.keys(await linkData(plain)), ['source', 'gc']);
  const old = await handMadeLink({ source: 'print(2)', gc });
  assert.deepEqual(await decodeShare(old), { source: 'print(2)', gc, server: 'none' });
});

test('share links with an unknown server are refused with a ShareError', async () => {
  const bad = await handMadeLink({ source: 'x', gc: { mode: 'incremental', params: {} }, server: 'apache' });
  await assert.rejects(decodeShare(bad),
    (err) => err instanceof ShareError && /server setting is invalid/.test(err.message));
  const notText = await handMadeLink({ source: 'x', gc: { mode: 'incremental', params: {} }, server: 7 });
  await assert.rejects(decodeShare(notText), ShareError);
});

test('the virtual-time axis runs from 0 and exists only for runs with a virtual clock', () => {
  const s = new SampleSeries(1000, 16);
  s.append({ fields: ['t', 'instr', 'total', 'vtime'], rows: [[1, 10, 5, 0], [2, 20, 6, 2.5],
    [3, 30, 7, 2.5], [4, 40, 8, 60]] });
  assert.ok(hasVirtualTime(s));
  assert.deepEqual({ min: axisRange(s, 'vtime').min, max: axisRange(s, 'vtime').max }, { min: 0, max: 60 });
  assert.equal(s.indexAtOrBefore('vtime', 30), 2);
  const plain = new SampleSeries(1000, 16);
  plain.append({ fields: ['t', 'instr', 'total', 'vtime'], rows: [[1, 10, 5, null], [2, 20, 6, null]] });
  assert.equal(hasVirtualTime(plain), false);
  assert.equal(axisRange(plain, 'vtime'), null);
  assert.ok(axisRange(plain, 'time'));
});

test('the waiting-for column shows what a suspended coroutine waits for, "never" when stuck', () => {
  const ctx = { waiting: { 3: 'semaphore #1', 4: 'sleep until 12.000', 5: 'semaphore #2' },
    stuck: new Set([3]) };
  assert.equal(waitingText({ id: 3, status: 'suspended' }, ctx), 'semaphore #1 (never)');
  assert.equal(waitingText({ id: 4, status: 'suspended' }, ctx), 'sleep until 12.000');
  assert.equal(waitingText({ id: 5, status: 'dead' }, ctx), '', 'only a suspended one waits');
  assert.equal(waitingText({ id: 6, status: 'suspended' }, ctx), '');
  assert.equal(waitingText({ id: 3, status: 'suspended', collected: true }, ctx), '');
});

test('server settings are checked: known names pass, the rest is none or refused', () => {
  assert.equal(normalizeServer('ngx'), 'ngx');
  assert.equal(normalizeServer(undefined), 'none');
  assert.equal(normalizeServer('apache'), 'none');
  assert.throws(() => normalizeServer('apache', { strict: true }), /not a server/);
  assert.equal(shimOf('none'), '');
  assert.equal(shimOf('skynet'), 'skynet');
});

test('damaged, foreign and over-long share links are refused with a ShareError', async () => {
  const good = await encodeShare({ source: 'print(1)', gc: { mode: 'incremental', params: {} } });
  const cases = [
    [good.slice(0, -6), /damaged/],
    ['#v1.%%%', /characters/],
    ['#v1.', /damaged/],
    ['#v2.abcd', /format v2/],
    [`#v1.${'A'.repeat(MAX_FRAGMENT)}`, /too long/],
  ];
  for (const [hash, why] of cases) {
    const expected = (err) => err instanceof ShareError && why.test(err.message);
    await assert.rejects(decodeShare(hash), expected, hash.slice(0, 24));
  }
});

test('share links with invalid GC settings are refused, not repaired', async () => {
  // Builds a v1 payload by hand with an unknown mode.
  const json = JSON.stringify({ source: 'x', gc: { mode: 'turbo', params: {} } });
  const stream = new Blob([json]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  const b64 = Buffer.from(bytes).toString('base64url');
  await assert.rejects(decodeShare(`#v1.${b64}`), /GC settings are invalid/);
});

test('GC settings are normalised: defaults filled, values clamped, modes checked', () => {
  assert.deepEqual(normalizeGc({ mode: 'generational', params: { minormul: 500 } }),
    { mode: 'generational', params: { minormul: 100, majormul: 100 } });
  assert.deepEqual(normalizeGc(null),
    { mode: 'incremental', params: defaultParams('incremental') });
  assert.throws(() => normalizeGc({ mode: 'incremental', params: { pause: -1 } }, { strict: true }),
    /pause out of range/);
});

test('sample storage keeps its cap by thinning old rows and finds rows by time', () => {
  const s = new SampleSeries(8);
  for (let i = 0; i < 20; i++) s.append({ fields: ['t', 'total'], rows: [[i * 10, i]] });
  assert.equal(s.received, 20);
  assert.ok(s.length <= 8);
  const t = s.get('t');
  assert.equal(t[s.length - 1], 190, 'the newest row survives');
  for (let i = 1; i < s.length; i++) assert.ok(t[i] > t[i - 1], 'time stays ordered');
  assert.equal(t[s.indexAtTime(185)], 180);
});

test('a field that appears later reads NaN for earlier rows', () => {
  const s = new SampleSeries(16);
  s.append({ fields: ['t'], rows: [[1], [2]] });
  s.append({ fields: ['t', 'phase'], rows: [[3, 2]] });
  const phase = s.get('phase');
  assert.ok(Number.isNaN(phase[0]) && Number.isNaN(phase[1]));
  assert.equal(phase[2], 2);
});

test('decimation bounds the points and keeps the extremes and the last row', () => {
  const n = 100_000;
  const ys = Float64Array.from({ length: n }, (_, i) => (i === 4321 ? 1e9 : i % 1000));
  const idx = decimate(ys, n, 1000);
  assert.ok(idx.length <= 1000, `${idx.length} points`);
  assert.ok(idx.includes(4321), 'the spike survives');
  assert.equal(idx[idx.length - 1], n - 1);
  for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1]);
  assert.equal(decimate(ys, 10).length, 10);
});

test('byte axes step by round binary sizes', () => {
  assert.equal(niceByteStep(100 * 1024 * 1024, 4), 25 * 1024 * 1024);
  assert.equal(niceByteStep(3000, 4), 1024);
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatMs(2500), '2.50 s');
  assert.equal(formatMs(599_700), '10 min 0 s');
});

test('worker messages are validated at the boundary', () => {
  assert.ok(validMessage({ type: 'slice', seq: 3, payload: {} }));
  assert.ok(validMessage({ type: 'ready', seq: 0, payload: { version: '1' } }));
  assert.ok(!validMessage({ type: 'ready', payload: {} }), 'ready needs a version');
  assert.ok(!validMessage({ type: 'bogus', payload: {} }));
  assert.ok(!validMessage({ type: 'slice', seq: 'x', payload: {} }));
  assert.ok(!validMessage({ type: 'done', seq: 1, payload: [] }));
  assert.ok(!validMessage(null));
});

test('error records are typed by the worker and never read from their message', () => {
  const full = errorRecord({ kind: 'memory', message: 'not enough memory', line: 4,
    position: { chunk: 'main.lua', line: 4 }, traceback: 'stack traceback:' });
  assert.deepEqual(full, { kind: 'memory', message: 'not enough memory', line: 4, column: null,
    position: { chunk: 'main.lua', line: 4 }, traceback: 'stack traceback:' });
  // A message that names a line gives no line by itself: only the record's fields count.
  const bare = errorRecord({ kind: 'runtime', message: 'main.lua:12: boom', line: 0 });
  assert.equal(bare.line, null);
  assert.equal(bare.position, null);
  assert.equal(errorRecord({ kind: 'syntax', message: 'x', line: 2, column: 7 }).column, 7);
  // Unknown kinds and broken records are still records.
  assert.equal(errorRecord({ kind: 'cosmic', message: 'x' }).kind, 'internal');
  assert.equal(errorRecord(null).message, 'the run failed without a message');
  assert.equal(errorRecord({ position: { chunk: 1, line: 2 } }).position, null);
});

test('census rows key sites by line, function and kind, and show what changed', () => {
  const site = (line, kind, count, extra = {}) => ({ site: `main.lua:${line}`, chunk: 'main.lua',
    line, function: 'main chunk', kind, count, bytes: count * 10, ...extra });
  const first = { byType: { table: { count: 5, bytes: 50 } },
    bySite: [site(3, 'table', 4), site(3, 'thread', 1), site(9, 'string', 2)] };
  const second = { byType: { table: { count: 9, bytes: 90 } },
    bySite: [site(3, 'table', 8), site(3, 'thread', 1)], otherSites: { count: 3, bytes: 30 } };
  const rows = censusRows(second, first);
  const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
  assert.equal(byKey.table.dCount, 4);
  assert.deepEqual([byKey['main.lua:3|main chunk|table'].dCount,
    byKey['main.lua:3|main chunk|table'].line], [4, 3]);
  assert.equal(byKey['main.lua:3|main chunk|thread'].dCount, 0);
  assert.deepEqual([byKey['main.lua:9|main chunk|string'].count,
    byKey['main.lua:9|main chunk|string'].dBytes], [0, -20]);  // gone since
  assert.equal(byKey.other.count, 3);
  assert.equal(censusRows(first).every((r) => r.dCount === undefined), true);
});
