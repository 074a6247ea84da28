// recording.test.mjs - every run is a recording: the charts draw the VM's samples, and the
// timeline's cursor shows any moment of the run in every panel (charts, coroutine table,
// console, editor). Through window.playground.seek / state().cursor and the timeline itself
// (mouse and keyboard). Runs against the real worker; a few tests need the VM's recording
// (samples with `line`, `cycle` and `reason`, issue 11) and fail until the Session sends it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseExample } from '../../web/src/example-header.js';
import {
  ARTIFACTS, FAKE, ROOT, openPage, runScript, startBrowser, startScript, waitReady, waitStatus,
} from './harness.mjs';

const $ = (id) => `[data-testid="${id}"]`;
const needsVm = { skip: FAKE && 'needs the real worker' };
// The native command, for a real --trace file (test.sh builds it before the browser tests).
const NATIVE = process.env.LUNETTE_NATIVE ?? join(ROOT, 'build', 'lunette');
const needsNative = { skip: !existsSync(NATIVE) && `no native lunette at ${NATIVE}` };

// Parks 300 coroutines one by one (lines 2-8), lets them go and collects them (lines 9-10).
// Small fixed slices (setRunOptions budget) give a Session without its own recording several
// samples too.
const PARKING = `local parked = {}
for i = 1, 300 do
  local co = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(co)
  parked[i] = co
  for j = 1, 30 do local pad = { j } end
  if i % 50 == 0 then print("parked " .. i) end
end
parked = nil
collectgarbage()
print("released")
`;
const LOOP_LINES = [2, 3, 4, 5, 6, 7, 8];

async function runParking(page) {
  await waitReady(page);
  await page.evaluate(() => window.playground.setRunOptions({ budget: 3000 }));
  const state = await runScript(page, PARKING);
  assert.equal(state.status, 'finished', JSON.stringify(state.error));
  return state;
}

const seek = (page, fraction) => page.evaluate((f) => window.playground.seek(f), fraction);
const cursor = (page) => page.evaluate(() => window.playground.state().cursor);
// Waits until the panels drew the cursor's moment (they redraw on the next animation frame).
const drawn = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() =>
  requestAnimationFrame(r))));

// Waits until the charts drew every sample of the run (chart rebuilds pace themselves).
const chartsCaughtUp = (page) => page.waitForFunction(() =>
  document.querySelector('[data-testid="heap-chart"]').dataset.rows ===
  String(window.playground.state().samples));

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => {
  await env?.close();
});

