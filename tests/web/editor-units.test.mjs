// editor-units.test.mjs - the editor's Lua knowledge under plain Node: lua-docs.js against the
// real VM's library (nothing missing, nothing invented), and lua-language.js's completions,
// signature help and hovers computed from text, plus the share panel's embed snippet.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FILE_METHODS, LIBRARY, MODULES, OPTIONS, RECORDS } from '../../web/src/lua-docs.js';
import {
  completionsAt, hoverAt, namesInScope, openCallBefore, parameterOffsets, signatureAt,
  variableKinds,
} from '../../web/src/lua-language.js';
import { decodeShare, embedSnippet, embedUrl, encodeShare } from '../../web/src/share.js';

const ROOT = join(import.meta.dirname, '..', '..');
const NATIVE = process.env.LUNETTE_NATIVE ?? join(ROOT, 'build', 'lunette');
const needsNative = { skip: existsSync(NATIVE) ? false : `no native lunette at ${NATIVE}` };

// What the VM really has: "module.name type" for every field of the library tables.
const LIST_LIBRARY = `
local lunette = require "lunette"
local libs = { coroutine = coroutine, string = string, table = table, math = math,
  utf8 = utf8, os = os, io = io, debug = debug, package = package, lunette = lunette }
local out = {}
for name, v in pairs(_G) do
  if type(v) ~= "table" or name == "_G" then out[#out + 1] = name .. " " .. type(v) end
end
for lib, t in pairs(libs) do
  for name, v in pairs(t) do out[#out + 1] = lib .. "." .. name .. " " .. type(v) end
end
local f = io.tmpfile()
for name, v in pairs(getmetatable(f).__index) do out[#out + 1] = "file:" .. name .. " " .. type(v) end
table.sort(out)
print(table.concat(out, "\\n"))
`;

test('every function and value of the VM library is documented, and nothing else is', needsNative,
  () => {
    const listed = execFileSync(NATIVE, ['-'], { input: LIST_LIBRARY }).toString().trim().split('\n');
    const actual = new Set(listed.map((l) => l.split(' ')[0]).filter((n) => n !== '_G'));
    const kinds = new Map(listed.map((l) => l.split(' ')));
    // `arg` is the command line's, not the library's; _G is documented as a value.
    actual.delete('arg');
    const documented = new Set([...LIBRARY.keys()].filter((n) => n !== '_G'));
    const missing = [...actual].filter((n) => !documented.has(n));
    const invented = [...documented].filter((n) => !actual.has(n));
    assert.deepEqual(missing, [], 'in the VM but not in lua-docs.js');
    assert.deepEqual(invented, [], 'in lua-docs.js but not in the VM');
    for (const [name, e] of LIBRARY) {
      if (name === '_G') continue;
      assert.equal(e.kind === 'function', kinds.get(name) === 'function', `${name} kind`);
    }
  });

test('every documented function has a summary, a label listing its parameters, and its options',
  () => {
    for (const [name, e] of LIBRARY) {
      assert.ok(e.summary && e.summary.length > 15, `${name} has a summary`);
      if (e.kind !== 'function') continue;
      assert.ok(e.label.endsWith(')'), e.label);
      for (const [start, end] of parameterOffsets(e)) {
        assert.match(e.label.slice(start, end), /^(\.\.\.|[a-z_][a-z0-9_]*\??)$/i, e.label);
      }
      if (e.options) assert.ok(OPTIONS[e.options]?.length, `${name} options`);
      for (const record of [e.record, e.recordList].filter(Boolean)) {
        assert.ok(RECORDS[record], `${name} record ${record}`);
      }
    }
    const gcOptions = OPTIONS.collectgarbage.map(([v]) => v);
    for (const o of ['collect', 'stop', 'restart', 'count', 'step', 'isrunning', 'incremental',
      'generational', 'luajit']) assert.ok(gcOptions.includes(o), o);
    assert.ok(MODULES.get('lunette').members.some((e) => e.name === 'why'));
    assert.ok(FILE_METHODS.some((e) => e.label === 'file:read(...)'));
  });

