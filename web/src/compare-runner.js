// compare-runner.js - runs one script under several collector settings, one after another, in a
// worker of its own (so the main run, its recording and its panels are left alone).
//
// Runs are sequential on purpose: on a machine with few cores parallel runs would slow each
// other down and the time columns (run time, GC time, step lengths) would compare noise.
// Each run is an ordinary `run` of the worker protocol (PROTOCOL.md) with the setting's `gc`;
// the runner keeps, per run, the samples the overlaid chart needs, the cycle events (markers),
// the output (to flag differences) and the `done` payload's figures (`summary`).
//
// A fresh worker's first run is several times slower than later ones (the engine compiles the
// hot WebAssembly functions again, optimised, while they run), which would make run 1 of the
// first comparison look worst on every time column. So before the first comparison on a worker
// the runner runs WARMUP_SOURCE (the interpreter and both Lua 5.4 collectors at work) and
// throws its results away.
//
// Invariants:
// - At most one comparison at a time: a new compare() stops the current one first, whose
//   promise then resolves with what it had.
// - Every run ends in exactly one of finished / error / stopped; after a stop, the runs not yet
//   started end `stopped` without running. The promise resolves once, when all runs have ended.
// - Messages of a run that is not the current one (a stale seq) are ignored.
// - A run keeps at most OUTPUT_CAP characters of output (`outputTruncated` says so).

import { SampleSeries } from './recording.js';
import { rowOf } from './compare-model.js';

export const OUTPUT_CAP = 2 * 1024 * 1024;
// The columns the overlaid chart and the markers read; the rest of each sample is dropped.
export const KEPT_FIELDS = ['t', 'instr', 'allocated', 'total', 'cycle', 'reason'];
// About 40 ms of allocation, closures and collection under each Lua 5.4 collector mode.
export const WARMUP_SOURCE = `for _, mode in ipairs({ "incremental", "generational" }) do
  collectgarbage(mode)
  local keep = {}
  for i = 1, 30000 do
    keep[i % 500 + 1] = { i, tostring(i), function() return i end }
  end
end
`;
// No live suspect lists during a comparison: each is a heap search that would be timed too.
const NO_SUSPECTS = { thresholdMs: 1e12, everyMs: 1e12, limit: 1 };

// Keeps only KEPT_FIELDS of a compact sample batch ({fields, rows, replace?}).
export function keepFields(samples) {
  if (!samples || !Array.isArray(samples.fields) || !Array.isArray(samples.rows)) return null;
  const picks = KEPT_FIELDS.map((f) => samples.fields.indexOf(f)).filter((i) => i >= 0);
  return {
    fields: picks.map((i) => samples.fields[i]),
    rows: samples.rows.map((row) => (Array.isArray(row) ? picks.map((i) => row[i]) : row)),
    replace: samples.replace === true,
  };
}

export function newRun(setting) {
  return {
    setting,
    status: 'waiting',    // waiting | running | finished | error | stopped
    series: new SampleSeries(),
    cycles: [],
    output: '',
    outputTruncated: false,
    summary: null,
    error: null,
    elapsedMs: null,
    instructions: null,
    slices: 0,
  };
}

export class CompareRunner {
  // createClient(on): a WorkerClient-like object ({run, stop}) whose messages go to `on`.
  // onChange(runner, what): 'start' | 'slice' | 'run-end' | 'end', for the view to redraw.
  constructor({ createClient, chunkname, onChange = () => {} }) {
    this.createClient = createClient;
    this.chunkname = chunkname;
    this.onChange = onChange;
    this.client = null;
    this.runs = [];
    this.index = -1;       // the run in progress
    this.seq = 0;
    this.active = false;
    this.stopping = false;
    this.source = '';
    this.resolve = null;
    this.extra = {};
    this.warm = false;      // the worker has run WARMUP_SOURCE
    this.warming = false;   // the run in flight is the warm-up
    this.skipping = 0;      // seq of a run asked to stop by skip()
  }

  get running() {
    return this.active;
  }

  // Runs `source` under each setting; resolves to the contract's rows, in the order given.
  // `extra` goes into every run request as is (e.g. a server shim: {shim: 'ngx'}).
  compare(settings, source, extra = {}) {
    if (this.active) this.abandon();
    this.client ??= this.createClient({
      message: (msg) => this.receive(msg),
      restart: (why, seq) => this.lost(seq, why === 'stop' ? 'stopped' : 'error',
        'the worker stopped answering, so it was restarted'),
      fatal: (message) => this.lost(this.seq, 'error', message),
      ready: () => {},
    });
    this.runs = settings.map(newRun);
    this.source = source;
    this.extra = extra;
    this.active = true;
    this.stopping = false;
    this.index = -1;
    const done = new Promise((resolve) => {
      this.resolve = resolve;
    });
    this.onChange(this, 'start');
    this.next();
    return done;
  }