test('every example draws at least 20 points', needsVm, async () => {
  const { page, ctx, problems } = await openPage(env);
  await waitReady(page);
  const files = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.lua')).sort();
  assert.ok(files.length >= 8);
  const few = [];
  for (const file of files) {
    const source = readFileSync(join(ROOT, 'examples', file), 'utf8');
    // A server example runs as that server's handler, as picking it from the menu does.
    const example = parseExample(file, source);
    await page.evaluate((server) => window.playground.setServer(server), example.server);
    const state = await runScript(page, source, ['finished', 'error', 'stopped']);
    assert.equal(state.status, 'finished', `${file}: ${JSON.stringify(state.error)}`);
    await chartsCaughtUp(page);
    const points = Number(await page.locator($('heap-chart')).getAttribute('data-points'));
    // A Stepping example keeps its heap small enough to draw as a graph: its chart may be short.
    if (!example.stepping && (state.samples < 20 || points < 20)) {
      few.push(`${file}: ${state.samples} samples, ${points} drawn`);
    }
  }
  assert.deepEqual(few, [], 'examples with fewer than 20 points');
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('a script of a few ms with several cycles has a point at each cycle end', needsVm,
  async () => {
    const { page, ctx } = await openPage(env);
    await waitReady(page);
    const source = `local keep = {}
for i = 1, 20000 do keep[i % 100 + 1] = { i, tostring(i) } end
print(collectgarbage("count") > 0)`;
    const state = await runScript(page, source);
    assert.equal(state.status, 'finished', JSON.stringify(state.error));
    assert.ok(state.gc.cycles >= 3, `cycles: ${state.gc.cycles}`);
    await chartsCaughtUp(page);
    // One marker per cycle, each on the curve at a sample the VM took for that cycle's end.
    const markers = await page.evaluate(() => {
      const chart = document.querySelector('[data-testid="heap-chart"]').chart;
      const { min, max } = chart.options.scales.x;
      const fraction = (x) => (x - min) / (max - min);
      return chart.data.datasets[3].data.map((m) => ({ i: m.i, fraction: fraction(m.x) }));
    });
    assert.equal(markers.length, state.gc.cycles);
    assert.equal(new Set(markers.map((m) => m.i)).size, markers.length, 'distinct samples');
    for (const m of markers) {
      const sample = await page.evaluate((i) => window.playground.sample(i), m.i);
      assert.equal(sample.reason, 3, `the sample under marker ${m.i} was taken at a cycle end`);
      // The cursor at the marker shows that moment (or a sample taken at the same instant).
      const c = await seek(page, Math.min(1, m.fraction + 1e-9));  // not a rounding step short
      assert.ok(c.row >= m.i);
      assert.equal((await page.evaluate((i) => window.playground.sample(i), c.row)).t, sample.t);
    }
    const cycleEnds = await page.evaluate(() => {
      let n = 0;
      for (let i = 0; i < window.playground.state().samples; i++) {
        if (window.playground.sample(i).reason === 3) n++;
      }
      return n;
    });
    assert.equal(cycleEnds, state.gc.cycles, 'one cycle-end sample per cycle');
    await ctx.close();
  });

test('seeking forward through a parking script: suspended never drops, all collected at the end',
  needsVm, async () => {
    const { page, ctx, problems } = await openPage(env);
    const state = await runParking(page);
    assert.ok(state.samples >= 5, `samples: ${state.samples}`);
    assert.equal(state.cursor, null, 'live view after a run');
    let previous = -1;
    let collectedSeen = false;
    for (let k = 0; k <= 40; k++) {
      const c = await seek(page, k / 40);
      assert.ok(c, 'a cursor');
      assert.ok(Math.abs(c.fraction - k / 40) < 1e-9);
      if (c.coroutines.collected > 0) collectedSeen = true;
      if (collectedSeen) continue;  // past `parked = nil; collectgarbage()`
      assert.ok(c.coroutines.suspended >= previous,
        `at ${k / 40}: ${c.coroutines.suspended} suspended after ${previous}`);
      previous = c.coroutines.suspended;
    }
    assert.ok(previous >= 100, `the parked count grew to ${previous}`);
    const end = await seek(page, 1);
    assert.equal(end.coroutines.collected, 300);
    assert.equal(end.coroutines.suspended, 0);
    for (const key of ['ms', 'total', 'threshold', 'phase', 'line']) {
      assert.ok(key in end, `cursor.${key}`);
    }
    assert.ok(end.total > 0 && end.threshold > 0);
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  });

test('the cursor shows the line that was running inside the loop and highlights it',
  needsVm, async () => {
    const { page, ctx } = await openPage(env);
    await runParking(page);
    const c = await seek(page, 0.5);
    assert.ok(LOOP_LINES.includes(c.line), `line ${c.line} inside the loop`);
    await drawn(page);
    assert.equal(await page.evaluate(() => window.playground.runningLine()), c.line);
    assert.equal(await page.locator('.editor-running-line').count(), 1);
    await page.evaluate(() => window.playground.live());
    await drawn(page);
    assert.equal(await page.evaluate(() => window.playground.runningLine()), 0);
    await ctx.close();
  });

test('the console and the coroutine table follow the cursor', needsVm, async () => {
  const { page, ctx, problems } = await openPage(env);
  await runParking(page);
  const consoleText = () => page.locator($('console')).innerText();
  const printed = (text) => (text.match(/^parked \d+$/gm) ?? []).length;
  const rows = () => page.locator(`${$('coroutine-table')} tbody tr`)
    .evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
  let before = -1;
  let sawMidRun = false;
  for (const f of [0, 0.2, 0.4, 0.6, 0.8]) {
    const c = await seek(page, f);
    await drawn(page);
    const text = await consoleText();
    const lines = printed(text);
    // Never output that was not printed yet, never less than at an earlier moment.
    assert.ok(lines <= Math.floor(c.coroutines.suspended / 50) || c.coroutines.collected > 0,
      `at ${f}: ${lines} lines printed with ${c.coroutines.suspended} parked`);
    assert.ok(lines >= before, `at ${f}: ${lines} lines after ${before}`);
    before = lines;
    if (c.coroutines.collected === 0) {
      assert.doesNotMatch(text, /released/);
      // The table lists the coroutines that existed then, each as it was then: parked, or the
      // newest one running when the moment is its first resume; none collected yet (in live
      // view all 300 are). A table that listed coroutines born later fails the length.
      const statuses = await rows();
      const count = (status) => statuses.filter((s) => s === status).length;
      assert.equal(statuses.length, c.coroutines.suspended + c.coroutines.running, `table at ${f}`);
      // (A resume left out of the events shows as parked: never more running than counted.)
      assert.equal(count('suspended') + count('running'), statuses.length, statuses.join(','));
      assert.ok(count('running') <= c.coroutines.running, statuses.join(','));
      if (c.coroutines.suspended > 0) sawMidRun = true;
    }
  }
  assert.ok(sawMidRun, 'some cursor fell while coroutines were parked');
  await page.evaluate(() => window.playground.live());
  await drawn(page);
  assert.match(await consoleText(), /released/);
  const live = await rows();
  assert.equal(live.length, 300);
  assert.ok(live.every((s) => s === 'collected'));
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('the timeline moves the cursor with the keyboard and the mouse; End returns to live',
  needsVm, async () => {
    const { page, ctx } = await openPage(env);
    await runParking(page);
    const timeline = page.locator($('timeline'));
    await timeline.focus();
    await page.keyboard.press('Home');
    assert.equal((await cursor(page)).fraction, 0);
    let last = 0;
    for (let k = 0; k < 3; k++) {
      await page.keyboard.press('ArrowRight');
      const f = (await cursor(page)).fraction;
      assert.ok(f > last, `ArrowRight moved ${last} -> ${f}`);
      last = f;
    }
    await page.keyboard.press('ArrowLeft');
    assert.ok((await cursor(page)).fraction < last);
    await page.keyboard.press('PageUp');
    assert.ok((await cursor(page)).fraction >= last);
    await drawn(page);
    assert.equal(await page.locator('#timeline-panel').getAttribute('data-cursor'), 'placed');
    assert.ok(Number(await timeline.getAttribute('aria-valuenow')) < 100);
    await page.keyboard.press('End');
    assert.equal(await cursor(page), null);
    await drawn(page);
    assert.equal(await page.locator('#timeline-panel').getAttribute('data-cursor'), 'live');

    // Dragging: press in the middle, drag to a quarter, release; the cursor follows.
    const boxNow = async () => {
      await timeline.scrollIntoViewIfNeeded();
      return timeline.boundingBox();
    };
    let box = await boxNow();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    assert.ok(Math.abs((await cursor(page)).fraction - 0.5) < 0.02);
    await page.mouse.move(box.x + box.width / 4, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    assert.ok(Math.abs((await cursor(page)).fraction - 0.25) < 0.02);
    // The cursor line is drawn on the charts at the same moment.
    await drawn(page);
    const x = await page.locator($('heap-chart')).getAttribute('data-cursor');
    assert.ok(x !== '' && Number.isFinite(Number(x)));
    // Switching the x axis keeps the moment.
    const ms = (await cursor(page)).ms;
    await page.click('#x-axis button[data-axis="instr"]');
    const onInstr = await cursor(page);
    assert.equal(onInstr.ms, ms);
    assert.equal(onInstr.axis, 'instr');
    await page.click('#x-axis button[data-axis="bytes"]');
    assert.equal((await cursor(page)).ms, ms);
    // Dragging to the right edge and letting go: live view.
    box = await boxNow();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width + 20, box.y + box.height / 2, { steps: 3 });
    await page.mouse.up();
    assert.equal(await cursor(page), null);
    await ctx.close();
  });

test('Pause holds the run; the timeline scrubs it meanwhile; Resume goes on', needsVm,
  async () => {
    const { page, ctx, problems } = await openPage(env);
    await startScript(page, `local keep, n = {}, 0
while true do
  n = n + 1
  keep[n % 300 + 1] = { n }
end`);
    await page.waitForFunction(() => window.playground.state().samples >= 3);
    await page.click($('pause'));
    await page.waitForFunction(() => window.playground.state().paused);
    await page.waitForFunction(() =>
      /paused/.test(document.querySelector('[data-testid="status"]').innerText));
    // The worker answers the pause with what it had; after that nothing runs.
    await page.waitForTimeout(150);
    const held = await page.evaluate(() => window.playground.state().instructions);
    await page.waitForTimeout(400);
    const still = await page.evaluate(() => window.playground.state());
    assert.equal(still.instructions, held);
    assert.equal(still.status, 'running');
    const c = await seek(page, 0.5);
    assert.ok(c && c.ms > 0);
    await drawn(page);
    assert.match(await page.locator($('pause')).innerText(), /Resume/);
    await page.click($('pause'));
    await page.waitForFunction((h) => window.playground.state().instructions > h, held);
    // The cursor keeps its moment while the run goes on. The moment shown is the sample at or
    // before it, and the growing recording may thin the one it was away (min/max per bucket
    // kept), so the sample shown can become an older neighbour: never a later one, never far.
    const kept = await cursor(page);
    assert.ok(kept && kept.ms <= c.ms && kept.ms >= c.ms * 0.98,
      `cursor at ${kept?.ms} ms, placed at ${c.ms} ms`);
    await page.click($('stop'));
    const end = await waitStatus(page, ['stopped', 'finished', 'error']);
    assert.equal(end.status, 'stopped');
    assert.equal(end.paused, false);
    // A new run returns to live view.
    await runScript(page, 'print(1)');
    assert.equal(await cursor(page), null);
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  });

test('screenshots: a finished run with the cursor placed, at 1280 px and at 390 px', needsVm,
  async () => {
    const { page, ctx, problems } = await openPage(env);
    await runParking(page);
    await chartsCaughtUp(page);
    await seek(page, 0.8);
    await drawn(page);
    await page.screenshot({ path: join(ARTIFACTS, 'cursor-1280x720.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(250);  // the charts' resize observers settle
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
    await page.locator($('timeline')).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'cursor-390.png'), fullPage: true });
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  });

test('an opened trace scrubs like a run: cursor, table and counts as of that moment',
  async () => {
    const { page, ctx } = await openPage(env);
    const fields = ['t', 'instr', 'allocated', 'total', 'threshold', 'debt', 'estimate', 'phase',
      'co.suspended', 'co.collected', 'line', 'cycle', 'reason'];
    const rows = [];
    for (let i = 0; i < 40; i++) {
      const phase = i % 10 < 5 ? 0 : 1;
      const reason = i % 10 === 9 ? 3 : 6;  // a cycle ends every 10 ms
      rows.push([i, i * 1000, i * 4000, 30000 + (i % 10) * 2000, 60000, 0, 25000, phase,
        Math.min(i, 20), i >= 35 ? 20 : 0, 3 + (i % 3), Math.floor((i + 1) / 10), reason]);
    }
    const events = [];
    const records = [];
    for (let id = 1; id <= 20; id++) {
      events.push({ kind: 'coroutine', id, from: 'suspended', to: 'suspended', created: true,
        t: id, instr: id * 1000 });
      events.push({ kind: 'coroutine', id, from: 'suspended', to: 'collected', created: false,
        t: 35, instr: 35000 });
      records.push({ id, status: 'suspended', site: { chunk: 'main.lua', line: 3, name: 'f' },
        resumes: 1, createdMs: id, lastResumeMs: id, stackBytes: 400, collected: true,
        collectedMs: 35 });
    }
    const text = [JSON.stringify({ samples: { fields, rows: rows.slice(0, 20) }, events }),
      JSON.stringify({ samples: { fields, rows: rows.slice(20) }, events: [],
        coroutines: records }),
    ].join('\n');
    await page.evaluate((t) => window.playground.openTrace('t.jsonl', t), text);
    assert.equal((await page.evaluate(() => window.playground.state())).samples, 40);
    const c = await seek(page, 0.5);  // x from 0 to 39: row 19
    assert.equal(c.ms, 19);
    assert.deepEqual([c.line, c.phase, c.coroutines.suspended], [4, 'propagate', 19]);
    await drawn(page);
    const statuses = await page.locator(`${$('coroutine-table')} tbody tr`)
      .evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
    assert.equal(statuses.length, 19);  // the 20th is born at 20 ms
    assert.ok(statuses.every((s) => s === 'suspended'));
    assert.equal(await page.evaluate(() => window.playground.runningLine()), 4);
    // Cycle ends come from the samples (reason 3) when the trace has no cycle events.
    assert.equal(await page.locator($('heap-chart')).getAttribute('data-cycles'), '4');
    assert.equal((await page.evaluate(() => window.playground.state())).gc.cycles, 4);
    await seek(page, 1);
    await drawn(page);
    const end = await page.locator(`${$('coroutine-table')} tbody tr`)
      .evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
    assert.ok(end.length === 20 && end.every((s) => s === 'collected'), end.join(','));
    await ctx.close();
  });

test('a 50,000-sample recording draws bounded points and the cursor moves at frame pace',
  async () => {
    const { page, ctx, problems } = await openPage(env);
    const result = await page.evaluate(async () => {
      const kinds = ['string', 'table', 'lclosure', 'nclosure', 'upvalue', 'proto', 'thread',
        'userdata'];
      const fields = ['t', 'instr', 'allocated', 'total', 'threshold', 'debt', 'estimate', 'phase',
        ...kinds.map((k) => `bytes.${k}`), 'co.suspended', 'co.running', 'co.normal', 'co.dead',
        'co.collected', 'line', 'cycle', 'reason'];
      const lines = [];
      let rows = [];
      for (let i = 0; i < 50_000; i++) {
        const saw = (i % 500) / 500;
        const total = 100_000 + saw * 400_000;
        rows.push([i * 12, i * 5000, i * 9000, total, 500_000, 0, 100_000, saw > 0.8 ? 1 : 0,
          ...kinds.map(() => total / 8), i % 1000, 0, 0, 0, 0, 3 + (i % 7),
          Math.floor((i + 1) / 500), i % 500 === 499 ? 3 : 6]);
        if (rows.length === 5000) {
          lines.push(JSON.stringify({ samples: { fields, rows }, events: [] }));
          rows = [];
        }
      }
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      window.playground.openTrace('big.jsonl', lines.join('\n'));
      await frame();
      await frame();
      const seeks = [];
      for (let k = 0; k <= 20; k++) {
        const t0 = performance.now();
        window.playground.seek(k / 20);
        await frame();
        seeks.push(performance.now() - t0);
      }
      seeks.sort((a, b) => a - b);
      const points = ['heap-chart', 'types-chart', 'coroutine-chart'].map((id) =>
        Math.max(...document.querySelector(`[data-testid="${id}"]`).chart.data.datasets
          .map((d) => d.data.length)));
      return { samples: window.playground.state().samples, median: seeks[10], points,
        cycles: window.playground.state().gc.cycles };
    });
    assert.equal(result.samples, 50_000);
    assert.equal(result.cycles, 100);
    for (const n of result.points) assert.ok(n <= 1200, `${n} points in a chart`);
    // One frame is ~16 ms; a loaded CI machine gets a generous margin.
    assert.ok(result.median < 120, `a cursor move takes ${result.median.toFixed(1)} ms`);
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  });

test('a native trace scrubs like the run it recorded', needsNative, async () => {
  const script = join(ARTIFACTS, 'parking.lua');
  writeFileSync(script, PARKING);
  const file = join(ARTIFACTS, 'parking-trace.jsonl');
  execFileSync(NATIVE, ['--trace', file, script]);
  const { page, ctx, problems } = await openPage(env);
  await page.setInputFiles('[data-testid="open-trace-input"]', file);
  await page.waitForFunction(() => window.playground.state().replay !== null);
  const state = await page.evaluate(() => window.playground.state());
  assert.ok(state.samples >= 20, `samples: ${state.samples}`);
  // Seek along instructions: on the time axis a loaded machine can stretch the CLI's startup
  // (before the first instruction) over most of a 12 ms run, and 20 evenly spaced seeks then
  // miss the loop altogether.
  await page.click('#x-axis button[data-axis="instr"]');
  let previous = -1;
  let midRun = null;
  for (let k = 0; k <= 20; k++) {
    const c = await seek(page, k / 20);
    if (c.coroutines.collected > 0) break;
    assert.ok(c.coroutines.suspended >= previous);
    previous = c.coroutines.suspended;
    if (!midRun && c.coroutines.suspended > 0 && LOOP_LINES.includes(c.line)) midRun = c;
  }
  assert.ok(midRun, 'a moment inside the loop, with coroutines parked');
  const end = await seek(page, 1);
  assert.equal(end.coroutines.collected, 300);
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});
