// stepping.test.mjs - the Stepping panel on the real page, through the window.playground
// contract: a small script run in stepping mode and stepped through a full cycle shows its
// tables gray then black and its unreachable tables disappear; the tri-colour example, paused
// before its store, turns a black table gray after "Next line" (the write barrier); the layout
// library is loaded only when the panel opens; screenshots at 1280 px and 390 px. Needs the
// real worker (the fake one has no collector).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, FAKE, openPage, runScript, startBrowser, waitReady, waitStatus } from './harness.mjs';

const $ = (id) => `[data-testid="${id}"]`;
const needsVm = { skip: FAKE && 'needs the real worker' };

const SMALL = `keep = { name = "keep" }
keep.inner = { 1, 2, 3 }
local lost = { "unreachable" }
lost = nil
for i = 1, 5 do local garbage = { i } end
print("ready")
`;
const BARRIER = readFileSync(new URL('../../examples/tricolour_barrier.lua', import.meta.url), 'utf8');

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => {
  await env?.close();
});

const labelled = (graph, label) => graph.nodes.find((n) => n.label === label);

// Steps until the cycle ends, recording the colour of the nodes labelled `labels` after each.
async function stepCycle(page, labels) {
  return page.evaluate(async (watch) => {
    const seen = Object.fromEntries(watch.map((l) => [l, []]));
    const tables = [];
    let graph = window.playground.heapGraph();
    tables.push(graph.nodes.filter((n) => n.kind === 'table').length);
    let started = false;
    const drawn = { faded: 0, freedSteps: 0, processed: 0, processedSteps: 0 };
    const canvas = document.querySelector('[data-testid="stepping-graph"]');
    for (let i = 0; i < 2000; i++) {
      const before = graph;
      graph = await window.playground.gcStep();
      // Strings and prototypes are not drawn (unless asked for): only drawn nodes can fade.
      const drawnBefore = new Set(before.nodes.filter((n) => n.kind !== 'string'
        && n.kind !== 'prototype').map((n) => n.id));
      if (graph.freed.some((id) => drawnBefore.has(id))) {
        drawn.freedSteps += 1;
        if (canvas.querySelector('g.st-node.freed')) drawn.faded += 1;
      }
      const processed = graph.nodes.find((n) => n.id === graph.processed);
      if (processed && processed.kind !== 'string' && processed.kind !== 'prototype') {
        drawn.processedSteps += 1;
        if (canvas.querySelector(`g.st-node.processed[data-id="${processed.id}"]`)) drawn.processed += 1;
      }
      for (const l of watch) {
        const node = graph.nodes.find((n) => n.label === l);
        const colour = node ? node.color : 'gone';
        const list = seen[l];
        if (list[list.length - 1] !== colour) list.push(colour);
      }
      tables.push(graph.nodes.filter((n) => n.kind === 'table').length);
      if (graph.phase !== 'pause') started = true;
      else if (started) break;
    }
    return { seen, tables, last: graph, drawn };
  }, labels);
}

test('a small script stepped through a full cycle: gray, then black, and the garbage goes', needsVm,
  async () => {
    const { page, ctx, problems } = await openPage(env);
    await waitReady(page);
    await page.evaluate(() => window.playground.stepping(true));
    const state = await runScript(page, SMALL);
    assert.equal(state.status, 'finished');
    await page.waitForFunction(() => window.playground.heapGraph() !== null);
    const first = await page.evaluate(() => window.playground.heapGraph());
    assert.equal(first.phase, 'pause');
    assert.ok(labelled(first, 'table keep'), 'the global is a node labelled by its name');
    assert.ok(labelled(first, 'table keep.inner'));
    const library = first.nodes.filter((n) => n.library);
    assert.equal(library.length, 1, 'the standard library is one node');
    for (const root of ['table _G (globals)', 'table registry', 'thread main']) {
      assert.equal(labelled(first, root)?.root, true, root);
    }
    const garbageBefore = first.nodes.filter((n) => n.kind === 'table' && !n.root && !n.library
      && !/keep/.test(n.label)).length;
    assert.ok(garbageBefore >= 6, `the unreachable tables are drawn (${garbageBefore})`);

    const { seen, tables, last, drawn: pictures } = await stepCycle(page, ['table keep', 'table keep.inner']);
    assert.ok(pictures.freedSteps > 0 && pictures.faded === pictures.freedSteps,
      `freed nodes fade out where they were (${JSON.stringify(pictures)})`);
    assert.ok(pictures.processedSteps > 0 && pictures.processed === pictures.processedSteps,
      'the node just processed is highlighted');
    // The first step starts the cycle (only the roots turn gray); the globals' traversal makes
    // keep gray, its own makes it black, and the sweep whitens the survivors for the next cycle.
    assert.deepEqual(seen['table keep'], ['white', 'gray', 'black', 'white']);
    assert.deepEqual(seen['table keep.inner'], ['white', 'gray', 'black', 'white']);
    assert.equal(last.phase, 'pause');
    const garbageAfter = last.nodes.filter((n) => n.kind === 'table' && !n.root && !n.library
      && !/keep/.test(n.label)).length;
    assert.equal(garbageAfter, 0, 'the unreachable tables are freed');
    assert.ok(tables[tables.length - 1] < tables[0]);
    // Drawn: one shape per shown node, each with its colour and a glyph besides the colour.
    const drawn = await page.$$eval(`${$('stepping-graph')} g.st-node:not(.freed)`,
      (gs) => gs.map((g) => ({ color: g.dataset.color, text: g.querySelector('text').textContent })));
    assert.ok(drawn.length >= 4);
    for (const d of drawn) assert.match(d.text, /^[○◐●†]/);
    assert.match(await page.textContent($('stepping-status')), /pause/);
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.external, []);
    await ctx.close();
  });

