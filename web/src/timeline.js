// timeline.js - the timeline under the charts: an overview of the whole recording (the heap
// total, cycle ends as ticks) with one cursor you can drag, or move with the keyboard.
//
// It is a slider (role="slider", focusable): Left/Right step by 1% of the run (at least one
// sample), Shift or PageUp/PageDown by 10%, Home goes to the start, End back to live view.
// Dragging places the cursor under the pointer; letting go at the right edge returns to live
// view. The panel only reports intent (onSeek(fraction), onStep(steps), onLive()); the store
// moves the cursor and every panel follows it.
// Invariants: the overview is redrawn only when the recording or the size changed, never on a
// cursor move (that moves one absolutely placed element); aria-valuenow is the cursor's
// fraction in percent (100 when live); all text goes in through textContent.

import { formatBytes, formatCount, formatMs } from './format.js';
import { AXES, axisRange, REASON_CYCLE_END } from './recording.js';

const LIVE_EDGE = 0.999;  // a drag released beyond this fraction returns to live view

export function mountTimeline(el, { onSeek, onStep, onLive }) {
  const track = el.querySelector('[data-testid="timeline"]');
  const canvas = track.querySelector('canvas');
  const handle = track.querySelector('.timeline-cursor');
  const readout = el.querySelector('.timeline-readout');
  const liveButton = el.querySelector('[data-testid="timeline-live"]');
  let dragging = false;
  let drawnFor = null;  // {rows, received, axis, width} of the last overview drawing
  let lastFraction = 1;

  liveButton.addEventListener('click', () => onLive());

  const fractionAt = (clientX) => {
    const rect = track.getBoundingClientRect();
    return Math.min(1, Math.max(0, (clientX - rect.left) / Math.max(1, rect.width)));
  };
  track.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    dragging = true;
    track.setPointerCapture(e.pointerId);
    track.focus();
    lastFraction = fractionAt(e.clientX);
    onSeek(lastFraction);
    e.preventDefault();
  });
  track.addEventListener('pointermove', (e) => {
    if (!dragging) return;
    lastFraction = fractionAt(e.clientX);
    onSeek(lastFraction);
  });
  const endDrag = (e) => {
    if (!dragging) return;
    dragging = false;
    if (track.hasPointerCapture(e.pointerId)) track.releasePointerCapture(e.pointerId);
    if (lastFraction >= LIVE_EDGE) onLive();
  };
  track.addEventListener('pointerup', endDrag);
  track.addEventListener('pointercancel', endDrag);

  track.addEventListener('keydown', (e) => {
    const big = e.shiftKey ? 10 : 1;
    const steps = {
      ArrowLeft: -big, ArrowDown: -big, ArrowRight: big, ArrowUp: big, PageDown: -10, PageUp: 10,
    }[e.key];
    if (steps !== undefined) onStep(steps);
    else if (e.key === 'Home') onSeek(0);
    else if (e.key === 'End') onLive();
    else return;
    e.preventDefault();
  });

  // The overview: min/max of the heap total per pixel column, cycle ends as ticks.
  function drawOverview(state) {
    const s = state.samples;
    const width = Math.max(1, Math.round(track.clientWidth));
    const height = Math.max(1, Math.round(track.clientHeight));
    const key = { rows: s.length, received: s.received, axis: state.view.xAxis, width, height };
    if (drawnFor && Object.keys(key).every((k) => drawnFor[k] === key[k])) return;
    drawnFor = key;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const range = axisRange(s, state.view.xAxis);
    const total = s.get('total');
    if (!range || !total || range.max <= range.min) return;
    const { xs, min, max } = range;
    const lo = new Float64Array(width).fill(Infinity);
    const hi = new Float64Array(width).fill(-Infinity);
    let top = 0;
    for (let i = 0; i < s.length; i++) {
      const col = Math.min(width - 1, Math.floor(((xs[i] - min) / (max - min)) * width));
      const v = total[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo[col]) lo[col] = v;
      if (v > hi[col]) hi[col] = v;
      if (v > top) top = v;
    }
    if (top <= 0) return;
    const y = (v) => height - 2 - (v / top) * (height - 6);
    ctx.fillStyle = 'rgba(122, 162, 247, 0.35)';
    ctx.strokeStyle = 'rgba(122, 162, 247, 0.9)';
    let carried = null;  // columns without a sample keep the previous value: a step, no gap
    for (let c = 0; c < width; c++) {
      if (hi[c] >= lo[c]) carried = [lo[c], hi[c]];
      if (!carried) continue;
      ctx.fillRect(c, y(carried[1]), 1, height - y(carried[1]));
    }
    const reason = s.get('reason');
    ctx.fillStyle = '#f7768e';
    const ticks = reason ? rowsWhere(s.length, (i) => reason[i] === REASON_CYCLE_END)
      : state.cycles.map((ev) => s.indexAtOrAfter('t', Number(ev.t)));
    for (const i of ticks) {
      if (i < 0) continue;
      const px = ((xs[i] - min) / (max - min)) * (width - 1);
      ctx.fillRect(Math.round(px), 0, 1, 5);
    }
  }

  function rowsWhere(n, test) {
    const out = [];
    for (let i = 0; i < n; i++) if (test(i)) out.push(i);
    return out;
  }

  function describe(state) {
    const m = state.moment;
    if (!m) {
      const n = state.samples.length;
      return n ? `live · ${formatCount(n)} points recorded` : 'no recording yet';
    }
    const where = state.view.xAxis === 'bytes' ? `allocated ${formatBytes(m.allocated)}`
      : state.view.xAxis === 'instr' ? `${formatCount(m.instr)} instructions`
      : state.view.xAxis === 'vtime' ? `virtual time ${formatMs(m.x * 1000)}`
        : `t = ${formatMs(m.t)}`;
    const parts = [where, `heap ${formatBytes(m.total)}`, m.phaseName];
    if (m.line > 0) parts.push(`line ${m.line}`);
    return parts.join(' · ');
  }

  // `plotArea` ({left, right} in px inside the chart box) lines the track up with the charts.
  function update(state, plotArea) {
    if (plotArea) {
      el.style.setProperty('--plot-left', `${Math.round(plotArea.left)}px`);
      el.style.setProperty('--plot-right', `${Math.round(plotArea.right)}px`);
    }
    drawOverview(state);
    const m = state.moment;
    const fraction = m ? m.fraction : 1;
    handle.style.left = `${(fraction * 100).toFixed(3)}%`;
    handle.hidden = !m;
    el.dataset.cursor = m ? 'placed' : 'live';
    track.setAttribute('aria-valuenow', (fraction * 100).toFixed(1));
    const text = describe(state);
    track.setAttribute('aria-valuetext', text);
    readout.textContent = text;
    liveButton.disabled = !m;
    track.classList.toggle('is-empty', state.samples.length === 0);
    track.dataset.axis = AXES[state.view.xAxis] ?? 't';
  }

  return { update };
}
