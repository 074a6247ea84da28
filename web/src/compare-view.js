// compare-view.js - the Compare view (data-testid="compare"): the same script under 2 to 4
// collector settings, one after another, then their heap curves overlaid and their figures in
// one table with the best of each column marked and output differences flagged.
//
// mount / update in the manner of the other panels: the view owns its settings (a list the
// user edits), asks compare-runner.js to run them and redraws from the runner's runs at most
// once per animation frame, less often when redrawing is slow. It never touches the main run
// or the store; mountCompare() at the end wires it into the page for main.js.
// Invariants: while a comparison runs the settings cannot be edited (what the table shows is
// what ran); the table and the flag are derived from the runs only (compare-model.js).

import './compare.css';
import { GC_MODES, defaultParams, normalizeGc } from './gc-config.js';
import {
  bestOfColumns, COMPARE_MAX, COMPARE_MIN, defaultCompareSettings, describeSetting,
  differenceSentences, errorSentences, FIGURES, nextSetting, normalizeCompareSettings, outputFlags, RUN_COLORS,
} from './compare-model.js';
import { AXIS_LABELS, mountCompareChart } from './compare-chart.js';
import { formatBytes, formatCount, formatMs } from './format.js';
import { CompareRunner } from './compare-runner.js';

const STATUS_TEXT = {
  waiting: 'waiting', running: 'running…', finished: 'finished', error: 'error',
  stopped: 'stopped',
};

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

const KIND_OF = Object.fromEntries(FIGURES.map((f) => [f.key, f.kind]));

function formatFigure(kind, v) {
  if (v === null || v === undefined) return '–';
  if (kind === 'bytes') return formatBytes(v);
  if (kind === 'ms') return formatMs(v);
  return kind === 'count' && v >= 1e4 ? formatCount(v) : String(v);
}

