// The Lunette module Web Worker: owns one wasm Session and speaks PROTOCOL.md to the page.
//
// A run is a sequence of slices: each slice runs the Session for `budget` instructions, posts
// a `slice` message (output, samples, events, coroutines), then yields to the event loop so
// that a `stop` or `gcAction` from the page is handled between two slices. Browsers yield
// through a MessageChannel (setTimeout would be clamped to 4 ms; channel messages queue
// fairly with the page's messages); Node, whose ports drain up to 1000 queued messages at a
// time, yields with setImmediate. The budget adapts after every slice so that a
// slice lasts about `sliceMs` (8 ms by default): Stop is honoured within one slice even for
// `while true do end`.
//
// Pause holds the slices: no slice is scheduled until `resume` (stop, a new run and heap
// questions still work). Time spent paused is taken out of the run's clock (`t` of samples and
// events, the registry's times, elapsedMs), so the time axis shows no gap for it.
//
// Invariants: at most one slice tick is pending at any time (`tickPending`), so pausing and
// resuming can never start a second chain of slices; at most one run at a time (a new `run`
// replaces the current one, which ends `stopped`); every message the worker posts carries the
// `seq` of the run or request it answers; a JS exception from the module (a trap) posts
// `fatal` and the module is loaded afresh.
//
// Under Node (tests/wasm) a host sets globalThis.LUNETTE_MODULE_OPTIONS (e.g. wasmBinary) and
// provides `self` with postMessage/addEventListener before importing this file.
import createLunette from '../../wasm/dist/lunette.mjs';
import { Utf8Offsets } from './utf8-offsets.js';

const kDefaultSliceMs = 8;
const kFirstBudget = 200_000;
const kMinBudget = 2_000;
const kMaxBudget = 500_000_000;
const kDefaultChunkname = '=input';
const kSuspectsEveryMs = 500;  // run time between two suspect lists in `slice` messages
const kSuspectsLimit = 50;      // entries in a list carried by `slice` / `done`
const kSuspectsThresholdMs = 1000;
const kGcParamsByMode = {
  incremental: ['pause', 'stepmul', 'stepsize'],
  generational: ['minormul', 'majormul'],
  luajit: ['pause', 'stepmul'],
};

let module = null;
let session = null;
let loading = null;
const queued = [];             // messages that arrived before the module was ready
let current = null;            // the run in progress: {seq, budget, sliceMs, startedAt}
let gcSettings = { mode: 'incremental', params: {} };
let memoryLimit = null;
let budget = kFirstBudget;     // carried across runs: the machine's speed does not change
const stdoutDecoder = new TextDecoder();
const stdoutOffsets = new Utf8Offsets();
let tickPending = false;
const stderrDecoder = new TextDecoder();
const ticker = typeof setImmediate === 'function' ? null : new MessageChannel();

// ---- messages ---------------------------------------------------------------------------------

function post(type, seq, payload) {
  self.postMessage({ type, seq, payload });
}

function isValid(message) {
  return message !== null && typeof message === 'object' && typeof message.type === 'string';
}

function receive(message) {
  if (!isValid(message)) return;
  const seq = Number.isFinite(message.seq) ? message.seq : 0;
  const hasPayload = message.payload !== null && typeof message.payload === 'object';
  const payload = hasPayload ? message.payload : {};
  if (!session) {
    queued.push({ type: message.type, seq, payload });
    return;
  }
  dispatch(message.type, seq, payload);
}

function dispatch(type, seq, payload) {
  try {
    switch (type) {
      case 'run': return startRun(seq, payload);
      case 'stop': return stopRun(seq);
      case 'pause': return pauseRun(seq);
      case 'resume': return resumeRun(seq);
      case 'setGc': return setGc(seq, payload);
      case 'gcAction': return gcAction(seq, payload);
      case 'explain': return post('explained', seq, session.explain(Number(payload.id)));
      case 'suspects': return postSuspects(seq, payload);
      case 'census': return census(seq, payload);
      case 'check': return check(payload);
      case 'nextLine': return nextLine(seq);
      case 'gcStep': return stepping(seq, payload, 'step');
      case 'finishCycle': return stepping(seq, payload, 'finish');
      case 'heapGraph': return stepping(seq, payload, 'graph');
      default: return undefined;  // unknown types are dropped
    }
  } catch (error) {
    return trapped(error, seq);
  }
}

