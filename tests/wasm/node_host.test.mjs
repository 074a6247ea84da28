// node-host.mjs's mirror of a directory into the module's in-memory file system: the tree is made
// at once and each file's bytes are read from the disk only when a script first opens it, so a
// script started from a big directory does not wait for every file to be copied.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadLunette, mirrorDirectory, moduleBuilt } from '../../wasm/node-host.mjs';

const skip = moduleBuilt() ? false : 'the wasm module is not built (wasm/build.sh)';
const decoder = new TextDecoder();
let lunette;
let dir;

before(async () => {
  if (skip) return;
  lunette = await loadLunette({ stdin: null });
  dir = mkdtempSync(path.join(tmpdir(), 'lunette-mirror-'));
  writeFileSync(path.join(dir, 'data.bin'), Uint8Array.from([0x6c, 0x75, 0x61, 0xff, 0x00, 0x0a]));
  writeFileSync(path.join(dir, 'later.txt'), 'as at the start\n');
  writeFileSync(path.join(dir, 'truncated.txt'), 'old contents\n');
  mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
  writeFileSync(path.join(dir, 'sub', 'deeper', 'm.lua'), 'return "module"\n');
  mirrorDirectory(lunette.FS, dir);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(source) {
  const session = new lunette.Session();
  assert.ok(session.load(source, '=mirror').ok);
  const result = session.run(1e8);
  const { stdout, stderr } = session.drainOutput();
  session.delete();
  assert.equal(result.status, 'finished', decoder.decode(stderr));
  return decoder.decode(stdout);
}

describe('mirrorDirectory', { skip }, () => {
  test('MirroredFilesReadBackByteExactAndModulesLoadFromSubdirectories', () => {
    assert.equal(run(`
      local f = assert(io.open("data.bin", "rb"))
      local s = f:read("a")
      f:close()
      package.path = "./?.lua"
      print(#s, s:byte(4), s:byte(5), (require("sub.deeper.m")))`), '6\t255\t0\tmodule\n');
  });

  test('AFileIsReadFromTheDiskWhenFirstOpenedNotWhenMirrored', () => {
    writeFileSync(path.join(dir, 'later.txt'), 'as at the first opening\n');
    assert.equal(run('io.write(io.open("later.txt"):read("a"))'), 'as at the first opening\n');
    assert.equal(lunette.FS.stat(path.join(dir, 'data.bin')).size, 6, 'stat before any opening');
  });

  test('OpeningForWritingTruncatesAndWritesStayInMemory', () => {
    assert.equal(run(`
      local f = assert(io.open("truncated.txt", "w"))
      f:write("new")
      f:close()
      io.write(io.open("truncated.txt"):read("a"), "\\n")`), 'new\n');
  });
});