test('string.fo offers format with its signature, replacing the typed prefix', () => {
  const { items, startColumn } = completionsAt('print(string.fo', 1, 16);
  const format = items.find((i) => i.label === 'format');
  assert.equal(format.detail, 'string.format(formatstring, ...) -> string');
  assert.equal(startColumn, 14);
});

test('names from require, calls and loops give field completions', () => {
  const text = 'local L = require("lunette")\nlocal info = L.gcinfo()\n' +
    'for _, co in ipairs(L.coroutines()) do\n  print(co.)\nend\nlocal f = io.open("x")\n';
  const kinds = variableKinds(text);
  assert.deepEqual(kinds.get('L'), { module: 'lunette' });
  assert.deepEqual(kinds.get('info'), { record: 'gcinfo' });
  assert.deepEqual(kinds.get('co'), { record: 'coroutine' });
  assert.deepEqual(kinds.get('f'), { file: true });
  const labels = (line, column, t = text) => completionsAt(t, line, column).items.map((i) => i.label);
  assert.ok(labels(4, 12).includes('resumes'));
  assert.ok(labels(7, 6, `${text}info.`).includes('bytype'));
  assert.ok(labels(7, 7, `${text}L.cen`).includes('census'));
  assert.deepEqual(labels(7, 3, `${text}f:`), FILE_METHODS.map((e) => e.name));
  assert.ok(labels(1, 28, 'print(lunette.gcinfo().thre').includes('threshold'));
});

test('option strings complete inside the argument that takes them, and only there', () => {
  const labels = (before) => completionsAt(before, 1, before.length + 1).items.map((i) => i.label);
  assert.ok(labels('collectgarbage("inc').includes('incremental'));
  assert.ok(labels('os.date("').includes('*t'));
  assert.ok(labels('local f = io.open("data.txt", "').includes('r+'));
  assert.ok(!labels('io.open("').includes('r+'), 'the file name is not a mode');
  assert.ok(labels('string.format("').includes('%d'));
  assert.deepEqual(completionsAt('-- string.', 1, 11).items, [], 'nothing inside a comment');
});

test("the script's names are offered where the parser says they are in scope", () => {
  const names = [
    { name: 'x', kind: 'local', line: 1, column: 7, from: 2, to: 0 },
    { name: 'inner', kind: 'local', line: 3, column: 9, from: 4, to: 5 },
    { name: 'x', kind: 'parameter', line: 6, column: 12, from: 6, to: 8 },
  ];
  assert.deepEqual(namesInScope(names, 1), []);
  assert.deepEqual(namesInScope(names, 4).map((n) => n.name), ['inner', 'x']);
  assert.equal(namesInScope(names, 7).find((n) => n.name === 'x').kind, 'parameter');
  assert.equal(namesInScope(names, 9).find((n) => n.name === 'x').kind, 'local');
  const labels = completionsAt('local x = 1\n\n', 3, 1, names).items.map((i) => i.label);
  assert.equal(labels[0], 'x');
  assert.ok(labels.includes('print') && labels.includes('while'));
});

test('signature help finds the open call past strings, tables and nested calls', () => {
  const at = (text) => signatureAt(text, text.length);
  assert.deepEqual([at('string.format("(%d, %d", ').entry.full, at('string.format("(%d", ').activeParameter],
    ['string.format', 1]);
  assert.equal(at('table.insert(t, math.max(1, 2), ').activeParameter, 2);
  assert.equal(at('table.insert(t, {1, 2, 3'), null, 'inside a table constructor');
  assert.equal(at('print(("x"):rep(3, ').entry.full, 'string.rep');
  assert.equal(at('local L = require "lunette"\nL.why(').entry.full, 'lunette.why');
  assert.equal(at('print(1) -- table.insert('), null);
  assert.equal(openCallBefore('f(a, "b, c", d', 14).commas, 2);
});

