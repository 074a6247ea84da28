// server.test.mjs - the Server selector on the real page: an ngx example run on its virtual
// clock (the virtual-time axis, the "waiting for" column, stuck waiters as suspects with their
// path through the semaphore), the setting kept by autosave and carried by share links, and
// screenshots at 1280x720 and 390 px. Needs the real worker (the fake one has no shims).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ARTIFACTS, FAKE, openPage, runScript, startScript, waitReady, waitStatus, startBrowser,
} from './harness.mjs';

const $ = (id) => `[data-testid="${id}"]`;
const needsVm = { skip: FAKE && 'needs the real worker' };

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => {
  await env?.close();
});

// Picks an example from the menu and runs it to the end.
async function runExample(page, file) {
  await waitReady(page);
  await page.click($('examples'));
  await page.click(`[role="menu"] [data-example="${file}"]`);
  await page.evaluate(() => window.playground.run());
  return waitStatus(page, ['finished', 'error', 'stopped'], 60_000);
}

// The drawn "waiting for" cells of the coroutine table.
const waitingCells = (page) => page.$$eval(`${$('coroutine-table')} tbody td.col-waiting`,
  (cells) => cells.map((c) => c.textContent));

test('an ngx example runs on its virtual clock: the axis, the waiting column, stuck suspects',
  needsVm, async () => {
    const { page, ctx, problems } = await openPage(env);
    const state = await runExample(page, 'ngx_pending_leak.lua');
    assert.equal(state.status, 'finished', JSON.stringify(state.error));
    assert.equal(state.server, 'ngx', 'the example switched the Server selector');
    assert.equal(await page.locator($('server')).inputValue(), 'ngx');
    assert.match(state.output, /after 30 s: 599 requests/);
    // The virtual-time axis is offered, chosen, and ends at the 30 virtual seconds.
    const vtimeButton = page.locator('#x-axis button[data-axis="vtime"]');
    assert.equal(await vtimeButton.isVisible(), true);
    assert.equal(await vtimeButton.getAttribute('aria-pressed'), 'true');
    assert.equal(state.xAxis, 'vtime');
    const last = await page.evaluate((n) => window.playground.sample(n - 1), state.samples);
    assert.equal(last.vtime, 30);
    const middle = await page.evaluate(() => window.playground.seek(0.5));
    assert.equal(middle.axis, 'vtime');
    const atMiddle = await page.evaluate((row) => window.playground.sample(row), middle.row);
    assert.ok(atMiddle.vtime >= 14 && atMiddle.vtime <= 16, `half way is 15 s: ${atMiddle.vtime}`);
    await page.waitForFunction(() => /^virtual time 1\d\.\d\d s/.test(
      document.querySelector('[data-testid="timeline"]').getAttribute('aria-valuetext')));
    await page.evaluate(() => window.playground.live());
    // The waiting column: the lost replies' handlers wait for their semaphores forever.
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="coroutine-table"] table').dataset.waiting === 'on');
    const header = await page.locator(`${$('coroutine-table')} th.col-waiting`).isVisible();
    assert.ok(header, 'the "waiting for" header shows');
    const parkedIds = Object.keys(state.waiting).map(Number);
    assert.ok(parkedIds.length >= 118, `parked handlers: ${parkedIds.length}`);
    assert.deepEqual(state.stranded, parkedIds, 'the worker exited: nothing will wake them');
    await page.selectOption(`${$('coroutine-table')} select[data-role="co-filter"]`, 'suspended');
    await page.waitForFunction(() => [...document.querySelectorAll(
      '[data-testid="coroutine-table"] td.col-waiting.is-stuck')].length >= 100);
    const cells = await waitingCells(page);
    assert.ok(cells.filter((t) => /^semaphore #\d+ \(never\)$/.test(t)).length >= 100,
      cells.slice(0, 5).join(' | '));
    // Suspects: the stuck waiters, with the path through the upstream module's pending table.
    assert.ok(state.suspects.length >= 1);
    assert.ok(state.suspects.every((s) => /^semaphore #\d+$/.test(s.waitsFor)));
    const reasons = await page.$$eval(`${$('suspects-panel')} .suspect-reason`,
      (els) => els.map((e) => e.textContent));
    assert.match(reasons[0], /^waits for semaphore #\d+, which nothing will post$/);
    await page.click(`${$('suspects-panel')} li[data-index="0"]`);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="why-panel"]').dataset.state === 'found');
    const edges = await page.$$eval(`${$('why-panel')} .edge`, (els) => els.map((e) => e.textContent));
    const path = edges.join(' → ');
    assert.match(path, /_LOADED\.upstream\.pending\[\d+\]\.sema\.waiters\[1\]/, path);
    assert.match(path, /upvalue 'co'/, path);
    // The picture: the coroutine chart on the virtual-time axis above the table's column.
    await page.evaluate(() => document.querySelector('[data-testid="coroutine-chart"]')
      .closest('.card').scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(ARTIFACTS, 'server-ngx-1280x720.png') });
    // The phone layout: one column, no sideways scrolling, the table still says what waits.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);  // the charts' resize observers settle before the picture
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
    await page.screenshot({ path: join(ARTIFACTS, 'server-ngx-390.png'), fullPage: true });
    const column = await page.locator(`${$('coroutine-table')} th.col-waiting`).boundingBox();
    assert.ok(column && column.x + column.width <= 390,
      `the "waiting for" column fits the phone: ${JSON.stringify(column)}`);
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.external, []);
    await ctx.close();
  });

