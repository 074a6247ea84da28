// charts.js - the three live charts: heap, bytes by object type, coroutines by status.
//
// Redrawn from the store's columnar samples at most once per animation frame. Each redraw
// decimates to at most MAX_POINTS points (min/max per bucket of the heap total, so the sawtooth
// keeps its peaks and troughs) and reuses its point objects, so the cost of a frame is bounded
// however long the script has run. The x-axis is wall time or bytes allocated (a view setting).
// Heap chart extras: collector phases as coloured bands behind the lines (a small plugin), and a
// marker per completed cycle whose tooltip is the cycle summary.
// Invariant: no chart ever holds more than MAX_POINTS points per dataset (+ markers).

import {
  Chart, Filler, LinearScale, LineController, LineElement, PointElement, ScatterController,
  Tooltip, Legend,
} from 'chart.js';
import { formatBytes, formatCount, formatMs, formatNs } from './format.js';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Filler,
  Tooltip, Legend);

export const MAX_POINTS = 1200;

export const PHASES = [
  { name: 'pause', color: null },
  { name: 'propagate', color: 'rgba(122, 162, 247, 0.16)' },
  { name: 'atomic', color: 'rgba(247, 118, 142, 0.30)' },
  { name: 'sweep', color: 'rgba(158, 206, 106, 0.16)' },
  { name: 'finalizers', color: 'rgba(187, 154, 247, 0.26)' },
];

export const KINDS = [
  { field: 'bytes.string', label: 'string', color: '#7dcfff' },
  { field: 'bytes.table', label: 'table', color: '#7aa2f7' },
  { field: 'bytes.lclosure', label: 'Lua function', color: '#bb9af7' },
  { field: 'bytes.nclosure', label: 'C function', color: '#9d7cd8' },
  { field: 'bytes.upvalue', label: 'upvalue', color: '#e0af68' },
  { field: 'bytes.proto', label: 'proto', color: '#ff9e64' },
  { field: 'bytes.thread', label: 'thread', color: '#9ece6a' },
  { field: 'bytes.userdata', label: 'userdata', color: '#f7768e' },
];

export const CO_SERIES = [
  { fields: ['co.suspended'], label: 'suspended', color: '#e0af68' },
  { fields: ['co.running', 'co.normal'], label: 'running / normal', color: '#9ece6a' },
  { fields: ['co.dead'], label: 'dead (held)', color: '#8a93a6' },
  { fields: ['co.collected'], label: 'collected', color: '#414868' },
];

Chart.defaults.color = '#8a93a6';
Chart.defaults.borderColor = '#232838';
Chart.defaults.font.family = "Inter, 'Segoe UI', system-ui, sans-serif";
Chart.defaults.font.size = 11;

// ---------------------------------------------------------------------------------------------
// Decimation

// Row indices to plot: all rows when few, else per bucket the rows holding the min and max of
// `ys` (in time order), plus the last row so the line reaches "now".
export function decimate(ys, length, max = MAX_POINTS) {
  if (length <= max) return Int32Array.from({ length }, (_, i) => i);
  const buckets = Math.floor(max / 2) - 1;
  const size = length / buckets;
  const out = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(length, Math.floor((b + 1) * size));
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (ys[i] < ys[lo]) lo = i;
      if (ys[i] > ys[hi]) hi = i;
    }
    if (lo === hi) out.push(lo);
    else out.push(Math.min(lo, hi), Math.max(lo, hi));
  }
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
  return view.xAxis === 'bytes' ? (v) => (v === 0 ? '0' : formatBytes(v)) : timeTick;
}

