// Preloaded into the node process that runs the WebAssembly module (node --import this file
// wasm/run.mjs ...): times every memory.grow and prints, at exit, one stdout line per grow:
//   memory_grow START_MS DURATION_MS SIZE_BEFORE_MB
// START_MS on performance.now(), the clock lunette.clock() reads in WebAssembly, so a
// benchmark can tell which grows fell inside its own time windows. A grow is the engine's
// work, not the collector's: V8 takes several milliseconds per grow of a heap of a few
// hundred MB (more the bigger the heap), during which the mutator is stopped.
const grows = [];
const originalGrow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function grow(pages) {
  const before = this.buffer.byteLength;
  const start = performance.now();
  try {
    return originalGrow.call(this, pages);
  } finally {
    grows.push([start, performance.now() - start, before / (1024 * 1024)]);
  }
};
process.on('exit', () => {
  for (const [start, duration, before] of grows)
    process.stdout.write(`memory_grow ${start.toFixed(3)} ${duration.toFixed(3)} ${before.toFixed(1)}\n`);
});
