// state.js - the page's state, in one place, and the only code that changes it.
//
// Panels never hold state of their own beyond what they have drawn: they subscribe to topics
// ('run', 'log', 'samples', 'coroutines', 'gc', 'error', 'view') and redraw from `store.state`.
// Changes are applied at once (so `playground.state()` is always current) but listeners run at
// most once per animation frame, however many worker messages arrived: the page keeps up with
// any message rate without freezing. No timers poll anything.
//
// Invariants:
// - `status` is one of idle | running | finished | error | stopped; only beginRun() enters
//   running, and only the current run (`runSeq`) can leave it.
// - Memory is bounded: the recording (recording.js) is capped, the console log and output
//   keep their last LOG_CAP characters, cycle events their last CYCLE_CAP records, the
//   coroutine registry its newest COROUTINE_CAP records (the worker sends the 1000 newest).
// - `cursor` is null (live view: every panel shows the newest state) or {axis, x}, a moment of
//   the recording; `moment` is always resolveMoment(samples, cursor), recomputed whenever
//   either changes. live() (End, the Live button), a new run or an opened trace return to live
//   view; seek(1) keeps a cursor on the last sample.

import { defaultParamsByMode, DEFAULT_MODE, normalizeGc } from './gc-config.js';
import { normalizeServer } from './server.js';
import {
  AXES, CoroutineHistory, OutputMarks, REASONS, REASON_CYCLE_END, SampleSeries, axisRange,
  hasVirtualTime, reconcileWithCounts, recordAt, resolveMoment, xAtFraction,
} from './recording.js';

export { SampleSeries, SAMPLE_CAP } from './recording.js';
export const LOG_CAP = 400_000;
export const CYCLE_CAP = 4000;
export const COROUTINE_CAP = 4096;
// A keyboard step of the cursor: this fraction of the run (with Shift or PageUp/Down, ten).
export const CURSOR_STEP = 0.01;

// ---------------------------------------------------------------------------------------------
// The store.

const TOPICS = ['run', 'log', 'samples', 'coroutines', 'gc', 'error', 'view', 'why', 'suspects',
  'census', 'cursor', 'server'];

function freshRun(state) {
  state.output = '';
  state.outputBase = 0;     // characters of this run's output trimmed from the front of `output`
  state.outputMarks = new OutputMarks();
  state.history = new CoroutineHistory();
  state.cursor = null;
  state.moment = null;
  state.paused = false;
  state.error = null;
  state.instructions = 0;
  state.elapsedMs = 0;
  state.samples = new SampleSeries();
  state.cycles = [];
  state.cycleCount = 0;
  state.longestPauseNs = 0;
  state.cycleEvents = false;
  state.cycleStart = null;
  state.coroutines = new Map();
  state.coroutineVersion++;
  state.suspects = { list: [], atMs: 0, thresholdMs: 0, lastSeen: null };
  state.waiting = {};
  state.stranded = {};
  state.why = null;
  state.replay = null;
}

