// chart-summary.js - the charts in words: the text alternative a screen reader reads for each
// canvas (its aria-describedby), and that tests can read. Built from the same store state the
// charts draw: the latest sample (or the cursor's moment when one is placed) and the last
// completed collector cycle, with the numbers of that cycle (cycleLines, as its tooltip says).

import { CO_SERIES, cycleLines, KINDS } from './charts.js';
import { formatBytes } from './format.js';

function valueAt(samples, field, row) {
  const column = samples.get(field);
  return column && row >= 0 ? column[row] : undefined;
}

// {heap, types, coroutines}: one sentence or two per chart; empty strings before any run.
export function chartSummaries(state) {
  const s = state.samples;
  if (!s || !s.length) return { heap: 'No run recorded yet.', types: '', coroutines: '' };
  const row = state.moment ? state.moment.row : s.length - 1;
  const when = state.moment ? 'At the cursor' : 'Now';
  const bytes = (field) => {
    const v = valueAt(s, field, row);
    return Number.isFinite(v) ? formatBytes(v) : null;
  };
  const heapParts = [`heap ${bytes('total') ?? 'unknown'}`];
  if (bytes('threshold')) heapParts.push(`collector threshold ${bytes('threshold')}`);
  if (bytes('estimate')) heapParts.push(`live estimate ${bytes('estimate')}`);
  let heap = `${when}: ${heapParts.join(', ')}. ${state.cycleCount} collector cycle` +
    `${state.cycleCount === 1 ? '' : 's'} completed.`;
  const last = state.cycles.at(-1);
  if (last) heap += ` Last cycle: ${cycleLines(last).join(', ')}.`;

  const kinds = KINDS.map((k) => ({ label: k.label, v: valueAt(s, k.field, row) }))
    .filter((k) => k.v > 0).sort((a, b) => b.v - a.v)
    .map((k) => `${k.label} ${formatBytes(k.v)}`);
  const types = `${when}, heap bytes by type: ${kinds.length ? kinds.join(', ') : 'none'}.`;

  const counts = CO_SERIES.map((series) => {
    const n = series.fields.reduce((sum, f) => sum + (valueAt(s, f, row) || 0), 0);
    return `${n} ${series.label}`;
  });
  const coroutines = `${when}, coroutines: ${counts.join(', ')}.`;
  return { heap, types, coroutines };
}
