// main.js - the playground app: mounts the panels, wires them to the store and the worker, and
// exposes the automation API (window.playground).
//
// Data flows one way: user intent -> app actions -> worker; worker messages -> store -> panels
// (redrawn at animation-frame rate). Panels never talk to each other or to the worker.
// Start-up order for the text: a share link in the URL, else the autosaved text, else the first
// example. A share link that cannot be read leaves the saved text alone and says why.
// Embed mode (?embed=1, set on <html> by index.html before the first paint): editor, Run/Stop,
// console and heap chart only, "Open in Lunette" to the full page; it neither reads nor writes
// the autosave (an embed on someone's blog must not replace the visitor's own script).

import './style.css';
import examples from 'lunette:examples';
import { KINDS, mountCharts } from './charts.js';
import { mountConsole } from './console-panel.js';
import { mountGcPanel, mountToolbar } from './controls.js';
import { mountHeapPanels, parseTrace } from './heap-panels.js';
import { mountCoroutineTable } from './coroutine-table.js';
import { mountCompare } from './compare-view.js';
import { mountEditor } from './editor.js';
import { mountExamples } from './examples.js';
import { GC_MODES } from './gc-config.js';
import { mountNotice } from './notice.js';
import {
  createSourceSaver, loadCompare, loadGc, loadServer, loadSource, saveCompare, saveGc, saveServer,
} from './persist.js';
import { mountServerPicker, shimOf } from './server.js';
import {
  decodeShare, encodeShare, fullPageUrl, isShareFragment, mountShare, ShareError,
} from './share.js';
import { createStore } from './state.js';
import { mountTimeline } from './timeline.js';
import { formatBytes, formatMs } from './format.js';
import { chartSummaries } from './chart-summary.js';
import { WorkerClient } from './worker-client.js';

const CHUNK = 'main.lua';
const CHUNKNAME = `=${CHUNK}`;
const FALLBACK_SOURCE = 'print("Hello from Lunette")\n';
const CHECK_DELAY_MS = 250;
const EMBED = document.documentElement.dataset.embed === 'true';  // typing pause before the text is compiled for live diagnostics

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

function isOwnChunk(chunk) {
  if (chunk === undefined || chunk === null || chunk === '') return true;
  const name = String(chunk).replace(/^[=@]/, '');
  return name === CHUNK || name === `[string "${CHUNK}"]`;
}

