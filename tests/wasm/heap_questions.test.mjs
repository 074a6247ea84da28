// The Session's heap questions through the real wasm module: explain (why a coroutine is alive),
// suspects (parked or dead-yet-referenced coroutines, with their paths) and census (the heap by
// kind, and every object by the line that allocated it). Each asks between run() calls, as the worker does.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { loadLunette, moduleBuilt } from '../../wasm/node-host.mjs';

const skip = moduleBuilt() ? false : 'the wasm module is not built (wasm/build.sh)';
let lunette;

before(async () => {
  if (!skip) lunette = await loadLunette({ stdin: null });
});

// Parks five coroutines in a global `pending` table, then pauses in a loop so that the run is
// still alive (paused) when the test asks its questions.
const PARKED = `
pending = {}
for i = 1, 5 do
  local co = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(co)
  pending[i] = co
end
local dead = coroutine.create(function() end)
coroutine.resume(dead)
keepDead = dead
local x = 0
for i = 1, 1e9 do x = x + i end
`;

// A session paused inside PARKED's loop; returns it.
function parked() {
  const session = new lunette.Session();
  assert.ok(session.load(PARKED, '=main.lua').ok);
  const result = session.run(200000);
  assert.equal(result.status, 'paused');
  return session;
}

function pathText(edges) {
  return edges.map((e) => e.text).join(' -> ');
}

describe('Session heap questions', { skip }, () => {
  test('Explain.NamesTheGlobalTableThatHoldsACoroutine', () => {
    const session = parked();
    const ids = session.coroutines().filter((r) => r.status === 'suspended').map((r) => r.id);
    assert.equal(ids.length, 5);
    const why = session.explain(ids[2]);
    assert.equal(why.found, true);
    assert.match(why.edges[0].text, /_G\.pending/);
    assert.match(pathText(why.edges), /pending\[3\]/);
    assert.match(why.target, /coroutine/);
    session.delete();
  });

  test('Explain.ReportsNotFoundForAnUnknownOrCollectedCoroutine', () => {
    const session = parked();
    const why = session.explain(9999);
    assert.equal(why.found, false);
    assert.deepEqual(why.edges, []);
    session.delete();
  });

  test('Explain.GivesTheSourceLocationOfLocalsInScriptCode', () => {
    const session = new lunette.Session();
    const source = 'local co = coroutine.create(function() end)\nlocal x = 0\n' +
      'for i = 1, 1e9 do x = x + i end\n';
    assert.ok(session.load(source, '=main.lua').ok);
    assert.equal(session.run(100000).status, 'paused');
    const [record] = session.coroutines();
    const why = session.explain(record.id);
    assert.equal(why.found, true);
    const located = why.edges.filter((e) => e.chunk !== undefined);
    assert.ok(located.length > 0, pathText(why.edges));
    assert.equal(located[0].chunk, 'main.lua');
    assert.ok(located[0].line > 0);
    session.delete();
  });

  test('Suspects.ListsParkedCoroutinesWithTheirPathThroughPending', () => {
    const session = parked();
    const list = session.suspects(0, 50);
    const parkedOnes = list.filter((s) => s.reason === 'suspended and not resumed');
    assert.equal(parkedOnes.length, 5);
    // The last one may also sit in a leftover register of the loop (a shorter path).
    const viaPending = parkedOnes.filter((s) => /_G\.pending\[\d\]/.test(pathText(s.path)));
    assert.ok(viaPending.length >= 4, parkedOnes.map((s) => pathText(s.path)).join('\n'));
    for (const s of parkedOnes) {
      assert.equal(s.site.chunk, 'main.lua');
      assert.equal(s.site.line, 4);
      assert.ok(s.idleMs >= 0);
    }
    const dead = list.filter((s) => s.reason === 'dead but still referenced');
    assert.equal(dead.length, 1);
    assert.ok(dead[0].path.length > 0);  // a global or a leftover register: either holds it
    session.delete();
  });

  test('Suspects.RespectsTheThresholdAndTheLimit', () => {
    const session = parked();
    const none = session.suspects(1e9, 50).filter((s) => s.status === 'suspended');
    assert.equal(none.length, 0);
    assert.equal(session.suspects(0, 2).length, 2);
    session.delete();
  });

  test('Suspects.AreEmptyBeforeAnythingRuns', () => {
    const session = new lunette.Session();
    assert.deepEqual(session.suspects(0, 50), []);
    session.delete();
  });

  test('Census.CountsObjectsByTypeAndEveryKindBySite', () => {
    const session = parked();
    const census = session.census();
    assert.ok(census.byType.thread.count >= 7);  // main thread, five parked, one dead
    assert.ok(census.byType.table.bytes > 0);
    assert.ok(census.byType.string.count > 0);
    const at = (line, kind) => census.bySite.find((s) => s.line === line && s.kind === kind);
    const threads = at(4, 'thread');
    assert.ok(threads, JSON.stringify(census.bySite));
    assert.deepEqual([threads.site, threads.chunk, threads.function, threads.count],
      ['main.lua:4', 'main.lua', 'main chunk', 5]);
    assert.ok(threads.bytes > 0);
    assert.equal(at(4, 'lclosure').count, 5);  // each coroutine's body
    assert.equal(at(2, 'table').count, 1);     // pending
    const sizes = census.bySite.map((s) => s.bytes);
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
    assert.deepEqual(census.otherSites, { count: 0, bytes: 0 });
    session.delete();
  });
});
