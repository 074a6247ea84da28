// coroutine-table.js - the live coroutine registry as a table.
//
// Columns: id, status (coloured), creation site (a link that jumps to the line), resumes, age
// since the last resume, stack bytes, and for a run under a server shim what the coroutine waits
// for (sleep until t, semaphore #n, wakeup token, thread.wait on #n: the worker's `waiting`,
// also on a pause and during a run), marked "never" when nothing is left to post it (the worker's
// `stranded`: the scheduler ended with it still waiting). Filter by status; sort by any column (click a header,
// again to reverse). Rows are keyed by coroutine id and reused, so a redraw only touches cells
// whose text changed.
// With the timeline's cursor placed, the app passes the registry as of that moment (records
// born later left out, statuses from the recorded transitions) and the moment's run time.
// Invariants: at most MAX_ROWS rows are in the DOM (the rest are counted in the footer); all
// text goes in through textContent.

import { formatBytes, formatCount, formatMs } from './format.js';

export const MAX_ROWS = 400;

export const COLUMNS = [
  { key: 'id', label: 'id', value: (r) => Number(r.id) },
  { key: 'status', label: 'status', value: (r) => displayStatus(r) },
  { key: 'site', label: 'created at', value: (r) => siteLabel(r.site) },
  { key: 'resumes', label: 'resumes', value: (r) => Number(r.resumes) || 0 },
  { key: 'age', label: 'since resume', value: (r, now) => age(r, now) },
  { key: 'stackBytes', label: 'stack', value: (r) => Number(r.stackBytes) || 0 },
  { key: 'waiting', label: 'waiting for', value: (r, now, ctx) => waitingText(r, ctx) },
];
const WAITING_COLUMN = COLUMNS.findIndex((c) => c.key === 'waiting');

// "semaphore #3", "semaphore #3 (never)" for a stuck waiter, '' when it waits for nothing.
export function waitingText(r, ctx) {
  const text = ctx?.waiting?.[r.id];
  if (typeof text !== 'string' || displayStatus(r) !== 'suspended') return '';
  return ctx.stuck?.has(Number(r.id)) ? `${text} (never)` : text;
}

export const FILTERS = ['all', 'suspended', 'running', 'normal', 'dead', 'collected'];

export function displayStatus(r) {
  if (r.collected) return 'collected';
  return typeof r.status === 'string' ? r.status : 'unknown';
}

function siteLabel(site) {
  if (!site || typeof site !== 'object') return '?';
  const where = site.line > 0 ? `${site.chunk ?? '?'}:${site.line}` : String(site.chunk ?? '?');
  // "main.lua:42 (function <main.lua:42>)" says the place twice: a function defined there.
  const sameSpot = site.name === `function <${where}>`;
  return site.name && !sameSpot ? `${where} (${site.name})` : where;
}

// Milliseconds since the last resume (or since creation when never resumed), on the run clock.
function age(r, now) {
  const since = Number.isFinite(r.lastResumeMs) ? r.lastResumeMs : r.createdMs;
  return Number.isFinite(since) ? Math.max(0, now - since) : NaN;
}

function compare(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
    if (Number.isNaN(b)) return -1;
    return a - b;
  }
  return String(a).localeCompare(String(b));
}

