// fake-worker.js - a stand-in for web/src/worker.js that speaks PROTOCOL.md without wasm.
//
// Test-only (never shipped): the browser tests serve it as /worker.js when run with --fake, so
// the page can be built and tested before the real VM runs end to end. It does not run Lua; it
// understands just enough of a script to play its part:
//   print("text", 42)        one line each: output (string and number literals only)
//   error("msg")             a runtime error at that line, with a traceback
//   x = = 1                  a syntax error at that line
//   while true do            runs until stopped
//   coroutine.create / wrap  one registry record per line (suspended)
//   --fake: duration=MS      run (and allocate) for MS milliseconds; a `for` loop means 1200
//   --fake: coroutines=L:S,L:S   records created at line L with status S instead
//   --fake: hang             stop answering after the first slice (tests the page's watchdog)
// `pause` holds the slices (answered by a `slice` with status "paused") until `resume`.
// The heap is simulated: allocation raises `total`, a cycle runs through the phases when it
// crosses `threshold`, frees to a live estimate and sets threshold = estimate * pause / 100.

const SLICE_MS = 16;
const ROWS_PER_SLICE = 4;
const KINDS = ['string', 'table', 'lclosure', 'nclosure', 'upvalue', 'proto', 'thread', 'userdata'];
const SHARE = [0.22, 0.46, 0.1, 0.03, 0.04, 0.05, 0.06, 0.04];
const FIELDS = ['t', 'instr', 'allocated', 'total', 'threshold', 'debt', 'estimate', 'phase',
  ...KINDS.map((k) => `bytes.${k}`),
  'co.suspended', 'co.running', 'co.normal', 'co.dead', 'co.collected'];

let gc = { mode: 'incremental', params: { pause: 200, stepmul: 100, stepsize: 13 } };
let heap = freshHeap();
let run = null;

function freshHeap() {
  return { total: 24_000, threshold: 48_000, estimate: 24_000, allocated: 24_000, phase: 0,
    phaseLeft: 0, cycleStart: 0, cycleBefore: 0 };
}

function post(type, seq, payload) {
  self.postMessage({ type, seq, payload });
}

function parse(source, chunk) {
  const lines = source.split('\n');
  const prog = { steps: [], infinite: false, durationMs: 0, hang: false, coroutines: [] };
  const directive = {};
  lines.forEach((line, i) => {
    const n = i + 1;
    const d = /^\s*--\s*fake:\s*(.*)$/.exec(line);
    if (d) {
      for (const part of d[1].split(/\s+/)) {
        const [k, v] = part.split('=');
        directive[k] = v ?? true;
      }
      return;
    }
    if (/[^=<>~]=\s+=[^=]/.test(` ${line} `)) {
      prog.syntax = { kind: 'syntax', message: `${chunk}:${n}: unexpected symbol near '='`, line: n,
        position: { chunk, line: n } };
    }
    if (/\bwhile\s+true\s+do\b/.test(line)) prog.infinite = true;
    if (/^\s*for\b/.test(line)) prog.durationMs = Math.max(prog.durationMs, 1200);
    if (/coroutine\.(create|wrap)/.test(line)) {
      prog.coroutines.push({ line: n, status: 'suspended' });
    }
    const p = /^\s*print\((.*)\)\s*;?\s*$/.exec(line);
    if (p) prog.steps.push({ kind: 'print', text: literals(p[1]) });
    const e = /^\s*error\(\s*"([^"]*)"\s*\)/.exec(line);
    if (e) prog.steps.push({ kind: 'error', line: n, message: `${chunk}:${n}: ${e[1]}` });
  });
  if (directive.duration) prog.durationMs = Number(directive.duration);
  if (directive.hang) prog.hang = true;
  if (typeof directive.coroutines === 'string') {
    prog.coroutines = directive.coroutines.split(',').map((spec) => {
      const [line, status] = spec.split(':');
      return { line: Number(line), status };
    });
  }
  return prog;
}

function literals(args) {
  const out = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?))\s*(?:,|$)/gy;
  let m;
  while ((m = re.exec(args)) && m[0] !== '') out.push(m[1] ?? m[2] ?? m[3]);
  return out.join('\t');
}

// ---- the simulated heap -----------------------------------------------------------------------

function allocate(bytes, t, events) {
  heap.allocated += bytes;
  heap.total += bytes;
  if (heap.phase === 0 && heap.total > heap.threshold) {
    heap.phase = 1;
    heap.phaseLeft = 3;
    heap.cycleStart = t;
    heap.cycleBefore = heap.total;
    events.push({ kind: 'phase', t, phase: 1 });
  } else if (heap.phase > 0 && --heap.phaseLeft <= 0) {
    heap.phase = heap.phase === 1 ? 2 : heap.phase === 2 ? 3 : 0;
    heap.phaseLeft = heap.phase === 3 ? 3 : 1;
    events.push({ kind: 'phase', t, phase: heap.phase });
    if (heap.phase === 0) finishCycle(t, events);
  }
}

