// serve.mjs - serves the built playground (web/dist) on 127.0.0.1. No dependencies.
//
// Usage: node web/serve.mjs [port]        (default 8080; 0 picks a free port)
// Also a module: startServer({root, port, overrides}) is used by the browser tests, whose
// `overrides` map a URL path to a file outside dist (the fake worker).
// Invariants: binds the loopback address only; never serves a file outside `root` (or an
// override); `.wasm` goes out as application/wasm so streaming compilation works.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.lua': 'text/plain; charset=utf-8',
};

const HOST = '127.0.0.1';

// Maps a request path to a file under root, or null when it would escape root.
function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (path.endsWith('/')) path += 'index.html';
  const full = normalize(join(root, path));
  return full === root || full.startsWith(root + sep) ? full : null;
}

async function respond(req, res, root, overrides) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const urlPath = req.url.split('?')[0];
  const file = overrides[urlPath] ?? fileFor(root, urlPath);
  if (!file) {
    res.writeHead(403).end('forbidden');
    return;
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    const body = await readFile(file);
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  }
}

export function startServer({ root, port = 8080, overrides = {} } = {}) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    respond(req, res, base, overrides).catch(() => res.writeHead(500).end());
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      const { port: actual } = server.address();
      resolvePromise({ server, url: `http://${HOST}:${actual}/` });
    });
  });
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = join(dirname(fileURLToPath(import.meta.url)), 'dist');
  const port = Number(process.argv[2] ?? 8080);
  try {
    await stat(join(root, 'index.html'));
  } catch {
    console.error('serve: web/dist/index.html is missing; build first:\n' +
      '  (cd web && npm ci && node build.mjs)');
    process.exit(1);
  }
  const { url } = await startServer({ root, port });
  console.log(`Lunette playground at ${url}  (Ctrl+C stops)`);
}
