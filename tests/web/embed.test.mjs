// embed.test.mjs - embed mode (issue 18): ?embed=1 shows the editor, Run/Stop, the console
// and the heap chart in a 320+ px frame and leaves the visitor's autosave alone; the Share
// panel offers the iframe snippet; lunette-embed.js turns <pre data-lunette> blocks of another
// page into working embeds, lazily.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, FAKE, openPage, startBrowser, waitReady, waitStatus } from './harness.mjs';

const needsVm = { skip: FAKE ? 'needs the real worker' : false };
const $ = (id) => `[data-testid="${id}"]`;

let env;
before(async () => {
  env = await startBrowser({ pages: { '/embed-test.html': 'embed-page.html' } });
});
after(async () => {
  await env?.close();
});

const isShown = (page, id) => page.locator($(id)).isVisible();

test('?embed=1 at 360 px: editor, Run/Stop, console and heap chart only; it runs a script',
  needsVm, async () => {
    const viewport = { width: 360, height: 520 };
    const { page, ctx, problems } = await openPage(env, { path: '?embed=1', viewport });
    await waitReady(page);
    for (const id of ['editor', 'run', 'stop', 'console', 'heap-chart', 'open-full']) {
      assert.ok(await isShown(page, id), `${id} is shown`);
    }
    for (const id of ['gc-mode', 'examples', 'share', 'server', 'pause', 'coroutine-table',
      'types-chart', 'coroutine-chart', 'timeline']) {
      assert.equal(await isShown(page, id), false, `${id} is hidden`);
    }
    const source = 'local t = {}\nfor i = 1, 20000 do t[i % 100 + 1] = {i} end\n' +
      'print("embedded run", collectgarbage("count") > 0)\n';
    await page.evaluate((s) => window.playground.setSource(s), source);
    await page.click($('run'));
    const state = await waitStatus(page, ['finished', 'error']);
    assert.equal(state.status, 'finished');
    assert.match(await page.locator($('console')).innerText(), /embedded run\ttrue/);
    await page.waitForFunction(() => !document.querySelector('[data-testid="heap-chart"]')
      .classList.contains('is-empty'));
    // Fits: nothing sticks out sideways, and the heap chart is within the frame's height.
    const fit = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      chartBottom: document.querySelector('[data-testid="heap-chart"]').getBoundingClientRect().bottom,
    }));
    await page.screenshot({ path: join(ARTIFACTS, "embed-360.png") });
    assert.ok(fit.width <= 360, `page is ${fit.width} px wide`);
    assert.ok(fit.chartBottom <= 520, `heap chart ends at ${fit.chartBottom} px`);
    // "Open in Lunette" carries the script to the full page; the embed saved nothing.
    const href = await page.getAttribute($('open-full'), 'href');
    assert.match(href, /^http:\/\/127\.0\.0\.1:\d+\/#v1\./);
    assert.equal(await page.evaluate(() => localStorage.getItem('lunette.source.v1')), null);
    await page.screenshot({ path: join(ARTIFACTS, 'embed-360.png') });
    const full = await ctx.newPage();
    await full.goto(href);
    await full.waitForFunction(() => document.body.dataset.ready === 'true');
    assert.equal(await full.evaluate(() => window.playground.getSource()), source);
    assert.ok(await full.locator($('gc-mode')).isVisible(), 'the full page has every panel');
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  });

test('the Share panel offers the link and an iframe snippet that opens the embed', needsVm,
  async () => {
    const { page, ctx } = await openPage(env);
    await waitReady(page);
    await page.evaluate(() => window.playground.setSource('print("from a snippet")\n'));
    await page.click($('share'));
    await page.waitForSelector(`${$('share-panel')}:not([hidden])`);
    const link = await page.inputValue($('share-link'));
    const snippet = await page.inputValue($('share-embed'));
    assert.match(link, /#v1\./);
    const src = /<iframe src="([^"]+)"/.exec(snippet)?.[1];
    assert.ok(src, snippet);
    assert.match(src, /\?embed=1#v1\./);
    await page.screenshot({ path: join(ARTIFACTS, 'share-panel.png') });
    await page.keyboard.press('Escape');
    assert.equal(await page.locator($('share-panel')).isVisible(), false);
    const embedded = await ctx.newPage();
    await embedded.setViewportSize({ width: 320, height: 480 });
    await embedded.goto(src.replace(/&amp;/g, '&'));
    await embedded.waitForFunction(() => document.body.dataset.ready === 'true');
    await waitReady(embedded);
    assert.equal(await embedded.evaluate(() => document.documentElement.dataset.embed), 'true');
    assert.ok(await embedded.evaluate(() => document.documentElement.scrollWidth) <= 320,
      'the embed fits 320 px');
    await embedded.click($('run'));
    await waitStatus(embedded, 'finished');
    assert.match(await embedded.locator($('console')).innerText(), /from a snippet/);
    await ctx.close();
  });

test('lunette-embed.js turns two <pre data-lunette> blocks into working embeds, lazily',
  needsVm, async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 800, height: 700 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${env.url}embed-test.html`);
    await page.waitForSelector('iframe[data-lunette-embed]');
    // The second block is far below: still a <pre> until the reader scrolls to it.
    assert.equal(await page.locator('iframe[data-lunette-embed]').count(), 1);
    assert.equal(await page.locator('pre[data-lunette]').count(), 1);
    await page.locator('pre[data-lunette]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelectorAll('iframe[data-lunette-embed]')
      .length === 2);
    const expected = [/first block: parked 50/, /second block: finished 50\tgenerational/];
    const frames = await page.locator('iframe[data-lunette-embed]').elementHandles();
    for (const [i, handle] of frames.entries()) {
      const frame = await handle.contentFrame();
      await frame.waitForFunction(() => document.body.dataset.ready === 'true' &&
        window.playground?.state().workerReady, null, { timeout: 30_000 });
      await handle.scrollIntoViewIfNeeded();
      await frame.click($('run'));
      await frame.waitForFunction(() => window.playground.state().status === 'finished');
      // The status can say finished a frame before the console shows the run's last output.
      const consoleText = () => frame.locator($('console')).innerText();
      for (let tries = 0; tries < 50 && !expected[i].test(await consoleText()); tries++) {
        await frame.waitForTimeout(100);
      }
      assert.match(await consoleText(), expected[i]);
    }
    await page.locator('iframe[data-lunette-embed]').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'embed-loader.png') });
    assert.deepEqual(errors, []);
    await ctx.close();
  });