// ---- runs -------------------------------------------------------------------------------------

function startRun(seq, payload) {
  if (current) endRun('stopped', {});
  session.reset();
  if (payload.gc && typeof payload.gc.mode === 'string') gcSettings = normalizeGc(payload.gc);
  session.setGc(gcSettings.mode, gcSettings.params);
  if (Number.isFinite(payload.memoryLimit)) memoryLimit = payload.memoryLimit;
  if (memoryLimit !== null) session.setMemoryLimit(memoryLimit);
  const steppingRun = payload.stepping !== null && typeof payload.stepping === 'object'
    ? payload.stepping : null;
  session.setStepping(steppingRun !== null);
  const chunkname = typeof payload.chunkname === 'string' ? payload.chunkname : kDefaultChunkname;
  const args = Array.isArray(payload.args) ? payload.args.map(String) : [];
  session.setArgs(chunkname.replace(/^[=@]/, ''), args);
  const shim = typeof payload.shim === 'string' ? payload.shim : '';
  const refused = session.setShim(shim);
  current = {
    seq,
    sliceMs: positive(payload.sliceMs) ?? kDefaultSliceMs,
    fixedBudget: positive(payload.budget) ?? null,
    startedAt: performance.now(),
    suspects: suspectOptions(payload.suspects),
    suspectsAt: -Infinity,
    paused: null,   // {from, at} while paused: the run clock's last reading, performance.now()
    pauses: [],     // [{from, ms}]: run-clock readings after which `ms` were spent paused
    lastT: 0,       // the latest run-clock reading seen in samples and events
    shim,
    vtime: 0,       // the virtual clock's latest reading (a shim run's samples carry it on)
    stepping: steppingRun,  // {pauseAtStart}: the collector held, the heap kept at the end
  };
  steppingSeq = steppingRun ? seq : 0;
  if (refused) {
    endRun('error', { error: { kind: 'internal', message: refused, line: 0, traceback: '' } });
    return;
  }
  const loaded = session.load(String(payload.source ?? ''), chunkname);
  if (!loaded.ok) {
    const position = loaded.line > 0
      ? { chunk: chunkname.replace(/^[=@]/, ''), line: loaded.line } : undefined;
    endRun('error', {
      error: {
        kind: 'syntax', message: loaded.message, line: loaded.line, column: loaded.column,
        position, traceback: '',
      },
    });
    return;
  }
  if (steppingRun?.pauseAtStart === true) {
    current.paused = { from: 0, at: performance.now() };
    nextLine(seq);
    return;
  }
  schedule();
}

// ---- stepping through the collector ----------------------------------------------------------

let steppingSeq = 0;          // the stepping run whose heap the Session holds (0: none)
let expandLibrary = false;    // the page's last choice: the library as one node or expanded
const kNextLineSlices = 200;  // slices one "next line" may take before it gives up (a long line)

function postGraph(seq, graph, request) {
  post('heapGraph', seq, { ...graph, request });
}

// The paused stepping run up to its next line: a `slice` (status paused, with `line`) and the
// graph, or the end of the run (`done`, then the graph of the heap it left).
function nextLine(seq) {
  const run = current;
  if (!run || !run.stepping || !run.paused || (seq && seq !== run.seq)) return;
  let result = null;
  for (let i = 0; i < kNextLineSlices; i++) {
    result = session.runToNextLine(run.fixedBudget ?? budget);
    if (result.status !== 'paused' || result.line > 0) break;
  }
  if (result.status === 'paused') {
    post('slice', run.seq, { ...snapshot(run, false, true), status: 'paused', line: result.line ?? 0 });
    postGraph(run.seq, session.heapGraph(expandLibrary), 'line');
    return;
  }
  run.pauses.push({ from: run.paused.from, ms: performance.now() - run.paused.at });
  run.paused = null;
  finishRun(run, result);
}

