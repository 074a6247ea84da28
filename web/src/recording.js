// recording.js - the run's recording as the page holds it, and the cursor that picks one moment
// of it.
//
// The VM records the run (samples at collector steps, phase changes, cycle ends, allocation
// milestones and coroutine-count changes, thinned in its older part); the page mirrors it:
// - SampleSeries: the samples column-wise in growable Float64Arrays (never one object per row).
//   A batch with `replace: true` is the whole recording so far and replaces what is held.
// - OutputMarks: [instructions, chars of output written by then], to show the console as it was.
// - CoroutineHistory: each coroutine's recorded status transitions, to show the table as it was.
// - A cursor is {axis, x}: a value on one of the three x axes (time, bytes allocated,
//   instructions). It resolves to the last sample at or before x: the state "as of" that moment.
//
// Invariants: every x column (t, allocated, instr) is non-decreasing over the rows, so a moment
// is found by binary search; every store here is bounded (SAMPLE_CAP rows, MARK_CAP marks,
// HISTORY_ID_CAP coroutines of TRANSITIONS_PER_ID_CAP transitions each, TRANSITIONS_CAP in
// all) and thins or drops its oldest part, never the newest.

export const SAMPLE_CAP = 65536;      // above the VM's own cap (8,192 rows)
export const MARK_CAP = 65536;
export const HISTORY_ID_CAP = 4096;   // the registry lists at most the 1000 newest coroutines
export const TRANSITIONS_PER_ID_CAP = 4096;
export const TRANSITIONS_CAP = 262_144;  // all coroutines together (about 4 MB)

// x axes: view name -> sample column.
export const AXES = { time: 't', bytes: 'allocated', instr: 'instr', vtime: 'vtime' };

// Whether the recording has a server shim's virtual clock (`vtime`: NaN for a plain run).
export function hasVirtualTime(series) {
  const col = series.get('vtime');
  return Boolean(col) && series.length > 0 && Number.isFinite(col[series.length - 1]);
}

// Sample `phase` numbers, named as the `phase` events name them.
export const PHASE_NAMES = ['pause', 'propagate', 'atomic', 'sweep', 'callfin'];

// Sample `reason` numbers (why the VM took the sample).
export const REASONS = ['tick', 'step', 'phase', 'cycle', 'emergency', 'collectgarbage',
  'allocation', 'coroutines', 'end', 'clock'];
export const REASON_CYCLE_END = 3;

export const CO_STATUSES = ['suspended', 'running', 'normal', 'dead', 'collected'];

// ---------------------------------------------------------------------------------------------
// Samples

export class SampleSeries {
  constructor(cap = SAMPLE_CAP, initialCapacity = 1024) {
    this.cap = cap;
    this.capacity = Math.min(cap, initialCapacity);
    this.columns = new Map();
    this.length = 0;
    this.received = 0;   // rows received for this run, replaced batches included
    this.replaced = 0;   // batches that replaced the recording
  }

  column(name) {
    let col = this.columns.get(name);
    if (!col) {
      col = new Float64Array(this.capacity);
      col.fill(NaN, 0, this.length);
      this.columns.set(name, col);
    }
    return col;
  }

  get(name) {
    return this.columns.get(name);
  }

  has(name) {
    return this.columns.has(name);
  }

  // Room for one more row: grow by doubling up to the cap, then thin the older half.
  reserve() {
    if (this.length < this.capacity) return;
    if (this.capacity < this.cap) {
      this.capacity = Math.min(this.cap, this.capacity * 2);
      for (const [name, col] of this.columns) {
        const bigger = new Float64Array(this.capacity);
        bigger.set(col.subarray(0, this.length));
        this.columns.set(name, bigger);
      }
      return;
    }
    this.compact();
  }

  clear() {
    this.length = 0;
  }