test('the tri-colour example: after "Next line" the black holder is gray again', needsVm, async () => {
  const { page, ctx, problems } = await openPage(env);
  await waitReady(page);
  const storeLine = BARRIER.split('\n').findIndex((l) => l.startsWith('holder.child =')) + 1;
  await page.evaluate((s) => {
    window.playground.setSource(s);
    window.playground.stepping(true, { pauseAtStart: true });
    window.playground.run();
  }, BARRIER);
  await page.waitForFunction(() => window.playground.heapGraph()?.line > 0);
  let graph = await page.evaluate(() => window.playground.heapGraph());
  // Before its first statement (`local function check ... end`, whose closure is made at its `end`).
  assert.ok(graph.line >= 11 && graph.line <= 13, `the run waits before its first line (${graph.line})`);
  while (graph.line < storeLine) {
    graph = await page.evaluate(() => window.playground.nextLine());
  }
  assert.equal(graph.line, storeLine);
  graph = await page.evaluate(async () => {
    let g = window.playground.heapGraph();
    for (let i = 0; i < 2000; i++) {
      g = await window.playground.gcStep();
      if (g.nodes.find((n) => n.label === 'table holder')?.color === 'black') break;
    }
    return g;
  });
  assert.equal(graph.phase, 'propagate');
  assert.equal(labelled(graph, 'table holder').color, 'black');
  await page.screenshot({ path: join(ARTIFACTS, 'stepping-before-barrier.png') });
  graph = await page.evaluate(() => window.playground.nextLine());
  assert.equal(graph.line, storeLine + 1);
  assert.equal(labelled(graph, 'table holder').color, 'gray', 'the barrier turned holder gray');
  assert.equal(labelled(graph, 'table holder.child').color, 'white');
  const drawnHolder = await page.$eval(`${$('stepping-graph')} g.st-node[data-color="gray"]`,
    (g) => g.querySelector('text').textContent);
  assert.match(drawnHolder, /◐/);
  // The rest of the cycle, then the script to its end: the stored table survived.
  await page.evaluate(() => window.playground.finishCycle());
  await page.click($('stepping-continue'));
  const state = await waitStatus(page, ['finished', 'error']);
  assert.equal(state.status, 'finished');
  assert.match(state.output, /CHECK survivors child/);
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('the layout library is fetched only when the Stepping panel opens', needsVm, async () => {
  const { page, ctx } = await openPage(env);
  await waitReady(page);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.waitForTimeout(300);
  assert.equal(requests.filter((p) => /stepping-view/.test(p)).length, 0);
  await page.click($('stepping-open'));
  await page.waitForSelector(`${$('stepping-graph')}`);
  assert.ok(requests.some((p) => /stepping-view/.test(p)), requests.join(' '));
  assert.equal(await page.isVisible($('compare')), false);
  await ctx.close();
});

test('a heap too big to draw says so and still steps', needsVm, async () => {
  const { page, ctx, problems } = await openPage(env);
  await waitReady(page);
  await page.evaluate(() => window.playground.stepping(true));
  await runScript(page, 'keep = {}\nfor i = 1, 3000 do keep[i] = {} end\n');
  await page.waitForFunction(() => window.playground.heapGraph() !== null);
  await page.waitForSelector($('stepping-too-big'));
  const graph = await page.evaluate(async () => {
    await window.playground.gcStep();
    return window.playground.finishCycle();
  });
  assert.equal(graph.phase, 'pause');
  assert.ok(graph.nodes.length > 3000, 'every object is still in the graph');
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('screenshots: the stepping panel at 1280x720 and at 390 px', needsVm, async () => {
  for (const [name, viewport] of [['stepping-1280.png', { width: 1280, height: 720 }],
    ['stepping-390.png', { width: 390, height: 844 }]]) {
    const { page, ctx, problems } = await openPage(env, { viewport });
    await waitReady(page);
    await page.evaluate(() => window.playground.stepping(true));
    await runScript(page, SMALL);
    await page.waitForFunction(() => window.playground.heapGraph() !== null);
    await page.evaluate(async () => {
      for (let i = 0; i < 4; i++) await window.playground.gcStep();
    });
    await page.locator($('stepping')).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, name), fullPage: viewport.width < 500 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth
      - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page does not scroll sideways (${overflow} px)`);
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  }
});
