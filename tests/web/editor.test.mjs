// editor.test.mjs - the editor that knows Lua (issue 18): live diagnostics from the real
// compiler as you type, completions, signature help and hovers from lua-docs.js, the script's
// own names from the parser's scopes. Runs against the real worker (the checks need the wasm
// compiler); skipped with the fake worker.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, FAKE, openPage, runScript, startBrowser, waitReady } from './harness.mjs';

const needsVm = { skip: FAKE ? 'needs the real worker (compile-only checks)' : false };
const EDITOR = '[data-testid="editor"]';

let env;
before(async () => {
  env = await startBrowser();
});
after(async () => {
  await env?.close();
});

// Replaces the text through the keyboard, as a user would (select all, type).
async function typeText(page, text) {
  await page.click(`${EDITOR} .view-lines`);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text, { delay: 5 });
}

test('a syntax error is marked within a second of typing, without Run, and cleared when fixed',
  needsVm, async () => {
    const { page, ctx, problems } = await openPage(env);
    await waitReady(page);
    await page.evaluate(() => window.playground.setSource('local x = 1\n'));
    await page.waitForFunction(() => window.playground.diagnostics().length === 0);
    await typeText(page, 'local t = {}\nif #t == 0 then\n  print("empty")\n');
    const typed = Date.now();
    await page.waitForFunction(() => window.playground.diagnostics().length === 1,
      null, { timeout: 1000 });
    const markedAfterMs = Date.now() - typed;
    const [marker] = await page.evaluate(() => window.playground.diagnostics());
    // Exactly what `lunette` prints for the same text (its "lunette: " prefix aside).
    assert.equal(marker.message, "main.lua:4: 'end' expected (to close 'if' at line 2) near <eof>");
    assert.equal(marker.line, 4);
    assert.equal((await page.evaluate(() => window.playground.state())).status, 'idle');
    await page.waitForSelector(`${EDITOR} .squiggly-error`);
    await page.keyboard.type('end');
    await page.waitForFunction(() => window.playground.diagnostics().length === 0,
      null, { timeout: 1000 });
    console.log(`# syntax error marked ${markedAfterMs} ms after the last key`);
    assert.deepEqual(problems.errors, []);
    await ctx.close();
  });

test('goto and <const> errors are marked at the column of the offending token', needsVm,
  async () => {
    const { page, ctx } = await openPage(env);
    await waitReady(page);
    await page.evaluate(() => window.playground.setSource('local n <const> = 1\nn = 2\n'));
    await page.waitForFunction(() => window.playground.diagnostics().length === 1);
    let [marker] = await page.evaluate(() => window.playground.diagnostics());
    assert.equal(marker.message, "main.lua:2: attempt to assign to const variable 'n'");
    assert.equal(marker.line, 2);
    await page.evaluate(() => window.playground.setSource('do\n  goto done\nend\n'));
    await page.waitForFunction(() => window.playground.diagnostics()[0]?.message.includes('goto'));
    [marker] = await page.evaluate(() => window.playground.diagnostics());
    assert.equal(marker.message, "main.lua:4: no visible label 'done' for <goto> at line 2");
    await page.evaluate(() => window.playground.setSource('local a = = 2\n'));
    await page.waitForFunction(() => window.playground.diagnostics()[0]?.message.includes('near'));
    [marker] = await page.evaluate(() => window.playground.diagnostics());
    assert.equal(marker.message, "main.lua:1: unexpected symbol near '='");
    assert.deepEqual([marker.line, marker.column], [1, 11]);
    await ctx.close();
  });

test('a runtime error stays marked while other lines change, and goes when its line changes',
  needsVm, async () => {
    const { page, ctx } = await openPage(env);
    const state = await runScript(page, 'local a = 1\nlocal b = nil\nprint(b.x)\n');
    assert.equal(state.status, 'error');
    await page.waitForFunction(() => window.playground.markers().some((m) => m.line === 3));
    // A line inserted above: the marker follows its line (now 4).
    await page.click(`${EDITOR} .view-lines`);
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('-- a note\n');
    await page.waitForFunction(() => window.playground.markers().map((m) => m.line).join() === '4');
    // An edit on the failing line itself clears it.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await page.keyboard.type(' -- fixed?');
    await page.waitForFunction(() => window.playground.markers().length === 0);
    await ctx.close();
  });

