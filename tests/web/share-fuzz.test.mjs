// share-fuzz.test.mjs - property tests of the share-link decoder with random inputs (issue 15,
// item 1e). The decoder's contract (share.js): given any string it either returns a payload that
// is safe to use (a string source, a known collector mode with every parameter an integer in
// its range, a known server, 2 to 4 valid compared settings) or throws ShareError; never another
// exception, never a hang. And what encodeShare writes, decodeShare reads back exactly.
//
// The inputs come from a seeded generator, so a failure names the seed and case that reproduce
// it. LUNETTE_SHARE_FUZZ_CASES (default 1500 per property) sets how many cases run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import './node-compat.mjs';
import { deflateRawSync } from 'node:zlib';
import { GC_MODES } from '../../web/src/gc-config.js';
import { SERVERS } from '../../web/src/server.js';
import { decodeShare, encodeShare, PREFIX, ShareError } from '../../web/src/share.js';

const CASES = Number(process.env.LUNETTE_SHARE_FUZZ_CASES) || 1500;
const SEED = 0x5eed;

// xorshift32: small, deterministic, good enough to spread inputs.
function generator(seed) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  return { next, int, pick };
}

const ALPHABET = 'abcxyz019 \n\t()[]{}=.,;:"\'\\-+*/%#~<>éλ😀\u0000\u2028';

function randomText(g, maxLength) {
  let s = '';
  const n = g.int(maxLength + 1);
  for (let i = 0; i < n; i++) s += g.pick([...ALPHABET]);
  return s;
}

// A value of any JSON shape, with the numbers a hostile link would try.
function randomJson(g, depth = 0) {
  const kinds = depth > 3 ? 5 : 7;
  switch (g.int(kinds)) {
    case 0: return null;
    case 1: return g.next() < 0.5;
    case 2: return g.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53, 13, 200, 1000, 1001, -0]);
    case 3: return randomText(g, 12);
    case 4: return g.pick(['incremental', 'generational', 'luajit', 'ngx', 'skynet', 'none', '']);
    case 5: return Array.from({ length: g.int(5) }, () => randomJson(g, depth + 1));
    default: {
      const o = {};
      const keys = ['mode', 'params', 'pause', 'stepmul', 'stepsize', 'minormul', 'majormul',
        'source', 'gc', 'server', 'compare', '__proto__', 'constructor'];
      for (let i = g.int(5); i > 0; i--) o[g.pick(keys)] = randomJson(g, depth + 1);
      return o;
    }
  }
}

// A payload in the shape share links carry, each field right or wrong at random.
function randomPayload(g) {
  const data = {};
  if (g.next() < 0.9) data.source = g.next() < 0.8 ? randomText(g, 200) : randomJson(g);
  if (g.next() < 0.9) {
    data.gc = g.next() < 0.6
      ? { mode: g.pick(Object.keys(GC_MODES)), params: randomJson(g) }
      : randomJson(g);
  }
  if (g.next() < 0.3) data.server = randomJson(g);
  if (g.next() < 0.3) {
    data.compare = Array.from({ length: g.int(6) },
      () => ({ mode: g.pick([...Object.keys(GC_MODES), 'x']), params: randomJson(g) }));
  }
  return data;
}

const toBase64Url = (bytes) => Buffer.from(bytes).toString('base64url');
const fragmentOf = (json) => PREFIX + toBase64Url(deflateRawSync(Buffer.from(json, 'utf8')));

function assertSafeSettings(gc) {
  assert.ok(Object.hasOwn(GC_MODES, gc.mode), `mode ${gc.mode}`);
  const specs = GC_MODES[gc.mode].params;
  assert.deepEqual(Object.keys(gc.params).sort(), Object.keys(specs).sort());
  for (const [name, spec] of Object.entries(specs)) {
    const v = gc.params[name];
    assert.ok(Number.isInteger(v) && v >= spec.min && v <= spec.max, `${name} = ${v}`);
  }
}