test('a paused ngx run shows what each parked coroutine waits for at that moment', needsVm,
  async () => {
    const { page, ctx, problems } = await openPage(env);
    await waitReady(page);
    await page.selectOption($('server'), 'ngx');
    // Ten light threads park on a semaphore, then the main task spins long enough to pause in.
    await startScript(page, [
      'local sema = require("ngx.semaphore").new()',
      'for i = 1, 10 do ngx.thread.spawn(function() sema:wait() end) end',
      'local n = 0',
      'for i = 1, 2e9 do n = n + i end',
    ].join('\n'));
    await waitStatus(page, ['running']);
    await page.click($('pause'));
    await page.waitForFunction(() => window.playground.state().paused);
    await page.waitForFunction(() => Object.keys(window.playground.state().waiting).length === 10);
    const waiting = Object.values(await page.evaluate(() => window.playground.state().waiting));
    assert.deepEqual([...new Set(waiting)], ['semaphore #1']);
    await page.waitForFunction(() => [...document.querySelectorAll(
      '[data-testid="coroutine-table"] td.col-waiting')].some((c) => c.textContent === 'semaphore #1'));
    await page.evaluate(() => window.playground.stop());
    await waitStatus(page, ['stopped']);
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  });

test('the Server setting is autosaved and carried by share links', needsVm, async () => {
  const { page, ctx, problems } = await openPage(env);
  await waitReady(page);
  await page.selectOption($('server'), 'skynet');
  assert.equal(await page.evaluate(() => localStorage.getItem('lunette.server.v1')), 'skynet');
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  assert.equal(await page.locator($('server')).inputValue(), 'skynet');
  // A run under skynet has skynet; back to none, plain Lua has neither.
  let state = await runScript(page, 'local skynet = require "skynet"\nskynet.sleep(150)\n' +
    'print(skynet.now(), ngx)');
  assert.equal(state.output, '150\tnil\n');
  assert.equal(state.runServer, 'skynet');
  await page.selectOption($('server'), 'none');
  state = await runScript(page, 'print(ngx, package.loaded.skynet)');
  assert.equal(state.output, 'nil\tnil\n');
  assert.equal(state.xAxis, 'time', 'a plain run has no virtual time');
  // The charts hide the axis at their next redraw (an animation frame, late on a loaded machine).
  const vtimeButton = page.locator('#x-axis button[data-axis="vtime"]');
  await vtimeButton.waitFor({ state: 'hidden', timeout: 5000 });
  assert.equal(await vtimeButton.isVisible(), false);
  // The link carries the server: a fresh page (its own storage) opens with it.
  await page.selectOption($('server'), 'ngx');
  await page.evaluate(() => window.playground.setSource('ngx.sleep(2) ngx.say(ngx.now() - 1700000000)'));
  await page.click($('share'));
  await page.waitForFunction(() => location.hash.startsWith('#v1.'));
  const hash = await page.evaluate(() => location.hash);
  const other = await openPage(env, { path: hash });
  assert.equal(await other.page.locator($('server')).inputValue(), 'ngx');
  const shared = await runScript(other.page, await other.page.evaluate(() => window.playground.getSource()));
  assert.equal(shared.output, '2.0\n');
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(other.problems.errors, []);
  await other.ctx.close();
  await ctx.close();
});