// gcStep / finishCycle / heapGraph: on the heap of the stepping run, while it waits at a line
// or after it ended; refused while its slices run (the heap changes under the collector).
function stepping(seq, payload, request) {
  if (typeof payload.expand === 'boolean') expandLibrary = payload.expand;
  const target = seq || steppingSeq;
  if (!steppingSeq || target !== steppingSeq) {
    post('heapGraph', seq, { request, error: 'no stepping run: run the script in stepping mode first' });
    return;
  }
  if (current && current.seq === steppingSeq && !current.paused) {
    post('heapGraph', steppingSeq, { request, error: 'the script is running: pause it first' });
    return;
  }
  const graph = request === 'step' ? session.gcStep(expandLibrary)
    : request === 'finish' ? session.finishCycle(expandLibrary) : session.heapGraph(expandLibrary);
  postGraph(steppingSeq, graph, request);
}

// The run's live suspect lists: {thresholdMs, everyMs, limit}, defaults for what is absent.
function suspectOptions(given) {
  const o = given !== null && typeof given === 'object' ? given : {};
  const number = (v, fallback) => (Number.isFinite(v) && v >= 0 ? v : fallback);
  return {
    thresholdMs: number(o.thresholdMs, kSuspectsThresholdMs),
    everyMs: number(o.everyMs, kSuspectsEveryMs),
    limit: Math.min(number(o.limit, kSuspectsLimit), 500) || kSuspectsLimit,
  };
}

function postSuspects(seq, payload) {
  const thresholdMs = Number.isFinite(payload.thresholdMs) ? payload.thresholdMs : 0;
  const limit = Number.isFinite(payload.limit) ? payload.limit : 200;
  post('suspects', seq, { thresholdMs, list: session.suspects(thresholdMs, limit) });
}