// The contract for one input: a safe payload, or ShareError. Returns which it was.
async function decodeSafely(fragment, label) {
  let result;
  try {
    result = await decodeShare(fragment);
  } catch (err) {
    assert.ok(err instanceof ShareError, `${label}: threw ${err?.constructor?.name}: ${err?.message}`);
    assert.ok(typeof err.message === 'string' && err.message.length > 0, `${label}: empty message`);
    return 'refused';
  }
  assert.equal(typeof result.source, 'string', label);
  assertSafeSettings(result.gc);
  assert.ok(SERVERS.includes(result.server), `${label}: server ${result.server}`);
  if (result.compare !== undefined) {
    assert.ok(result.compare.length >= 2 && result.compare.length <= 4, label);
    for (const setting of result.compare) assertSafeSettings(setting);
  }
  return 'accepted';
}

test('random payloads, validly compressed, decode to safe settings or a ShareError', async () => {
  const g = generator(SEED);
  const seen = { accepted: 0, refused: 0 };
  for (let i = 0; i < CASES; i++) {
    const json = g.next() < 0.9 ? JSON.stringify(randomPayload(g)) : randomText(g, 40);
    seen[await decodeSafely(fragmentOf(json), `seed ${SEED} case ${i}: ${json.slice(0, 200)}`)]++;
  }
  // Both outcomes must occur, or the generator tests only one side of the contract.
  assert.ok(seen.accepted > CASES / 20 && seen.refused > CASES / 20, JSON.stringify(seen));
});

test('truncated and mutated links decode to safe settings or a ShareError', async () => {
  const g = generator(SEED + 1);
  for (let i = 0; i < CASES; i++) {
    const gc = { mode: g.pick(Object.keys(GC_MODES)), params: {} };
    const valid = await encodeShare({ source: randomText(g, 300), gc, server: g.pick(SERVERS) });
    let fragment;
    switch (g.int(4)) {
      case 0: fragment = valid.slice(0, g.int(valid.length + 1)); break;
      case 1: {  // one base64url character replaced
        const at = PREFIX.length + g.int(valid.length - PREFIX.length);
        fragment = valid.slice(0, at) +
          g.pick([...'AZaz09-_']) + valid.slice(at + 1);
        break;
      }
      case 2: fragment = valid + g.pick(['', 'A', '==', '%20', '.', 'AAAA']); break;
      default: fragment = g.pick(['#v1.', '#v2.abc', '#v1', '#', '', '#v1.' + randomText(g, 30)]);
    }
    await decodeSafely(fragment, `seed ${SEED + 1} case ${i}: ${fragment.slice(0, 120)}`);
  }
});

test('what encodeShare writes, decodeShare reads back exactly', async () => {
  const g = generator(SEED + 2);
  for (let i = 0; i < CASES / 3; i++) {
    const mode = g.pick(Object.keys(GC_MODES));
    const params = {};
    for (const [name, spec] of Object.entries(GC_MODES[mode].params)) {
      params[name] = spec.min + g.int(spec.max - spec.min + 1);
    }
    const source = randomText(g, 2000);
    const server = g.pick(SERVERS);
    const back = await decodeShare(await encodeShare({ source, gc: { mode, params }, server }));
    assert.equal(back.source, source, `case ${i}`);
    assert.deepEqual(back.gc, { mode, params }, `case ${i}`);
    assert.equal(back.server, server, `case ${i}`);
  }
});

test('a decompression bomb is refused without inflating all of it', async () => {
  // 64 MB of one byte compresses to about 64 KB: under the fragment limit, far over the source's.
  const bomb = PREFIX + toBase64Url(deflateRawSync(Buffer.alloc(32 * 1024 * 1024, 0x20)));
  assert.ok(bomb.length < 64 * 1024, `bomb is ${bomb.length} characters`);
  await assert.rejects(decodeShare(bomb), ShareError);
});
