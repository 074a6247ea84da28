// What the module's start-up leaves out, because every `node wasm/run.mjs` pays for it: Node's
// Web Crypto and perf_hooks are not loaded (the glue's random devices find their byte source at
// their first read, and its clock is process.hrtime under Node: wasm/patch_glue.cmake); embind
// compiles no JavaScript from strings (-sDYNAMIC_EXECUTION=0), so the module also runs where
// code generation from strings is disallowed (a page's CSP); and the memory starts large enough
// that a small script's run never grows it (each grow makes V8 collect its own heap).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadLunette, moduleBuilt } from '../../wasm/node-host.mjs';
import { runMjs } from './helpers.mjs';

const skip = moduleBuilt() ? false : 'the wasm module is not built (wasm/build.sh)';
const decoder = new TextDecoder();

// Counts reads of the globals `crypto` and `performance` (Node defines both as lazy getters
// that load a part of Node at the first read) and still answers them.
const lazyGlobals = ['crypto', 'performance'];
const globalProperties = {};
const globalReads = { crypto: 0, performance: 0 };
for (const name of lazyGlobals) {
  const property = Object.getOwnPropertyDescriptor(globalThis, name);
  globalProperties[name] = property;
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: property.enumerable,
    get() {
      globalReads[name] += 1;
      return property.get ? property.get.call(globalThis) : property.value;
    },
  });
}

// Counts grows of any WebAssembly memory.
const grow = WebAssembly.Memory.prototype.grow;
let memoryGrows = 0;
WebAssembly.Memory.prototype.grow = function countedGrow(pages) {
  memoryGrows += 1;
  return grow.call(this, pages);
};

let lunette;
let dir;

before(async () => {
  if (skip) return;
  lunette = await loadLunette({ stdin: null });
  dir = mkdtempSync(path.join(tmpdir(), 'lunette-startup-'));
});

after(() => {
  for (const name of lazyGlobals) Object.defineProperty(globalThis, name, globalProperties[name]);
  WebAssembly.Memory.prototype.grow = grow;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Runs `source` in a new Session set up as run.mjs sets one up.
function run(source) {
  const session = new lunette.Session();
  session.setMemoryLimit(0);
  assert.ok(session.setGc('generational', {}).ok);
  assert.ok(session.load(source, '=startup').ok);
  const result = session.run(1e8);
  const { stdout, stderr } = session.drainOutput();
  session.delete();
  assert.equal(result.status, 'finished', decoder.decode(stderr));
  return decoder.decode(stdout);
}

describe('module start-up', { skip }, () => {
  test('StartingTheModuleAndRunningAScriptReadsNeitherWebCryptoNorPerformance', () => {
    assert.equal(run('print("ready") local t = os.clock() collectgarbage() print(os.clock() >= t)'),
      'ready\ntrue\n');
    assert.deepEqual(globalReads, { crypto: 0, performance: 0 });
  });

  test('StartingTheModuleAndRunningAOneLineScriptGrowsNoMemory', () => {
    assert.equal(run('print(#"ready")'), '5\n');
    assert.equal(memoryGrows, 0);
  });

  test('DevUrandomStillGivesBytesAtItsFirstRead', () => {
    assert.equal(run(`
      local f = assert(io.open("/dev/urandom", "rb"))
      local a, b = f:read(8), f:read(8)
      f:close()
      print(#a, #b, a ~= b)`), '8\t8\ttrue\n');
    assert.ok(globalReads.crypto > 0, 'the byte source is Web Crypto, found at the first read');
  });

  test('RunMjsRunsWhereCodeGenerationFromStringsIsDisallowed', () => {
    const script = path.join(dir, 'hello.lua');
    writeFileSync(script, 'local t = setmetatable({}, {__index = function(_, k) return k * 2 end})\nprint(t[21])\n');
    const child = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', runMjs, script],
      { cwd: dir, encoding: 'utf8' });
    assert.equal(child.stderr, '');
    assert.equal(child.stdout, '42\n');
    assert.equal(child.status, 0);
  });
});