function positive(value) {
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function stopRun(seq) {
  if (!current || (seq && seq !== current.seq)) return;
  session.stop();
  endRun('stopped', {});
}

function schedule() {
  if (tickPending) return;
  tickPending = true;
  if (ticker) ticker.port2.postMessage(null);
  else setImmediate(runSlice);
}

// Holds the run between two slices; the page gets everything up to here in a `slice` with
// status "paused".
function pauseRun(seq) {
  if (!current || current.paused || (seq && seq !== current.seq)) return;
  const run = current;
  const payload = snapshot(run, false, true);
  run.paused = { from: run.lastT, at: performance.now() };
  post('slice', run.seq, { ...payload, status: 'paused' });
}

function resumeRun(seq) {
  if (!current || !current.paused || (seq && seq !== current.seq)) return;
  const run = current;
  run.pauses.push({ from: run.paused.from, ms: performance.now() - run.paused.at });
  run.paused = null;
  schedule();
}

// A run-clock reading (ms since the run started, as the Session measures it) without the time
// spent paused before it.
function unpaused(run, t) {
  if (!Number.isFinite(t)) return t;
  let shifted = t;
  for (const p of run.pauses) if (t > p.from) shifted -= p.ms;
  return shifted;
}

function pausedMs(run) {
  let ms = 0;
  for (const p of run.pauses) ms += p.ms;
  return ms;
}

// Takes paused time out of the times of one batch (in place), and notes the latest reading.
function unpauseTimes(run, samples, events, records) {
  const tColumn = Array.isArray(samples.fields) ? samples.fields.indexOf('t') : -1;
  for (const row of samples.rows ?? []) {
    if (tColumn < 0 || !Array.isArray(row)) break;
    run.lastT = Math.max(run.lastT, row[tColumn]);
    row[tColumn] = unpaused(run, row[tColumn]);
  }
  for (const ev of events) {
    if (!ev || !Number.isFinite(ev.t)) continue;
    run.lastT = Math.max(run.lastT, ev.t);
    ev.t = unpaused(run, ev.t);
  }
  if (run.pauses.length === 0) return;
  for (const r of records) {
    for (const key of ['createdMs', 'lastResumeMs', 'deathMs', 'collectedMs']) {
      if (Number.isFinite(r[key])) r[key] = unpaused(run, r[key]);
    }
  }
}

function runSlice() {
  tickPending = false;
  if (!current || current.paused) return;
  const run = current;
  const sliceBudget = run.fixedBudget ?? budget;
  const started = performance.now();
  let result;
  try {
    result = session.run(sliceBudget);
  } catch (error) {
    trapped(error, run.seq);
    return;
  }
  const took = performance.now() - started;
  if (result.status === 'paused') {
    adaptBudget(sliceBudget, took, run.sliceMs);
    post('slice', run.seq, { ...snapshot(run, false), status: 'running' });
    schedule();
    return;
  }
  finishRun(run, result);
}

function finishRun(run, result) {
  // A stepping run's heap stays for the collector steps to come: its first picture goes out
  // before `done`, so that a "next line" that ended the script is answered by it.
  if (run.stepping && result.status === 'finished') {
    postGraph(run.seq, session.heapGraph(expandLibrary), 'end');
  } else if (run.stepping) {
    steppingSeq = 0;
    post('heapGraph', run.seq, { request: 'end', error: `the script ended (${result.status}): no heap to step` });
  }
  if (result.status === 'finished') endRun('finished', {});
  else if (result.status === 'exit') endRun('finished', { exitCode: result.exitCode });
  else if (result.status === 'error') endRun('error', { error: result.error });
  else endRun('stopped', {});
}

// Scales the budget toward `sliceMs`, by at most 4x per slice (timer noise on tiny slices).
function adaptBudget(used, tookMs, sliceMs) {
  if (current?.fixedBudget) return;
  const factor = Math.min(4, Math.max(0.25, sliceMs / Math.max(tookMs, 0.05)));
  budget = Math.round(Math.min(kMaxBudget, Math.max(kMinBudget, used * factor)));
}

function endRun(status, extra) {
  const run = current;
  current = null;
  post('done', run.seq, { ...snapshot(run, true), ...runSummary(), status, ...extra });
}

// The run in figures (the Session's runSummary, for the Compare view), when the Session has it.
function runSummary() {
  return typeof session.runSummary === 'function' ? { summary: session.runSummary() } : {};
}

// What the page needs after a slice: output since the last one (with its marks), samples,
// events, coroutines.
function snapshot(run, final, pausing = false) {
  const { stdout, stderr } = session.drainOutput();
  const instructions = session.instructionCount();
  const output = stdoutDecoder.decode(stdout, { stream: !final });
  const outputMarks = drainMarks(stdout, output, instructions, final);
  const telemetry = session.telemetry();
  const samples = telemetry.samples ?? { fields: [], rows: [] };
  const events = telemetry.events ?? [];
  const coroutines = session.coroutines();
  unpauseTimes(run, samples, events, coroutines);
  carryVirtualTime(run, samples);
  const suspects = liveSuspects(run, final);
  if (suspects.suspects) unpauseTimes(run, { rows: [] }, [], suspects.suspects.list ?? []);
  return {
    output,
    outputMarks,
    errorOutput: stderrDecoder.decode(stderr, { stream: !final }),
    samples,
    events,
    droppedEvents: telemetry.droppedEvents ?? 0,
    coroutines,
    instructions,
    elapsedMs: performance.now() - run.startedAt - pausedMs(run) -
      (run.paused ? performance.now() - run.paused.at : 0),
    ...suspects,
    ...shimWaits(run, final, pausing),
  };
}

// What the shim's parked coroutines wait for (at the end, on a pause, and during a run at most
// every WAITING_EVERY_MS: reading it walks the scheduler's table), and at the end which of them
// the scheduler left behind (nothing will wake those).
const WAITING_EVERY_MS = 250;
function shimWaits(run, final, pausing) {
  if (!run.shim) return {};
  if (final) return { waiting: session.waiting(), stranded: session.stranded() };
  const now = performance.now();
  if (!pausing && now - (run.waitingAt ?? -Infinity) < WAITING_EVERY_MS) return {};
  run.waitingAt = now;
  return { waiting: session.waiting() };
}

// A shim run's samples taken before its scheduler started the clock (loading the shim) have
// no `vtime`: they are at virtual time 0, and each later gap carries the last reading on, so
// the virtual-time axis has a value for every row.
function carryVirtualTime(run, samples) {
  const column = run.shim && Array.isArray(samples.fields) ? samples.fields.indexOf('vtime') : -1;
  if (column < 0) return;
  if (samples.replace === true) run.vtime = 0;  // the whole recording again, from its start
  for (const row of samples.rows ?? []) {
    if (!Array.isArray(row)) continue;
    if (Number.isFinite(row[column])) run.vtime = row[column];
    else row[column] = run.vtime;
  }
}

// [[instr, charEnd], ...] for the output just drained: the Session's byte marks turned into
// offsets of the decoded text, or (a Session without marks) one mark for all of it.
function drainMarks(bytes, output, instructions, final) {
  if (typeof session.drainOutputMarks !== 'function') {
    return output.length ? [[instructions, output.length]] : [];
  }
  let byteMarks = [];
  try {
    byteMarks = JSON.parse(session.drainOutputMarks());
  } catch {
    byteMarks = [];
  }
  const valid = Array.isArray(byteMarks)
    ? byteMarks.filter((m) => Array.isArray(m) && Number.isFinite(m[0]) && Number.isFinite(m[1]))
    : [];
  const marks = stdoutOffsets.convert(bytes, valid, final);
  return marks.map(([instr, chars]) => [instr, Math.min(chars, output.length)]);
}

// A bounded suspect list every `everyMs` of run time, and one in `done`: each list is a heap
// search per entry, so it is not taken after every slice.
function liveSuspects(run, final) {
  const now = performance.now();
  if (!final && now - run.suspectsAt < run.suspects.everyMs) return {};
  run.suspectsAt = now;
  const { thresholdMs, limit } = run.suspects;
  return { suspects: { thresholdMs, list: session.suspects(thresholdMs, limit) } };
}

// ---- checking without running ------------------------------------------------------------------

// Compile-only (Session.check touches no Lua state), so it is answered at once between runs and
// between two slices of a running or paused run alike. `version` is the page's, echoed back so
// that it can drop answers about text it has since changed.
function check(payload) {
  const chunkname = typeof payload.chunkname === 'string' ? payload.chunkname : kDefaultChunkname;
  const result = typeof session.check === 'function'
    ? session.check(String(payload.source ?? ''), chunkname)
    : { ok: true, names: [] };
  const version = Number.isFinite(payload.version) ? payload.version : 0;
  if (result.ok === undefined && result.error) {  // the binding's internal-error record
    post('checked', 0, { version, ok: true, names: [], error: result.error.message });
    return;
  }
  post('checked', 0, { version, ...result });
}

// ---- collector ------------------------------------------------------------------------------

function normalizeGc(gc) {
  const mode = kGcParamsByMode[gc.mode] ? gc.mode : 'incremental';
  const params = {};
  for (const name of kGcParamsByMode[mode]) {
    const value = gc.params?.[name];
    if (Number.isFinite(value)) params[name] = value;
  }
  return { mode, params };
}

function setGc(seq, payload) {
  if (typeof payload.mode !== 'string') return;
  gcSettings = normalizeGc(payload);
  postGc(seq, session.setGc(gcSettings.mode, gcSettings.params));
}

// A census, after a full collection when asked (live objects only, as a heap snapshot shows).
function census(seq, payload) {
  if (payload.collect === true) session.gcAction('collect', 0);
  post('census', seq, session.census());
}

function gcAction(seq, payload) {
  const arg = Number.isFinite(payload.arg) ? payload.arg : 0;
  postGc(seq, session.gcAction(String(payload.name ?? ''), arg));
}

function postGc(seq, report) {
  const params = {};
  for (const name of kGcParamsByMode[report.mode] ?? []) params[name] = report.params[name];
  const payload = { mode: report.mode, params, total: report.total, threshold: report.threshold };
  if (!report.ok) payload.error = report.error;
  post('gc', seq, payload);
}

// ---- the module -----------------------------------------------------------------------------

function trapped(error, seq) {
  current = null;
  session = null;
  module = null;
  post('fatal', seq, { message: `the WebAssembly module failed: ${error?.message ?? error}` });
  load();
}

function load() {
  if (loading) return loading;
  const options = globalThis.LUNETTE_MODULE_OPTIONS ?? {};
  loading = createLunette({ ...options })
    .then((instance) => {
      module = instance;
      session = new module.Session();
      loading = null;
      post('ready', 0, { version: module.Session.version() });
      while (queued.length && session) {
        const next = queued.shift();
        dispatch(next.type, next.seq, next.payload);
      }
    })
    .catch((error) => {
      loading = null;
      const message = `the WebAssembly module did not load: ${error?.message ?? error}`;
      post('fatal', 0, { message });
    });
  return loading;
}

if (ticker) ticker.port1.onmessage = runSlice;
self.addEventListener('message', (event) => receive(event.data));
load();