test('hovers document library functions with their options, and script names', () => {
  const gc = hoverAt('collectgarbage("count")', 1, 5);
  assert.match(gc.markdown, /collectgarbage\(opt\?, \.\.\.\)/);
  for (const o of ['collect', 'count', 'step', 'incremental', 'generational']) {
    assert.match(gc.markdown, new RegExp(`"${o}"`));
  }
  assert.deepEqual([gc.startColumn, gc.endColumn], [1, 15]);
  assert.match(hoverAt('string.find(s, "%d+")', 1, 9).markdown, /Pattern items/);
  assert.match(hoverAt('local L = require "lunette"\nL.suspects()', 2, 4).markdown, /idle_ms/);
  const own = hoverAt('local n = 1\nprint(n)', 2, 7, [{ name: 'n', kind: 'local', line: 1,
    column: 7, from: 2, to: 0 }]);
  assert.match(own.markdown, /local n/);
  const constant = hoverAt('local k <const> = 1\nprint(k)', 2, 7, [{ name: 'k', kind: 'local',
    line: 1, column: 7, from: 2, to: 0, detail: '<const>' }]);
  assert.match(constant.markdown, /local k <const>/);
  assert.equal(hoverAt('print(zzz)', 1, 8), null);
});

test('the embed snippet opens ?embed=1 with the same share fragment, escaped for HTML', async () => {
  const fragment = await encodeShare({ source: 'print("<&>")\n', gc: undefined });
  const base = 'https://example.org/lunette/';
  assert.equal(embedUrl(fragment, base), `${base}?embed=1${fragment}`);
  const snippet = embedSnippet(fragment, { base, lines: 2 });
  assert.match(snippet, /^<iframe src="https:\/\/example\.org\/lunette\/\?embed=1#v1\.[\w-]+" /);
  assert.match(snippet, /height="400"/);
  const src = /src="([^"]+)"/.exec(snippet)[1];
  assert.equal((await decodeShare(new URL(src).hash)).source, 'print("<&>")\n');
});

test('chart palettes stay distinguishable under protanopia, deuteranopia and tritanopia',
  async () => {
    globalThis.requestAnimationFrame ??= (fn) => setTimeout(fn, 0);
    const { CO_SERIES, HEAP_LINES, KINDS, PHASES } = await import('../../web/src/charts.js');
    const { RUN_COLORS } = await import('../../web/src/compare-model.js');
    const { distance, parseColour, simulate, worstPair } = await import('../../web/src/colour-vision.js');
    // The check itself: amber and green, the pair the page used to rely on, merge for
    // deuteranopes; far apart otherwise.
    const [amber, green] = ['#e0af68', '#9ece6a'].map((c) => parseColour(c));
    assert.ok(distance(amber, green) > 30);
    assert.ok(distance(simulate(amber, 'deuteranopia'), simulate(green, 'deuteranopia')) < 5);
    // ΔE*ab minimums per palette: lines and statuses must read at a glance; the eight stacked
    // kinds and the faint phase bands also have a legend next to them.
    const palettes = {
      'coroutine statuses': [Object.fromEntries(CO_SERIES.map((c) => [c.label, c.color])), 20],
      'heap chart lines': [HEAP_LINES, 20],
      'compared runs': [Object.fromEntries(RUN_COLORS.map((c, i) => [`run ${i + 1}`, c])), 20],
      'object kinds': [Object.fromEntries(KINDS.map((k) => [k.label, k.color])), 15],
      'collector phases': [Object.fromEntries(PHASES.filter((p) => p.color)
        .map((p) => [p.name, p.color])), 10],
    };
    for (const [name, [colours, minimum]] of Object.entries(palettes)) {
      const worst = worstPair(colours);
      assert.ok(worst.distance >= minimum, `${name}: ${worst.a} and ${worst.b} are only ` +
        `${worst.distance.toFixed(1)} apart under ${worst.vision} vision (need ${minimum})`);
    }
  });
