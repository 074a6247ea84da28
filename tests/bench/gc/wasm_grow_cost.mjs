// What one memory.grow costs the engine, apart from any module: a WebAssembly.Memory with
// RESIDENT_MB touched, then GROWS grows of PAGES pages each, timed on the wall clock and on the
// process's CPU time (node's own threads included), for an ordinary memory and for a shared
// one. Prints one line per kind: median and longest wall and CPU milliseconds.
//   node tests/bench/gc/wasm_grow_cost.mjs [RESIDENT_MB [PAGES [GROWS]]]   (default 256 1 15)
// Seen on node 20 (V8 11.3), 256 MB resident, a loaded 2-core machine (load 6): an ordinary
// memory's one-page grow took a median 8.7 ms of wall clock and 4.5 ms of CPU (longest 15.6 and
// 10.4; CPU counts V8's helper threads too), 4096-page grows of a 64 MB memory about the same:
// the cost is per grow, not per page; perf shows the time under WasmMemoryObject::Grow -> Heap::ReportExternalMemoryPressure
// -> MarkCompact: the new buffer is counted whole as external memory, which starts or advances
// V8's own collector inside the grow. A shared memory's grow (not accounted so) takes 0.01 ms.
// So growing in smaller steps multiplies the stalls; only fewer grows (or a shared memory, which
// a browser allows only to a cross-origin-isolated page) remove them.
const residentMb = Number(process.argv[2] ?? 256);
const pages = Number(process.argv[3] ?? 1);
const grows = Number(process.argv[4] ?? 15);

function measure(shared) {
  const memory = new WebAssembly.Memory({ initial: residentMb * 16, maximum: 32768, shared });
  const bytes = new Uint8Array(memory.buffer);
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 1;  // resident, as a used heap is
  const wall = [], cpu = [];
  for (let k = 0; k < grows; ++k) {
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    memory.grow(pages);
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  }
  const summary = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `median ${sorted[sorted.length >> 1].toFixed(3)} longest ${sorted[sorted.length - 1].toFixed(3)}`;
  };
  console.log(`${shared ? 'shared  ' : 'ordinary'} memory, ${residentMb} MB resident, ${grows} grows of ` +
    `${pages} pages: wall ms ${summary(wall)}; cpu ms ${summary(cpu)}`);
}
measure(false);
measure(true);
