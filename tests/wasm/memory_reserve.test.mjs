// The Session grows WebAssembly memory ahead of the heap's forecast peak (core/src/session/
// memory_reserve.h): once a collection has seen a program's steady live heap, a churn loop over
// it never waits on memory.grow (V8 runs a full collection of its own inside each grow: several
// ms with a big heap). Its own module instance, so earlier tests' grows do not count.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { loadLunette, moduleBuilt } from '../../wasm/node-host.mjs';

const skip = moduleBuilt() ? false : 'the wasm module is not built (wasm/build.sh)';
const grows = [];  // the memory's size in MB before each grow, in order
let lunette;

before(async () => {
  if (skip) return;
  const originalGrow = WebAssembly.Memory.prototype.grow;
  WebAssembly.Memory.prototype.grow = function grow(pages) {
    grows.push(this.buffer.byteLength / (1 << 20));
    return originalGrow.call(this, pages);
  };
  lunette = await loadLunette({ stdin: null });
});

// 32 MB of live tables (with the module's own memory, just inside a 64 MB memory), a full
// collection, a loop that allocates nothing (the Session reserves between two of its slices),
// then a churn of 256 MB of garbage over the same live heap: its peak passes twice the live
// heap, past 64 MB. The test counts the grows from the "churn" line on.
const kSteadyChurn = `
  local live = {}
  while collectgarbage("count") < 32 * 1024 do
    live[#live + 1] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
  end
  collectgarbage()
  print("steady")
  local spin = 0
  for i = 1, 2000000 do spin = spin + i end
  print("churn")
  local kept
  for i = 1, 3000000 do kept = {i, i + 1, i + 2, i + 3} end
  print("done", #live, kept[1])
`;

describe('MemoryReserve', { skip }, () => {
  test('MemoryReserve.ASteadyChurnAfterACollectionNeverGrowsTheMemory', () => {
    const session = new lunette.Session();
    session.setMemoryLimit(0);  // none: the page's limit is not what this is about
    assert.ok(session.setGc('incremental', {}).ok);
    const loaded = session.load(kSteadyChurn, '=steady');
    assert.ok(loaded.ok, loaded.message);
    let stdout = '';
    let growsAtChurn = -1;
    let result;
    for (let calls = 0; calls < 10000; calls++) {
      result = session.run(200000);
      stdout += new TextDecoder().decode(session.drainOutput().stdout);
      if (growsAtChurn < 0 && stdout.includes('churn')) growsAtChurn = grows.length;
      if (result.status !== 'paused') break;
    }
    assert.equal(result.status, 'finished');
    assert.match(stdout, /^steady\nchurn\ndone\t\d+\t3000000\n$/);
    assert.ok(growsAtChurn > 0, 'the build grew the memory');
    assert.deepEqual(grows.slice(growsAtChurn), [],
      `grows during the churn (memory MB before each); all grows: ${grows.join(', ')}`);
    session.delete();
  });
});
