// compare.test.mjs - the Compare view on the real page: a churn script under pause 100 and 400
// (the larger pause gives the larger peak and fewer cycles), output that depends on the
// collector flagged, compared settings carried by a share link and remembered across a reload,
// Stop during a comparison, and screenshots at desktop and phone widths. Needs the real worker (the fake one has no
// collector and no runSummary).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, FAKE, openPage, runScript, startBrowser, waitReady } from './harness.mjs';

const $ = (id) => `[data-testid="${id}"]`;
const needsVm = { skip: FAKE && 'needs the real worker' };

// Garbage at a steady rate on top of a live set of about 1,000 small tables.
const CHURN = `local keep = {}
for i = 1, 60000 do
  keep[i % 1000 + 1] = { i, tostring(i) }
end
print("churned", #keep)
`;
// collectgarbage("incremental") returns the mode the collector was in: the output depends on it.
const MODE_DEPENDENT = `print("before")
print(collectgarbage("incremental"))
print("after")
`;
const pause = (p) => ({ mode: 'incremental', params: { pause: p, stepmul: 100, stepsize: 13 } });
const gen = () => ({ mode: 'generational', params: { minormul: 20, majormul: 100 } });

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => {
  await env?.close();
});

async function compareIn(page, source, settings) {
  await waitReady(page);
  return page.evaluate(async ([s, list]) => {
    window.playground.setSource(s);
    return window.playground.compare(list);
  }, [source, settings]);
}

// Pause 150, not 100: at 100 a cycle starts as soon as the last one ends, and with Lua 5.4's
// pace (stepmul units per 16 bytes) the churn then runs about 4,000 cycles, whose events outrun
// the inspector's bounded ring between two reads, so the chart could not mark every cycle.
test('a churn script under pause 150 and 400: 400 peaks higher and collects fewer times', needsVm,
  async () => {
    const { page, ctx, problems } = await openPage(env);
    const rows = await compareIn(page, CHURN, [pause(150), pause(400)]);
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.equal(row.status, 'finished');
      for (const key of ['peakBytes', 'finalBytes', 'cycles', 'longestStepMs', 'p99StepMs', 'gcMs',
        'elapsedMs', 'instructions']) {
        assert.equal(typeof row[key], 'number', `${key} is a number`);
      }
    }
    const [p150, p400] = rows;
    assert.ok(p400.peakBytes > p150.peakBytes, `peaks ${p150.peakBytes} vs ${p400.peakBytes}`);
    assert.ok(p400.cycles < p150.cycles, `cycles ${p150.cycles} vs ${p400.cycles}`);
    assert.ok(p150.cycles >= 2, `pause 150 ran ${p150.cycles} cycles`);
    // The same script executes (nearly: a slice's count is approximate) the same instructions
    // whatever the collector does.
    assert.ok(Math.abs(p150.instructions - p400.instructions) < p150.instructions / 1000,
      `${p150.instructions} vs ${p400.instructions}`);

    // The table: one row per setting, the best peak marked on the pause-150 row and the fewest
    // cycles on the pause-400 row; both printed the same.
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="compare-status"]').dataset.status === 'done');
    const table = await page.$$eval(`${$('compare-table')} tbody tr`, (trs) => trs.map((tr) => ({
      status: tr.dataset.status,
      best: [...tr.querySelectorAll('td.is-best')].map((td) => td.dataset.key),
      output: tr.querySelector('.cmp-out').dataset.output,
    })));
    assert.equal(table.length, 2);
    assert.ok(table[0].best.includes('peakBytes'), JSON.stringify(table));
    assert.ok(table[1].best.includes('cycles'), JSON.stringify(table));
    assert.ok(!table[1].best.includes('peakBytes'));
    assert.deepEqual(table.map((r) => r.output), ['same', 'same']);
    assert.equal(await page.isHidden($('compare-diff')), true);
    // The chart has one curve per run, with cycle markers on each.
    const box = await page.$eval($('compare-chart'), (b) => ({ ...b.dataset }));
    assert.equal(box.axis, 'bytes', 'bytes allocated is the default x axis');
    const points = box.points.split(' ').map(Number);
    const markers = box.markers.split(' ').map(Number);
    assert.equal(points.length, 2);
    assert.ok(points.every((n) => n > 10), box.points);
    // Each run has a marker per cycle (the final partial one has none).
    assert.ok(Math.abs(markers[0] - p150.cycles) <= 1, `${box.markers} vs ${p150.cycles}`);
    assert.ok(Math.abs(markers[1] - p400.cycles) <= 1, `${box.markers} vs ${p400.cycles}`);
    // Hovering a marker of run 2 tells its run and its cycle.
    const at = await page.$eval($('compare-chart'), (b) => {
      const meta = b.chart.getDatasetMeta(3);  // run 2's markers
      const p = meta.data[Math.floor(meta.data.length / 2)];
      const r = b.chart.canvas.getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await page.mouse.move(at.x, at.y);
    await page.waitForFunction(() => {
      const t = document.querySelector('[data-testid="compare-chart"]').chart.tooltip;
      return t.opacity > 0 && t.body?.length > 0;
    });
    const tip = await page.$eval($('compare-chart'), (b) =>
      b.chart.tooltip.body.flatMap((x) => x.lines).join('\n'));
    assert.match(tip, /run 2: incremental pause=400/);
    assert.match(tip, /cycle end at/);
    await page.screenshot({ path: join(ARTIFACTS, 'compare-marker-tooltip.png') });
    await page.click(`${$('compare-axis')} button[data-axis="instr"]`);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="compare-chart"]').dataset.axis === 'instr');
    assert.equal(await page.isVisible($('heap-chart')), false, 'the view replaces the run panels');
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  });

