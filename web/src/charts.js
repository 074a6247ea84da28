// charts.js - the three live charts: heap, bytes by object type, coroutines by status.
//
// Redrawn from the store's columnar recording at most once per animation frame. Each redraw
// decimates to at most MAX_POINTS points (min/max of the heap total per column of the x axis,
// so the sawtooth keeps its peaks and troughs however the VM thinned its older part) and reuses
// its point objects, so the cost of a frame is bounded however long the script has run (50,000
// rows decimate in about a millisecond). The x-axis is run time, bytes allocated or
// instructions (a view setting).
// Heap chart extras: collector phases as coloured bands behind the lines (a small plugin), and a
// marker per completed cycle, on the curve at the sample taken at that cycle's end, whose
// tooltip is the cycle summary. The cursor (a moment of the recording) is one vertical line
// across all three charts; moving it only repaints (no data is rebuilt).
// Invariant: no chart ever holds more than MAX_POINTS points per dataset (+ markers).

import {
  Chart, Filler, Interaction, LinearScale, LineController, LineElement, PointElement, ScatterController,
  Tooltip, Legend,
} from 'chart.js';
import { formatBytes, formatCount, formatMs, formatNs } from './format.js';
import { AXES, axisRange, hasVirtualTime, REASON_CYCLE_END } from './recording.js';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Filler,
  Tooltip, Legend);

export const MAX_POINTS = 1200;
// A cycle marker joins the heap tooltip whenever the pointer is this close to it along x: with
// hundreds of cycles the markers are a few pixels apart, and the nearest curve sample alone
// would win the hover over the marker the user is aiming at.
const MARKER_REACH_PX = 6;
const MIN_POINTS = 200;

// Colours are checked for colour-blind readers by the palette test (colour-vision.js): every
// pair within a palette stays apart under protanopia, deuteranopia and tritanopia, which is why
// running is cyan rather than green next to amber, and the live estimate a pale lavender.
export const HEAP_LINES = { total: '#7aa2f7', threshold: '#e0af68', estimate: '#c0caf5',
  cycle: '#f7768e' };

export const PHASES = [
  { name: 'pause', color: null },
  { name: 'propagate', color: 'rgba(86, 180, 233, 0.2)' },
  { name: 'atomic', color: 'rgba(213, 94, 0, 0.32)' },
  { name: 'sweep', color: 'rgba(224, 175, 104, 0.16)' },  // long: the faintest
  { name: 'finalizers', color: 'rgba(158, 206, 106, 0.3)' },
];

export const KINDS = [
  { field: 'bytes.string', label: 'string', color: '#7dcfff' },
  { field: 'bytes.table', label: 'table', color: '#9d7cd8' },
  { field: 'bytes.lclosure', label: 'Lua function', color: '#cc79a7' },
  { field: 'bytes.nclosure', label: 'C function', color: '#f0e442' },
  { field: 'bytes.upvalue', label: 'upvalue', color: '#e69f00' },
  { field: 'bytes.proto', label: 'proto', color: '#d55e00' },
  { field: 'bytes.thread', label: 'thread', color: '#9ece6a' },
  { field: 'bytes.userdata', label: 'userdata', color: '#f7768e' },
];

export const CO_SERIES = [
  { fields: ['co.suspended'], label: 'suspended', color: '#e0af68' },
  { fields: ['co.running', 'co.normal'], label: 'running / normal', color: '#7dcfff' },
  { fields: ['co.dead'], label: 'dead (held)', color: '#8a93a6' },
  { fields: ['co.collected'], label: 'collected', color: '#414868' },
];

Chart.defaults.color = '#8a93a6';
Chart.defaults.borderColor = '#232838';
Chart.defaults.font.family = "Inter, 'Segoe UI', system-ui, sans-serif";
Chart.defaults.font.size = 11;

// ---------------------------------------------------------------------------------------------
// Decimation