export function createStore({ gc, server } = {}) {
  const start = normalizeGc(gc ?? { mode: DEFAULT_MODE });
  const paramsByMode = defaultParamsByMode();
  paramsByMode[start.mode] = start.params;

  const state = {
    status: 'idle',
    runSeq: 0,
    stopping: false,
    paused: false,          // the worker holds the run's slices (Pause)
    output: '',
    outputBase: 0,
    outputMarks: new OutputMarks(),
    history: new CoroutineHistory(),
    cursor: null,
    moment: null,
    error: null,
    instructions: 0,
    elapsedMs: 0,
    samples: new SampleSeries(),
    cycles: [],
    cycleCount: 0,
    longestPauseNs: 0,  // the longest collector step of the run (cycle events' longestStepNs;
                        // at the end, the run summary's longestStepMs)
    cycleEvents: false,
    cycleStart: null,
    coroutines: new Map(),
    coroutineVersion: 0,
    log: [],
    logNextId: 1,
    logChars: 0,
    gc: { mode: start.mode, paramsByMode, total: 0, threshold: 0 },
    // The Server setting (server.js) and the one the current or last run used.
    server: normalizeServer(server),
    runServer: 'none',
    // What each coroutine parked by the server shim waits for, by id (the worker's `waiting`:
    // at the end, on a pause, and every 250 ms of a run), and those of them nothing is left to
    // wake (`stranded`, known when the run ends).
    waiting: {},
    stranded: {},
    worker: { ready: false, version: '' },
    view: { xAxis: 'time', coFilter: 'all', coSort: { key: 'id', dir: 1 } },
    // The heap questions: the selected coroutine's retention path ({id, found, edges, target,
    // pending}), the live suspect list (lastSeen: the last non-empty list, kept after the
    // suspects are gone), and the last two censuses (a second one shows the difference).
    why: null,
    suspects: { list: [], atMs: 0, thresholdMs: 0, lastSeen: null },
    census: { current: null, previous: null },
    replay: null,  // {name, batches} when the charts show a loaded trace
  };

  const listeners = new Map(TOPICS.map((t) => [t, new Set()]));
  const dirty = new Set();
  let frameRequested = false;

  function flush() {
    frameRequested = false;
    const topics = [...dirty];
    dirty.clear();
    for (const topic of topics) for (const fn of listeners.get(topic)) fn(state);
  }

  function notify(...topics) {
    for (const t of topics) dirty.add(t);
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(flush);
    }
  }

  // ---- console log: append-only entries, consecutive stdout merged, trimmed at the front.
  function log(kind, text, extra = {}) {
    if (!text) return;
    const last = state.log[state.log.length - 1];
    const stream = kind === 'out' || kind === 'stderr';
    if (stream && last && last.kind === kind && last.seq === state.runSeq) {
      last.text += text;
    } else {
      state.log.push({ id: state.logNextId++, kind, text, seq: state.runSeq, ...extra });
    }
    state.logChars += text.length;
    while (state.logChars > LOG_CAP && state.log.length) {
      const first = state.log[0];
      const excess = state.logChars - LOG_CAP;
      if (first.text.length > excess && state.log.length === 1) {
        // A single huge entry: keep its tail under a new id so the console redraws it.
        state.log[0] = { ...first, id: state.logNextId++, text: first.text.slice(excess) };
        state.logChars -= excess;
      } else {
        state.log.shift();
        state.logChars -= first.text.length;
      }
    }
    notify('log');
  }

  // Appends the run's output and its marks ([instr, charEnd] within `text`; without them, one
  // mark at the message's instruction count for all of it).
  function appendOutput(text, marks, instructions) {
    if (typeof text !== 'string' || !text) return;
    const base = state.outputBase + state.output.length;
    if (Array.isArray(marks) && marks.length) {
      for (const m of marks) {
        if (!Array.isArray(m)) continue;
        state.outputMarks.add(Number(m[0]), base + Math.min(Number(m[1]), text.length));
      }
    } else if (Number.isFinite(instructions)) {
      state.outputMarks.add(instructions, base + text.length);
    }
    state.output += text;
    if (state.output.length > LOG_CAP) {
      state.outputBase += state.output.length - LOG_CAP;
      state.output = state.output.slice(-LOG_CAP);
    }
    log('out', text);
  }

  // ---- the cursor.
  function setCursor(cursor) {
    state.cursor = cursor;
    state.moment = resolveMoment(state.samples, cursor);
    if (!state.moment) state.cursor = null;
    notify('cursor', 'coroutines', 'log');
  }

  function cursorAxis() {
    return AXES[state.view.xAxis] ? state.view.xAxis : 'time';
  }

  function addCycle(ev) {
    state.cycles.push(ev);
    state.cycleCount++;
    if (Number.isFinite(ev.longestStepNs) && ev.longestStepNs > state.longestPauseNs) {
      state.longestPauseNs = ev.longestStepNs;
    }
    if (state.cycles.length > CYCLE_CAP) state.cycles.shift();
  }

  function applyEvents(events) {
    if (!Array.isArray(events)) return;
    for (const ev of events) {
      if (ev && ev.kind === 'coroutine') state.history.add(ev);
      if (!ev || ev.kind !== 'cycle') continue;
      if (!state.cycleEvents) {
        // The worker reports cycles itself: those replace any we inferred from samples.
        state.cycleEvents = true;
        state.cycles = [];
        state.cycleCount = 0;
      }
      addCycle(ev);
    }
  }

  // Until the worker sends cycle events, a cycle end is inferred where the sampled phase
  // returns to pause; its summary is what the samples show (heap before and after).
  function inferCycles(from) {
    const s = state.samples;
    const phase = s.get('phase');
    const total = s.get('total');
    const t = s.get('t');
    if (!phase || !total || !t) return;
    for (let i = Math.max(from, 1); i < s.length; i++) {
      if (phase[i] !== 0) {
        if (phase[i - 1] === 0 || state.cycleStart === null) {
          state.cycleStart = { t: t[i], peak: total[i] };
        }
        state.cycleStart.peak = Math.max(state.cycleStart.peak, total[i]);
      } else if (phase[i - 1] > 0 && state.cycleStart) {
        const c = state.cycleStart;
        addCycle({ kind: 'cycle', inferred: true, t: t[i], totalBefore: c.peak,
          totalAfter: total[i], freed: Math.max(0, c.peak - total[i]),
          durationNs: (t[i] - c.t) * 1e6 });
        state.cycleStart = null;
      }
    }
  }

  // Samples that say why they were taken mark every cycle end themselves (the charts draw
  // those); without cycle events the count is theirs: the `cycle` column, else the marked rows.
  function countSampledCycles() {
    const s = state.samples;
    state.cycles = [];
    const cycle = s.get('cycle');
    const last = cycle ? cycle[s.length - 1] : NaN;
    if (Number.isFinite(last)) {
      state.cycleCount = last;
      return;
    }
    const reason = s.get('reason');
    let n = 0;
    for (let i = 0; i < s.length; i++) if (reason[i] === REASON_CYCLE_END) n++;
    state.cycleCount = n;
  }

  function applyCoroutines(list) {
    if (!Array.isArray(list) || list.length === 0) return false;
    for (const rec of list) {
      if (rec && rec.id !== undefined) state.coroutines.set(rec.id, rec);
    }
    // A program that makes millions of coroutines: the oldest records seen go first.
    for (const id of state.coroutines.keys()) {
      if (state.coroutines.size <= COROUTINE_CAP) break;
      state.coroutines.delete(id);
    }
    state.coroutineVersion++;
    return true;
  }

  function applySuspects({ list, thresholdMs }) {
    const atMs = state.elapsedMs;
    state.suspects = { ...state.suspects, list, atMs, thresholdMs: Number(thresholdMs) || 0 };
    if (list.length > 0) state.suspects.lastSeen = { list, atMs };
    notify('suspects');
  }

  // Everything a slice or done message carries besides its status.
  function applyProgress(p) {
    appendOutput(p.output, p.outputMarks, p.instructions);
    if (typeof p.errorOutput === 'string') log('stderr', p.errorOutput); // io.stderr, warnings
    const receivedBefore = state.samples.received;
    const replacing = p.samples?.replace === true;
    if (replacing) state.samples.clear();  // even an empty replacement empties the recording
    if (state.samples.append(p.samples) > 0) {
      const added = state.samples.received - receivedBefore; // the new rows are the last ones
      if (replacing && !state.cycleEvents) {
        state.cycles = [];
        state.cycleCount = 0;
        state.cycleStart = null;
      }
      if (state.samples.has('reason')) {
        if (!state.cycleEvents) countSampledCycles();
      } else if (!state.cycleEvents) {
        inferCycles(Math.max(0, state.samples.length - added));
      }
      const total = state.samples.get('total');
      const threshold = state.samples.get('threshold');
      if (total) state.gc.total = total[state.samples.length - 1];
      if (threshold) state.gc.threshold = threshold[state.samples.length - 1];
      notify('gc');
    }
    applyEvents(p.events);
    if (applyCoroutines(p.coroutines)) notify('coroutines');
    if (p.suspects && Array.isArray(p.suspects.list)) applySuspects(p.suspects);
    if (p.waiting && typeof p.waiting === 'object') {
      state.waiting = p.waiting;
      notify('coroutines');
    }
    if (p.stranded && typeof p.stranded === 'object') state.stranded = p.stranded;
    if (Number.isFinite(p.instructions)) state.instructions = p.instructions;
    if (Number.isFinite(p.elapsedMs)) state.elapsedMs = p.elapsedMs;
    if (state.cursor) setCursor(state.cursor);  // the same moment, in the grown recording
    notify('samples', 'run', 'cursor');
  }

  const api = {
    state,
    notify,
    subscribe(topic, fn) {
      listeners.get(topic).add(fn);
      return () => listeners.get(topic).delete(fn);
    },

    gcSettings() {
      const mode = state.gc.mode;
      return { mode, params: { ...state.gc.paramsByMode[mode] } };
    },
    setGc(mode, params) {
      const gc = normalizeGc({ mode, params: { ...state.gc.paramsByMode[mode], ...params } });
      state.gc.mode = gc.mode;
      state.gc.paramsByMode[gc.mode] = gc.params;
      notify('gc');
      return gc;
    },

    setServer(server) {
      state.server = normalizeServer(server);
      notify('server');
      return state.server;
    },

    beginRun() {
      state.runSeq++;
      state.status = 'running';
      state.stopping = false;
      freshRun(state);
      // A server run is drawn against its virtual clock; a plain run has none.
      state.runServer = state.server;
      if (state.runServer !== 'none') state.view.xAxis = 'vtime';
      else if (state.view.xAxis === 'vtime') state.view.xAxis = 'time';
      notify('run', 'samples', 'coroutines', 'error', 'gc', 'why', 'suspects', 'cursor', 'log',
        'view');
      return state.runSeq;
    },
    isCurrent(seq) {
      return seq === state.runSeq && state.status === 'running';
    },
    applySlice(seq, payload) {
      if (!api.isCurrent(seq)) return;
      applyProgress(payload);
    },
    applyDone(seq, payload) {
      if (!api.isCurrent(seq)) return;
      applyProgress(payload);
      // The run's own longest step (the Session's step statistics): cycle events can be
      // dropped when a slice makes more events than the ring holds, and a cycle still open at
      // the end has sent none, so they alone can miss the longest pause.
      const longestStepMs = payload.summary?.longestStepMs;
      if (Number.isFinite(longestStepMs)) {
        state.longestPauseNs = Math.max(state.longestPauseNs, Math.round(longestStepMs * 1e6));
      }
      const status = ['finished', 'error', 'stopped'].includes(payload.status)
        ? payload.status : 'error';
      api.endRun(status, payload.error);
    },
    // Ends the current run; `error` is the worker's typed error record {kind, message, line,
    // column?, position?, traceback} (PROTOCOL.md). The page reads the record, never the text.
    endRun(status, error) {
      state.status = status;
      state.stopping = false;
      state.paused = false;
      if (status === 'error') {
        state.error = errorRecord(error);
        log('err', state.error.message,
          { traceback: state.error.traceback, errorKind: state.error.kind });
        notify('error');
      }
      notify('run');
    },
    // ---- heap questions.
    askWhy(id) {
      state.why = { id, pending: true, found: false, edges: [], target: `coroutine #${id}` };
      notify('why');
    },
    // A path that came with a suspect record: no round trip needed.
    showPath(id, edges, target) {
      state.why = { id, pending: false, found: true, edges, target: target ?? `coroutine #${id}` };
      notify('why');
    },
    applyExplained(payload) {
      if (!payload || (state.why && payload.id !== undefined && payload.id !== state.why.id)) return;
      state.why = {
        id: payload.id ?? state.why?.id, pending: false, found: Boolean(payload.found),
        edges: Array.isArray(payload.edges) ? payload.edges : [],
        target: String(payload.target ?? ''), error: payload.error,
      };
      notify('why');
    },
    applySuspectList(payload) {
      if (payload && Array.isArray(payload.list)) applySuspects(payload);
    },
    applyCensus(payload) {
      if (!payload || typeof payload.byType !== 'object') return;
      state.census = { current: payload, previous: state.census.current };
      notify('census');
    },
    // Replays a --trace file: every line is a slice batch {samples, events, suspects?,
    // coroutines?, census?}.
    loadTrace(name, batches) {
      state.runSeq++;
      freshRun(state);
      state.replay = { name, batches: batches.length };
      state.census = { current: null, previous: null };
      for (const batch of batches) {
        applyProgress(batch);
        if (batch.census && typeof batch.census.byType === 'object') {
          state.census = { current: batch.census, previous: null };
        }
      }
      const t = state.samples.get('t');
      if (t && state.samples.length) state.elapsedMs = t[state.samples.length - 1];
      if (!hasVirtualTime(state.samples) && state.view.xAxis === 'vtime') state.view.xAxis = 'time';
      state.status = 'finished';
      state.stopping = false;
      notify('run', 'samples', 'coroutines', 'error', 'gc', 'why', 'suspects', 'census', 'cursor',
        'log');
    },

    markStopping() {
      state.stopping = true;
      notify('run');
    },
    applyGc(payload) {
      if (!payload) return;
      if (Number.isFinite(payload.total)) state.gc.total = payload.total;
      if (Number.isFinite(payload.threshold)) state.gc.threshold = payload.threshold;
      notify('gc');
    },
    workerReady(version) {
      state.worker = { ready: true, version: String(version ?? '') };
      notify('run');
    },
    workerLost() {
      state.worker = { ready: false, version: '' };
      notify('run');
    },
    note(text) {
      log('note', text);
    },
    clearLog() {
      state.log = [];
      state.logChars = 0;
      notify('log');
    },
    setView(patch) {
      const axisBefore = cursorAxis();
      Object.assign(state.view, patch);
      // The cursor keeps its moment on the new axis: the same row, read in the other column.
      if (state.moment && cursorAxis() !== axisBefore) {
        const col = state.samples.get(AXES[cursorAxis()]);
        if (col) setCursor({ axis: cursorAxis(), x: col[state.moment.row] });
      }
      notify('view', 'samples', 'coroutines', 'cursor');
    },

    setPaused(paused) {
      state.paused = Boolean(paused) && state.status === 'running';
      notify('run');
    },

    // Puts the cursor at `fraction` of the recorded run along the current x axis. Returns
    // false when there is nothing recorded to seek in.
    seek(fraction) {
      const axis = cursorAxis();
      const x = xAtFraction(state.samples, axis, fraction);
      if (x === null) return false;
      setCursor({ axis, x });
      return true;
    },
    // Back to live view: every panel shows the newest state.
    live() {
      if (state.cursor) setCursor(null);
    },
    // One keyboard step (`steps` of CURSOR_STEP, negative is back), at least one sample row, so
    // a short recording can be walked row by row. From live view a step back starts at the end.
    stepCursor(steps) {
      const axis = cursorAxis();
      const range = axisRange(state.samples, axis);
      if (!range) return;
      const from = state.cursor ? state.cursor.x : range.max;
      if (!state.cursor && steps > 0) return;
      const step = steps * CURSOR_STEP * (range.max - range.min);
      let x = Math.min(range.max, Math.max(range.min, from + step));
      const rowNow = state.moment ? state.moment.row : state.samples.length - 1;
      const column = AXES[axis];
      const rowThen = state.samples.indexAtOrBefore(column, x);
      if (rowThen === rowNow) {
        const next = Math.min(state.samples.length - 1, Math.max(0, rowNow + Math.sign(steps)));
        if (next !== rowNow) x = range.xs[next];
      }
      setCursor({ axis, x });
    },

    // The registry as of the cursor (records born later left out), or all of it when live.
    coroutineRecords() {
      const all = [...state.coroutines.values()];
      if (!state.moment) return all;
      const moment = { instr: state.moment.instr, t: state.moment.t };
      const records = all.map((r) => recordAt(r, state.history, moment)).filter(Boolean);
      return reconcileWithCounts(records, state.history, state.moment);
    },
    // The run's output printed by the cursor's moment: {text, chars, trimmed}.
    outputAtCursor() {
      if (!state.moment) return null;
      const chars = state.outputMarks.charsAt(state.moment.instr);
      const end = Math.max(0, chars - state.outputBase);
      return { text: state.output.slice(0, end), chars, trimmed: chars > 0 && end === 0 };
    },
    sampleAt(row) {
      const s = state.samples;
      if (!(row >= 0 && row < s.length)) return null;
      const out = {};
      for (const [name, col] of s.columns) out[name] = Number.isFinite(col[row]) ? col[row] : null;
      return out;
    },
    cursorSnapshot() {
      const m = state.moment;
      if (!m) return null;
      return {
        fraction: m.fraction, ms: m.t, total: m.total, threshold: m.threshold,
        phase: m.phaseName, line: m.line, coroutines: { ...m.coroutines },
        instr: m.instr, allocated: m.allocated, cycle: Number.isFinite(m.cycle) ? m.cycle : null,
        reason: REASONS[m.reason] ?? null, row: m.row, axis: m.axis,
      };
    },

    // The automation view (window.playground.state()): plain data, safe to serialise.
    snapshot() {
      const gc = api.gcSettings();
      return {
        status: state.status,
        output: state.output,
        error: state.error ? {
          kind: state.error.kind, message: state.error.message, line: state.error.line,
          position: state.error.position,
        } : null,
        samples: state.samples.length,
        paused: state.paused,
        cursor: api.cursorSnapshot(),
        coroutines: [...state.coroutines.values()].map((r) => ({ ...r })),
        gc: { mode: gc.mode, params: gc.params, total: state.gc.total,
          threshold: state.gc.threshold, cycles: state.cycleCount },
        instructions: state.instructions,
        elapsedMs: state.elapsedMs,
        workerReady: state.worker.ready,
        why: state.why ? { ...state.why } : null,
        suspects: state.suspects.list.map((r) => ({ ...r })),
        server: state.server,
        runServer: state.runServer,
        waiting: { ...state.waiting },
        stranded: Object.keys(state.stranded).map(Number),
        xAxis: state.view.xAxis,
        suspectsLastSeen: state.suspects.lastSeen?.list.length ?? 0,
        census: state.census.current,
        replay: state.replay,
      };
    },
  };
  return api;
}

export const ERROR_KINDS = ['runtime', 'syntax', 'memory', 'handler', 'internal'];

// The worker's error record, checked field by field: a kind the page knows ("internal" for any
// other), the script line to mark (null when the error does not point into the script), the
// column of a syntax error, and where the error points ({chunk, line}, or null).
export function errorRecord(err) {
  const e = err && typeof err === 'object' ? err : {};
  const positive = (n) => (Number.isInteger(n) && n > 0 ? n : null);
  const position = e.position && typeof e.position === 'object' &&
    typeof e.position.chunk === 'string' && positive(e.position.line)
    ? { chunk: e.position.chunk, line: e.position.line } : null;
  return {
    kind: ERROR_KINDS.includes(e.kind) ? e.kind : 'internal',
    message: typeof e.message === 'string' && e.message ? e.message : 'the run failed without a message',
    line: positive(e.line),
    column: positive(e.column),
    position,
    traceback: typeof e.traceback === 'string' ? e.traceback : '',
  };
}
