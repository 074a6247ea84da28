// build.mjs - writes the static playground site to web/dist/.
//
// Output (everything the page needs; nothing is fetched from elsewhere at run time):
//   index.html, app.js + app.css (the page, Monaco and Chart.js), editor.worker.js (Monaco's
//   worker), worker.js (the lunette worker, web/src/worker.js bundled), lunette.mjs and
//   lunette.wasm (copied from wasm/dist/, beside the worker that imports them), examples baked in,
//   and lunette-embed.js (web/src/lunette-embed.js as one classic script: the embed loader).
//
// Usage: node build.mjs [--no-wasm] [--dev]
//   --no-wasm  build the page without the lunette worker and wasm (for page work and the fake
//              worker tests, which serve their own worker.js); the page then cannot run scripts.
//   --dev      unminified output.
// Invariant: a normal build fails, with a message naming the fix, when the wasm is missing.

import * as esbuild from 'esbuild';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseExample } from './src/example-header.js';

const webDir = dirname(fileURLToPath(import.meta.url));
const rootDir = resolve(webDir, '..');
const distDir = join(webDir, 'dist');
const wasmDist = join(rootDir, 'wasm', 'dist');
const examplesDir = join(rootDir, 'examples');

const args = new Set(process.argv.slice(2));
const withWasm = !args.has('--no-wasm');
const minify = !args.has('--dev');

async function exists(path) {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

// Examples are read at build time so the page needs no directory listing at run time.
async function loadExamples() {
  if (!(await exists(examplesDir))) return [];
  const names = (await readdir(examplesDir)).filter((n) => n.endsWith('.lua')).sort();
  const list = [];
  for (const file of names) {
    const source = await readFile(join(examplesDir, file), 'utf8');
    list.push({ file, ...parseExample(file, source), source });
  }
  // The gentle introduction goes first; the rest keep their file order.
  list.sort((a, b) => (a.file === 'hello.lua' ? -1 : b.file === 'hello.lua' ? 1 : 0));
  return list;
}

// `import examples from 'lunette:examples'` resolves to the list above.
function examplesPlugin(examples) {
  return {
    name: 'lunette-examples',
    setup(build) {
      build.onResolve({ filter: /^lunette:examples$/ }, () => ({
        path: 'examples', namespace: 'lunette-examples',
      }));
      build.onLoad({ filter: /.*/, namespace: 'lunette-examples' }, () => ({
        contents: `export default ${JSON.stringify(examples)};`, loader: 'js',
      }));
    },
  };
}

// The worker imports the Emscripten loader by whatever relative path suits its author; in dist
// the loader sits beside the worker, so every import of lunette.mjs becomes './lunette.mjs'.
const wasmLoaderExternal = {
  name: 'lunette-wasm-loader',
  setup(build) {
    build.onResolve({ filter: /lunette\.mjs$/ }, () => ({ path: './lunette.mjs', external: true }));
  },
};

const common = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify,
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'linked',
};

async function build() {
  const loader = join(wasmDist, 'lunette.mjs');
  const wasm = join(wasmDist, 'lunette.wasm');
  const workerSrc = join(webDir, 'src', 'worker.js');
  if (withWasm) {
    for (const path of [workerSrc, loader, wasm]) {
      if (!(await exists(path))) {
        fail(`missing ${path}\n  build the wasm module first: bash wasm/build.sh` +
          '\n  (or `node web/build.mjs --no-wasm` for a page that cannot run scripts)');
      }
    }
  }

  const started = Date.now();
  await rm(distDir, { recursive: true, force: true });
  await mkdir(distDir, { recursive: true });
  const examples = await loadExamples();

  const builds = [
    esbuild.build({
      ...common,
      entryPoints: { app: join(webDir, 'src', 'main.js') },
      outdir: distDir,
      // Views loaded on demand (the Stepping panel and its layout library) become chunks of
      // their own: the first page load does not carry them.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      loader: { '.ttf': 'file' },
      assetNames: 'assets/[name]-[hash]',
      plugins: [examplesPlugin(examples)],
    }),
    esbuild.build({
      ...common,
      format: 'iife',  // a classic script: document.currentScript locates the playground
      entryPoints: { 'lunette-embed': join(webDir, 'src', 'lunette-embed.js') },
      outdir: distDir,
    }),
    esbuild.build({
      ...common,
      entryPoints: {
        'editor.worker': join(webDir, 'node_modules/monaco-editor/esm/vs/editor/editor.worker.js'),
      },
      outdir: distDir,
    }),
  ];
  if (withWasm) {
    builds.push(esbuild.build({
      ...common,
      entryPoints: { worker: workerSrc },
      outdir: distDir,
      plugins: [wasmLoaderExternal],
    }));
  }
  await Promise.all(builds);

  await cp(join(webDir, 'index.html'), join(distDir, 'index.html'));
  if (withWasm) {
    await cp(loader, join(distDir, 'lunette.mjs'));
    await cp(wasm, join(distDir, 'lunette.wasm'));
  }
  await writeFile(join(distDir, 'build-info.json'), JSON.stringify({
    builtAt: new Date().toISOString(), withWasm, examples: examples.map((e) => e.file),
  }, null, 2));
  const note = withWasm ? '' : ' (no wasm: the page cannot run scripts)';
  console.log(`build: web/dist written in ${Date.now() - started} ms, ` +
    `${examples.length} examples${note}`);
}

build().catch((err) => fail(err.stack || String(err)));