  // Accepts the protocol's compact form {fields, rows, replace?}; returns the rows taken.
  append(samples) {
    if (!samples || !Array.isArray(samples.fields) || !Array.isArray(samples.rows)) return 0;
    if (samples.replace === true) {
      this.clear();
      this.replaced++;
    }
    const names = samples.fields.map(String);
    names.forEach((name) => this.column(name));
    const present = new Set(names);
    const missing = [...this.columns.keys()].filter((name) => !present.has(name));
    for (const row of samples.rows) {
      if (!Array.isArray(row)) continue;
      this.reserve();
      const r = this.length;
      // Looked up per row: reserve() may have replaced the arrays.
      for (let i = 0; i < names.length; i++) {
        const v = row[i];
        this.columns.get(names[i])[r] = typeof v === 'number' ? v : NaN;
      }
      for (const name of missing) this.columns.get(name)[r] = NaN;
      this.length++;
      this.received++;
    }
    return samples.rows.length;
  }

  // Keeps every other row of the older half (and every phase change and cycle end, when the
  // rows say why they were taken): recent detail survives, old history thins out. The VM thins
  // its own recording first; this only runs for a Session that does not.
  compact() {
    const half = this.length >> 1;
    const reason = this.columns.get('reason');
    const keep = (r) => r % 2 === 0 || (reason && (reason[r] === 2 || reason[r] === 3));
    const rows = [];
    for (let r = 0; r < half; r++) if (keep(r)) rows.push(r);
    for (let r = half; r < this.length; r++) rows.push(r);
    for (const col of this.columns.values()) {
      for (let w = 0; w < rows.length; w++) col[w] = col[rows[w]];
    }
    this.length = rows.length;
  }

