// Runs web/src/worker.js inside a Node worker thread, as a browser would run it in a module
// Worker: `self` forwards to the parent port, and the module gets its .wasm bytes directly.
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

globalThis.self = {
  postMessage: (message) => parentPort.postMessage(message),
  addEventListener: (type, listener) => parentPort.addEventListener(type, listener),
};
globalThis.LUNETTE_MODULE_OPTIONS = {
  wasmBinary: readFileSync(new URL('../../wasm/dist/lunette.wasm', import.meta.url)),
};
await import('../../web/src/worker.js');
