// The server shims through the wasm Session: every tests/shim script, run with the shim its
// `-- args: --shim=NAME` line names (Session.setShim), prints its .expected output, as the
// native `lunette --shim=NAME` does (tests/shim is also run natively by ctest).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadLunette, moduleBuilt } from '../../wasm/node-host.mjs';

const shimDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'shim');
const scripts = readdirSync(shimDir).filter((name) => name.endsWith('.lua')).sort();
const skip = moduleBuilt() ? false : 'the wasm module is not built (wasm/build.sh)';
let lunette;

before(async () => {
  if (!skip) lunette = await loadLunette({ stdin: null });
});

describe('Server shims in wasm', { skip }, () => {
  for (const name of scripts) {
    test(name, () => {
      const source = readFileSync(path.join(shimDir, name), 'utf8');
      const shim = /^-- args: --shim=(\w+)/m.exec(source)?.[1] ?? '';
      const expected = readFileSync(path.join(shimDir, name.replace(/\.lua$/, '.expected')), 'utf8');
      const session = new lunette.Session();
      assert.equal(session.setShim(shim), '');
      assert.ok(session.load(source, '@' + name).ok);
      let result;
      for (let i = 0; i < 10000; i++) {
        result = session.run(1e7);
        if (result.status !== 'paused') break;
      }
      assert.equal(result.status, 'finished', JSON.stringify(result));
      const { stdout } = session.drainOutput();
      assert.equal(new TextDecoder().decode(stdout), expected);
      session.delete();
    });
  }

  test('samples carry the virtual clock as natively, and stranded waiters are suspects', () => {
    const session = new lunette.Session();
    assert.equal(session.setShim('skynet'), '');
    const source = [
      'local skynet = require "skynet"',
      'skynet.start(function()',
      '  for i = 1, 3 do skynet.fork(function() skynet.wait("reply" .. i) end) end',
      '  skynet.sleep(250)',  // 2.5 virtual seconds
      'end)',
    ].join('\n');
    assert.ok(session.load(source, '=input').ok);
    let result;
    for (let i = 0; i < 1000; i++) {
      result = session.run(1e7);
      if (result.status !== 'paused') break;
    }
    assert.equal(result.status, 'finished');
    const { samples } = session.telemetry();
    const vtime = samples.fields.indexOf('vtime');
    const reason = samples.fields.indexOf('reason');
    const clockRows = samples.rows.filter((row) => row[reason] === 9).map((row) => row[vtime]);
    assert.deepEqual(clockRows, [0, 2.5]);
    assert.equal(samples.rows.at(-1)[vtime], 2.5);
    assert.deepEqual(Object.values(session.waiting()).sort(),
      ['wakeup token reply1', 'wakeup token reply2', 'wakeup token reply3']);
    const stuck = session.suspects(1e12, 50).filter((s) => s.waitsFor);
    assert.equal(stuck.length, 3);
    assert.ok(stuck.every((s) => s.reason === 'waits for what nothing will give'));
    assert.ok(stuck.every((s) => /upvalue 'sleepers'/.test(s.path.map((e) => e.text).join(' '))),
      JSON.stringify(stuck[0].path));
    session.delete();
  });

  test('an unknown shim is refused and plain Lua has no ngx', () => {
    const session = new lunette.Session();
    assert.match(session.setShim('apache'), /unknown server shim 'apache'/);
    assert.ok(session.load('print(ngx, pcall(require, "skynet"))', '=input').ok);
    session.run(1e7);
    assert.match(new TextDecoder().decode(session.drainOutput().stdout), /^nil\tfalse\tmodule 'skynet' not found/);
    session.delete();
  });
});