// Row indices to plot: all rows when few, else per column of the x axis (xs over [x0, x1];
// without xs, per equal run of rows) the rows holding the min and max of `ys`, in order, plus
// the first and last rows so the line spans the whole run.
export function decimate(ys, length, max = MAX_POINTS, xs = null) {
  if (length <= max) return Int32Array.from({ length }, (_, i) => i);
  const buckets = Math.floor(max / 2) - 1;
  const x0 = xs ? xs[0] : 0;
  const span = xs ? xs[length - 1] - x0 : length;
  const bucketOf = xs && span > 0
    ? (i) => Math.min(buckets - 1, Math.floor(((xs[i] - x0) / span) * buckets))
    : (i) => Math.min(buckets - 1, Math.floor((i / length) * buckets));
  const out = [0];
  let bucket = bucketOf(0);
  let lo = 0;
  let hi = 0;
  const flush = () => {
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) {
      if (i > out[out.length - 1]) out.push(i);
    }
  };
  for (let i = 1; i < length; i++) {
    const b = bucketOf(i);
    if (b !== bucket) {
      flush();
      bucket = b;
      lo = i;
      hi = i;
      continue;
    }
    if (ys[i] < ys[lo]) lo = i;
    if (ys[i] > ys[hi]) hi = i;
  }
  flush();
  if (out[out.length - 1] !== length - 1) out.push(length - 1);
  return Int32Array.from(out);
}

// Writes n points into data (reusing its objects), dropping any extra ones.
function fillPoints(data, idx, xs, yOf) {
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const p = data[k] ?? (data[k] = { x: 0, y: 0, i: 0 });
    p.x = xs[i];
    p.y = yOf(i);
    p.i = i;
  }
  data.length = idx.length;
}

// ---------------------------------------------------------------------------------------------
// The phase-band plugin: rectangles behind the datasets, one per run of a non-pause phase.

const phaseBands = {
  id: 'phaseBands',
  beforeDatasetsDraw(chart) {
    const bands = chart.$bands;
    if (!bands || bands.length === 0) return;
    const { ctx, chartArea: area, scales: { x } } = chart;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    for (const b of bands) {
      const x0 = x.getPixelForValue(b.x0);
      const x1 = x.getPixelForValue(b.x1);
      if (x1 < area.left || x0 > area.right) continue;
      ctx.fillStyle = PHASES[b.phase].color;
      ctx.fillRect(x0, area.top, Math.max(1, x1 - x0), area.height);
    }
    ctx.restore();
  },
};

// The cursor: one vertical line per chart (with a dot where it crosses the first line, or the
// top of the stack), as absolutely placed elements over the canvas. Moving it repaints no
// canvas, so dragging stays smooth however many points the charts hold.
function makeCursor(box) {
  const line = document.createElement('div');
  line.className = 'chart-cursor';
  line.hidden = true;
  const dot = document.createElement('div');
  dot.className = 'chart-cursor-dot';
  line.append(dot);
  box.append(line);
  return line;
}

function placeCursorLine(chart, line, x, y) {
  const area = chart.chartArea;
  const px = x === null || !area ? NaN : chart.scales.x.getPixelForValue(x);
  if (!(px >= area?.left - 1 && px <= area?.right + 1)) {
    line.hidden = true;
    return;
  }
  const canvas = chart.canvas;
  line.hidden = false;
  line.style.left = `${canvas.offsetLeft + px}px`;
  line.style.top = `${canvas.offsetTop + area.top}px`;
  line.style.height = `${area.bottom - area.top}px`;
  const dot = line.firstChild;
  dot.hidden = !Number.isFinite(y);
  if (!dot.hidden) dot.style.top = `${chart.scales.y.getPixelForValue(y) - area.top}px`;
}

function computeBands(samples, xs) {
  const phase = samples.get('phase');
  const bands = [];
  if (!phase) return bands;
  let start = -1;
  for (let i = 0; i <= samples.length; i++) {
    const p = i < samples.length ? phase[i] : -1;
    if (start >= 0 && p !== phase[start]) {
      bands.push({ x0: xs[start], x1: xs[Math.min(i, samples.length - 1)], phase: phase[start] });
      start = -1;
    }
    if (start < 0 && p > 0 && p < PHASES.length) start = i;
  }
  return bands;
}

// ---------------------------------------------------------------------------------------------
// Axis ticks: byte axes step by round binary sizes (1, 2, 2.5 or 5 x 1 KB/MB/...), time axes
// read "0, 250 ms, 1.5 s".

export function niceByteStep(range, count = 4) {
  const raw = Math.max(range / count, 1);
  // Steps from half a unit up are written in that unit (0.5 KB steps, not 600 B ones).
  const unit = 1024 ** Math.max(0, Math.floor(Math.log(raw * 2) / Math.log(1024)));
  const scaled = raw / unit;
  const mag = 10 ** Math.floor(Math.log10(scaled));
  const nice = [1, 2, 2.5, 5, 10].find((m) => m * mag >= scaled) * mag;
  return nice * unit;
}