function finishCycle(t, events) {
  const before = heap.cycleBefore;
  heap.estimate = Math.max(20_000, Math.round(heap.estimate * 1.04 + 3000));
  heap.total = heap.estimate;
  heap.threshold = Math.round(heap.estimate * (gc.params.pause ?? 200) / 100);
  const freed = before - heap.total;
  events.push({
    kind: 'cycle', t, freed: Math.max(0, freed), finalized: 0, weakCleared: 0,
    freedByKind: Object.fromEntries(KINDS.map((k, i) => [k, Math.round(freed * SHARE[i])])),
    durationNs: Math.round((t - heap.cycleStart) * 1e6), longestStepNs: 180_000,
    totalBefore: before, totalAfter: heap.total,
  });
}

function coroutineRecords(r, t) {
  return r.prog.coroutines.map((c, i) => ({
    id: i + 1, status: c.status, site: { chunk: r.chunk, line: c.line, name: 'anonymous' },
    resumes: c.status === 'suspended' ? 1 : 2, createdMs: 1, lastResumeMs: 2,
    stackBytes: 512, collected: c.status === 'collected',
    ...(c.status === 'error' ? { status: 'dead', error: `${r.chunk}:${c.line}: boom` } : {}),
  }));
}

function sampleRow(r, t) {
  const co = { suspended: 0, running: 0, normal: 0, dead: 0, collected: 0 };
  for (const c of r.prog.coroutines) {
    const k = c.status === 'error' ? 'dead' : c.status;
    co[k] = (co[k] ?? 0) + 1;
  }
  return [t, r.instructions, heap.allocated, heap.total, heap.threshold,
    Math.max(0, heap.total - heap.threshold), heap.estimate, heap.phase,
    ...SHARE.map((s) => Math.round(heap.total * s)),
    co.suspended, co.running, co.normal, co.dead, co.collected];
}

// ---- running ----------------------------------------------------------------------------------

function slice() {
  const r = run;
  if (!r || r.paused) return;
  r.slices++;
  if (r.prog.hang && r.slices === 2) for (;;) { /* never answers again */ }
  const rows = [];
  const events = [];
  const allocating = r.prog.infinite || r.prog.durationMs > 0;
  for (let k = 0; k < ROWS_PER_SLICE; k++) {
    const t = r.elapsed + (k + 1) * (SLICE_MS / ROWS_PER_SLICE);
    r.instructions += 25_000;
    if (allocating) allocate(9_000 + Math.round(Math.sin(t / 90) * 3000), t, events);
    rows.push(sampleRow(r, t));
  }
  r.elapsed += SLICE_MS;
  let output = '';
  let error = null;
  if (r.slices === 1) {
    for (const step of r.prog.steps) {
      if (step.kind === 'print') output += `${step.text}\n`;
      else {
        const traceback = ['stack traceback:', "\t[C]: in function 'error'",
          `\t${r.chunk}:${step.line}: in main chunk`, '\t[C]: in ?'].join('\n');
        error = { kind: 'runtime', message: step.message, line: step.line,
          position: { chunk: r.chunk, line: step.line }, traceback };
        break;
      }
    }
  }
  const payload = { output, samples: { fields: FIELDS, rows }, events,
    coroutines: coroutineRecords(r, r.elapsed), instructions: r.instructions,
    elapsedMs: r.elapsed };
  const finished = !r.prog.infinite && r.elapsed >= r.prog.durationMs;
  if (error || r.stopRequested || finished) {
    run = null;
    const status = error ? 'error' : r.stopRequested ? 'stopped' : 'finished';
    post('done', r.seq, { ...payload, status, ...(error ? { error } : {}) });
    return;
  }
  post('slice', r.seq, { ...payload, status: 'running' });
  setTimeout(slice, SLICE_MS);
}

function start(seq, payload) {
  const chunk = String(payload.chunkname ?? '=main').replace(/^[=@]/, '');
  if (payload.gc) gc = payload.gc;
  heap = freshHeap();
  const prog = parse(String(payload.source ?? ''), chunk);
  if (prog.syntax) {
    post('done', seq, { status: 'error', output: '', samples: { fields: FIELDS, rows: [] },
      events: [], coroutines: [], error: { ...prog.syntax, traceback: '' }, instructions: 0,
      elapsedMs: 0 });
    return;
  }
  run = { seq, prog, chunk, slices: 0, elapsed: 0, instructions: 0, stopRequested: false };
  setTimeout(slice, 0);
}

function postGc(seq) {
  post('gc', seq, { mode: gc.mode, params: gc.params, total: heap.total,
    threshold: heap.threshold });
}

self.onmessage = (e) => {
  const { type, seq, payload } = e.data ?? {};
  if (type === 'run') start(seq, payload);
  else if (type === 'stop' && run && run.seq === seq) {
    run.stopRequested = true;
    if (run.paused) {
      run.paused = false;
      slice();
    }
  } else if (type === 'pause' && run && run.seq === seq && !run.paused) {
    run.paused = true;
    post('slice', seq, { output: '', samples: { fields: FIELDS, rows: [] }, events: [],
      coroutines: [], instructions: run.instructions, elapsedMs: run.elapsed, status: 'paused' });
  } else if (type === 'resume' && run && run.seq === seq && run.paused) {
    run.paused = false;
    setTimeout(slice, SLICE_MS);
  }
  else if (type === 'setGc') {
    gc = payload;
    postGc(seq);
  } else if (type === 'gcAction') {
    if (payload.name === 'collect') heap.total = heap.estimate;
    postGc(seq);
  }
};

setTimeout(() => post('ready', undefined, { version: 'fake-1' }), 30);
