// compare-chart.js - the Compare view's chart: the heap curve of every compared run overlaid on
// one shared x axis (bytes allocated by default, so runs of different speed line up; run time
// and instructions too), each run in its colour, with a marker at every cycle end.
//
// It reuses the main heap chart's pieces (charts.js): min/max decimation per x column and the
// placement of cycle markers on the curve. Invariant: at most MAX_POINTS points per curve, so a
// redraw costs the same however long the runs were.

import { Chart } from 'chart.js';
import { cycleLines, cycleMarkers, decimate, MAX_POINTS, niceByteStep } from './charts.js';
import { formatBytes, formatCount } from './format.js';
import { AXES } from './recording.js';

export const AXIS_LABELS = { bytes: 'bytes allocated', time: 'time', instr: 'instructions' };

function formatX(axis, v) {
  if (v === 0) return '0';
  if (axis === 'bytes') return formatBytes(v);
  if (axis === 'instr') return formatCount(v);
  return Math.abs(v) < 1000 ? `${Math.round(v)} ms` : `${Number((v / 1000).toFixed(2))} s`;
}

// The curve and the markers of one run along `axis`: {line: [{x, y}], markers: [{x, y, ev}]}.
export function runCurve(run, axis) {
  const s = run.series;
  const xs = s.get(AXES[axis] ?? 't');
  const total = s.get('total');
  if (!xs || !total || s.length === 0) return { line: [], markers: [] };
  const idx = decimate(total, s.length, MAX_POINTS, xs);
  const line = Array.from(idx, (i) => ({ x: xs[i], y: total[i] }));
  const markers = cycleMarkers({ samples: s, cycles: run.cycles }, xs, total)
    .map((m) => ({ x: m.x, y: m.y, ev: m.ev }))
    .filter((m) => Number.isFinite(m.x) && Number.isFinite(m.y));
  return { line, markers };
}

export function mountCompareChart(canvas, { colors }) {
  let axis = 'bytes';
  const options = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    interaction: { mode: 'curvesAndMarker', axis: 'x', intersect: false },  // charts.js
    elements: { point: { radius: 0, hitRadius: 4, hoverRadius: 3 }, line: { borderWidth: 1.5 } },
    layout: { padding: { top: 4, right: 8 } },
    scales: {
      x: {
        type: 'linear',
        ticks: { maxTicksLimit: 7, maxRotation: 0, callback: (v) => formatX(axis, v) },
        grid: { display: false },
      },
      y: {
        beginAtZero: true,
        ticks: { callback: (v) => (v === 0 ? '0' : formatBytes(v)) },
        afterBuildTicks(scale) {
          const step = niceByteStep(scale.max);
          scale.ticks = [];
          for (let v = 0; v <= scale.max + step * 1e-9 && scale.ticks.length < 50; v += step) {
            scale.ticks.push({ value: v });
          }
        },
      },
    },
    plugins: {
      legend: {
        position: 'top', align: 'end',
        labels: {
          boxWidth: 10, boxHeight: 10, padding: 8, usePointStyle: true,
          filter: (item, data) => !data.datasets[item.datasetIndex].isMarkers,
        },
      },
      tooltip: {
        backgroundColor: 'rgba(16, 19, 28, 0.95)', borderColor: '#2f3549', borderWidth: 1,
        padding: 8, titleColor: '#c0caf5', bodyColor: '#a9b1d6',
        callbacks: {
          title: (items) => (items.length ? `${AXIS_LABELS[axis]} ${formatX(axis, items[0].raw.x)}`
            : ''),
          label: (ctx) => (ctx.raw.ev
            ? [`${ctx.dataset.runLabel}:`, ...cycleLines(ctx.raw.ev)]
            : `${ctx.dataset.runLabel}: ${formatBytes(ctx.raw.y)}`),
        },
      },
    },
  };
  const chart = new Chart(canvas, { type: 'line', data: { datasets: [] }, options });

  // runs: the runner's runs (series, cycles, setting); labels (legend) and titles (tooltips):
  // one per run. Returns what was drawn: {points, markers} per run.
  function update(runs, labels, titles, nextAxis) {
    axis = nextAxis;
    const datasets = [];
    const drawn = [];
    let min = Infinity;
    let max = -Infinity;
    runs.forEach((run, i) => {
      const { line, markers } = runCurve(run, axis);
      const color = colors[i % colors.length];
      datasets.push({
        label: labels[i], runLabel: titles[i], data: line, borderColor: color,
        backgroundColor: color, pointStyle: 'line', order: 1,
      });
      datasets.push({
        type: 'scatter', label: `${labels[i]} cycles`, runLabel: titles[i], isMarkers: true,
        data: markers, borderColor: color, backgroundColor: color, pointRadius: 2.5,
        pointHoverRadius: 4, pointHitRadius: 5, order: 0,
      });
      drawn.push({ points: line.length, markers: markers.length });
      if (line.length) {
        min = Math.min(min, line[0].x);
        max = Math.max(max, line[line.length - 1].x);
      }
    });
    chart.data.datasets = datasets;
    const x = chart.options.scales.x;
    const from = axis === 'time' ? Math.min(0, min) : min;
    x.min = Number.isFinite(from) && max > from ? from : undefined;
    x.max = Number.isFinite(from) && max > from ? max : undefined;
    chart.update('none');
    return drawn;
  }

  return { update, chart };
}