  // Last row whose `name` value is <= x (0 when x is before the first row; -1 when empty).
  indexAtOrBefore(name, x) {
    const col = this.columns.get(name);
    if (!col || this.length === 0) return -1;
    if (!(x >= col[0])) return 0;
    let lo = 0;
    let hi = this.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (col[mid] <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // First row whose `name` value is >= x (the last row when x is beyond it; -1 when empty).
  indexAtOrAfter(name, x) {
    const col = this.columns.get(name);
    if (!col || this.length === 0) return -1;
    let lo = 0;
    let hi = this.length - 1;
    if (!(col[hi] >= x)) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (col[mid] >= x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  indexAtTime(t) {
    return this.indexAtOrBefore('t', t);
  }
}

// ---------------------------------------------------------------------------------------------
// Output marks: by the time the VM had run `instr` instructions, the run's output had `chars`
// UTF-16 code units (offsets from the start of the run's output, trimmed text included).

export class OutputMarks {
  constructor(cap = MARK_CAP) {
    this.cap = cap;
    this.instr = new Float64Array(Math.min(256, cap));
    this.chars = new Float64Array(Math.min(256, cap));
    this.length = 0;
  }

  add(instr, chars) {
    if (!Number.isFinite(instr) || !Number.isFinite(chars)) return;
    const n = this.length;
    // Both stay non-decreasing: a mark never takes text back, nor time.
    const i = n ? Math.max(instr, this.instr[n - 1]) : instr;
    const c = n ? Math.max(chars, this.chars[n - 1]) : chars;
    if (n && this.instr[n - 1] === i) {
      this.chars[n - 1] = c;
      return;
    }
    if (n === this.instr.length) this.grow();
    this.instr[this.length] = i;
    this.chars[this.length] = c;
    this.length++;
  }

  grow() {
    if (this.length >= this.cap) {
      this.compact();
      return;
    }
    const size = Math.min(this.cap, this.instr.length * 2);
    for (const key of ['instr', 'chars']) {
      const bigger = new Float64Array(size);
      bigger.set(this[key].subarray(0, this.length));
      this[key] = bigger;
    }
  }

  // Thins the older half by dropping the earlier mark of each pair: text then shows a little
  // later than it was printed, never before.
  compact() {
    const half = this.length >> 1;
    let w = 0;
    for (let r = 1; r < half; r += 2) {
      this.instr[w] = this.instr[r];
      this.chars[w] = this.chars[r];
      w++;
    }
    for (let r = half; r < this.length; r++) {
      this.instr[w] = this.instr[r];
      this.chars[w] = this.chars[r];
      w++;
    }
    this.length = w;
  }

  // Characters written by the time `instr` instructions had run.
  charsAt(instr) {
    let lo = 0;
    let hi = this.length - 1;
    if (hi < 0 || !(instr >= this.instr[0])) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.instr[mid] <= instr) lo = mid;
      else hi = mid - 1;
    }
    return this.chars[lo];
  }
}

// ---------------------------------------------------------------------------------------------
// Coroutine transitions, from the `coroutine` events: id -> {instr: [], to: [], from0, born}.
// Births, resumes, yields and collections are rate-limited by the VM (deaths are not), so a
// status read here is close for suspended/running; existence and collection come from the
// record's own instruction counts (recordAt).

export class CoroutineHistory {
  constructor(idCap = HISTORY_ID_CAP, totalCap = TRANSITIONS_CAP) {
    this.idCap = idCap;
    this.totalCap = totalCap;
    this.byId = new Map();
    this.total = 0;  // transitions held, all coroutines together
  }

  // Forgets the coroutine seen first (the oldest, as ids grow with creation).
  evictOldest() {
    const [id, h] = this.byId.entries().next().value;
    this.total -= h.instr.length;
    this.byId.delete(id);
  }

  add(ev) {
    if (!ev || ev.kind !== 'coroutine' || ev.id === undefined) return;
    const instr = Number(ev.instr);
    if (!Number.isFinite(instr)) return;
    let h = this.byId.get(ev.id);
    if (!h) {
      // The status before the first transition we saw: none when that one is the birth.
      h = { instr: [], to: [], before: ev.created ? null : String(ev.from ?? 'suspended') };
      this.byId.set(ev.id, h);
      if (this.byId.size > this.idCap) this.evictOldest();
    }
    h.instr.push(instr);
    h.to.push(String(ev.to));
    this.total++;
    if (h.instr.length > TRANSITIONS_PER_ID_CAP) {
      const before = h.instr.length;
      thinTransitions(h);
      this.total -= before - h.instr.length;
    }
    while (this.total > this.totalCap && this.byId.size > 1) this.evictOldest();
  }

  // The status of coroutine `id` once `instr` instructions had run: a status name, null when
  // it did not exist yet, undefined when no transition of it was recorded.
  statusAt(id, instr) {
    const h = this.byId.get(id);
    if (!h) return undefined;
    let lo = 0;
    let hi = h.instr.length - 1;
    if (hi < 0 || !(instr >= h.instr[0])) return h.before;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (h.instr[mid] <= instr) lo = mid;
      else hi = mid - 1;
    }
    return h.to[lo];
  }

  // The instruction count of the last transition of `id` at or before `instr` (-Infinity: none).
  changedAt(id, instr) {
    const h = this.byId.get(id);
    if (!h) return -Infinity;
    for (let k = h.instr.length - 1; k >= 0; k--) if (h.instr[k] <= instr) return h.instr[k];
    return -Infinity;
  }
}

// A coroutine resumed for the whole run: its older switches are thinned (every other one
// dropped), the newest half kept; the first transition (its birth) always stays.
function thinTransitions(h) {
  const half = h.instr.length >> 1;
  const keep = (k) => k === 0 || k >= half || k % 2 === 0;
  let w = 0;
  for (let k = 0; k < h.instr.length; k++) {
    if (!keep(k)) continue;
    h.instr[w] = h.instr[k];
    h.to[w] = h.to[k];
    w++;
  }
  h.instr.length = w;
  h.to.length = w;
}

// A registry record as it was at `moment` ({instr, t}), or null when it did not exist yet.
// Birth and collection are dated by the record's instruction counts (createdInstr,
// collectedInstr), exact whether or not their events were recorded. Without recorded
// transitions the record's own times decide the rest (createdMs, deathMs, collectedMs).
export function recordAt(record, history, moment) {
  if (moment.instr < record.createdInstr) return null;
  let status = record.collected && moment.instr >= record.collectedInstr
    ? 'collected'
    : history.statusAt(record.id, moment.instr);
  if (status === undefined) status = statusFromTimes(record, moment.t);
  if (status === null) return null;
  const collected = status === 'collected';
  const shown = collected ? (record.status === 'dead' ? 'dead' : 'suspended') : status;
  const at = { ...record, status: shown, collected };
  if (!collected && status !== 'dead') delete at.error;
  if (Number.isFinite(at.lastResumeMs) && at.lastResumeMs > moment.t) at.lastResumeMs = null;
  return at;
}

// The sample's counts are exact, and records disagreeing with them give way:
// - a coroutine born at the very instruction of the moment's sample may have been born after
//   the sample was taken (inside the same instruction), so when the records outnumber every
//   counted coroutine, those born at that instruction leave, the newest first;
// - resumes and yields are rate-limited, so a coroutine's last recorded transition may say
//   running (or normal) when it had yielded since: records beyond the counts are shown
//   suspended, keeping those whose running/normal transition came last.
// Returns the records (fewer when a birth left).
export function reconcileWithCounts(records, history, moment) {
  records = withoutUncountedBirths(records, moment);
  for (const status of ['running', 'normal']) {
    const limit = moment.coroutines?.[status];
    if (!Number.isFinite(limit)) continue;
    const claiming = records.filter((r) => r.status === status && !r.collected);
    if (claiming.length <= limit) continue;
    claiming.sort((a, b) => history.changedAt(b.id, moment.instr) -
      history.changedAt(a.id, moment.instr));
    for (const r of claiming.slice(limit)) r.status = 'suspended';
  }
  return records;
}

function withoutUncountedBirths(records, moment) {
  const counts = moment.coroutines;
  if (!counts || !CO_STATUSES.every((s) => Number.isFinite(counts[s]))) return records;
  const excess = records.length - CO_STATUSES.reduce((n, s) => n + counts[s], 0);
  if (excess <= 0) return records;
  const leaving = new Set(records
    .filter((r) => r.createdInstr === moment.instr)
    .sort((a, b) => b.id - a.id)
    .slice(0, excess)
    .map((r) => r.id));
  return records.filter((r) => !leaving.has(r.id));
}

function statusFromTimes(r, t) {
  if (Number.isFinite(r.createdMs) && r.createdMs > t) return null;
  if (r.collected && Number.isFinite(r.collectedMs) && r.collectedMs <= t) return 'collected';
  if (Number.isFinite(r.deathMs) && r.deathMs <= t) return 'dead';
  if (r.collected || r.status === 'dead') return 'suspended';
  return typeof r.status === 'string' ? r.status : 'suspended';
}

// ---------------------------------------------------------------------------------------------
// The cursor

// The x range the charts and the timeline show: time and virtual time from 0, the other axes
// from the first row. null without samples, or on an axis this run has no values for.
export function axisRange(series, axis) {
  const xs = series.get(AXES[axis] ?? 't');
  if (!xs || series.length === 0) return null;
  const last = xs[series.length - 1];
  if (!Number.isFinite(last)) return null;
  const min = axis === 'time' || axis === 'vtime' ? Math.min(0, xs[0]) : xs[0];
  return { xs, min, max: Math.max(min, last) };
}

// The x value at `fraction` of the recorded run along `axis` (null without samples).
export function xAtFraction(series, axis, fraction) {
  const range = axisRange(series, axis);
  if (!range) return null;
  const f = Math.min(1, Math.max(0, Number(fraction) || 0));
  return range.min + f * (range.max - range.min);
}

export function fractionOf(series, axis, x) {
  const range = axisRange(series, axis);
  if (!range) return null;
  if (range.max === range.min) return 1;
  return Math.min(1, Math.max(0, (x - range.min) / (range.max - range.min)));
}

// Everything the panels show for the cursor `{axis, x}`: the row it resolves to and that
// row's values. null when there is no cursor or no sample.
export function resolveMoment(series, cursor) {
  if (!cursor) return null;
  const column = AXES[cursor.axis] ?? 't';
  const row = series.indexAtOrBefore(column, cursor.x);
  if (row < 0) return null;
  const value = (name, fallback = NaN) => {
    const col = series.get(name);
    const v = col ? col[row] : NaN;
    return Number.isFinite(v) ? v : fallback;
  };
  const co = {};
  for (const s of CO_STATUSES) co[s] = value(`co.${s}`, 0);
  const phase = value('phase', 0);
  return {
    axis: cursor.axis,
    x: cursor.x,
    row,
    fraction: fractionOf(series, cursor.axis, cursor.x),
    t: value('t', 0),
    instr: value('instr', 0),
    allocated: value('allocated'),
    total: value('total'),
    threshold: value('threshold'),
    phase,
    phaseName: PHASE_NAMES[phase] ?? String(phase),
    line: value('line', 0),
    cycle: value('cycle', NaN),
    reason: value('reason', NaN),
    coroutines: co,
  };
}