function byteTicks(scale) {
  const step = niceByteStep(scale.max - Math.min(0, scale.min));
  const ticks = [];
  for (let v = 0; v <= scale.max + step * 1e-9 && ticks.length < 50; v += step) {
    ticks.push({ value: v });
  }
  scale.ticks = ticks;
}

function timeTick(v) {
  if (v === 0) return '0';
  if (Math.abs(v) < 1000) return `${Math.round(v)} ms`;
  return `${Number((v / 1000).toFixed(2))} s`;
}

function axisFormatter(view) {
  if (view.xAxis === 'bytes') return (v) => (v === 0 ? '0' : formatBytes(v));
  if (view.xAxis === 'instr') return (v) => (v === 0 ? '0' : formatCount(v));
  if (view.xAxis === 'vtime') return (v) => timeTick(v * 1000);  // virtual seconds
  return timeTick;
}

// The x range is exactly the recording's (recording.js axisRange, which the timeline and the
// cursor also use): the lines always reach the right edge ("now").
function setXRange(chart, range) {
  const x = chart.options.scales.x;
  if (!range || range.max <= range.min) {
    x.min = undefined;
    x.max = undefined;
    return;
  }
  x.min = range.min;
  x.max = range.max;
}

// Whether candidate `a` is nearer the pointer than `b` (either may be null): nearer along x,
// and within half a pixel along x, nearer along y.
function nearer(a, b) {
  if (!a) return false;
  if (!b) return true;
  return a.dx < b.dx - 0.5 || (Math.abs(a.dx - b.dx) <= 0.5 && a.dy < b.dy);
}

// The element of dataset `datasetIndex` nearest the pointer (see nearer), if within `reach` px
// along x: {element, datasetIndex, index, dx, dy} or null.
function nearestInDataset(chart, datasetIndex, x, y, reach) {
  let best = null;
  chart.getDatasetMeta(datasetIndex).data.forEach((element, index) => {
    if (element.skip) return;
    const dx = Math.abs(element.x - x);
    if (dx > reach) return;
    const candidate = { element, datasetIndex, index, dx, dy: Math.abs(element.y - y) };
    if (nearer(candidate, best)) best = candidate;
  });
  return best;
}

// What a hover shows on a chart of curves and cycle markers (datasets flagged isMarkers): each
// visible curve's sample nearest the pointer along x (within CURVE_REACH_PX, so a run that ended
// further left drops out), and the one marker nearest the pointer if it is within
// MARKER_REACH_PX along x. Chart.js's own "nearest" mode let a curve sample a fraction of a
// pixel closer win over the marker under the pointer, whose summary then never showed.
const CURVE_REACH_PX = 24;
Interaction.modes.curvesAndMarker = (chart, event) => {
  const area = chart.chartArea;
  if (event.x < area.left || event.x > area.right || event.y < area.top || event.y > area.bottom) {
    return [];
  }
  const items = [];
  let marker = null;
  chart.data.datasets.forEach((dataset, i) => {
    if (!chart.isDatasetVisible(i)) return;
    if (!dataset.isMarkers) {
      const item = nearestInDataset(chart, i, event.x, event.y, CURVE_REACH_PX);
      if (item) items.push(item);
      return;
    }
    const candidate = nearestInDataset(chart, i, event.x, event.y, MARKER_REACH_PX);
    if (nearer(candidate, marker)) marker = candidate;
  });
  if (marker) items.push(marker);
  return items.map(({ element, datasetIndex, index }) => ({ element, datasetIndex, index }));
};

function baseOptions(yTick, onHoverTitle) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    spanGaps: true,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hitRadius: 4, hoverRadius: 3 }, line: { borderWidth: 1.5 } },
    layout: { padding: { top: 4, right: 8 } },
    scales: {
      x: { type: 'linear', ticks: { maxTicksLimit: 7, maxRotation: 0 }, grid: { display: false } },
      y: { beginAtZero: true, ticks: { callback: yTick } },
    },
    plugins: {
      legend: {
        position: 'top', align: 'end',
        labels: { boxWidth: 10, boxHeight: 10, padding: 8, usePointStyle: true },
      },
      tooltip: {
        backgroundColor: 'rgba(16, 19, 28, 0.95)', borderColor: '#2f3549', borderWidth: 1,
        padding: 8, titleColor: '#c0caf5', bodyColor: '#a9b1d6', footerColor: '#7aa2f7',
        callbacks: { title: onHoverTitle },
      },
    },
  };
}

