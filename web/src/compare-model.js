// compare-model.js - the Compare view's pure logic: which settings may be compared, the rows of
// the results table, the best value of each column, and whether the runs printed the same thing.
//
// No DOM, no worker: compare-view.js draws what these functions return, compare-runner.js fills
// the runs, and tests/web/compare-units.test.mjs pins them down under plain Node.
// Invariants:
// - A comparison holds COMPARE_MIN to COMPARE_MAX settings, each a normalizeGc() result (a known
//   mode with every parameter of that mode set and in range); strict mode refuses instead of
//   repairing (share links).
// - Every figure of a row is a finite number or null (unknown); "best" is decided only among
//   finished runs, only on finite figures, and only when they are not all equal.

import { GC_MODES, defaultParams, normalizeGc } from './gc-config.js';

export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

// One colour per run, in order (they match the palette of style.css).
// Told apart by colour-blind readers too (the palette test, colour-vision.js).
export const RUN_COLORS = ['#7aa2f7', '#e0af68', '#c0caf5', '#f7768e'];

// The table's figure columns, in order: the contract's field names. Lower is better for all of
// them (less memory, fewer cycles, shorter pauses, less time, less work).
export const FIGURES = [
  { key: 'peakBytes', label: 'peak heap', kind: 'bytes' },
  { key: 'finalBytes', label: 'final heap', kind: 'bytes' },
  { key: 'cycles', label: 'cycles', kind: 'count' },
  { key: 'longestStepMs', label: 'longest step', kind: 'ms' },
  { key: 'p99StepMs', label: 'p99 step', kind: 'ms' },
  { key: 'gcMs', label: 'GC time', kind: 'ms' },
  { key: 'elapsedMs', label: 'run time', kind: 'ms' },
  { key: 'instructions', label: 'instruc\u00adtions', kind: 'count' },  // may break there
];

// Runs whose transcripts are compared: a stopped run printed only part of its output.
const COMPARABLE = new Set(['finished', 'error']);

// Accepts a list of {mode, params} and returns a safe copy. Non-strict: unknown entries are
// repaired by normalizeGc, extra ones dropped, missing ones filled with defaults.
// Strict: throws an Error saying what is wrong.
export function normalizeCompareSettings(list, { strict = false } = {}) {
  if (!Array.isArray(list)) {
    if (strict) throw new Error('the compared settings are not a list');
    return defaultCompareSettings();
  }
  if (strict && (list.length < COMPARE_MIN || list.length > COMPARE_MAX)) {
    const n = list.length;
    throw new Error(`${n} setting${n === 1 ? '' : 's'} to compare (${COMPARE_MIN} to ` +
      `${COMPARE_MAX} are possible)`);
  }
  const out = list.slice(0, COMPARE_MAX).map((gc, i) => {
    try {
      return normalizeGc(gc, { strict });
    } catch (err) {
      throw new Error(`setting ${i + 1}: ${err.message}`);
    }
  });
  const fill = defaultCompareSettings(out[0]);
  while (out.length < COMPARE_MIN) out.push(fill[out.length]);
  return out;
}

// A first comparison worth making: the given setting and the other Lua 5.4 mode.
export function defaultCompareSettings(gc) {
  const first = normalizeGc(gc ?? { mode: 'incremental' });
  const otherMode = first.mode === 'generational' ? 'incremental' : 'generational';
  return [first, { mode: otherMode, params: defaultParams(otherMode) }];
}

// A setting to add to a comparison: the last one's mode with a different first parameter, so
// the new run differs from the others (pause doubled, for instance).
export function nextSetting(settings) {
  const last = settings[settings.length - 1] ?? { mode: 'incremental', params: {} };
  const { mode, params } = normalizeGc(last);
  const [name, spec] = Object.entries(GC_MODES[mode].params)[0];
  const taken = new Set(settings.filter((s) => s.mode === mode).map((s) => s.params[name]));
  let value = params[name];
  for (let guess = Math.max(value * 2, spec.step); ; guess *= 2) {
    const candidate = Math.min(spec.max, guess);
    if (!taken.has(candidate)) {
      value = candidate;
      break;
    }
    if (candidate === spec.max) break;
  }
  return { mode, params: { ...params, [name]: value } };
}

// "incremental pause=100 stepmul=100 stepsize=13", as the CLI's --compare spells a setting.
export function describeSetting({ mode, params }) {
  const values = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ');
  return values ? `${mode} ${values}` : mode;
}