test('runs whose output depends on the collector are flagged', needsVm, async () => {
  const { page, ctx, problems } = await openPage(env);
  const rows = await compareIn(page, MODE_DEPENDENT, [
    { mode: 'incremental', params: {} }, { mode: 'generational', params: {} },
    { mode: 'incremental', params: { pause: 300 } }]);
  assert.deepEqual(rows.map((r) => r.status), ['finished', 'finished', 'finished']);
  await page.waitForSelector(`${$('compare-diff')}:not([hidden])`);
  const flag = await page.textContent($('compare-diff'));
  assert.match(flag, /run 2 \(generational minormul=20 majormul=100\) printed “generational” where run 1 printed “incremental” \(line 2\)/);
  assert.doesNotMatch(flag, /run 3/);
  const outputs = await page.$$eval(`${$('compare-table')} tbody .cmp-out`,
    (tds) => tds.map((td) => td.dataset.output));
  assert.deepEqual(outputs, ['same', 'differs', 'same']);
  // The contract refuses a list it cannot compare, and the view keeps its last comparison.
  await assert.rejects(page.evaluate(() => window.playground.compare([{ mode: 'incremental' }])),
    /1 setting to compare/);
  await assert.rejects(page.evaluate(() => window.playground.compare([
    { mode: 'incremental' }, { mode: 'incremental', params: { pause: -1 } }])),
  /setting 2: parameter pause out of range/);
  assert.equal(await page.$$eval(`${$('compare-table')} tbody tr`, (trs) => trs.length), 3);
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('runs that end in an error say so once, with the message', needsVm, async () => {
  const { page, ctx } = await openPage(env);
  const rows = await compareIn(page, 'print("start")\nlocal t = nil\nprint(#t)\n',
    [pause(100), gen()]);
  assert.deepEqual(rows.map((r) => r.status), ['error', 'error']);
  await page.waitForSelector(`${$('compare-errors')}:not([hidden])`);
  assert.equal(await page.textContent($('compare-errors')),
    "runs 1 and 2 ended in an error: main.lua:3: attempt to get length of a nil value (local 't')");
  // Both printed the same and failed the same way: nothing to flag.
  assert.equal(await page.isHidden($('compare-diff')), true);
  await ctx.close();
});

test('a share link carries the script and the compared settings', needsVm, async () => {
  const { page, ctx } = await openPage(env);
  await waitReady(page);
  const settings = [pause(150), { mode: 'luajit', params: { pause: 300, stepmul: 400 } },
    { mode: 'generational', params: { minormul: 30, majormul: 200 } }];
  await page.evaluate((list) => window.playground.setSource('print("shared compare")\n'), settings);
  await page.click($('compare-open'));
  // Build the three settings through the view's own controls.
  await page.click($('compare-add'));
  const rows = page.locator(`${$('compare-settings')} .cmp-setting`);
  assert.equal(await rows.count(), 3);
  for (let i = 0; i < settings.length; i++) {
    const row = rows.nth(i);
    await row.locator('select').selectOption(settings[i].mode);
    for (const [name, value] of Object.entries(settings[i].params)) {
      await row.locator(`input[data-param="${name}"]`).fill(String(value));
      await row.locator(`input[data-param="${name}"]`).dispatchEvent('change');
    }
  }
  const expected = await page.evaluate(() => window.playground.compareSettings());
  assert.deepEqual(expected[0], pause(150));
  assert.deepEqual(expected[1], settings[1]);
  assert.deepEqual(expected[2], settings[2]);
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.click($('share'));
  await page.waitForFunction(() => location.hash.startsWith('#v1.'));
  const hash = await page.evaluate(() => location.hash);

  const other = await openPage(env, { path: `/${hash}` });
  assert.equal(await other.page.isVisible($('compare')), true, 'the view opens');
  assert.deepEqual(await other.page.evaluate(() => window.playground.compareSettings()), expected);
  assert.equal(await other.page.evaluate(() => window.playground.getSource()),
    'print("shared compare")\n');
  await other.ctx.close();
  await ctx.close();
});

test('the compared settings are remembered across a reload, as the script is', async () => {
  const { page, ctx } = await openPage(env);
  await waitReady(page);
  await page.click($('compare-open'));
  await page.click($('compare-add'));
  const rows = page.locator(`${$('compare-settings')} .cmp-setting`);
  assert.equal(await rows.count(), 3);
  await rows.nth(2).locator('select').selectOption('luajit');
  const pauseInput = rows.nth(2).locator('input[data-param="pause"]');
  await pauseInput.fill('333');
  await pauseInput.dispatchEvent('change');
  const before = await page.evaluate(() => window.playground.compareSettings());
  assert.equal(before.length, 3);
  assert.equal(before[2].mode, 'luajit');
  assert.equal(before[2].params.pause, 333);
  await page.reload();
  await waitReady(page);
  assert.deepEqual(await page.evaluate(() => window.playground.compareSettings()), before);
  await ctx.close();
});

test('Skip ends one run, Stop ends the current run and skips the rest', needsVm, async () => {
  const { page, ctx, problems } = await openPage(env);
  await waitReady(page);
  await page.evaluate(() => {
    window.playground.setSource('local t = {}\nwhile true do t[#t % 500 + 1] = {} end\n');
    window.compareDone = window.playground.compare([
      { mode: 'incremental', params: {} }, { mode: 'generational', params: {} },
      { mode: 'luajit', params: {} }]);
  });
  // Let the first run go for a moment, then press the view's Stop.
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="compare-status"]').textContent === 'running 1 of 3');
  await page.waitForFunction(() => {
    const b = document.querySelector('[data-testid="compare-chart"]');
    return !b.classList.contains('is-empty');
  });
  // Skip: run 1 ends, run 2 starts.
  await page.click($('compare-skip'));
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="compare-status"]').textContent === 'running 2 of 3');
  const stopped = Date.now();
  await page.click($('compare-stop'));
  const rows = await page.evaluate(() => window.compareDone);
  assert.ok(Date.now() - stopped < 3000, 'stopped within a few slices');
  assert.deepEqual(rows.map((r) => r.status), ['stopped', 'stopped', 'stopped']);
  assert.ok(rows[0].instructions > 0, 'the first run had started');
  assert.ok(rows[1].instructions > 0, 'the second run had started');
  assert.equal(rows[2].instructions, null, 'the third never ran');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="compare-status"]').dataset.status === 'stopped');
  assert.equal(await page.textContent($('compare-status')), 'stopped after 0 of 3 runs');
  assert.equal(await page.isDisabled($('compare-stop')), true);
  assert.equal(await page.isEnabled($('compare-run')), true);
  // A stopped run's partial output is not compared.
  assert.equal(await page.isHidden($('compare-diff')), true);
  // The view can compare again at once.
  const again = await page.evaluate(async () => {
    window.playground.setSource('print(1)\n');
    return window.playground.compare(window.playground.compareSettings());
  });
  assert.deepEqual(again.map((r) => r.status), ['finished', 'finished', 'finished']);
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('closing the view brings the run panels back drawn at their size', needsVm, async () => {
  const { page, ctx, problems } = await openPage(env);
  await waitReady(page);
  await page.click($('compare-open'));
  assert.equal(await page.isVisible($('compare')), true);
  assert.equal(await page.isVisible($('heap-chart')), false);
  // A main run while the view is open: its panels redraw while they are hidden.
  await runScript(page, CHURN);
  await page.click($('compare-close'));
  assert.equal(await page.isVisible($('heap-chart')), true);
  // By the second frame after Close the timeline has been drawn again at its width.
  const [width, drawn] = await page.evaluate(() => new Promise((resolve) => {
    requestAnimationFrame(() => requestAnimationFrame(() => {
      const track = document.querySelector('[data-testid="timeline"]');
      resolve([Math.round(track.clientWidth) * (window.devicePixelRatio || 1),
        track.querySelector('canvas').width]);
    }));
  }));
  assert.ok(width > 100);
  assert.equal(drawn, width);
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('screenshots: a comparison at 1280x720 and at 390 px', needsVm, async () => {
  for (const [name, viewport] of [['compare-1280x720.png', { width: 1280, height: 720 }],
    ['compare-390.png', { width: 390, height: 844 }]]) {
    const { page, ctx } = await openPage(env, { viewport });
    await compareIn(page, CHURN + MODE_DEPENDENT, [pause(100), pause(400),
      { mode: 'generational', params: {} }]);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="compare-status"]').dataset.status === 'done');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    if (viewport.width < 500) {
      await page.locator($('compare')).screenshot({ path: join(ARTIFACTS, name) });
    } else {
      await page.screenshot({ path: join(ARTIFACTS, name) });
    }
    await ctx.close();
  }
});