function line(label, color, extra = {}) {
  return {
    label, borderColor: color, backgroundColor: color, data: [], pointStyle: 'line', ...extra,
  };
}

export function mountCharts({ heapEl, typesEl, coEl, axisEl }, { onAxis }) {
  let view = { xAxis: 'time' };
  let samplesRef = null;
  const xFmt = () => axisFormatter(view);

  const title = (items) => {
    if (!items.length) return '';
    const raw = items[0].raw;
    if (view.xAxis === 'bytes') return `allocated ${formatBytes(raw.x)}`;
    if (view.xAxis === 'instr') return `${formatCount(raw.x)} instructions`;
    if (view.xAxis === 'vtime') return `virtual time ${formatMs(raw.x * 1000)}`;
    return `t = ${formatMs(raw.x)}`;
  };
  const phaseFooter = (items) => {
    const item = items.find((it) => it.raw && it.raw.i !== undefined && !it.raw.ev);
    const phase = item && samplesRef?.get('phase');
    if (!phase) return '';
    const p = phase[item.raw.i];
    return Number.isFinite(p) && PHASES[p] ? `phase: ${PHASES[p].name}` : '';
  };

  // Heap: total, threshold, estimate, and cycle markers.
  const heapOptions = baseOptions((v) => (v === 0 ? '0' : formatBytes(v)), title);
  heapOptions.scales.y.afterBuildTicks = byteTicks;
  heapOptions.interaction.mode = 'curvesAndMarker';
  heapOptions.plugins.tooltip.callbacks.label = (ctx) => {
    if (ctx.raw.ev) return cycleLines(ctx.raw.ev);
    return `${ctx.dataset.label}: ${formatBytes(ctx.raw.y)}`;
  };
  heapOptions.plugins.tooltip.callbacks.footer = phaseFooter;
  const heap = new Chart(heapEl.querySelector('canvas'), {
    type: 'line',
    data: {
      datasets: [
        line('total', HEAP_LINES.total, {
          borderWidth: 2, fill: { target: 'origin', above: 'rgba(122,162,247,0.08)' },
        }),
        line('threshold', HEAP_LINES.threshold, { borderDash: [5, 4], borderWidth: 1.25 }),
        line('live estimate', HEAP_LINES.estimate, { borderDash: [2, 3], borderWidth: 1.25 }),
        {
          type: 'scatter', label: 'cycle end', data: [], pointStyle: 'triangle', isMarkers: true,
          borderColor: HEAP_LINES.cycle, backgroundColor: HEAP_LINES.cycle, pointRadius: 4,
          pointHoverRadius: 6, pointHitRadius: 6,
        },
      ],
    },
    options: heapOptions,
    plugins: [phaseBands],
  });

  const stackedOptions = (yTick, labelFmt) => {
    const o = baseOptions(yTick, title);
    o.scales.y.stacked = true;
    o.plugins.tooltip.callbacks.label = (ctx) => `${ctx.dataset.label}: ${labelFmt(ctx.raw.y)}`;
    o.plugins.tooltip.itemSort = (a, b) => b.datasetIndex - a.datasetIndex;
    o.plugins.legend.position = 'right';
    o.plugins.legend.align = 'start';
    Object.assign(o.plugins.legend.labels, {
      pointStyle: 'rect', boxWidth: 8, boxHeight: 8, padding: 5, font: { size: 10 },
    });
    o.plugins.legend.maxWidth = 140;
    o.scales.y.ticks.maxTicksLimit = 5;
    return o;
  };
  const areaOf = (label, color, i) => line(label, color, {
    fill: i === 0 ? 'origin' : '-1', backgroundColor: `${color}59`, borderWidth: 1,
    pointStyle: 'rect',
  });
  const typesOptions = stackedOptions((v) => (v === 0 ? '0' : formatBytes(v)), formatBytes);
  typesOptions.scales.y.afterBuildTicks = byteTicks;
  const types = new Chart(typesEl.querySelector('canvas'), {
    type: 'line',
    data: { datasets: KINDS.map((k, i) => areaOf(k.label, k.color, i)) },
    options: typesOptions,
  });
  const coroutines = new Chart(coEl.querySelector('canvas'), {
    type: 'line',
    data: { datasets: CO_SERIES.map((s, i) => areaOf(s.label, s.color, i)) },
    options: stackedOptions((v) => formatCount(v), formatCount),
  });
  coroutines.options.scales.y.ticks.precision = 0;
  const charts = [heap, types, coroutines];
  const cursorLines = [heapEl, typesEl, coEl].map(makeCursor);
  const cursorAt = [{ x: null, y: NaN }, { x: null, y: NaN }, { x: null, y: NaN }];
  // A resize re-lays the charts out: the cursor follows (Chart.js calls onResize before drawing).
  charts.forEach((c, k) => {
    c.options.onResize = () => requestAnimationFrame(() =>
      placeCursorLine(c, cursorLines[k], cursorAt[k].x, cursorAt[k].y));
  });
  // Reachable from the element (not a global) for tests and devtools.
  heapEl.chart = heap;
  typesEl.chart = types;
  coEl.chart = coroutines;

  for (const button of axisEl.querySelectorAll('button[data-axis]')) {
    button.addEventListener('click', () => onAxis(button.dataset.axis));
  }

  function setAxis(axis) {
    for (const b of axisEl.querySelectorAll('button[data-axis]')) {
      b.setAttribute('aria-pressed', String(b.dataset.axis === axis));
    }
    for (const c of charts) {
      c.options.scales.x.ticks.callback = xFmt();
      c.options.scales.x.title = { display: false };
    }
  }

  const vtimeButton = axisEl.querySelector('button[data-axis="vtime"]');

  function update(state) {
    const s = state.samples;
    samplesRef = s;
    // Virtual time is an axis only for runs with a server's clock.
    if (vtimeButton) vtimeButton.hidden = state.runServer === 'none' && !hasVirtualTime(s);
    if (view.xAxis !== state.view.xAxis) {
      view = { xAxis: state.view.xAxis };
      setAxis(view.xAxis);
    }
    const xs = s.get(AXES[view.xAxis] ?? 't');
    const n = xs ? s.length : 0;
    const total = s.get('total');
    // Two points (min and max) per pixel column of each chart's plot is all a screen can show.
    const budget = (c) => Math.max(MIN_POINTS,
      Math.min(MAX_POINTS, 2 * Math.round(c.chartArea?.width ?? MAX_POINTS)));
    const idx = n ? decimate(total ?? xs, n, budget(heap), xs) : new Int32Array(0);
    const idxTypes = n ? decimate(total ?? xs, n, budget(types), xs) : idx;
    const idxCo = n ? decimate(total ?? xs, n, budget(coroutines), xs) : idx;
    const range = n ? axisRange(s, view.xAxis) : null;
    const col = (name) => s.get(name);
    const yOf = (c) => (c ? (i) => c[i] : () => NaN);

    const [dTotal, dThreshold, dEstimate, dCycles] = heap.data.datasets;
    fillPoints(dTotal.data, idx, xs, yOf(total));
    fillPoints(dThreshold.data, idx, xs, yOf(col('threshold')));
    fillPoints(dEstimate.data, idx, xs, yOf(col('estimate')));
    dCycles.data = n ? cycleMarkers(state, xs, total) : [];
    lastRows = n;
    heap.$bands = n ? computeBands(s, xs) : [];

    KINDS.forEach((k, d) => {
      fillPoints(types.data.datasets[d].data, idxTypes, xs, yOf(col(k.field)));
    });
    CO_SERIES.forEach((series, d) => {
      const cols = series.fields.map(col).filter(Boolean);
      const sum = (i) => (cols.length ? cols.reduce((acc, c) => acc + (c[i] || 0), 0) : NaN);
      fillPoints(coroutines.data.datasets[d].data, idxCo, xs, sum);
    });
    for (const c of charts) {
      setXRange(c, range);
      c.update('none');
    }
    placeCursor(state);

    heapEl.dataset.points = String(idx.length);
    heapEl.dataset.rows = String(n);
    heapEl.dataset.cycles = String(dCycles.data.length);
    heapEl.dataset.bands = String(heap.$bands.length);
    typesEl.dataset.points = String(idxTypes.length);
    coEl.dataset.points = String(idxCo.length);
    for (const el of [heapEl, typesEl, coEl]) el.classList.toggle('is-empty', n === 0);
  }

  let lastRows = 0;

  // The cursor's line on each chart, with its dot on the heap total and on the stacks' tops.
  function placeCursor(state) {
    const m = state.moment;
    const s = state.samples;
    const sum = (fields) => fields.reduce((acc, f) => acc + (s.get(f)?.[m.row] || 0), 0);
    cursorAt[0] = { x: m ? m.x : null, y: m ? m.total : NaN };
    cursorAt[1] = { x: m ? m.x : null, y: m ? sum(KINDS.map((k) => k.field)) : NaN };
    cursorAt[2] = { x: m ? m.x : null, y: m ? sum(CO_SERIES.flatMap((c) => c.fields)) : NaN };
    charts.forEach((c, k) => placeCursorLine(c, cursorLines[k], cursorAt[k].x, cursorAt[k].y));
    heapEl.dataset.cursor = m ? String(m.x) : '';
  }

  function updateCursor(state) {
    if (lastRows === 0 && !state.moment) return;
    placeCursor(state);
  }

  // The plot area's edges inside the heap chart's box (padding included), for the timeline to
  // line up with.
  function plotArea() {
    const area = heap.chartArea;
    if (!area) return null;
    const offset = heap.canvas.offsetLeft;
    return { left: offset + area.left, right: heapEl.clientWidth - (offset + area.right) };
  }

  setAxis(view.xAxis);
  return { update, updateCursor, plotArea };
}

