// heap.test.mjs - the heap questions on the real page: suspects live while example 3 runs, the
// why panel's retention path through `pending`, the census and its difference, and replaying a
// `lunette --trace` file. Needs the real worker (the fake one does not answer heap questions),
// except the trace replays, which need no VM in the page (one needs the native command).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ARTIFACTS, FAKE, ROOT, openPage, runScript, startBrowser, waitReady, waitStatus,
} from './harness.mjs';

const $ = (id) => `[data-testid="${id}"]`;
const needsVm = { skip: FAKE && 'needs the real worker' };
// The native command, for a real --trace file (test.sh builds it before the browser tests).
const NATIVE = process.env.LUNETTE_NATIVE ?? join(ROOT, 'build', 'lunette');
const needsNative = { skip: !existsSync(NATIVE) && `no native lunette at ${NATIVE}` };

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => {
  await env?.close();
});

test('example 3 shows its parked coroutines as suspects held by the pending table', needsVm,
  async () => {
    const { page, ctx, problems } = await openPage(env);
    await waitReady(page);
    await page.click($('examples'));
    await page.click('[role="menu"] [data-example="leak_pending.lua"]');
    // Small slices and a list after each: the example is fast, its leak lives mid-run.
    await page.evaluate(() => window.playground.setRunOptions(
      { suspects: { thresholdMs: 0, everyMs: 0, limit: 50 }, budget: 5000 }));
    await page.evaluate(() => window.playground.run());
    await waitStatus(page, ['finished', 'error', 'stopped'], 60_000);
    const state = await page.evaluate(() => window.playground.state());
    assert.equal(state.status, 'finished', JSON.stringify(state.error));
    assert.ok(state.suspectsLastSeen >= 1, 'the live lists named suspects');
    const texts = await page.$$eval(`${$('suspects-panel')} .suspect-path`,
      (els) => els.map((e) => e.textContent));
    assert.ok(texts.some((t) => /pending/.test(t)), texts.join('\n'));
    // Clicking a suspect held by `pending` shows its path, one edge per line.
    const index = texts.findIndex((t) => /pending/.test(t));
    await page.click(`${$('suspects-panel')} li[data-index="${index}"]`);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="why-panel"]').dataset.state === 'found');
    const edges = await page.$$eval(`${$('why-panel')} .edge`, (els) => els.map((e) => e.textContent));
    assert.ok(edges.length >= 2);
    assert.ok(edges.some((e) => /pending/.test(e)), edges.join('\n'));
    // A location in main.lua jumps into the editor.
    const link = await page.$(`${$('why-panel')} a[data-line]`);
    if (link) {
      const line = Number(await link.getAttribute('data-line'));
      await link.click();
      assert.equal(await page.evaluate(() => window.playground.cursorLine()), line);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'why-panel.png'), fullPage: true });
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  });

test('selecting a coroutine row explains it; the census shows a difference after a second run',
  needsVm, async () => {
    const { page, ctx } = await openPage(env);
    await waitReady(page);
    const script = (n) => `held = {}
for i = 1, ${n} do
  local co = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(co)
  held[i] = co
end
print("parked", #held)`;
    assert.equal((await runScript(page, script(3))).status, 'finished');
    await page.click(`${$('census')} [data-testid="census-button"]`);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="census"]').dataset.taken === 'true');
    await page.click(`${$('coroutine-table')} tbody tr[data-id] td:first-child`);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="why-panel"]').dataset.state === 'found');
    const path = await page.$eval($('why-panel'), (el) => el.textContent);
    assert.match(path, /_G\.held/);

    assert.equal((await runScript(page, script(40))).status, 'finished');
    await page.click(`${$('census')} [data-testid="census-button"]`);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="census"]').dataset.diff === 'true');
    const changed = await page.$eval($('census'), (el) => Number(el.dataset.changed));
    assert.ok(changed > 0);
    const deltas = await page.$$eval(`${$('census')} td.delta`, (els) => els.map((e) => e.textContent));
    assert.ok(deltas.some((d) => /^\+/.test(d)), deltas.join(' '));
    // The coroutines are counted at the line that created them: 37 more, one click away.
    const threads = page.locator(`${$('census')} tr`)
      .filter({ has: page.locator('a.src-link[data-line="3"]') })
      .filter({ has: page.locator('.census-kind', { hasText: /^thread$/ }) });
    assert.match(await threads.locator('td.delta').first().innerText(), /^\+37$/);
    await page.locator($('census')).screenshot({ path: join(ARTIFACTS, 'census-diff.png') });
    await threads.locator('a.src-link').click();
    assert.equal(await page.evaluate(() => window.playground.cursorLine()), 3);
    await ctx.close();
  });

test('opening a trace file draws its samples and coroutines without running anything',
  async () => {
    const { page, ctx } = await openPage(env);
    const fields = ['t', 'instr', 'allocated', 'total', 'threshold', 'debt', 'estimate', 'phase',
      'bytes.string', 'bytes.table', 'co.suspended', 'co.dead'];
    const lines = [];
    for (let b = 0; b < 4; b++) {
      const rows = [];
      for (let i = 0; i < 10; i++) {
        const t = b * 10 + i;
        rows.push([t, t * 1000, t * 5000, 40000 + t * 800, 80000, 0, 30000, t % 3, 1000, 2000, 2, 1]);
      }
      const batch = { samples: { fields, rows }, events: [] };
      if (b === 3) {
        batch.coroutines = [{ id: 1, status: 'suspended', site: { chunk: 'main.lua', line: 2,
          name: 'f' }, resumes: 1, createdMs: 1, lastResumeMs: 2, stackBytes: 512, collected: false }];
      }
      lines.push(JSON.stringify(batch));
    }
    const file = join(ARTIFACTS, 'small-trace.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    await page.setInputFiles(`[data-testid="open-trace-input"]`, file);
    await page.waitForFunction(() => window.playground.state().replay !== null);
    const state = await page.evaluate(() => window.playground.state());
    assert.equal(state.samples, 40);
    assert.equal(state.coroutines.length, 1);
    await page.waitForFunction(() =>
      Number(document.querySelector('[data-testid="heap-chart"]').dataset.points) > 0);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="coroutine-table"]').dataset.rows === '1');
    await ctx.close();
  });

test('a native trace replays its suspects with their paths and its census', needsNative,
  async () => {
    // Coroutines parked in `pending`, then a second and a half of work: at the end they are
    // suspects (idle over 1 s), and the census counts them at the line that made them.
    const script = join(ARTIFACTS, 'parked.lua');
    writeFileSync(script, `pending = {}
for i = 1, 6 do
  local co = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(co)
  pending[i] = co
end
local t0, x = os.clock(), 0
while os.clock() - t0 < 1.5 do x = x + 1 end
`);
    const file = join(ARTIFACTS, 'parked-trace.jsonl');
    execFileSync(NATIVE, ['--trace', file, script]);
    const { page, ctx, problems } = await openPage(env);
    await page.setInputFiles('[data-testid="open-trace-input"]', file);
    await page.waitForFunction(() => window.playground.state().replay !== null);
    const state = await page.evaluate(() => window.playground.state());
    assert.equal(state.suspects.length, 6, JSON.stringify(state.suspects[0]));
    assert.match(state.suspects[0].path.map((e) => e.text).join(' '), /pending/);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="census"]').dataset.taken === 'true');
    const threads = page.locator(`${$('census')} tr`)
      .filter({ has: page.locator('.census-kind', { hasText: /^thread$/ }) })
      .filter({ hasText: 'parked.lua:3' });
    assert.match(await threads.locator('td.num').first().innerText(), /^6$/);
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  });
