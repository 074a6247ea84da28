// worker-client.js - the page's side of the worker protocol (web/src/PROTOCOL.md).
//
// Owns the lunette Web Worker: starts it, queues requests until it says `ready`, validates
// every message at the boundary (unknown or malformed ones are dropped) and watches for a worker
// that stops answering. It knows nothing of panels; the app gets plain callbacks.
//
// Invariants:
// - Messages leave as {type, seq, payload}; only known types with an object payload come in.
// - While a run is in flight a watchdog is armed: if no message arrives within `hangMs`, or a
//   stop is not honoured within `stopGraceMs`, the worker is terminated and a new one started
//   (onRestart says why). Timers are one-shot and re-armed by traffic: nothing polls.
// - A paused run sends nothing, by design: the watchdog is disarmed from pause() to resume().

const INCOMING = {
  ready: ['version'],
  slice: [],
  done: ['status'],
  gc: [],
  fatal: ['message'],
  explained: ['found'],
  suspects: ['list'],
  census: ['byType'],
  checked: ['version', 'ok'],
  heapGraph: ['request'],
};

export function validMessage(data) {
  if (!data || typeof data !== 'object' || typeof data.type !== 'string') return false;
  if (!Object.hasOwn(INCOMING, data.type)) return false;
  const p = data.payload;
  if (!p || typeof p !== 'object' || Array.isArray(p)) return false;
  if (data.seq !== undefined && data.seq !== null && !Number.isInteger(data.seq)) return false;
  return INCOMING[data.type].every((field) => p[field] !== undefined);
}

export class WorkerClient {
  // url: the worker script; on: {message(msg), restart(reason), fatal(message), ready(version)}
  constructor({ url, on, hangMs = 4000, stopGraceMs = 1500, startMs = 30000 }) {
    this.url = url;
    this.on = on;
    this.hangMs = hangMs;
    this.stopGraceMs = stopGraceMs;
    this.startMs = startMs;
    this.worker = null;
    this.ready = false;
    this.queue = [];
    this.inflight = null; // seq of the run the worker is executing
    this.paused = false;  // the in-flight run is paused: silence is expected
    this.watchdog = null;
    this.startTimer = null;
    this.start();
  }

  start() {
    this.ready = false;
    this.queue = [];
    let worker;
    try {
      worker = new Worker(this.url, { type: 'module', name: 'lunette' });
    } catch (err) {
      this.on.fatal(`could not start the worker: ${err.message}`);
      return;
    }
    this.worker = worker;
    worker.addEventListener('message', (e) => this.receive(worker, e.data));
    worker.addEventListener('error', (e) => {
      if (worker !== this.worker) return;
      e.preventDefault();
      this.on.fatal(`the worker failed: ${e.message || 'its script did not load'}`);
    });
    worker.addEventListener('messageerror', () => this.on.fatal('a worker message was unreadable'));
    clearTimeout(this.startTimer);
    this.startTimer = setTimeout(() => {
      if (!this.ready && worker === this.worker) {
        this.on.fatal(`the worker did not start within ${this.startMs / 1000} s`);
      }
    }, this.startMs);
  }

  receive(worker, data) {
    if (worker !== this.worker) return; // a terminated worker's last words
    if (!validMessage(data)) return;
    // A stepping run waits at a line on its own (a `slice` of status paused): nothing to hang.
    if (data.type === 'slice' && data.seq === this.inflight && data.payload?.status === 'paused') {
      this.paused = true;
      clearTimeout(this.watchdog);
      this.watchdog = null;
    } else if (this.inflight !== null && data.seq === this.inflight && !this.paused) {
      this.arm(this.hangMs, 'hang');
    }
    switch (data.type) {
      case 'ready':
        this.ready = true;
        clearTimeout(this.startTimer);
        this.on.ready(data.payload.version);
        for (const msg of this.queue) this.worker.postMessage(msg);
        this.queue = [];
        if (this.inflight !== null && !this.paused) this.arm(this.hangMs, 'hang');
        break;
      case 'done':
        if (data.seq === this.inflight) this.settle();
        this.on.message(data);
        break;
      case 'fatal':
        this.settle();
        this.on.fatal(String(data.payload.message));
        break;
      default:
        this.on.message(data);
    }
  }

  post(type, seq, payload) {
    const msg = { type, seq, payload };
    if (!this.worker) return;
    if (this.ready) this.worker.postMessage(msg);
    else this.queue.push(msg);
  }

  run(seq, payload) {
    this.inflight = seq;
    this.paused = false;
    this.post('run', seq, payload);
    // Loading the module can take a while; the hang clock starts once the worker is ready.
    if (this.ready) this.arm(this.hangMs, 'hang');
  }

  // The worker holds the run's slices until resume(); stop() still ends it.
  pause(seq) {
    if (this.inflight !== seq || this.paused) return;
    this.paused = true;
    clearTimeout(this.watchdog);
    this.watchdog = null;
    this.post('pause', seq, {});
  }

  resume(seq) {
    if (this.inflight !== seq || !this.paused) return;
    this.paused = false;
    this.post('resume', seq, {});
    if (this.ready) this.arm(this.hangMs, 'hang');
  }

  stop(seq) {
    this.paused = false;
    this.post('stop', seq, {});
    if (this.inflight === seq) this.arm(this.stopGraceMs, 'stop');
  }

  setGc(seq, gc) {
    this.post('setGc', seq, gc);
  }

  gcAction(seq, name, arg) {
    this.post('gcAction', seq, arg === undefined ? { name } : { name, arg });
  }

  // Heap questions; answered between slices (or at once when no run is going).
  explain(seq, id) {
    this.post('explain', seq, { id });
  }

  suspects(seq, thresholdMs) {
    this.post('suspects', seq, { thresholdMs });
  }

  census(seq, { collect = false } = {}) {
    this.post('census', seq, { collect });
  }

  // Stepping (PROTOCOL.md): the paused script to its next line, or one collector request
  // ('gcStep', 'finishCycle', 'heapGraph') on the stepping run's heap; answered by `heapGraph`.
  nextLine(seq) {
    if (this.inflight !== seq) return;
    this.post('nextLine', seq, {});
  }

  stepping(type, seq, expand) {
    this.post(type, seq, { expand });
  }

  // Compile-only check of `source` (live diagnostics, the script's names): answered by
  // `checked` with the same `version`, also while a run goes on. Runs' seqs are not used.
  check(version, source, chunkname) {
    this.post('check', 0, { version, source, chunkname });
  }

  // One-shot timer: `why` is 'hang' (no slice in time) or 'stop' (stop not honoured in time).
  arm(ms, why) {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.restart(why), ms);
  }

  settle() {
    this.inflight = null;
    this.paused = false;
    clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  restart(why) {
    const seq = this.inflight;
    this.settle();
    this.terminate();
    this.start();
    this.on.restart(why, seq);
  }

  terminate() {
    clearTimeout(this.startTimer);
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.ready = false;
  }
}
