// The worker in a real browser (headless Chromium through playwright-core, taken from
// web/node_modules when the web build has installed it): the module loads by fetching its
// .wasm next to lunette.mjs, slices yield through a MessageChannel, Stop is honoured within
// 100 ms, and SessionClient's watchdog replaces a worker that cannot stop.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { moduleBuilt } from '../../wasm/node-host.mjs';
import { repo } from './helpers.mjs';

const chromiumPath = '/usr/bin/chromium';
const playwrightDir = path.join(repo, 'web/node_modules/playwright-core');

function whySkip() {
  if (!moduleBuilt()) return 'the wasm module is not built (wasm/build.sh)';
  if (!existsSync(chromiumPath)) return `no Chromium at ${chromiumPath}`;
  if (!existsSync(playwrightDir)) return 'playwright-core is not installed (cd web && npm ci)';
  return false;
}
const skip = whySkip();

const kTypes = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.html': 'text/html' };
const kPage = `<!doctype html><meta charset="utf-8"><script type="module">
import { SessionClient } from '/web/src/session-client.js';
window.makeClient = (options = {}) => new SessionClient({
  createWorker: () => new Worker('/web/src/worker.js', { type: 'module' }), ...options });
window.pageReady = true;
</script>`;

// Serves the repository read-only (only web/src and wasm/dist), plus the test page.
function serve() {
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    if (url.pathname === '/test.html') {
      response.writeHead(200, { 'content-type': 'text/html' });
      return response.end(kPage);
    }
    const file = path.join(repo, path.normalize(url.pathname));
    const allowed = [path.join(repo, 'web/src'), path.join(repo, 'wasm/dist')];
    if (!allowed.some((dir) => file.startsWith(dir + path.sep)) || !existsSync(file)) {
      response.writeHead(404);
      return response.end();
    }
    const type = kTypes[path.extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, { 'content-type': type });
    return response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('Worker in Chromium', { skip }, () => {
  let server;
  let browser;
  let page;
  const pageErrors = [];

  before(async () => {
    const { chromium } = createRequire(import.meta.url)(playwrightDir);
    server = await serve();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/test.html`);
    await page.waitForFunction(() => window.pageReady === true);
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('Browser.WorkerLoadsTheModuleAndRunsAScript', async () => {
    const done = await page.evaluate(async () => {
      const client = window.makeClient();
      const ready = await client.ready;
      const result = await client.run('print("from the browser", 6 * 7)');
      client.terminate();
      return { version: ready.version, ...result };
    });
    assert.match(done.version, /^Lunette/);
    assert.equal(done.status, 'finished');
    assert.equal(done.output, 'from the browser\t42\n');
    assert.deepEqual(pageErrors, []);
  });

  test('Browser.StopEndsAnInfiniteLoopWithin100Ms', async () => {
    const measured = await page.evaluate(async () => {
      const client = window.makeClient();
      await client.ready;
      let slices = 0;
      const running = client.run('while true do end', { onSlice: () => { slices += 1; } });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const stoppedAt = performance.now();
      client.stop();
      const done = await running;
      const latency = performance.now() - stoppedAt;
      client.terminate();
      return { status: done.status, killed: done.killed ?? false, latency, slices };
    });
    assert.equal(measured.status, 'stopped');
    assert.equal(measured.killed, false);
    assert.ok(measured.latency < 100, `stop took ${measured.latency.toFixed(1)} ms`);
    assert.ok(measured.slices >= 20, `${measured.slices} slices in 500 ms`);
  });

  test('Browser.WatchdogReplacesAWorkerStuckInANativeCall', async () => {
    const outcome = await page.evaluate(async () => {
      const client = window.makeClient({ stopTimeoutMs: 300 });
      await client.ready;
      const stuck = client.run('table.sort({3, 2, 1}, function() while true do end end)');
      setTimeout(() => client.stop(), 100);
      const first = await stuck;
      const second = await client.run('print("after the watchdog")');
      client.terminate();
      return { first, second };
    });
    assert.equal(outcome.first.status, 'stopped');
    assert.equal(outcome.first.killed, true);
    assert.equal(outcome.second.output, 'after the watchdog\n');
  });
});