test('`string.fo` completes to format, with its signature; the parameters follow the cursor',
  needsVm, async () => {
    const { page, ctx } = await openPage(env);
    await waitReady(page);
    await typeText(page, 'print(string.fo');
    await page.keyboard.press('Control+Space');
    const row = `${EDITOR} .suggest-widget .monaco-list-row`;
    await page.waitForSelector(row);
    const labels = await page.$$eval(row, (els) => els.map((e) => e.getAttribute('aria-label')));
    assert.match(labels[0], /^format\b/, labels.join(' | '));
    await page.waitForFunction((sel) => document.querySelector(`${sel} .suggest-widget`)
      ?.textContent.includes('string.format(formatstring, ...)'), EDITOR);
    await page.screenshot({ path: join(ARTIFACTS, 'editor-completion.png') });
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => window.playground.getSource()), 'print(string.format)');
    // Typing the call's parenthesis brings the signature, first parameter active.
    await page.keyboard.type('(');
    const hints = `${EDITOR} .parameter-hints-widget`;
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent
      .includes('string.format(formatstring, ...)'), hints);
    const active = async () => page.$eval(`${hints} .parameter.active`, (e) => e.textContent);
    assert.equal(await active(), 'formatstring');
    await page.keyboard.type('"%d", ');
    await page.waitForFunction((sel) => document.querySelector(`${sel} .parameter.active`)
      ?.textContent === '...', hints);
    await page.screenshot({ path: join(ARTIFACTS, 'editor-signature.png') });
    await ctx.close();
  });

test('hovering collectgarbage shows its options', needsVm, async () => {
  const { page, ctx } = await openPage(env);
  await waitReady(page);
  await page.evaluate(() => window.playground.setSource('collectgarbage("incremental", 200)\n'));
  const word = page.locator(`${EDITOR} .view-line span span`, { hasText: 'collectgarbage' }).first();
  await word.hover();
  const hover = `${EDITOR} .monaco-hover`;
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent
    .includes('collectgarbage(opt?, ...)'), hover);
  const text = await page.$eval(hover, (e) => e.textContent);
  for (const option of ['"collect"', '"count"', '"step"', '"incremental"', '"generational"',
    '"luajit"', '"isrunning"']) {
    assert.ok(text.includes(option), `hover lists ${option}: ${text}`);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'editor-hover.png') });
  await ctx.close();
});

test("the script's locals complete where they are in scope, from the parser's scopes", needsVm,
  async () => {
    const { page, ctx } = await openPage(env);
    await waitReady(page);
    const source = 'local counter = 0\nlocal function bump(step)\n  local inner = step\n' +
      'end\nwatched = 1\n\n';
    await page.evaluate((s) => window.playground.setSource(s), source);
    await page.waitForFunction(() => window.playground.scriptNames()
      .some((n) => n.name === 'watched' && n.kind === 'global'));
    // On the last line `counter`, `bump` and the global `watched` are visible; `inner` is not.
    await page.click(`${EDITOR} .view-lines`);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Control+Space');
    const row = `${EDITOR} .suggest-widget .monaco-list-row`;
    await page.waitForSelector(row);
    await page.keyboard.type('c');
    await page.waitForFunction((sel) => [...document.querySelectorAll(sel)]
      .some((e) => e.getAttribute('aria-label').startsWith('counter')), row);
    const labels = await page.$$eval(row, (els) => els.map((e) => e.getAttribute('aria-label')));
    assert.ok(labels.some((l) => l.startsWith('counter')), labels.join(' | '));
    assert.ok(!labels.some((l) => l.startsWith('inner')), labels.join(' | '));
    await page.keyboard.press('Escape');
    await page.keyboard.type('ounter = lunette_nothing_ + w');
    await page.keyboard.press('Control+Space');
    await page.waitForFunction((sel) => [...document.querySelectorAll(sel)]
      .some((e) => e.getAttribute('aria-label').startsWith('watched')), row);
    await ctx.close();
  });