// `savedSettings` (what onSettingsChange last stored, possibly from an older page) is where the
// view starts, repaired if need be; without it, the page's setting and the other Lua 5.4 mode.
export function mountCompareView(root, { runner, getSource, getGc, getRunOptions, onClose,
  savedSettings = null, onSettingsChange = () => {} }) {
  let settings = Array.isArray(savedSettings) ? normalizeCompareSettings(savedSettings)
    : defaultCompareSettings(getGc());
  let axis = 'bytes';
  let frame = 0;
  let timer = 0;
  let due = 0;

  // ---- skeleton
  const axisSeg = el('div', { className: 'seg', role: 'group', 'aria-label': 'x-axis',
    dataset: { testid: 'compare-axis' } });
  for (const name of ['bytes', 'time', 'instr']) {
    const b = el('button', { type: 'button', dataset: { axis: name } }, AXIS_LABELS[name]);
    b.addEventListener('click', () => {
      axis = name;
      clearTimeout(timer);  // the user's doing: drawn at once
      timer = 0;
      due = 0;
      schedule();
    });
    axisSeg.append(b);
  }
  const closeBtn = el('button', { type: 'button', className: 'btn btn-ghost btn-small',
    title: 'Back to the run view', dataset: { testid: 'compare-close' } }, 'Close');
  closeBtn.addEventListener('click', () => onClose());
  const head = el('div', { className: 'card-head' }, el('h2', {}, 'Compare settings'), closeBtn);

  const list = el('div', { className: 'cmp-settings', dataset: { testid: 'compare-settings' } });
  const addBtn = el('button', { type: 'button', className: 'btn btn-small',
    dataset: { testid: 'compare-add' } }, '+ Add setting');
  addBtn.addEventListener('click', () => {
    if (settings.length >= COMPARE_MAX) return;
    settings = [...settings, nextSetting(settings)];
    buildSettings();
  });
  const runBtn = el('button', { type: 'button', className: 'btn btn-primary btn-small',
    title: 'Run the editor’s script once under each setting, one after another',
    dataset: { testid: 'compare-run' } }, 'Compare');
  runBtn.addEventListener('click', () => {
    start(settings).catch(() => {});
  });
  const stopBtn = el('button', { type: 'button', className: 'btn btn-stop btn-small',
    disabled: true, dataset: { testid: 'compare-stop' } }, 'Stop');
  stopBtn.addEventListener('click', () => runner.stop());
  const skipBtn = el('button', { type: 'button', className: 'btn btn-small', disabled: true,
    title: 'Stop this run and go on with the next setting', dataset: { testid: 'compare-skip' } },
  'Skip run');
  skipBtn.addEventListener('click', () => runner.skip());
  const status = el('span', { className: 'cmp-status', role: 'status',
    dataset: { testid: 'compare-status', status: 'idle' } });
  const actions = el('div', { className: 'cmp-actions' }, addBtn, runBtn, stopBtn, skipBtn,
    status);

  const canvas = el('canvas', { 'aria-label': 'Heap of every compared run on one axis' });
  const empty = el('div', { className: 'chart-empty' }, 'Compare to see the runs side by side');
  const chartBox = el('div', { className: 'chart-box cmp-chart is-empty',
    dataset: { testid: 'compare-chart' } }, canvas, empty);
  const chartHead = el('div', { className: 'cmp-chart-head' },
    el('span', { className: 'cmp-caption' }, 'heap · dots mark cycle ends'), axisSeg);

  const flag = el('div', { className: 'cmp-flag', role: 'alert', hidden: true,
    dataset: { testid: 'compare-diff' } });
  const errors = el('div', { className: 'cmp-errors', hidden: true,
    dataset: { testid: 'compare-errors' } });
  const table = el('table', { className: 'cmp-table', dataset: { testid: 'compare-table' } });
  const tableWrap = el('div', { className: 'cmp-table-wrap' }, table);

  // The figures first (what a tuner reads), then the curves that explain them.
  root.replaceChildren(head, el('div', { className: 'cmp-body' }, list, actions, flag, errors,
    tableWrap, chartHead, chartBox));
  const chart = mountCompareChart(canvas, { colors: RUN_COLORS });
  chartBox.chart = chart.chart;  // reachable from the element (not a global), as charts.js does

  // ---- settings editor
  function buildSettings() {
    list.replaceChildren(...settings.map((s, i) => settingRow(s, i)));
    addBtn.disabled = runner.running || settings.length >= COMPARE_MAX;
    onSettingsChange(copyOf(settings));
  }

  function copyOf(list) {
    return list.map((s) => ({ mode: s.mode, params: { ...s.params } }));
  }

  function settingRow(setting, index) {
    const locked = runner.running;
    const badge = el('span', { className: 'cmp-badge', title: `run ${index + 1}` },
      String(index + 1));
    badge.style.background = RUN_COLORS[index];
    const mode = el('select', { disabled: locked, 'aria-label': `run ${index + 1} collector` });
    for (const [name, spec] of Object.entries(GC_MODES)) mode.add(new Option(spec.label, name));
    mode.value = setting.mode;
    mode.addEventListener('change', () => {
      replace(index, { mode: mode.value, params: defaultParams(mode.value) });
      buildSettings();
    });
    const params = el('div', { className: 'cmp-params' });
    for (const [name, spec] of Object.entries(GC_MODES[setting.mode].params)) {
      const input = el('input', { type: 'number', min: spec.min, max: spec.max, step: spec.step,
        value: String(setting.params[name]), disabled: locked,
        'aria-label': `run ${index + 1} ${name} (${spec.unit})`, dataset: { param: name } });
      input.addEventListener('change', () => {
        const next = normalizeGc({ mode: setting.mode,
          params: { ...settings[index].params, [name]: Number(input.value) } });
        replace(index, next);
        input.value = String(next.params[name]);
      });
      params.append(el('label', { className: 'cmp-param', title: spec.help },
        el('span', {}, name), input));
    }
    const remove = el('button', { type: 'button', className: 'btn btn-ghost btn-small cmp-remove',
      disabled: locked || settings.length <= COMPARE_MIN, title: 'Remove this setting',
      'aria-label': `remove run ${index + 1}` }, '×');
    remove.addEventListener('click', () => {
      settings = settings.filter((_, i) => i !== index);
      buildSettings();
    });
    return el('div', { className: 'cmp-setting', dataset: { run: String(index + 1) } },
      badge, mode, params, remove);
  }

  function replace(index, setting) {
    settings = settings.map((s, i) => (i === index ? setting : s));
    onSettingsChange(copyOf(settings));
  }

  // ---- results
  // Redraws wait for an animation frame, and after a redraw that took D ms the next one waits
  // at least 3·D (as the run view's charts do): a long comparison keeps the page responsive.
  function schedule() {
    if (frame || timer) return;
    const wait = due - performance.now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = 0;
        schedule();
      }, wait);
      return;
    }
    frame = requestAnimationFrame(() => {
      frame = 0;
      const started = performance.now();
      draw();
      const took = performance.now() - started;
      due = performance.now() + 3 * took;
    });
  }

  function draw() {
    const runs = runner.runs;
    for (const b of axisSeg.querySelectorAll('button')) {
      b.setAttribute('aria-pressed', String(b.dataset.axis === axis));
    }
    const drawn = chart.update(runs, runs.map((r, i) => `run ${i + 1}`),
      runs.map((r, i) => `run ${i + 1}: ${describeSetting(r.setting)}`), axis);
    chartBox.classList.toggle('is-empty', !drawn.some((d) => d.points > 0));
    // What the canvas shows, readable by tests: points and cycle markers per run.
    chartBox.dataset.points = drawn.map((d) => d.points).join(' ');
    chartBox.dataset.markers = drawn.map((d) => d.markers).join(' ');
    chartBox.dataset.axis = axis;
    drawStatus(runs);
    drawTable(runs);
    const sentences = differenceSentences(runs, outputFlags(runs));
    flag.hidden = sentences.length === 0;
    flag.textContent = sentences.length
      ? `Output differs between runs, so the script's behaviour depends on the collector: ` +
        `${sentences.join('; ')}.`
      : '';
    const failed = errorSentences(runs);
    errors.hidden = failed.length === 0;
    errors.replaceChildren(...failed.map((text) => el('div', {}, text)));
    stopBtn.disabled = !runner.running;
    const current = runs.findIndex((r) => r.status === 'running');
    skipBtn.disabled = current < 0 || current === runs.length - 1;
    runBtn.disabled = runner.running;
    runBtn.classList.toggle('is-running', runner.running);
  }

  function drawStatus(runs) {
    const current = runs.findIndex((r) => r.status === 'running');
    let text = '';
    let state = 'idle';
    if (runner.running) {
      state = 'running';
      text = current >= 0 ? `running ${current + 1} of ${runs.length}`
        : runner.warming ? 'warming up the VM…' : 'starting…';
    } else if (runs.length) {
      const stopped = runs.some((r) => r.status === 'stopped');
      state = stopped ? 'stopped' : 'done';
      const ended = runs.filter((r) => r.status !== 'stopped').length;
      text = stopped ? `stopped after ${ended} of ${runs.length} runs` : `${runs.length} runs done`;
    }
    status.textContent = text;
    status.dataset.status = state;
  }

  function drawTable(runs) {
    const rows = runner.rows();
    const best = bestOfColumns(rows, (key, v) => formatFigure(KIND_OF[key], v));
    const flags = outputFlags(runs);
    const headRow = el('tr', {}, el('th', { scope: 'col' }, 'setting'),
      ...FIGURES.map((f) => el('th', { scope: 'col', className: 'num' }, f.label)),
      el('th', { scope: 'col' }, 'output'));
    const body = runs.map((run, i) => {
      const swatch = el('span', { className: 'cmp-swatch', 'aria-hidden': 'true' });
      swatch.style.background = RUN_COLORS[i];
      const cells = FIGURES.map((f) => {
        const isBest = best[f.key].has(i);
        return el('td', { className: `num${isBest ? ' is-best' : ''}`,
          title: isBest ? `best ${f.label}` : '', dataset: { key: f.key } },
        formatFigure(f.kind, rows[i][f.key]));
      });
      return el('tr', { dataset: { run: String(i + 1), status: run.status } },
        el('th', { scope: 'row', className: 'cmp-setting-cell', title: describeSetting(run.setting) },
          swatch, el('span', { className: 'cmp-mode' }, `${i + 1} · ${run.setting.mode}`),
          statusTag(run), el('span', { className: 'cmp-values' }, paramText(run.setting))),
        ...cells, outputCell(flags[i], run));
    });
    table.replaceChildren(el('thead', {}, headRow), el('tbody', {}, ...body));
    tableWrap.hidden = runs.length === 0;
  }

  // Finished is what a row normally says, so only the other states are written.
  function statusTag(run) {
    if (run.status === 'finished') return '';
    return el('span', { className: `cmp-tag st-${run.status}`, title: run.error?.message ?? '' },
      STATUS_TEXT[run.status] ?? run.status);
  }

  function paramText({ params }) {
    return Object.entries(params).map(([k, v]) => `${k} ${v}`).join(' · ');
  }

  function outputCell(flag, run) {
    if (!flag) return el('td', { className: 'cmp-out' }, '–');
    const truncated = run.outputTruncated ? ' (first 2 MB)' : '';
    if (flag.same) {
      return el('td', { className: 'cmp-out', dataset: { output: 'same' } },
        flag.baseline ? `baseline${truncated}` : `same${truncated}`);
    }
    return el('td', { className: 'cmp-out is-diff', dataset: { output: 'differs' },
      title: `differs from run ${flag.against + 1} from line ${flag.difference.line}` },
    `differs${truncated}`);
  }

  // ---- actions
  function start(list) {
    settings = normalizeCompareSettings(list, { strict: true });
    const done = runner.compare(settings, getSource(), getRunOptions());
    buildSettings();
    return done;
  }

  buildSettings();
  draw();
  return {
    // Called by the runner on every change.
    changed(what) {
      if (what === 'start' || what === 'end') buildSettings();
      schedule();
    },
    start,
    settings: () => copyOf(settings),
    setSettings(list) {
      if (runner.running) return;
      settings = normalizeCompareSettings(list);
      buildSettings();
    },
  };
}