// One marker per completed cycle, on the curve: at the first sample taken at or after the
// cycle's end (the VM takes one exactly there, reason 3), plus any cycle-end sample no event
// describes (events dropped, or a trace without them).
export function cycleMarkers(state, xs, total) {
  const s = state.samples;
  const instr = s.get('instr');
  const reason = s.get('reason');
  const out = [];
  const used = new Set();
  const place = (i, ev) => {
    if (i < 0 || used.has(i)) return;
    used.add(i);
    out.push({ x: xs[i], y: total ? total[i] : NaN, i, ev });
  };
  for (const ev of state.cycles) {
    let at = Number.isFinite(ev.instr) && instr
      ? s.indexAtOrAfter('instr', Number(ev.instr))
      : s.indexAtOrAfter('t', Number(ev.t));
    if (at >= 0 && instr && Number.isFinite(ev.instr) && instr[at] < ev.instr) continue;
    // Several samples can share the cycle's last instruction (a phase change, then the cycle
    // end): the marker belongs on the cycle-end one.
    if (reason && instr && at >= 0 && reason[at] !== REASON_CYCLE_END) {
      for (let k = at + 1; k < s.length && instr[k] === instr[at]; k++) {
        if (reason[k] === REASON_CYCLE_END) {
          at = k;
          break;
        }
      }
    }
    place(at, ev);
  }
  if (reason) {
    const t = s.get('t');
    const cycle = s.get('cycle');
    for (let i = 0; i < s.length; i++) {
      if (reason[i] !== REASON_CYCLE_END || used.has(i)) continue;
      const ev = { kind: 'cycle', fromSamples: true, t: t ? t[i] : NaN,
        cycle: cycle ? cycle[i] : undefined, totalAfter: total ? total[i] : undefined };
      place(i, ev);
    }
  }
  out.sort((a, b) => a.i - b.i);
  return out;
}

