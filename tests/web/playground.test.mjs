// playground.test.mjs - end-to-end tests of the playground page in headless Chromium.
//
// Each test opens its own browser context (its own localStorage) on the built site. The scripts
// are real Lua; the `--fake:` comments only steer tests/web/fake-worker.js (see its header) when
// the suite runs with LUNETTE_WEB_WORKER=fake, and are plain comments to the real VM.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ARTIFACTS, openPage, runScript, startBrowser, startScript, waitReady, waitStatus,
} from './harness.mjs';

const CONTRACT_IDS = ['editor', 'run', 'stop', 'console', 'status', 'gc-mode', 'heap-chart',
  'types-chart', 'coroutine-chart', 'coroutine-table', 'examples', 'share'];

const ALLOC_LOOP = `-- allocate short-lived tables for about 1.5 s
local t0, keep, n = os.clock(), {}, 0
while os.clock() - t0 < 1.5 do
  n = n + 1
  keep[n % 500 + 1] = { n, tostring(n) }
end
print("allocated", n)
--fake: duration=1500
`;

const COROUTINES = `local a = coroutine.create(function() coroutine.yield(1) end)
coroutine.resume(a)
local b = coroutine.create(function() return 1 end)
coroutine.resume(b)
local c = coroutine.create(function() error("boom") end)
coroutine.resume(c)
local d = coroutine.wrap(function() coroutine.yield() end)
keep = { a, b, c, d }
print(coroutine.status(a), coroutine.status(b), coroutine.status(c))
--fake: coroutines=1:suspended,3:dead,5:error,7:suspended
`;

const $ = (id) => `[data-testid="${id}"]`;

// Waits until the chart element's numeric data attribute is at least `min`.
function waitChart(page, id, attr, min, timeout = 30_000) {
  return page.waitForFunction(([i, a, m]) => {
    const el = document.querySelector(`[data-testid="${i}"]`);
    return Number(el.dataset[a]) >= m;
  }, [id, attr, min], { timeout });
}

const saved = (page) => page.evaluate(() => localStorage.getItem('lunette.source.v1'));
const source = (page) => page.evaluate(() => window.playground.getSource());

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => {
  await env?.close();
});

test('page loads with every panel, no console errors, no request off 127.0.0.1', async () => {
  const { page, ctx, problems } = await openPage(env);
  await waitReady(page);
  for (const id of CONTRACT_IDS) {
    assert.equal(await page.locator($(id)).count(), 1, `data-testid=${id}`);
  }
  await page.waitForSelector(`${$('editor')} .monaco-editor .view-lines`);
  // Lua highlighting: keywords get their own token colour class.
  await page.evaluate(() => window.playground.setSource('local x = 1 -- hi'));
  const tokens = `${$('editor')} .view-line span span`;
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length >= 3, tokens);
  const classes = await page.$$eval(tokens, (els) => new Set(els.map((e) => e.className)).size);
  assert.ok(classes >= 3, `expected several token classes, got ${classes}`);
  const state = await page.evaluate(() => window.playground.state());
  assert.equal(state.status, 'idle');
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.external, []);
  await ctx.close();
});