// The whole feature as main.js wires it: the view in `root` (a card of the insight column,
// which shows only it while open), the toggle button, and a runner on a worker of its own,
// made on the first comparison. `onClosed` runs once the other panels show again (they were
// display:none, so whatever drew itself meanwhile drew at zero size). `getRunOptions()` adds
// fields to every compared run's request (the page's other run settings, e.g. a server shim).
export function mountCompare({ root, column, toggle, createClient, chunkname, getSource,
  getGc, getRunOptions = () => ({}), onClosed = () => {}, savedSettings = null,
  onSettingsChange = () => {} }) {
  let view = null;
  const runner = new CompareRunner({
    createClient, chunkname, onChange: (_, what) => view.changed(what),
  });
  const isOpen = () => !root.hidden;
  function setOpen(open) {
    root.hidden = !open;
    column.classList.toggle('is-comparing', open);
    toggle.setAttribute('aria-pressed', String(open));
    if (open) root.scrollIntoView?.({ block: 'nearest' });
    else requestAnimationFrame(() => onClosed());
  }
  view = mountCompareView(root, { runner, getSource, getGc, getRunOptions,
    onClose: () => setOpen(false), savedSettings, onSettingsChange });
  toggle.addEventListener('click', () => setOpen(!isOpen()));
  root.hidden = true;
  return {
    isOpen,
    open(settings) {
      if (settings) view.setSettings(settings);
      setOpen(true);
    },
    close: () => setOpen(false),
    // The contract: resolves to one row per setting, in the order given.
    compare(settings) {
      try {
        const done = view.start(settings);
        setOpen(true);
        return done;
      } catch (err) {
        return Promise.reject(err);
      }
    },
    stop: () => runner.stop(),
    running: () => runner.running,
    settings: () => view.settings(),
    // What a share link carries: the settings while the view is open, else nothing.
    shareSettings: () => (isOpen() ? view.settings() : undefined),
  };
}