function describeGc({ mode, params }) {
  const values = Object.entries(params).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${GC_MODES[mode].label}: ${values}`;
}

function shareProblem(err) {
  const why = err instanceof ShareError ? err.message : `unexpected problem (${err.message})`;
  return `This share link could not be opened: ${why}. Your saved script is unchanged.`;
}

async function readShareLink(notice) {
  if (!isShareFragment(location.hash)) {
    if (location.hash.length > 1) {
      notice.show('The part of the address after # is not a share link.', 'error');
    }
    return null;
  }
  try {
    return await decodeShare(location.hash);
  } catch (err) {
    notice.show(shareProblem(err), 'error');
    return null;
  }
}

async function boot() {
  const notice = mountNotice(byTestId('notice'));
  const shared = await readShareLink(notice);
  const saved = EMBED ? { gc: () => null, server: () => 'none', source: () => null }
    : { gc: loadGc, server: loadServer, source: loadSource };
  const store = createStore({ gc: shared?.gc ?? saved.gc() ?? undefined,
    server: shared ? shared.server : saved.server() });
  const saver = EMBED ? { save() {} } : createSourceSaver();
  const persist = EMBED ? { gc() {}, server() {} } : { gc: saveGc, server: saveServer };
  const initialSource = shared?.source ?? saved.source() ?? examples[0]?.source ?? FALLBACK_SOURCE;
  let client = null;
  let runOptions = {};  // extra run payload (`suspects`, `budget`); absent: the worker's defaults

  // ---- actions: the only code that talks to the worker.
  const actions = {
    run() {
      const state = store.state;
      if (state.status === 'running') client.stop(state.runSeq);
      const seq = store.beginRun();
      const gc = store.gcSettings();
      editor.clearMarkers();
      const server = store.state.server;
      const serverNote = server === 'none' ? '' : ` · ${server} server, virtual clock`;
      store.note(`▶ run ${seq} · ${describeGc(gc)}${serverNote}`);
      const payload = { source: editor.getValue(), chunkname: CHUNKNAME, gc, shim: shimOf(server) };
      if (runOptions.suspects) payload.suspects = runOptions.suspects;
      if (runOptions.budget) payload.budget = runOptions.budget;
      if (stepping.enabled) payload.stepping = { pauseAtStart: stepping.pauseAtStart };
      stepping.runStarted(seq);
      client.run(seq, payload);
    },
    stop() {
      if (store.state.status !== 'running' || store.state.stopping) return;
      store.markStopping();
      client.stop(store.state.runSeq);
    },
    // Pause holds the worker's slices (the VM waits between two of them); Resume goes on.
    pause() {
      if (store.state.status !== 'running' || store.state.stopping || store.state.paused) return;
      store.setPaused(true);
      client.pause(store.state.runSeq);
    },
    resume() {
      if (store.state.status !== 'running' || !store.state.paused) return;
      store.setPaused(false);
      client.resume(store.state.runSeq);
    },
    setGc(mode, params = {}) {
      if (!Object.hasOwn(GC_MODES, mode)) throw new Error(`unknown GC mode ${mode}`);
      const gc = store.setGc(mode, params);
      persist.gc(gc);
      if (store.state.status === 'running') client.setGc(store.state.runSeq, gc);
      return gc;
    },
    gcAction(name, arg) {
      client.gcAction(store.state.runSeq, name, arg);
    },
    // The Server for the next runs (the running one keeps its own).
    setServer(server) {
      const chosen = store.setServer(server);
      persist.server(chosen);
      return chosen;
    },
    jump(line) {
      editor.jumpTo(line);
    },
    explain(id) {
      store.askWhy(id);
      client.explain(store.state.runSeq, id);
    },
    census() {
      client.census(store.state.runSeq, { collect: true });
    },
    suspects(thresholdMs = 0) {
      client.suspects(store.state.runSeq, thresholdMs);
    },
    openTrace(name, batches) {
      if (store.state.status === 'running') client.stop(store.state.runSeq);
      store.loadTrace(name, batches);
      store.note(`▶ replayed trace ${name}: ${batches.length} batches`);
    },
  };

  // ---- stepping through the collector: the panel (stepping-view.js, loaded the first time it
  // is needed, with its layout library) and the requests it makes of the worker. Requests are
  // answered in order by `heapGraph` messages, so the promises of gcStep() settle in order.
  const stepping = {
    enabled: false,
    pauseAtStart: true,   // the panel's choice; stepping(true) from a script sets it itself
    expand: false,
    graph: null,
    seq: 0,               // the stepping run
    waiters: [],          // [{resolve, reject}] for the requests in flight
    view: null,
    loading: null,
    root: byTestId('stepping'),
    toggle: byTestId('stepping-open'),
    isOpen() { return !this.root.hidden; },
    setOpen(open) {
      this.root.hidden = !open;
      document.querySelector('.col-insight').classList.toggle('is-stepping', open);
      this.toggle.setAttribute('aria-pressed', String(open));
      if (open) this.load();
      else requestAnimationFrame(() => store.notify('samples', 'cursor'));
    },
    load() {
      this.loading ??= import('./stepping-view.js').then((m) => {
        this.view = m.mountSteppingView(this.root, {
          pauseAtStart: this.pauseAtStart,
          onStep: () => this.request('gcStep').catch(() => {}),
          onFinish: () => this.request('finishCycle').catch(() => {}),
          onNextLine: () => this.nextLine(),
          onContinue: () => actions.resume(),
          onExpand: (v) => {
            this.expand = v;
            this.request('heapGraph').catch(() => {});
          },
          onPauseAtStart: (v) => { this.pauseAtStart = v; },
          onClose: () => {
            this.enable(false);
            this.setOpen(false);
          },
        });
        if (this.graph) this.view.update({ ...this.graph, freed: [] });
        this.syncView();
        return this.view;
      });
      return this.loading;
    },
    enable(on, options = {}) {
      this.enabled = Boolean(on);
      if (typeof options.pauseAtStart === 'boolean') this.pauseAtStart = options.pauseAtStart;
      this.view?.setPauseAtStart(this.pauseAtStart);
      if (this.enabled) this.setOpen(true);
      return this.enabled;
    },
    runStarted(seq) {
      this.seq = this.enabled ? seq : 0;
      this.graph = null;
      this.syncView();
    },
    request(type) {
      if (!this.seq) return Promise.reject(new Error('no stepping run: call stepping(true) and run first'));
      return new Promise((resolve, reject) => {
        this.waiters.push({ resolve, reject, type });
        client.stepping(type, this.seq, this.expand);
      });
    },
    nextLine() {
      if (!this.seq || !store.state.paused) return Promise.reject(new Error('the script is not waiting at a line'));
      return new Promise((resolve, reject) => {
        this.waiters.push({ resolve, reject, type: 'nextLine' });
        client.nextLine(this.seq);
      });
    },
    // A `heapGraph` from the worker: the picture, and the answer to the oldest request.
    receive(seq, graph) {
      if (seq && seq !== this.seq) return;
      if (!graph.error) this.graph = graph;
      if (graph.request === 'line' || graph.request === 'end') {
        const i = this.waiters.findIndex((w) => w.type === 'nextLine');
        if (i >= 0) this.waiters.splice(i, 1)[0].resolve(graph);
      } else {
        const waiter = this.waiters.shift();
        if (waiter) {
          if (graph.error) waiter.reject(new Error(graph.error));
          else waiter.resolve(graph);
        }
      }
      if (graph.line > 0) editor.showRunningLine(graph.line);
      else if (graph.request === 'end') editor.showRunningLine(0);
      this.view?.update(graph);
      this.syncView();
    },
    syncView() {
      const s = store.state;
      const mine = this.seq && s.runSeq === this.seq;
      this.view?.setRun({ waitingAtLine: Boolean(mine && s.status === 'running' && s.paused),
        collectable: Boolean(this.graph) });
    },
  };
  stepping.toggle.addEventListener('click', () => {
    const open = !stepping.isOpen();
    stepping.enable(open);
    if (!open) stepping.setOpen(false);
  });

  // Live diagnostics: the worker compiles the text (without running it) once typing pauses;
  // answers about text that has changed since are dropped by their version.
  const checker = { version: 0, timer: null };
  function checkSoon() {
    clearTimeout(checker.timer);
    checker.timer = setTimeout(checkNow, CHECK_DELAY_MS);
  }
  function checkNow() {
    clearTimeout(checker.timer);
    checker.version += 1;
    client?.check(checker.version, editor.getValue(), CHUNKNAME);
  }

  // Embed mode: "Open in Lunette" leads to the full page with the script as it is now.
  // It follows every edit at once (not the checker's delay: a person may click it right after
  // typing); encodings finish out of order, so only the latest one's result is kept.
  const openFull = byTestId('open-full');
  let openFullVersion = 0;
  async function updateOpenFull() {
    const version = ++openFullVersion;
    let href;
    try {
      const fragment = await encodeShare({ source: editor.getValue(), gc: store.gcSettings(),
        server: store.state.server });
      href = fullPageUrl(fragment);
    } catch {
      href = fullPageUrl('');  // too large for a link: the full page, without it
    }
    if (version === openFullVersion) openFull.href = href;
  }

  // ---- panels.
  const editor = mountEditor(byTestId('editor'), {
    value: initialSource,
    wrap: EMBED,
    onRun: () => actions.run(),
    onChange(text) {
      checkSoon();
      if (EMBED) queueMicrotask(updateOpenFull);  // after boot has the editor in hand
      saver.save(text);
      // Once edited, the text is the user's own: the share link no longer describes it.
      if (isShareFragment(location.hash)) {
        history.replaceState(null, '', location.pathname + location.search);
      }
    },
  });
  const toolbar = mountToolbar(
    { run: byTestId('run'), stop: byTestId('stop'), pause: byTestId('pause'),
      status: byTestId('status') },
    { onRun: () => actions.run(), onStop: () => actions.stop(),
      onPause: () => (store.state.paused ? actions.resume() : actions.pause()) },
  );
  const gcPanel = mountGcPanel(document.getElementById('gc-panel'), {
    onMode: (mode) => actions.setGc(mode, store.state.gc.paramsByMode[mode]),
    onParams: (patch) => actions.setGc(store.state.gc.mode, patch).params,
    onAction: (name) => actions.gcAction(name),
  });
  const serverPicker = mountServerPicker(byTestId('server'), {
    onChange: (server) => actions.setServer(server),
  });
  const consolePanel = mountConsole(byTestId('console'), { chunk: CHUNK, onJump: actions.jump });
  document.getElementById('console-clear').addEventListener('click', () => store.clearLog());
  const charts = mountCharts({
    heapEl: byTestId('heap-chart'),
    typesEl: byTestId('types-chart'),
    coEl: byTestId('coroutine-chart'),
    axisEl: document.getElementById('x-axis'),
  }, { onAxis: (xAxis) => store.setView({ xAxis }) });
  const timeline = mountTimeline(document.getElementById('timeline-panel'), {
    onSeek: (fraction) => store.seek(fraction),
    onStep: (steps) => store.stepCursor(steps),
    onLive: () => store.live(),
  });
  const typesAtCursor = byTestId('types-at-cursor');
  const coroutinesAtCursor = byTestId('coroutines-at-cursor');
  const coTable = mountCoroutineTable(byTestId('coroutine-table'), {
    isOwnChunk, onJump: actions.jump, onView: (patch) => store.setView(patch),
    onSelect: (id) => actions.explain(id),
  });
  const heapPanels = mountHeapPanels(document.querySelector('.col-insight'), {
    isOwnChunk,
    onJump: actions.jump,
    onSuspect: (s) => s && store.showPath(s.id, s.path ?? [], s.target),
    onCensus: () => actions.census(),
    onTrace: (name, batches) => actions.openTrace(name, batches),
    onTraceError: (message) => notice.show(message, 'error'),
  });
  mountExamples(document.getElementById('examples-menu'), examples, {
    onPick(ex) {
      editor.setValue(ex.source);
      actions.setServer(ex.server ?? 'none');  // a server example runs as that server's handler
      if (ex.stepping) stepping.enable(true);  // made for the Stepping panel: it opens
      notice.show(`Loaded example “${ex.title}”. Ctrl+Z brings your previous text back.`);
    },
  });
  const compare = mountCompare({
    root: byTestId('compare'),
    column: document.querySelector('.col-insight'),
    toggle: byTestId('compare-open'),
    createClient: (on) => new WorkerClient({ url: new URL('./worker.js', import.meta.url), on }),
    chunkname: CHUNKNAME,
    getSource: () => editor.getValue(),
    getGc: () => store.gcSettings(),
    getRunOptions: () => ({ shim: shimOf(store.state.server) }),  // compared as a server runs
    onClosed: () => store.notify('samples', 'cursor'),
    // Remembered as the editor's text is (an embed remembers nothing).
    savedSettings: EMBED ? null : loadCompare(),
    onSettingsChange: EMBED ? () => {} : saveCompare,
  });
  if (shared?.compare && !EMBED) compare.open(shared.compare);
  if (EMBED) updateOpenFull();
  mountShare(byTestId('share'), {
    getPayload: () => ({ source: editor.getValue(), gc: store.gcSettings(),
      compare: compare.shareSettings(), server: store.state.server }),
    onShared: (url, copied) => notice.show(copied
      ? `Share link copied to the clipboard (script and GC settings${
        compare.isOpen() ? ', with the compared settings' : ''}).`
      : 'Share link is in the address bar (the clipboard was not available).'),
    onError: (message) => notice.show(message, 'error'),
  });

  // Rebuilding the charts costs more as the recording grows (a tenth of a second for 50,000
  // rows on a slow machine): after a rebuild that took D ms the next one waits at least 3·D, so
  // the page keeps most of its time for input; a one-shot timer draws the last batch.
  const chartPacer = { due: 0, timer: null, axis: null };
  function drawCharts(s) {
    const now = performance.now();
    // A new x axis is the user's doing: drawn at once.
    if (now < chartPacer.due && s.view.xAxis === chartPacer.axis) {
      chartPacer.timer ??= setTimeout(() => {
        chartPacer.timer = null;
        store.notify('samples');
      }, chartPacer.due - now);
      return;
    }
    chartPacer.axis = s.view.xAxis;
    charts.update(s);
    timeline.update(s, charts.plotArea());
    describeCharts(s);
    chartPacer.due = performance.now() + 3 * (performance.now() - now);
  }

  // The charts' text alternative (chart-summary.js), read by screen readers via aria-describedby.
  const chartTexts = { heap: byTestId('heap-chart-text'), types: byTestId('types-chart-text'),
    coroutines: byTestId('coroutine-chart-text') };
  function describeCharts(s) {
    const text = chartSummaries(s);
    for (const [key, el] of Object.entries(chartTexts)) {
      if (el.textContent !== text[key]) el.textContent = text[key];
    }
  }

  // The panels that follow the cursor get the moment's view of the run; live view otherwise.
  const drawTable = (s) => (s.moment
    ? coTable.update(s, store.coroutineRecords(), s.moment.t, true)
    : coTable.update(s));
  const drawConsole = (s) => consolePanel.update(s, store.outputAtCursor(),
    s.moment ? { label: formatMs(s.moment.t) } : null);
  store.subscribe('run', (s) => {
    toolbar.update(s);
    stepping.syncView();
  });
  store.subscribe('gc', (s) => gcPanel.update(s));
  store.subscribe('server', (s) => serverPicker.update(s));
  store.subscribe('log', drawConsole);
  store.subscribe('samples', drawCharts);
  store.subscribe('cursor', (s) => {
    charts.updateCursor(s);
    timeline.update(s, charts.plotArea());
    editor.showRunningLine(s.moment ? s.moment.line : 0);
    describeCharts(s);
    typesAtCursor.textContent = s.moment ? bytesByTypeAt(s) : '';
    coroutinesAtCursor.textContent = s.moment ? coroutineCountsAt(s.moment) : '';
  });
  store.subscribe('coroutines', drawTable);
  store.subscribe('view', drawTable);
  store.subscribe('why', (s) => heapPanels.updateWhy(s));
  store.subscribe('suspects', (s) => heapPanels.updateSuspects(s));
  store.subscribe('census', (s) => heapPanels.updateCensus(s));
  store.subscribe('error', (s) => {
    if (s.error?.line) editor.showError(s.error.line, s.error.message);
  });

  // ---- the worker.
  client = new WorkerClient({
    url: new URL('./worker.js', import.meta.url),
    on: {
      ready(version) {
        store.workerReady(version);
        checkNow();  // a restarted worker lost any check in flight
      },
      message(msg) {
        if (msg.type === 'checked') {
          if (msg.payload.version === checker.version) editor.setDiagnostics(msg.payload);
        } else if (msg.type === 'slice') {
          store.applySlice(msg.seq, msg.payload);
          // A stepping run waiting at a line holds its slices as Pause does.
          if (msg.payload.status === 'paused' && store.isCurrent(msg.seq)) store.setPaused(true);
        } else if (msg.type === 'heapGraph') stepping.receive(msg.seq, msg.payload);
        else if (msg.type === 'done') store.applyDone(msg.seq, msg.payload);
        else if (msg.type === 'gc') store.applyGc(msg.payload);
        else if (msg.type === 'explained') store.applyExplained(msg.payload);
        else if (msg.type === 'suspects') store.applySuspectList(msg.payload);
        else if (msg.type === 'census') store.applyCensus(msg.payload);
      },
      restart(why, seq) {
        store.workerLost();
        const running = store.isCurrent(seq);
        if (why === 'stop') {
          if (running) store.endRun('stopped');
          store.note('The worker did not stop in time, so it was restarted.');
        } else {
          const message = `The worker stopped answering for ${client.hangMs / 1000} s, ` +
            'so the page restarted it. The run was abandoned.';
          if (running) store.endRun('error', { message });
          notice.show(message, 'error');
        }
      },
      fatal(message) {
        store.workerLost();
        const text = `The Lunette VM could not run: ${message}`;
        if (store.state.status === 'running') store.endRun('error', { message: text });
        else store.note(text);
        notice.show(text, 'error');
      },
    },
  });

  addEventListener('hashchange', async () => {
    if (!isShareFragment(location.hash)) return;
    const link = await readShareLink(notice);
    if (!link) return;
    actions.setGc(link.gc.mode, link.gc.params);
    actions.setServer(link.server);
    editor.setValue(link.source);
    if (link.compare) compare.open(link.compare);
    history.replaceState(null, '', location.pathname + location.search + location.hash);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
      e.preventDefault();
      actions.run();
    }
  });

  window.playground = {
    setSource: (text) => editor.setValue(String(text)),
    getSource: () => editor.getValue(),
    run: () => actions.run(),
    stop: () => {
      actions.stop();
      compare.stop();
    },
    // The Compare view: run the editor's script under each {mode, params}; resolves to one row
    // per setting (compare-model.js rowOf). compareSettings() is the view's current list.
    compare: (settings) => compare.compare(settings),
    compareSettings: () => compare.settings(),
    // Stepping through the collector: stepping(true) makes the next run end with its heap
    // uncollected (with {pauseAtStart: true} it waits before its first line instead); gcStep()
    // does one step and resolves to the graph {phase, nodes, edges, ...} (PROTOCOL.md
    // heapGraph); heapGraph() is the last graph. Beyond the contract: nextLine(),
    // finishCycle(), expandLibrary(on).
    stepping: (on, { pauseAtStart = false } = {}) => stepping.enable(on, { pauseAtStart }),
    gcStep: () => stepping.request('gcStep'),
    finishCycle: () => stepping.request('finishCycle'),
    nextLine: () => stepping.nextLine(),
    heapGraph: () => stepping.graph,
    expandLibrary: (on) => {
      stepping.expand = Boolean(on);
      return stepping.request('heapGraph');
    },
    setGc: (mode, params) => actions.setGc(mode, params),
    setServer: (server) => actions.setServer(server),
    state: () => store.snapshot(),
    // The recording: put the cursor at `fraction` of the run along the current x axis (returns
    // state().cursor), or go back to live view.
    seek: (fraction) => (store.seek(Number(fraction)) ? store.cursorSnapshot() : null),
    live: () => store.live(),
    pause: () => actions.pause(),
    resume: () => actions.resume(),
    runningLine: () => editor.runningLine(),
    // One sample of the recording by row, {field: value} (for tests and devtools).
    sample: (row) => store.sampleAt(row),
    // Beyond the contract: handy for tests and for poking at the page from devtools.
    gcAction: (name, arg) => actions.gcAction(name, arg),
    markers: () => editor.markers(),
    // Live diagnostics (the compile-only check of the text as typed) and the script's names
    // from the parser's scopes; completions / hover at a position, as the editor offers them.
    diagnostics: () => editor.diagnostics(),
    scriptNames: () => editor.scriptNames(),
    // The charts in words (their text alternative): {heap, types, coroutines}.
    chartText: () => Object.fromEntries(Object.entries(chartTexts)
      .map(([key, el]) => [key, el.textContent])),
    cursorLine: () => editor.cursorLine(),
    setXAxis: (xAxis) => store.setView({ xAxis }),
    examples: () => examples.map(({ file, title, description }) => ({ file, title, description })),
    explain: (id) => actions.explain(id),
    census: () => actions.census(),
    suspects: (thresholdMs) => actions.suspects(thresholdMs),
    openTrace: (name, text) => actions.openTrace(name, parseTrace(text)),
    // For the next runs: live suspect lists {thresholdMs, everyMs, limit} and a fixed slice
    // `budget` (tests take small slices to watch a fast script mid-run).
    setRunOptions: ({ suspects, budget } = {}) => {
      runOptions = { suspects, budget };
    },
  };
  store.notify('run', 'gc', 'log', 'samples', 'coroutines', 'view', 'why', 'suspects', 'census',
    'cursor', 'server');
  document.body.dataset.ready = 'true';
}

// "table 40 KB · string 12 KB · thread 8 KB": the biggest kinds at the cursor's moment.
function bytesByTypeAt(state) {
  const row = state.moment.row;
  const kinds = KINDS.map((k) => ({ label: k.label, bytes: state.samples.get(k.field)?.[row] }))
    .filter((k) => k.bytes > 0).sort((a, b) => b.bytes - a.bytes).slice(0, 3);
  return kinds.map((k) => `${k.label} ${formatBytes(k.bytes)}`).join(' · ');
}

function coroutineCountsAt(moment) {
  const parts = Object.entries(moment.coroutines).filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  return parts.length ? parts.join(' · ') : 'none';
}

boot().catch((err) => {
  document.body.dataset.ready = 'failed';
  const el = byTestId('notice');
  el.querySelector('.notice-text').textContent = `The playground failed to start: ${err.message}`;
  el.dataset.kind = 'error';
  el.hidden = false;
  throw err;
});
