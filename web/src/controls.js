// controls.js - the run controls (Run, Stop, Pause/Resume, status line) and the GC controls
// (mode, its parameters, full collect and single step, the live heap readout).
//
// Both panels draw from the store and report user intent through callbacks; they never talk to
// the worker. Parameter inputs are rebuilt from gc-config.js when the mode changes, so a mode's
// parameters are defined in one table only.
// Invariant: the Stop and Pause buttons are enabled exactly while a run is in flight; the
// status element's data-status attribute always equals state.status (a paused run is still
// `running`, with data-paused="true").

import { GC_MODES } from './gc-config.js';
import { formatBytes, formatCount, formatMs, formatNs } from './format.js';

const STATUS_TEXT = {
  idle: 'ready',
  running: 'running',
  finished: 'finished',
  error: 'error',
  stopped: 'stopped',
};

export function mountToolbar({ run, stop, pause, status }, { onRun, onStop, onPause }) {
  run.addEventListener('click', () => onRun());
  stop.addEventListener('click', () => onStop());
  pause.addEventListener('click', () => onPause());
  const label = status.querySelector('.status-label');
  const detail = status.querySelector('.status-detail');

  function update(state) {
    const running = state.status === 'running';
    stop.disabled = !running;
    pause.disabled = !running || state.stopping;
    pause.setAttribute('aria-pressed', String(running && state.paused));
    pause.querySelector('.label').textContent = running && state.paused ? 'Resume' : 'Pause';
    status.dataset.paused = String(running && state.paused);
    run.classList.toggle('is-running', running);
    run.querySelector('.label').textContent = running ? 'Restart' : 'Run';
    status.dataset.status = state.status;
    let text = STATUS_TEXT[state.status];
    if (running && state.stopping) text = 'stopping';
    else if (running && state.paused) text = 'paused';
    else if (running && !state.worker.ready) text = 'starting';
    label.textContent = text;
    const parts = [];
    if (state.status !== 'idle') {
      // The collector's figures before the instruction count: a narrow bar cuts from the end.
      parts.push(formatMs(state.elapsedMs));
      const n = state.cycleCount;
      if (n) parts.push(`${n} GC cycle${n > 1 ? 's' : ''}`);
      if (state.longestPauseNs > 0) parts.push(`longest pause ${formatNs(state.longestPauseNs)}`);
      parts.push(`${formatCount(state.instructions)} instructions`);
    } else if (!state.worker.ready) {
      parts.push('loading the VM…');
    }
    detail.textContent = parts.join(' · ');
    // A narrow top bar cuts the detail short (an ellipsis): the whole of it on hover.
    status.title = [label.textContent, ...parts].join(' · ');
  }
  return { update };
}

export function mountGcPanel(el, { onMode, onParams, onAction }) {
  const mode = el.querySelector('[data-testid="gc-mode"]');
  const paramsBox = el.querySelector('.gc-params');
  const readout = el.querySelector('.gc-readout');
  for (const [name, spec] of Object.entries(GC_MODES)) mode.add(new Option(spec.label, name));
  mode.addEventListener('change', () => onMode(mode.value));
  for (const b of el.querySelectorAll('button[data-gc-action]')) {
    b.addEventListener('click', () => onAction(b.dataset.gcAction));
  }

  let builtFor = null;
  const inputs = new Map();

  function buildParams(modeName) {
    paramsBox.replaceChildren();
    inputs.clear();
    for (const [name, spec] of Object.entries(GC_MODES[modeName].params)) {
      const label = document.createElement('label');
      label.className = 'gc-param';
      label.title = spec.help;
      const span = document.createElement('span');
      span.textContent = name;
      const input = document.createElement('input');
      Object.assign(input, { type: 'number', min: spec.min, max: spec.max, step: spec.step });
      input.dataset.param = name;
      input.setAttribute('aria-label', `${name} (${spec.unit})`);
      input.addEventListener('change', () => {
        const applied = onParams({ [name]: Number(input.value) });
        if (applied) input.value = String(applied[name]); // shows the clamped value at once
      });
      const unit = document.createElement('small');
      unit.textContent = spec.unit;
      label.append(span, input, unit);
      paramsBox.append(label);
      inputs.set(name, input);
    }
    builtFor = modeName;
  }

  function update(state) {
    const current = state.gc.mode;
    if (mode.value !== current) mode.value = current;
    if (builtFor !== current) buildParams(current);
    const params = state.gc.paramsByMode[current];
    for (const [name, input] of inputs) {
      if (document.activeElement !== input && Number(input.value) !== params[name]) {
        input.value = String(params[name]);
      }
    }
    readout.textContent = state.gc.total > 0
      ? `heap ${formatBytes(state.gc.total)} · threshold ${formatBytes(state.gc.threshold)}`
      : 'heap –';
  }
  return { update };
}