  // Ends the current run (`stopped`) and skips those not started.
  stop() {
    if (!this.active || this.stopping) return;
    this.stopping = true;
    this.client.stop(this.seq);
  }

  // Ends only the current run (`stopped`); the comparison goes on with the next setting.
  skip() {
    if (!this.active || this.stopping || this.warming || this.skipping === this.seq) return;
    this.skipping = this.seq;
    this.client.stop(this.seq);
  }

  // Ends the comparison in progress at once (its promise resolves with what it had): the
  // worker is told to stop, and whatever it still sends for that run is stale by then.
  abandon() {
    this.client.stop(this.seq);
    for (const run of this.runs) {
      if (run.status === 'running' || run.status === 'waiting') run.status = 'stopped';
    }
    this.warming = false;
    this.finish();
  }

  rows() {
    return this.runs.map(rowOf);
  }

  next() {
    this.index++;
    if (this.stopping) {
      for (const run of this.runs.slice(this.index)) run.status = 'stopped';
      this.index = this.runs.length;
    }
    if (this.index >= this.runs.length) {
      this.finish();
      return;
    }
    if (!this.warm) {
      this.index--;
      this.warming = true;
      this.seq++;
      this.client.run(this.seq, {
        source: WARMUP_SOURCE, chunkname: '=warmup', gc: { mode: 'incremental', params: {} },
        suspects: NO_SUSPECTS,
      });
      this.onChange(this, 'slice');
      return;
    }
    const run = this.runs[this.index];
    run.status = 'running';
    this.seq++;
    this.client.run(this.seq, {
      ...this.extra, source: this.source, chunkname: this.chunkname, gc: run.setting,
      suspects: NO_SUSPECTS,
    });
    this.onChange(this, 'slice');
  }

  finish() {
    this.active = false;
    this.stopping = false;
    const resolve = this.resolve;
    this.resolve = null;
    this.onChange(this, 'end');
    resolve?.(this.rows());
  }

  receive(msg) {
    if (!this.active || msg.seq !== this.seq) return;  // stale: an earlier run or comparison
    if (this.warming) {
      if (msg.type === 'done') this.warmedUp();
      return;
    }
    const run = this.runs[this.index];
    if (msg.type === 'slice') {
      this.absorb(run, msg.payload);
      this.onChange(this, 'slice');
    } else if (msg.type === 'done') {
      this.absorb(run, msg.payload);
      this.end(run, msg.payload.status, msg.payload);
    }
  }

  absorb(run, p) {
    run.slices++;
    const samples = keepFields(p.samples);
    if (samples) run.series.append(samples);
    if (Array.isArray(p.events)) {
      for (const ev of p.events) if (ev && ev.kind === 'cycle') run.cycles.push(ev);
    }
    if (typeof p.output === 'string' && p.output && !run.outputTruncated) {
      const room = OUTPUT_CAP - run.output.length;
      run.output += p.output.slice(0, room);
      if (p.output.length > room) run.outputTruncated = true;
    }
    if (Number.isFinite(p.instructions)) run.instructions = p.instructions;
    if (Number.isFinite(p.elapsedMs)) run.elapsedMs = p.elapsedMs;
  }

  end(run, status, p = {}) {
    run.status = ['finished', 'error', 'stopped'].includes(status) ? status : 'error';
    if (p.summary && typeof p.summary === 'object') run.summary = p.summary;
    if (p.error) run.error = p.error;
    this.onChange(this, 'run-end');
    this.next();
  }

  warmedUp() {
    this.warming = false;
    this.warm = true;
    this.next();
  }

  // The worker was restarted or its module failed during run `seq`.
  lost(seq, status, message) {
    this.warm = false;  // a new worker, or a new module instance
    if (!this.active || seq !== this.seq) return;
    if (this.warming) {
      this.warming = false;
      this.warm = true;  // no second try: a worker that fails the warm-up would loop
      this.next();
      return;
    }
    this.end(this.runs[this.index], status, status === 'error' ? { error: { message } } : {});
  }
}
