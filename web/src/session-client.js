// A promise wrapper around the Lunette worker (PROTOCOL.md), for the page.
//
//   const client = new SessionClient({ createWorker: () => new Worker(url, { type: 'module' }) });
//   await client.ready;                                   // {version}
//   const done = await client.run(source, { gc, onSlice: (slice) => render(slice) });
//   client.stop();  client.setGc(mode, params);  client.gcAction('collect');
//
// It numbers requests (`seq`), drops messages of runs it has stopped or replaced, and keeps a
// watchdog on Stop: a script stuck where the VM cannot pause (inside a finalizer or a sort
// comparator running forever) would never answer, so after `stopTimeoutMs` the worker is
// terminated and a fresh one started; the run then resolves `stopped` with `killed: true`.
const kDefaultStopTimeoutMs = 1000;

function defaultWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

function emptyDone(status, extra) {
  return {
    status,
    output: '',
    errorOutput: '',
    samples: { fields: [], rows: [] },
    events: [],
    coroutines: [],
    instructions: 0,
    elapsedMs: 0,
    ...extra,
  };
}

export class SessionClient {
  constructor({ createWorker = defaultWorker, stopTimeoutMs = kDefaultStopTimeoutMs } = {}) {
    this.createWorker = createWorker;
    this.stopTimeoutMs = stopTimeoutMs;
    this.seq = 0;
    this.run_ = null;          // {seq, resolve, onSlice, watchdog}
    this.requests = new Map(); // seq -> resolve, for setGc / gcAction
    this.listeners = new Map();
    this.version = null;
    this.spawn();
  }

  // ---- the page's calls -----------------------------------------------------------------------

  // Resolves with the `done` payload; `onSlice` receives every `slice` payload of this run.
  run(source, { chunkname, gc, sliceMs, budget, args, memoryLimit, onSlice } = {}) {
    if (this.run_) this.finishRun(emptyDone('stopped', { replaced: true }));
    const seq = ++this.seq;
    const payload = { source, chunkname, gc, sliceMs, budget, args, memoryLimit };
    return new Promise((resolve) => {
      this.run_ = { seq, resolve, onSlice, watchdog: null };
      this.send('run', seq, payload);
    });
  }

  stop() {
    const run = this.run_;
    if (!run || run.watchdog) return;
    this.send('stop', run.seq, {});
    run.watchdog = setTimeout(() => this.kill(run), this.stopTimeoutMs);
  }

  setGc(mode, params = {}) {
    return this.request('setGc', { mode, params });
  }

  gcAction(name, arg) {
    return this.request('gcAction', arg === undefined ? { name } : { name, arg });
  }

  // handler(payload) for 'ready', 'gc', 'fatal'.
  on(type, handler) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(handler);
    return () => this.listeners.get(type).delete(handler);
  }

  terminate() {
    if (this.run_) this.finishRun(emptyDone('stopped', { killed: true }));
    this.worker.terminate();
  }

  // ---- plumbing -------------------------------------------------------------------------------

  spawn() {
    this.worker = this.createWorker();
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    this.worker.addEventListener('message', (event) => this.receive(event.data));
    this.worker.addEventListener('error', (event) => {
      this.fail(`the worker failed: ${event.message ?? 'unknown error'}`);
    });
  }

  send(type, seq, payload) {
    this.worker.postMessage({ type, seq, payload });
  }

  request(type, payload) {
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.requests.set(seq, resolve);
      this.send(type, seq, payload);
    });
  }

  receive(message) {
    if (!message || typeof message.type !== 'string') return;
    const { type, seq, payload } = message;
    if (type === 'ready') {
      this.version = payload?.version ?? null;
      this.resolveReady(payload);
    } else if (type === 'slice') {
      if (this.run_ && seq === this.run_.seq) this.run_.onSlice?.(payload);
    } else if (type === 'done') {
      if (this.run_ && seq === this.run_.seq) this.finishRun(payload);
    } else if (type === 'gc') {
      const resolve = this.requests.get(seq);
      this.requests.delete(seq);
      resolve?.(payload);
    } else if (type === 'fatal') {
      this.fail(payload?.message ?? 'the module failed');
    }
    this.emit(type, payload);
  }

  finishRun(payload) {
    const run = this.run_;
    this.run_ = null;
    if (run.watchdog) clearTimeout(run.watchdog);
    run.resolve(payload);
  }

  fail(message) {
    if (this.run_) {
      const error = { message, line: 0, traceback: '' };
      this.finishRun(emptyDone('error', { error, fatal: true }));
    }
  }

  // The worker did not answer Stop: replace it (its module and heap go with it).
  kill(run) {
    if (this.run_ !== run) return;
    this.worker.terminate();
    for (const resolve of this.requests.values()) resolve({ error: 'worker restarted' });
    this.requests.clear();
    this.finishRun(emptyDone('stopped', { killed: true }));
    this.spawn();
  }

  emit(type, payload) {
    for (const handler of this.listeners.get(type) ?? []) handler(payload);
  }
}