export function cycleLines(ev) {
  const fromSamples = ev.inferred || ev.fromSamples;
  const lines = [`cycle end at ${formatMs(Number(ev.t))}${fromSamples ? ' (from samples)' : ''}`];
  if (Number.isFinite(ev.freed)) lines.push(`freed ${formatBytes(ev.freed)}`);
  if (Number.isFinite(ev.totalBefore) && Number.isFinite(ev.totalAfter)) {
    lines.push(`heap ${formatBytes(ev.totalBefore)} → ${formatBytes(ev.totalAfter)}`);
  }
  if (Number.isFinite(ev.durationNs)) lines.push(`duration ${formatNs(ev.durationNs)}`);
  // What tuning stepmul buys: the longest step of the cycle, and how many steps it took.
  if (Number.isFinite(ev.longestStepNs)) {
    const steps = Number.isFinite(ev.steps) ? ` of ${ev.steps} step${ev.steps === 1 ? '' : 's'}` : '';
    lines.push(`longest step ${formatNs(ev.longestStepNs)}${steps}`);
  }
  if (ev.finalized) lines.push(`finalized ${ev.finalized}`);
  if (ev.weakCleared) lines.push(`weak entries cleared ${ev.weakCleared}`);
  if (ev.freedByKind && typeof ev.freedByKind === 'object') {
    const top = Object.entries(ev.freedByKind)
      .filter(([, v]) => Number.isFinite(v) && v > 0)
      .sort((a, b) => b[1] - a[1]).slice(0, 3)
      .map(([k, v]) => `${k} ${formatBytes(v)}`);
    if (top.length) lines.push(`most freed: ${top.join(', ')}`);
  }
  return lines;
}