// The x range is exactly the data's: the lines always reach the right edge ("now").
function setXRange(chart, xs, idx) {
  const x = chart.options.scales.x;
  if (idx.length < 2) {
    x.min = undefined;
    x.max = undefined;
    return;
  }
  x.min = chart.$timeAxis ? 0 : xs[idx[0]];
  x.max = xs[idx[idx.length - 1]];
}

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
    return view.xAxis === 'bytes' ? `allocated ${formatBytes(raw.x)}` : `t = ${formatMs(raw.x)}`;
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
  heapOptions.plugins.tooltip.callbacks.label = (ctx) => {
    if (ctx.raw.ev) return cycleLines(ctx.raw.ev);
    return `${ctx.dataset.label}: ${formatBytes(ctx.raw.y)}`;
  };
  heapOptions.plugins.tooltip.callbacks.footer = phaseFooter;
  const heap = new Chart(heapEl.querySelector('canvas'), {
    type: 'line',
    data: {
      datasets: [
        line('total', '#7aa2f7', {
          borderWidth: 2, fill: { target: 'origin', above: 'rgba(122,162,247,0.08)' },
        }),
        line('threshold', '#e0af68', { borderDash: [5, 4], borderWidth: 1.25 }),
        line('live estimate', '#9ece6a', { borderDash: [2, 3], borderWidth: 1.25 }),
        {
          type: 'scatter', label: 'cycle end', data: [], pointStyle: 'triangle',
          borderColor: '#f7768e', backgroundColor: '#f7768e', pointRadius: 4,
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

  function update(state) {
    const s = state.samples;
    samplesRef = s;
    if (view.xAxis !== state.view.xAxis) {
      view = { xAxis: state.view.xAxis };
      setAxis(view.xAxis);
    }
    const xs = s.get(view.xAxis === 'bytes' ? 'allocated' : 't');
    const n = xs ? s.length : 0;
    const total = s.get('total');
    const idx = n ? decimate(total ?? xs, n) : new Int32Array(0);
    const col = (name) => s.get(name);
    const yOf = (c) => (c ? (i) => c[i] : () => NaN);

    const [dTotal, dThreshold, dEstimate, dCycles] = heap.data.datasets;
    fillPoints(dTotal.data, idx, xs, yOf(total));
    fillPoints(dThreshold.data, idx, xs, yOf(col('threshold')));
    fillPoints(dEstimate.data, idx, xs, yOf(col('estimate')));
    dCycles.data = n ? cycleMarkers(state, xs, total) : [];
    heap.$bands = n ? computeBands(s, xs) : [];

    KINDS.forEach((k, d) => fillPoints(types.data.datasets[d].data, idx, xs, yOf(col(k.field))));
    CO_SERIES.forEach((series, d) => {
      const cols = series.fields.map(col).filter(Boolean);
      const sum = (i) => (cols.length ? cols.reduce((acc, c) => acc + (c[i] || 0), 0) : NaN);
      fillPoints(coroutines.data.datasets[d].data, idx, xs, sum);
    });
    for (const c of charts) {
      c.$timeAxis = view.xAxis === 'time';
      setXRange(c, xs, idx);
      c.update('none');
    }

    heapEl.dataset.points = String(idx.length);
    heapEl.dataset.rows = String(n);
    heapEl.dataset.cycles = String(dCycles.data.length);
    heapEl.dataset.bands = String(heap.$bands.length);
    typesEl.dataset.points = String(idx.length);
    coEl.dataset.points = String(idx.length);
    for (const el of [heapEl, typesEl, coEl]) el.classList.toggle('is-empty', n === 0);
  }

  setAxis(view.xAxis);
  return { update };
}

// One marker per completed cycle, at the sample nearest its end.
function cycleMarkers(state, xs, total) {
  const s = state.samples;
  const first = xs[0];
  const out = [];
  for (const ev of state.cycles) {
    const i = s.indexAtTime(Number(ev.t));
    if (i < 0) continue;
    const x = s.get('t') === xs ? Number(ev.t) : xs[i];
    if (!(x >= first)) continue;
    const y = Number.isFinite(ev.totalAfter) ? ev.totalAfter : total?.[i];
    out.push({ x, y, i, ev });
  }
  return out;
}

export function cycleLines(ev) {
  const lines = [`cycle end at ${formatMs(Number(ev.t))}${ev.inferred ? ' (from samples)' : ''}`];
  if (Number.isFinite(ev.freed)) lines.push(`freed ${formatBytes(ev.freed)}`);
  if (Number.isFinite(ev.totalBefore) && Number.isFinite(ev.totalAfter)) {
    lines.push(`heap ${formatBytes(ev.totalBefore)} → ${formatBytes(ev.totalAfter)}`);
  }
  if (Number.isFinite(ev.durationNs)) lines.push(`duration ${formatNs(ev.durationNs)}`);
  if (Number.isFinite(ev.longestStepNs)) lines.push(`longest step ${formatNs(ev.longestStepNs)}`);
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