test('typing a script and pressing Ctrl+Enter runs it and shows its output', async () => {
  const { page, ctx, problems } = await openPage(env);
  await waitReady(page);
  await page.click(`${$('editor')} .view-lines`);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('print("typed", 42)');
  assert.equal(await page.evaluate(() => window.playground.getSource()), 'print("typed", 42)');
  await page.keyboard.press('Control+Enter');
  const state = await waitStatus(page, ['finished', 'error']);
  assert.equal(state.status, 'finished', JSON.stringify(state.error));
  assert.equal(state.output, 'typed\t42\n');
  // The console renders on the next animation frame: wait for it rather than race it.
  await page.waitForFunction(
    (selector) => /typed\s+42/.test(document.querySelector(selector)?.innerText ?? ''), $('console'));
  assert.match(await page.locator($('console')).innerText(), /typed\s+42/);
  assert.match(await page.locator($('status')).innerText(), /finished/);
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('run() reports running before it returns', async () => {
  const { page, ctx } = await openPage(env);
  await waitReady(page);
  const status = await page.evaluate(() => {
    window.playground.setSource('while true do end');
    window.playground.run();
    return window.playground.state().status;
  });
  assert.equal(status, 'running');
  await page.evaluate(() => window.playground.stop());
  await waitStatus(page, 'stopped', 10_000);
  await ctx.close();
});

test('an allocation loop grows the heap chart and marks completed GC cycles', async () => {
  const { page, ctx, problems } = await openPage(env);
  await startScript(page, ALLOC_LOOP);
  const heap = page.locator($('heap-chart'));
  await waitChart(page, 'heap-chart', 'rows', 1);
  const early = Number(await heap.getAttribute('data-rows'));
  await waitChart(page, 'heap-chart', 'rows', early + 1);
  await waitChart(page, 'heap-chart', 'cycles', 1, 20_000);
  const state = await waitStatus(page, ['finished', 'error']);
  assert.equal(state.status, 'finished', JSON.stringify(state.error));
  assert.ok(state.gc.cycles >= 1, `cycles: ${state.gc.cycles}`);
  // The status line states the run's longest collector pause (what tuning stepmul buys).
  assert.match(await page.locator($('status')).innerText(), /longest pause \d/);
  assert.ok(state.samples > early, `samples: ${state.samples}`);
  assert.ok(state.gc.total > 0 && state.gc.threshold > 0);
  assert.ok(Number(await page.locator($('types-chart')).getAttribute('data-points')) > 0);
  // Switching the x-axis to bytes allocated keeps every point.
  await page.click('#x-axis button[data-axis="bytes"]');
  await page.waitForSelector('#x-axis button[data-axis="bytes"][aria-pressed="true"]');
  assert.ok(Number(await heap.getAttribute('data-points')) > 0);
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('hovering a cycle marker shows the cycle summary', async () => {
  const { page, ctx } = await openPage(env);
  const state = await runScript(page, ALLOC_LOOP);
  assert.equal(state.status, 'finished', JSON.stringify(state.error));
  await waitChart(page, 'heap-chart', 'cycles', 1);
  // Chart rebuilds pace themselves: let the chart draw every sample of the run (and settle)
  // before aiming at a marker, or a later rebuild moves it from under the mouse.
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="heap-chart"]').dataset.rows ===
    String(window.playground.state().samples));
  // Aim at the first marker, and aim again if a redraw moved it before the tooltip showed.
  const tooltipShowsASummary = () => {
    const tip = document.querySelector('[data-testid="heap-chart"]').chart.tooltip;
    return tip.opacity > 0 && tip.body.some((b) => b.lines.some((l) => /freed/.test(l)));
  };
  let shown = false;
  for (let attempt = 0; attempt < 6 && !shown; attempt++) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const at = await page.evaluate(() => {
      const chart = document.querySelector('[data-testid="heap-chart"]').chart;
      const marker = chart.getDatasetMeta(3).data[0];
      const rect = chart.canvas.getBoundingClientRect();
      return { x: rect.left + marker.x, y: rect.top + marker.y };
    });
    await page.mouse.move(at.x - 5, at.y - 5);
    await page.mouse.move(at.x, at.y);
    shown = await page.waitForFunction(tooltipShowsASummary, null, { timeout: 5000 })
      .then(() => true, () => false);
  }
  assert.ok(shown, 'no cycle summary in the tooltip over the first cycle marker');
  const lines = await page.evaluate(() => document.querySelector('[data-testid="heap-chart"]').chart
    .tooltip.body.flatMap((b) => b.lines));
  assert.ok(lines.some((l) => /^cycle end at/.test(l)), lines.join(' | '));
  assert.ok(lines.some((l) => /^duration /.test(l)), lines.join(' | '));
  await page.screenshot({ path: join(ARTIFACTS, 'cycle-tooltip.png') });
  await ctx.close();
});

test('coroutines show in the table with their statuses; filter, sort, jump to line', async () => {
  const { page, ctx, problems } = await openPage(env);
  const state = await runScript(page, COROUTINES);
  assert.equal(state.status, 'finished', JSON.stringify(state.error));
  const table = page.locator($('coroutine-table'));
  const rows = `${$('coroutine-table')} tbody tr`;
  await page.waitForFunction((sel) => document.querySelector(`${sel}[data-line="7"]`), rows);
  const statusAt = (line) => table.locator(`tbody tr[data-line="${line}"]`)
    .getAttribute('data-status');
  assert.equal(await statusAt(1), 'suspended');
  assert.equal(await statusAt(3), 'dead');
  assert.equal(await statusAt(5), 'dead');
  assert.equal(await statusAt(7), 'suspended');
  assert.match(await table.locator('tbody tr[data-line="5"] .pill').innerText(), /error/);
  const records = state.coroutines.filter((r) => [1, 3, 5, 7].includes(r.site?.line));
  assert.equal(records.length, 4);

  await table.locator('select[data-role="co-filter"]').selectOption('suspended');
  await page.waitForFunction((sel) => [...document.querySelectorAll(sel)]
    .every((tr) => tr.dataset.status === 'suspended'), rows);
  assert.equal(await table.locator('tbody tr[data-line="1"]').count(), 1);
  assert.equal(await table.locator('tbody tr[data-line="3"]').count(), 0);

  await table.locator('select[data-role="co-filter"]').selectOption('all');
  await table.locator('th button[data-sort="id"]').click(); // already ascending: now descending
  await table.locator('th[aria-sort="descending"]').waitFor();
  const ids = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => +tr.dataset.id));
  assert.deepEqual(ids, [...ids].sort((x, y) => y - x));

  await table.locator('tbody tr[data-line="3"] a.src-link').click();
  assert.equal(await page.evaluate(() => window.playground.cursorLine()), 3);
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('Stop ends an infinite loop', async () => {
  const { page, ctx, problems } = await openPage(env);
  await startScript(page, 'local n = 0\nwhile true do n = n + 1 end\n');
  await page.waitForFunction(() => window.playground.state().instructions > 0);
  await page.waitForSelector(`${$('stop')}:enabled`, { timeout: 5_000 });
  await page.click($('stop'));
  const state = await waitStatus(page, ['stopped', 'error', 'finished'], 10_000);
  assert.equal(state.status, 'stopped');
  assert.equal(await page.isEnabled($('stop')), false);
  assert.match(await page.locator($('status')).innerText(), /stopped/);
  // The page is usable again at once.
  const again = await runScript(page, 'print("again")');
  assert.equal(again.output, 'again\n');
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('a syntax error becomes a marker at its line and a clickable console location', async () => {
  const { page, ctx, problems } = await openPage(env);
  const state = await runScript(page, 'print("ok")\nlocal x = = 1\n');
  assert.equal(state.status, 'error');
  assert.equal(state.error.line, 2);
  assert.equal(state.error.kind, 'syntax');
  assert.deepEqual(state.error.position, { chunk: 'main.lua', line: 2 });
  assert.match(state.error.message, /main\.lua:2:/);
  assert.equal(await page.locator(`${$('console')} .log-err-kind`).last().innerText(),
    'SYNTAX ERROR');
  await page.waitForFunction(() => window.playground.markers().length === 1);
  const markers = await page.evaluate(() => window.playground.markers());
  assert.deepEqual(markers.map((m) => m.line), [2]);
  await page.waitForSelector(`${$('editor')} .squiggly-error`);
  const link = page.locator(`${$('console')} .log-err a.src-link`).first();
  assert.equal(await link.getAttribute('data-line'), '2');
  await link.click();
  assert.equal(await page.evaluate(() => window.playground.cursorLine()), 2);
  // Editing the text clears the now-stale marker.
  await page.keyboard.type('x');
  await page.waitForFunction(() => window.playground.markers().length === 0);
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('a runtime error shows its message and traceback, and marks its line', async () => {
  const { page, ctx } = await openPage(env);
  const state = await runScript(page, 'print("before")\nlocal t = nil\nerror("boom")\n');
  assert.equal(state.status, 'error');
  assert.equal(state.output, 'before\n');
  assert.equal(state.error.line, 3);
  assert.equal(state.error.kind, 'runtime');
  assert.match(state.error.message, /boom/);
  const text = await page.locator($('console')).innerText();
  assert.match(text, /main\.lua:3: boom/);
  assert.match(text, /stack traceback/);
  await page.waitForFunction(() => window.playground.markers().some((m) => m.line === 3));
  await ctx.close();
});

test('an error inside the message handler is labelled as one and marks the error\'s line', async () => {
  const { page, ctx } = await openPage(env);
  // The error object's __tostring overflows the stack while the run names the error.
  const state = await runScript(page, 'local function deeper() return deeper() + 1 end\n' +
    'error(setmetatable({}, {__tostring = function() return deeper() end}))\n');
  assert.equal(state.status, 'error');
  assert.equal(state.error.kind, 'handler');
  assert.equal(state.error.line, 2);
  assert.match(state.error.message, /stack overflow/);
  assert.equal(await page.locator(`${$('console')} .log-err-kind`).last().innerText(),
    'ERROR IN ERROR HANDLING');
  await ctx.close();
});

test('a share link restores the script and the GC settings exactly', async () => {
  const { page, ctx } = await openPage(env);
  await waitReady(page);
  const source = 'print("héllo <b>not html</b> 🌙")\n-- tabs\tand "quotes"\n';
  await page.evaluate((s) => {
    window.playground.setSource(s);
    window.playground.setGc('generational', { minormul: 33, majormul: 150 });
  }, source);
  await page.click($('share'));
  await page.waitForFunction(() => location.hash.startsWith('#v1.'));
  const link = page.url();
  await ctx.close();

  const other = await openPage(env, { path: new URL(link).hash });
  const got = await other.page.evaluate(() => ({
    source: window.playground.getSource(), gc: window.playground.state().gc,
    select: document.querySelector('[data-testid="gc-mode"]').value,
  }));
  assert.equal(got.source, source);
  assert.equal(got.gc.mode, 'generational');
  assert.deepEqual(got.gc.params, { minormul: 33, majormul: 150 });
  assert.equal(got.select, 'generational');
  assert.equal(await other.page.locator('[data-gc-param], .gc-params input').count(), 2);
  const minormul = other.page.locator('.gc-params input[data-param="minormul"]');
  assert.equal(await minormul.inputValue(), '33');
  // The script stays text: nothing in it became markup.
  assert.equal(await other.page.locator('b').count(), 0);
  assert.deepEqual(other.problems.errors, []);
  await other.ctx.close();
});

test('a corrupt or over-long link shows a clear message and keeps the saved text', async () => {
  const { page, ctx } = await openPage(env);
  const mine = '-- my saved work\nprint(1)\n';
  await page.evaluate((s) => window.playground.setSource(s), mine);
  await page.waitForFunction((s) => localStorage.getItem('lunette.source.v1') === s, mine);

  for (const [hash, why] of [
    ['#v1.AAAAgarbage-_-_', /could not be opened/],
    ['#v1.not*base64!', /could not be opened/],
    [`#v1.${'A'.repeat(70_000)}`, /too long/],
    ['#v9.abc', /format v9/],
  ]) {
    await page.goto('about:blank');
    await page.goto(env.url + hash);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const notice = page.locator($('notice'));
    await notice.waitFor({ state: 'visible' });
    assert.match(await notice.innerText(), why, hash.slice(0, 20));
    assert.match(await notice.innerText(), /saved script is unchanged/);
    assert.equal(await source(page), mine);
    assert.equal(await saved(page), mine);
  }
  await ctx.close();
});

test('reloading restores the autosaved text and GC settings', async () => {
  const { page, ctx } = await openPage(env);
  await page.click(`${$('editor')} .view-lines`);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('-- typed before reload');
  await page.selectOption($('gc-mode'), 'luajit');
  await page.waitForFunction(() => document.querySelectorAll('.gc-params input').length === 2);
  await page.fill('.gc-params input[data-param="stepmul"]', '350');
  await page.press('.gc-params input[data-param="stepmul"]', 'Tab');
  await page.waitForFunction(() => /^-- typed/.test(localStorage.getItem('lunette.source.v1')));
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  assert.equal(await page.evaluate(() => window.playground.getSource()), '-- typed before reload');
  const gc = await page.evaluate(() => window.playground.state().gc);
  assert.equal(gc.mode, 'luajit');
  assert.equal(gc.params.stepmul, 350);
  await ctx.close();
});

test('GC parameters follow the mode and are clamped to their range', async () => {
  const { page, ctx } = await openPage(env);
  assert.equal(await page.locator('.gc-params input').count(), 3); // incremental
  await page.selectOption($('gc-mode'), 'generational');
  await page.waitForFunction(() => document.querySelectorAll('.gc-params input').length === 2);
  const names = await page.locator('.gc-params input')
    .evaluateAll((els) => els.map((e) => e.dataset.param));
  assert.deepEqual(names, ['minormul', 'majormul']);
  await page.fill('.gc-params input[data-param="majormul"]', '99999');
  await page.press('.gc-params input[data-param="majormul"]', 'Tab');
  assert.equal(await page.locator('.gc-params input[data-param="majormul"]').inputValue(), '1000');
  const gc = await page.evaluate(() => window.playground.setGc('incremental', { pause: 150 }));
  assert.deepEqual(gc.params, { pause: 150, stepmul: 100, stepsize: 13 });
  await page.waitForFunction(() => document.querySelector('[data-testid="gc-mode"]').value
    === 'incremental' && document.querySelector('.gc-params input[data-param="pause"]')?.value
    === '150');
  await ctx.close();
});

test('GC settings apply live during a run; Full collect shrinks the heap after it', async () => {
  const { page, ctx, problems } = await openPage(env);
  await startScript(page, ALLOC_LOOP);
  await page.waitForFunction(() => window.playground.state().samples > 2);
  await page.selectOption($('gc-mode'), 'generational');
  await page.waitForFunction(() => document.querySelectorAll('.gc-params input').length === 2);
  const state = await waitStatus(page, ['finished', 'error']);
  assert.equal(state.status, 'finished', JSON.stringify(state.error));
  assert.equal(state.gc.mode, 'generational');
  const before = state.gc.total;
  await page.click($('gc-collect'));
  await page.waitForFunction((b) => window.playground.state().gc.total < b, before);
  await page.waitForFunction(() =>
    /heap .*threshold/.test(document.querySelector('.gc-readout').innerText));
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

test('the examples menu lists examples/*.lua and loads one undoably', async () => {
  const { page, ctx } = await openPage(env);
  await page.evaluate(() => window.playground.setSource('-- mine'));
  const examples = await page.evaluate(() => window.playground.examples());
  assert.ok(examples.length >= 1);
  const hello = examples.find((e) => e.file === 'hello.lua');
  assert.ok(hello, 'hello.lua is listed');
  assert.match(hello.title, /Hello from Lunette/);
  // The description is the second comment line of the file, whatever it says.
  const secondLine = readFileSync(new URL('../../examples/hello.lua', import.meta.url), 'utf8')
    .split('\n')[1].replace(/^--\s*/, '');
  assert.equal(hello.description, secondLine);
  await page.click($('examples'));
  await page.click('[role="menu"] [data-example="hello.lua"]');
  assert.match(await page.evaluate(() => window.playground.getSource()), /^-- Title: Hello from Lunette/);
  await page.click(`${$('editor')} .view-lines`);
  await page.keyboard.press('Control+Z');
  assert.equal(await page.evaluate(() => window.playground.getSource()), '-- mine');
  await ctx.close();
});

test('a worker that stops answering is replaced and the page says so', async () => {
  const { page, ctx } = await openPage(env);
  // A comparator that never returns runs inside table.sort, a native call the VM cannot pause
  // in: the real worker sends nothing more (the fake one is told to hang).
  const hang = '--fake: hang\ntable.sort({3, 2, 1}, function(a, b) while true do end end)\n';
  const state = await runScript(page, hang, ['error', 'stopped']);
  assert.equal(state.status, 'error');
  assert.match(state.error.message, /stopped answering/);
  await page.locator($('notice')).waitFor({ state: 'visible' });
  const again = await runScript(page, 'print("alive")');
  assert.equal(again.output, 'alive\n');
  await ctx.close();
});

test('Stop ends code stuck in a native call by restarting the worker', async () => {
  const { page, ctx } = await openPage(env);
  await startScript(page, '--fake: hang\ntable.sort({3, 2, 1}, function() while true do end end)\n');
  await page.waitForSelector(`${$('stop')}:enabled`, { timeout: 5_000 });
  await page.click($('stop'));
  const state = await waitStatus(page, ['stopped', 'error'], 10_000);
  assert.equal(state.status, 'stopped');
  assert.match(await page.locator($('console')).innerText(), /did not stop in time/);
  const again = await runScript(page, 'print("alive")');
  assert.equal(again.output, 'alive\n');
  await ctx.close();
});

test('screenshots: a running example at 1280x720 and the stacked narrow layout', async () => {
  const { page, ctx, problems } = await openPage(env);
  await startScript(page, SHOWCASE);
  await waitChart(page, 'heap-chart', 'cycles', 3, 20_000);
  await page.screenshot({ path: join(ARTIFACTS, 'running-1280x720.png') });
  // Everything important is on screen at 1280x720.
  for (const id of ['editor', 'run', 'console', 'status', 'heap-chart']) {
    const box = await page.locator($(id)).boundingBox();
    assert.ok(box && box.y + 20 < 720 && box.x + 20 < 1280, `${id} visible`);
  }
  await page.setViewportSize({ width: 420, height: 900 });
  await page.waitForTimeout(200); // let the charts' resize observers settle before the picture
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  const editor = await page.locator($('editor')).boundingBox();
  const heap = await page.locator($('heap-chart')).boundingBox();
  assert.ok(heap.y > editor.y + editor.height, 'panels stack below the editor');
  await page.screenshot({ path: join(ARTIFACTS, 'narrow-420.png'), fullPage: true });
  await page.evaluate(() => window.playground.stop());
  await waitStatus(page, ['stopped', 'finished', 'error']);
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});

const SHOWCASE = `-- A producer/consumer pipeline that churns through garbage.
local function producer(n)
  return coroutine.create(function()
    for i = 1, n do coroutine.yield({ id = i, payload = string.rep("x", 64) }) end
  end)
end

local workers, t0, made = {}, os.clock(), 0
while os.clock() - t0 < 6 do
  local p = producer(50)
  workers[#workers % 40 + 1] = p
  for _ = 1, 25 do
    local ok, item = coroutine.resume(p)
    if ok and item then made = made + #item.payload end
  end
end
print("made", made)
--fake: duration=6000 coroutines=3:suspended,3:suspended,3:dead,3:collected,3:running
`;

test('after a run the top bar stays one row at 1280 px; the status keeps its whole text as a title',
  async () => {
    const { page, ctx, problems } = await openPage(env, { viewport: { width: 1280, height: 720 } });
    // One row of 30 px controls makes a bar under 60 px high; a second row adds 38 px.
    const oneRow = () => page.evaluate(
      () => document.querySelector('.topbar').getBoundingClientRect().height < 60);
    assert.ok(await oneRow(), 'one row before the run');
    const state = await runScript(page,
      'local keep = {}\nfor i = 1, 60000 do keep[i % 500 + 1] = { i } end\ncollectgarbage()\n');
    assert.equal(state.status, 'finished');
    assert.ok(await oneRow(), 'one row after the run');
    const title = await page.locator('[data-testid="status"]').getAttribute('title');
    assert.match(title,
      /^finished · [^·]+ · \d+ GC cycles · longest pause [^·]+ · [\d.,]+[kM]? instructions$/);
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  });

test('a memory bomb ends as a typed out-of-memory error marked at its line', async () => {
  const { page, ctx, problems } = await openPage(env);
  const state = await runScript(page, [
    'require("lunette").memorylimit(16 * 1024 * 1024)',
    'local t = {}',
    'for i = 1, 1e9 do t[i] = ("x"):rep(1000) .. i end',
  ].join('\n'));
  assert.equal(state.status, 'error');
  assert.equal(state.error.kind, 'memory');
  assert.equal(state.error.message, 'not enough memory');
  assert.equal(state.error.line, 3);
  assert.equal(await page.locator(`${$('console')} .log-err-kind`).last().innerText(),
    'OUT OF MEMORY (THE HEAP LIMIT WAS REACHED)');
  await page.waitForFunction(() => window.playground.markers().some((m) => m.line === 3));
  assert.deepEqual(problems.errors, []);
  await ctx.close();
});
