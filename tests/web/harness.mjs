// harness.mjs - shared set-up for the playground's browser tests.
//
// Serves web/dist on 127.0.0.1 (with tests/web/fake-worker.js as /worker.js when
// LUNETTE_WEB_WORKER=fake), drives Debian's /usr/bin/chromium through playwright-core, and
// records, per page, console errors, uncaught exceptions and every request that would leave
// 127.0.0.1. Helpers wait on page state through Playwright's waitForFunction (no sleeps).

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../web/serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..');
// playwright-core is a dependency of web/ (pinned in its lockfile), so resolve it from there.
const { chromium } = createRequire(join(ROOT, 'web', 'package.json'))('playwright-core');
export const ARTIFACTS = join(here, 'artifacts');
export const FAKE = process.env.LUNETTE_WEB_WORKER === 'fake';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];

// `pages`: extra URL paths served from tests/web/ ({'/embed-test.html': 'embed-page.html'}).
export async function startBrowser({ pages = {} } = {}) {
  const overrides = FAKE ? { '/worker.js': join(here, 'fake-worker.js') } : {};
  for (const [path, file] of Object.entries(pages)) overrides[path] = join(here, file);
  const root = join(ROOT, 'web', 'dist');
  const { server, url } = await startServer({ root, port: 0, overrides });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS,
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

// A fresh context (own localStorage) and page, with problem recording.
export async function openPage(env, { path = '', viewport = { width: 1280, height: 720 },
  context = null } = {}) {
  const ctx = context ?? await env.browser.newContext({ viewport });
  const page = await ctx.newPage();
  const problems = { errors: [], external: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/favicon/.test(msg.text())) problems.errors.push(msg.text());
  });
  page.on('pageerror', (err) => problems.errors.push(`pageerror: ${err.message}`));
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (['data:', 'blob:'].includes(u.protocol)) return;
    if (u.hostname !== '127.0.0.1') problems.external.push(req.url());
  });
  await page.goto(env.url + path);
  await page.waitForFunction(() => document.body.dataset.ready === 'true' && window.playground);
  return { page, ctx, problems };
}

export async function waitReady(page, timeout = 30_000) {
  await page.waitForFunction(() => window.playground.state().workerReady, null, { timeout });
}

export async function waitStatus(page, statuses, timeout = 30_000) {
  const list = Array.isArray(statuses) ? statuses : [statuses];
  // The store changes at once but panels redraw on the next animation frame, so wait until the
  // status element shows the same status: assertions about the drawn page then hold.
  await page.waitForFunction((l) => {
    const { status } = window.playground.state();
    const drawn = document.querySelector('[data-testid="status"]')?.dataset.status;
    return l.includes(status) && drawn === status;
  }, list, { timeout });
  return page.evaluate(() => window.playground.state());
}

// Puts `source` in the editor and starts it; does not wait for the run.
export async function startScript(page, source) {
  await waitReady(page);
  await page.evaluate((s) => {
    window.playground.setSource(s);
    window.playground.run();
  }, source);
}

export async function runScript(page, source, done = ['finished', 'error', 'stopped']) {
  await startScript(page, source);
  return waitStatus(page, done);
}