// The contract's row for one run: {status, peakBytes, finalBytes, cycles, longestStepMs,
// p99StepMs, gcMs, elapsedMs, instructions}. `run.summary` is the Session's runSummary();
// without it (an older Session) the heap figures come from the recording and the step
// figures stay null.
export function rowOf(run) {
  const s = run.summary && typeof run.summary === 'object' ? run.summary : null;
  const fromRecording = s ? null : figuresFromRecording(run);
  const pick = (key) => finite(s ? s[key] : fromRecording[key]);
  return {
    status: run.status,
    peakBytes: pick('peakBytes'),
    finalBytes: pick('finalBytes'),
    cycles: pick('cycles'),
    longestStepMs: pick('longestStepMs'),
    p99StepMs: pick('p99StepMs'),
    gcMs: pick('gcMs'),
    elapsedMs: finite(run.elapsedMs),
    instructions: finite(s?.instructions ?? run.instructions),
  };
}

function finite(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

// Peak and final heap and the cycle count, from the samples and cycle events a run recorded.
function figuresFromRecording(run) {
  const series = run.series;
  const total = series?.get?.('total');
  const out = {};
  if (total && series.length > 0) {
    let peak = -Infinity;
    for (let i = 0; i < series.length; i++) if (total[i] > peak) peak = total[i];
    out.peakBytes = peak;
    out.finalBytes = total[series.length - 1];
  }
  if (Array.isArray(run.cycles)) out.cycles = run.cycles.length;
  return out;
}

// {key: Set of row indexes holding that column's best value} over finished rows. A column
// gets no mark when fewer than two finished rows have the figure or they are all equal.
// `shown(key, value)` is how the table writes a figure: values written alike count as equal
// (0.104 ms and 0.096 ms both read "0.10 ms": marking one of them would mislead).
export function bestOfColumns(rows, shown = (key, v) => String(v)) {
  const best = {};
  for (const { key } of FIGURES) {
    const candidates = rows
      .map((row, i) => ({ i, v: row.status === 'finished' ? row[key] : null }))
      .filter((c) => typeof c.v === 'number' && Number.isFinite(c.v));
    best[key] = new Set();
    if (candidates.length < 2) continue;
    const low = shown(key, Math.min(...candidates.map((c) => c.v)));
    if (candidates.every((c) => shown(key, c.v) === low)) continue;
    for (const c of candidates) if (shown(key, c.v) === low) best[key].add(c.i);
  }
  return best;
}

// The first line where two transcripts differ: {line (1-based), a, b} (a line missing on one
// side is null), or null when they are equal.
export function firstDifference(a, b) {
  if (a === b) return null;
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return { line: i + 1, a: la[i] ?? null, b: lb[i] ?? null };
  }
  return null;
}

// What a run "said": its output, and the error it ended with.
export function transcriptOf(run) {
  const error = run.status === 'error' && run.error ? `\n[error] ${run.error.message ?? ''}` : '';
  return `${run.output ?? ''}${error}`;
}

// Per run: null (not comparable: stopped or not run), {same: true} or {same: false, against,
// difference} against the first comparable run (the baseline, `against` its index).
export function outputFlags(runs) {
  const baseline = runs.findIndex((r) => COMPARABLE.has(r.status));
  return runs.map((run, i) => {
    if (!COMPARABLE.has(run.status)) return null;
    if (i === baseline) return { same: true, baseline: true };
    const difference = firstDifference(transcriptOf(runs[baseline]), transcriptOf(run));
    return difference ? { same: false, against: baseline, difference } : { same: true };
  });
}

// One sentence per run whose output differs from the baseline's, for the flag above the table.
export function differenceSentences(runs, flags) {
  const quote = (text) => (text === null ? 'nothing' : `“${clip(text)}”`);
  const out = [];
  flags.forEach((flag, i) => {
    if (!flag || flag.same) return;
    const d = flag.difference;
    out.push(`run ${i + 1} (${describeSetting(runs[i].setting)}) printed ${quote(d.b)} ` +
      `where run ${flag.against + 1} printed ${quote(d.a)} (line ${d.line})`);
  });
  return out;
}

// One sentence per distinct error the runs ended with: "runs 1 and 3 ended in an error: ...".
export function errorSentences(runs) {
  const byMessage = new Map();
  runs.forEach((run, i) => {
    if (run.status !== 'error') return;
    const message = String(run.error?.message ?? 'unknown error');
    byMessage.set(message, [...(byMessage.get(message) ?? []), i + 1]);
  });
  return [...byMessage].map(([message, numbers]) => {
    const who = numbers.length === 1 ? `run ${numbers[0]}`
      : `runs ${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
    return `${who} ended in an error: ${clip(message, 200)}`;
  });
}

function clip(text, max = 60) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
