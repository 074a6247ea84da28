// a11y.test.mjs - keyboard and screen readers (issue 18, item 4): Tab reaches every control of
// the page with a visible focus ring, and the charts have a text alternative giving the
// numbers of the last collector cycle.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, FAKE, openPage, runScript, startBrowser, waitReady } from './harness.mjs';

const needsVm = { skip: FAKE ? 'needs the real worker' : false };

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => {
  await env?.close();
});

// Presses Tab until focus comes back around; for each stop: what it is and whether a focus
// ring shows (an outline or box-shadow drawn by :focus-visible). In the editor, Tab indents:
// Escape first lets the next Tab leave, as a keyboard user is told by the editor's name.
async function tabStops(page, max = 80) {
  const stops = [];
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
        style.boxShadow !== 'none' || el.closest('.monaco-editor') !== null;
      const name = el.dataset.testid || el.getAttribute('aria-label') || el.id ||
        el.dataset.axis || el.textContent.trim().slice(0, 30);
      return { tag: el.tagName.toLowerCase(), name: name || el.className, ring };
    });
    if (!stop) break;
    if (stops.length && stop.name === stops[0].name && stop.tag === stops[0].tag) break;
    if (stops.at(-1)?.name === stop.name) throw new Error(`Tab is trapped in ${JSON.stringify(stops)}`);
    stops.push(stop);
    if (/^Lua source/.test(stop.name)) await page.keyboard.press('Escape');
  }
  return stops;
}

test('Tab reaches every toolbar and collector control, each with a visible focus ring',
  needsVm, async () => {
    const { page, ctx } = await openPage(env);
    await waitReady(page);
    const stops = await tabStops(page);
    const names = stops.map((s) => s.name);
    for (const id of ['run', 'server', 'examples', 'share', 'gc-mode', 'compare-open',
      'gc-collect', 'gc-step', 'timeline']) {
      assert.ok(names.includes(id), `Tab reaches ${id}: ${names.join(', ')}`);
    }
    assert.ok(names.some((n) => /^Lua source/.test(n)), 'Tab reaches the editor');
    const editorAt = names.findIndex((n) => /^Lua source/.test(n));
    assert.ok(editorAt < names.indexOf('gc-mode'), 'and leaves it for the collector controls');
    const withoutRing = stops.filter((s) => !s.ring);
    assert.deepEqual(withoutRing, [], 'every stop shows where the focus is');
    await ctx.close();
  });

test('the charts have a text alternative with the numbers of the last cycle', needsVm,
  async () => {
    const { page, ctx } = await openPage(env);
    const source = 'local keep = {}\nfor i = 1, 60000 do keep[i % 500 + 1] = { i } end\n' +
      'local co = coroutine.create(function() coroutine.yield() end)\ncoroutine.resume(co)\n' +
      'collectgarbage()\nprint(collectgarbage("count") > 0)\n';
    const state = await runScript(page, source);
    assert.equal(state.status, 'finished');
    await page.waitForFunction(() => /Last cycle/.test(window.playground.chartText().heap));
    const text = await page.evaluate(() => window.playground.chartText());
    assert.match(text.heap, /^Now: heap [\d.]+ [KM]?B, collector threshold [\d.]+ [KM]?B/);
    assert.match(text.heap, /(\d+) collector cycles? completed\. Last cycle: cycle end at [\d.]+ m?s, freed [\d.]+ [KM]?B, heap [\d.]+ [KM]?B → [\d.]+ [KM]?B/);
    assert.match(text.types, /heap bytes by type: .*table [\d.]+ [KM]?B/);
    assert.match(text.coroutines, /coroutines: 1 suspended, /);
    const described = await page.$eval('[data-testid="heap-chart"] canvas',
      (c) => document.getElementById(c.getAttribute('aria-describedby')).textContent);
    assert.equal(described, text.heap);
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-after-run.png') });
    await ctx.close();
  });

test('the coroutine table is one Tab stop; arrows move between rows and Enter explains one',
  needsVm, async () => {
    const { page, ctx } = await openPage(env);
    const source = 'keep = {}\nfor i = 1, 3 do\n  local co = coroutine.create(function() ' +
      'coroutine.yield() end)\n  coroutine.resume(co)\n  keep[i] = co\nend\n';
    assert.equal((await runScript(page, source)).status, 'finished');
    const rows = '[data-testid="coroutine-table"] tbody tr';
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 3, rows);
    const stops = await page.$$eval(rows, (trs) => trs.map((tr) => tr.tabIndex));
    assert.deepEqual(stops, [0, -1, -1]);
    await page.focus(`${rows}:first-child`);
    await page.keyboard.press('ArrowDown');
    const focused = () => page.evaluate(() => document.activeElement.dataset.id);
    const second = await page.$eval(`${rows}:nth-child(2)`, (tr) => tr.dataset.id);
    assert.equal(await focused(), second);
    assert.deepEqual(await page.$$eval(rows, (trs) => trs.map((tr) => tr.tabIndex)), [-1, 0, -1]);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.waitForFunction((sel) => document.querySelector(`${sel}:last-child`)
      .classList.contains('is-selected'), rows);
    await ctx.close();
  });