export function mountCoroutineTable(el, { isOwnChunk, onJump, onView, onSelect }) {
  const table = document.createElement('table');
  table.className = 'co-table';
  const thead = table.createTHead();
  const headRow = thead.insertRow();
  for (const col of COLUMNS) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.className = `col-${col.key}`;
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.sort = col.key;
    b.textContent = col.label;
    th.append(b);
    headRow.append(th);
  }
  const tbody = table.createTBody();
  const wrap = el.querySelector('.co-scroll');
  wrap.append(table);
  const filter = el.querySelector('select[data-role="co-filter"]');
  for (const f of FILTERS) filter.add(new Option(f, f));
  const footer = el.querySelector('.co-footer');

  let view = { coFilter: 'all', coSort: { key: 'id', dir: 1 } };
  const rows = new Map(); // id -> {tr, cells, record}

  headRow.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-sort]');
    if (!b) return;
    const same = view.coSort.key === b.dataset.sort;
    onView({ coSort: { key: b.dataset.sort, dir: same ? -view.coSort.dir : 1 } });
  });
  filter.addEventListener('change', () => onView({ coFilter: filter.value }));
  // A location link jumps to the line; anywhere else on a row selects the coroutine (the page
  // then shows why it is alive).
  tbody.addEventListener('click', (e) => {
    const a = e.target.closest('a[data-line]');
    if (a) {
      e.preventDefault();
      onJump(Number(a.dataset.line));
      return;
    }
    const tr = e.target.closest('tr[data-id]');
    if (!tr || !onSelect) return;
    for (const selected of tbody.querySelectorAll('tr.is-selected')) {
      selected.classList.remove('is-selected');
    }
    tr.classList.add('is-selected');
    onSelect(Number(tr.dataset.id));
  });

  // Keyboard: the rows are one Tab stop (the last focused row, else the first); the arrow keys,
  // Home and End move between rows, and Enter or Space selects one, as a click does.
  tbody.addEventListener('keydown', (e) => {
    if (!e.target.matches('tr[data-id]')) return;
    const tr = e.target;
    const target = { ArrowDown: tr.nextElementSibling, ArrowUp: tr.previousElementSibling,
      Home: tbody.firstElementChild, End: tbody.lastElementChild }[e.key];
    if (target) {
      e.preventDefault();
      target.focus();
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      tr.click();
    }
  });
  tbody.addEventListener('focusin', (e) => {
    const tr = e.target.closest('tr[data-id]');
    if (!tr) return;
    for (const other of tbody.querySelectorAll('tr[tabindex="0"]')) other.tabIndex = -1;
    tr.tabIndex = 0;
  });
  function keepOneTabStop() {
    if (tbody.firstElementChild && !tbody.querySelector('tr[tabindex="0"]')) {
      tbody.firstElementChild.tabIndex = 0;
    }
  }

  function makeRow(id) {
    const tr = document.createElement('tr');
    tr.dataset.id = String(id);
    tr.tabIndex = -1;
    const cells = COLUMNS.map((col) => {
      const td = tr.insertCell();
      td.className = `col-${col.key}`;
      return td;
    });
    return { tr, cells, shown: [] };
  }

  function setCell(row, k, text) {
    if (row.shown[k] === text) return false;
    row.shown[k] = text;
    row.cells[k].textContent = text;
    return true;
  }

  function fillRow(row, r, now, ctx) {
    const status = displayStatus(r);
    const failed = status === 'dead' && r.error;
    setCell(row, 0, String(r.id));
    if (setCell(row, 1, failed ? 'dead (error)' : status) || row.tr.dataset.status !== status) {
      const pill = document.createElement('span');
      pill.className = `pill st-${failed ? 'error' : status}`;
      pill.textContent = failed ? 'dead (error)' : status;
      if (failed) pill.title = String(r.error);
      row.cells[1].replaceChildren(pill);
    }
    row.tr.dataset.status = status;
    const site = r.site ?? {};
    row.tr.dataset.line = String(site.line ?? '');
    const label = siteLabel(site);
    if (setCell(row, 2, label) && site.line > 0 && isOwnChunk(site.chunk)) {
      const a = document.createElement('a');
      a.href = '#';
      a.className = 'src-link';
      a.dataset.line = String(site.line);
      a.title = `Go to line ${site.line}`;
      a.textContent = label;
      row.cells[2].replaceChildren(a);
    }
    setCell(row, 3, formatCount(Number(r.resumes) || 0));
    setCell(row, 4, formatMs(age(r, now)));
    setCell(row, 5, Number.isFinite(r.stackBytes) ? formatBytes(r.stackBytes) : '–');
    if (setCell(row, WAITING_COLUMN, waitingText(r, ctx))) {
      const stuck = row.shown[WAITING_COLUMN].endsWith('(never)');
      row.cells[WAITING_COLUMN].classList.toggle('is-stuck', stuck);
      row.cells[WAITING_COLUMN].title = stuck
        ? 'Nothing is left to post it: this coroutine waits forever (see Suspects)' : '';
    }
  }

  // `records`: the registry to show (default: all of it, live); `now`: the run time they are
  // shown at (ages are measured to it); `atCursor`: whether that is the cursor's moment.
  function update(state, records = null, now = state.elapsedMs, atCursor = false) {
    view = state.view;
    filter.value = view.coFilter;
    for (const th of headRow.querySelectorAll('button[data-sort]')) {
      const on = th.dataset.sort === view.coSort.key;
      th.parentElement.setAttribute('aria-sort',
        on ? (view.coSort.dir > 0 ? 'ascending' : 'descending') : 'none');
    }
    const all = records ?? [...state.coroutines.values()];
    el.dataset.cursor = atCursor ? 'placed' : 'live';
    // What shim-parked coroutines wait for is known for the end of the run, not for a moment
    // of the recording.
    const server = state.runServer !== undefined && state.runServer !== 'none';
    table.dataset.waiting = server ? 'on' : 'off';
    const stuck = new Set(Object.keys(state.stranded ?? {}).map(Number));
    const ctx = { waiting: atCursor ? {} : (state.waiting ?? {}), stuck };
    const col = COLUMNS.find((c) => c.key === view.coSort.key) ?? COLUMNS[0];
    const shown = all
      .filter((r) => view.coFilter === 'all' || displayStatus(r) === view.coFilter)
      .map((r) => ({ r, v: col.value(r, now, ctx) }))
      .sort((a, b) => compare(a.v, b.v) * view.coSort.dir || compare(+a.r.id, +b.r.id))
      .slice(0, MAX_ROWS);

    const keep = new Set(shown.map(({ r }) => r.id));
    for (const [id, row] of rows) {
      if (!keep.has(id)) {
        row.tr.remove();
        rows.delete(id);
      }
    }
    let prev = null;
    for (const { r } of shown) {
      let row = rows.get(r.id);
      if (!row) rows.set(r.id, (row = makeRow(r.id)));
      fillRow(row, r, now, ctx);
      // Keep DOM order equal to the sorted order, moving only rows that are out of place.
      const want = prev ? prev.nextSibling : tbody.firstChild;
      if (want !== row.tr) tbody.insertBefore(row.tr, want);
      prev = row.tr;
    }
    keepOneTabStop();
    const counts = {};
    for (const r of all) counts[displayStatus(r)] = (counts[displayStatus(r)] ?? 0) + 1;
    const summary = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(' · ');
    const hidden = all.length - shown.length;
    const when = atCursor ? ` at ${formatMs(now)}` : '';
    footer.textContent = all.length === 0
      ? (atCursor ? `No coroutines yet${when}.`
        : 'No coroutines yet: create one with coroutine.create or coroutine.wrap.')
      : `${all.length} coroutine${all.length === 1 ? '' : 's'}${when}: ${summary}` +
        (hidden > 0 ? ` (${hidden} not shown)` : '');
    el.dataset.rows = String(shown.length);
  }

  return { update };
}
