// heap-panels.js - "why is it alive?", the live suspects, the heap census and the trace opener.
//
// Three cards appended to the insight column (they stack with it on a narrow page):
// - why-panel: the retention path of the selected coroutine, one edge per line; an edge with a
//   source location in the editor's chunk is a link that jumps to the line.
// - suspects-panel: the coroutines that look leaked (from the worker's live lists); clicking one
//   shows its path in the why panel (the path came with the list: no round trip).
// - census: a button that asks for a census; the second and later ones show the difference from
//   the previous census (+/-). The same card holds "Open trace", which reads a `lunette --trace`
//   JSON-lines file with a FileReader (nothing is uploaded) and hands the batches to onTrace.
// Invariants: panels hold no state beyond what they drew; all text goes in through textContent.

import { formatBytes, formatCount, formatMs } from './format.js';

const MAX_SUSPECT_ROWS = 50;

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function card(testId, title) {
  const root = element('div', 'card heap-card');
  root.dataset.testid = testId;
  const head = element('div', 'card-head');
  head.append(element('h2', '', title));
  const body = element('div', 'heap-body');
  root.append(head, body);
  return { root, head, body };
}

// `chunk:line` of an edge, or ''.
function location(edge) {
  return edge.chunk && edge.line > 0 ? `${edge.chunk}:${edge.line}` : '';
}

// One line per edge; locations in the editor's chunk are links with data-line.
// A link to a line of the script (clicks are caught by the panel, which jumps the editor).
function sourceLink(text, line) {
  const a = element('a', 'src-link', text);
  a.href = '#';
  a.dataset.line = String(line);
  a.title = `Go to line ${line}`;
  return a;
}

export function renderPath(list, edges, target, isOwnChunk) {
  list.replaceChildren();
  const all = [...edges];
  if (target && !(all.length && all[all.length - 1].text === target)) all.push({ text: target });
  all.forEach((edge, i) => {
    const li = element('li', i === all.length - 1 ? 'edge edge-target' : 'edge');
    li.append(element('span', 'edge-text', String(edge.text ?? '')));
    const where = location(edge);
    if (where && isOwnChunk(edge.chunk)) {
      li.append(' ', sourceLink(where, edge.line));
    } else if (where) {
      li.append(' ', element('span', 'edge-where', where));
    }
    list.append(li);
  });
}

// The census as rows {group, key, name, count, bytes, dCount?, dBytes?}; site rows also have
// kind, chunk, line and function. `previous` adds the differences (a site gone since shows
// with count 0).
export function censusRows(current, previous) {
  const rows = [];
  const byType = current?.byType ?? {};
  for (const [name, v] of Object.entries(byType)) {
    const before = previous?.byType?.[name];
    rows.push({ group: 'type', key: name, name, count: v.count, bytes: v.bytes,
      dCount: before ? v.count - before.count : undefined,
      dBytes: before ? v.bytes - before.bytes : undefined });
  }
  const siteKey = (s) => `${s.site}|${s.function ?? ''}|${s.kind ?? ''}`;
  const siteRow = (s, count, bytes, before) => ({
    group: 'site', key: siteKey(s), name: s.site, kind: s.kind ?? '', chunk: s.chunk ?? '',
    line: s.line ?? 0, function: s.function ?? '', count, bytes,
    dCount: before ? count - before.count : undefined,
    dBytes: before ? bytes - before.bytes : undefined });
  const sitesBefore = new Map((previous?.bySite ?? []).map((s) => [siteKey(s), s]));
  const seen = new Set();
  for (const s of current?.bySite ?? []) {
    seen.add(siteKey(s));
    const before = previous ? sitesBefore.get(siteKey(s)) ?? { count: 0, bytes: 0 } : undefined;
    rows.push(siteRow(s, s.count, s.bytes, before));
  }
  if (previous) {
    for (const [key, s] of sitesBefore) {
      if (!seen.has(key)) rows.push(siteRow(s, 0, 0, s));
    }
  }
  const other = current?.otherSites;
  if (other && other.count > 0) {
    rows.push({ group: 'site', key: 'other', name: 'other sites', kind: '', chunk: '', line: 0,
      function: '', count: other.count, bytes: other.bytes });
  }
  return rows;
}

function signed(n, format) {
  if (n === undefined) return '';
  if (n === 0) return '±0';
  return n > 0 ? `+${format(n)}` : `−${format(-n)}`;
}

// Parses a JSON-lines trace: every non-empty line must be an object with samples or events.
export function parseTrace(text) {
  const batches = [];
  const lines = String(text).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let batch;
    try {
      batch = JSON.parse(line);
    } catch (err) {
      throw new Error(`line ${i + 1} is not JSON (${err.message})`);
    }
    if (!batch || typeof batch !== 'object' || (!batch.samples && !batch.events)) {
      throw new Error(`line ${i + 1} is not a trace batch ({samples, events})`);
    }
    batches.push(batch);
  }
  if (batches.length === 0) throw new Error('the file holds no trace lines');
  return batches;
}

export function mountHeapPanels(column, { isOwnChunk, onJump, onSuspect, onCensus, onTrace,
  onTraceError }) {
  const why = card('why-panel', 'Why is it alive?');
  const whyHint = 'Select a coroutine in the registry (or a suspect) to see what keeps it alive.';
  const whyNote = element('p', 'heap-note', whyHint);
  const whyList = element('ol', 'why-path');
  why.body.append(whyNote, whyList);

  const sus = card('suspects-panel', 'Suspects');
  const susNote = element('p', 'heap-note', 'Coroutines that look leaked show up here live.');
  const susList = element('ul', 'suspect-list');
  sus.body.append(susNote, susList);

  const cen = card('census', 'Census');
  const censusButton = element('button', 'btn btn-small', 'Census');
  censusButton.type = 'button';
  censusButton.dataset.testid = 'census-button';
  censusButton.title =
    'After a full collection, count the heap by type and by the line that allocated it; again for +/-';
  const traceButton = element('button', 'btn btn-small', 'Open trace');
  traceButton.type = 'button';
  traceButton.dataset.testid = 'open-trace';
  traceButton.title = 'Replay a `lunette --trace out.jsonl` file in the charts (read locally)';
  const traceInput = element('input');
  traceInput.type = 'file';
  traceInput.accept = '.jsonl,.json,.txt,application/json';
  traceInput.hidden = true;
  traceInput.dataset.testid = 'open-trace-input';
  cen.head.append(censusButton, traceButton, traceInput);
  const cenNote = element('p', 'heap-note', 'Take a census; take another to see what changed.');
  const cenTable = element('table', 'census-table');
  cen.body.append(cenNote, cenTable);

  column.append(why.root, sus.root, cen.root);

  const jump = (e) => {
    const a = e.target.closest('a[data-line]');
    if (!a) return false;
    e.preventDefault();
    onJump(Number(a.dataset.line));
    return true;
  };
  why.body.addEventListener('click', jump);
  cenTable.addEventListener('click', jump);
  let shownSuspects = [];
  susList.addEventListener('click', (e) => {
    if (jump(e)) return;
    const li = e.target.closest('li[data-index]');
    if (li) onSuspect(shownSuspects[Number(li.dataset.index)]);
  });
  censusButton.addEventListener('click', () => onCensus());
  traceButton.addEventListener('click', () => traceInput.click());
  traceInput.addEventListener('change', () => {
    const file = traceInput.files?.[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      try {
        onTrace(file.name, parseTrace(reader.result));
      } catch (err) {
        onTraceError(`The trace ${file.name} could not be read: ${err.message}.`);
      }
      traceInput.value = '';
    };
    reader.onerror = () => onTraceError(`The trace ${file.name} could not be read.`);
    reader.readAsText(file);
  });

  function updateWhy(state) {
    const w = state.why;
    why.root.dataset.state = !w ? 'empty' : w.pending ? 'pending' : w.found ? 'found' : 'missing';
    if (!w) {
      whyNote.textContent = whyHint;
      whyList.replaceChildren();
      return;
    }
    if (w.pending) {
      whyNote.textContent = `Looking for what holds coroutine #${w.id}…`;
      whyList.replaceChildren();
    } else if (!w.found) {
      whyNote.textContent = w.error
        ? `Could not answer for coroutine #${w.id}: ${w.error}`
        : `Coroutine #${w.id} is not reachable (collected, or garbage waiting for the collector).`;
      whyList.replaceChildren();
    } else {
      whyNote.textContent = `${w.target} is alive because of this path from a root:`;
      renderPath(whyList, w.edges, w.target, isOwnChunk);
    }
  }

  function suspectItem(s, i) {
    const li = element('li', 'suspect');
    li.dataset.index = String(i);
    li.dataset.id = String(s.id);
    li.tabIndex = 0;
    const site = s.site ?? {};
    const head = element('div', 'suspect-head');
    head.append(element('strong', '', `#${s.id}`), ' ',
      element('span', `pill st-${s.status}`, s.status), ' ',
      element('span', 'suspect-reason', typeof s.waitsFor === 'string'
        ? `waits for ${s.waitsFor}, which nothing will post`
        : `${s.reason}, idle ${formatMs(s.idleMs)}`));
    if (site.line > 0 && isOwnChunk(site.chunk)) {
      head.append(' ', sourceLink(`${site.chunk}:${site.line}`, site.line));
    }
    const path = (s.path ?? []).map((e) => e.text).join(' → ');
    li.append(head, element('div', 'suspect-path', path));
    return li;
  }

  function updateSuspects(state) {
    const { list, lastSeen, atMs, thresholdMs } = state.suspects;
    const showing = list.length ? list : lastSeen?.list ?? [];
    shownSuspects = showing.slice(0, MAX_SUSPECT_ROWS);
    susList.replaceChildren(...shownSuspects.map(suspectItem));
    sus.root.dataset.count = String(list.length);
    sus.root.dataset.shown = String(shownSuspects.length);
    if (list.length) {
      susNote.textContent = `${list.length} suspect${list.length === 1 ? '' : 's'} at ` +
        `${formatMs(atMs)} (idle ≥ ${formatMs(thresholdMs)}); click one for its path.`;
    } else if (lastSeen) {
      susNote.textContent = `No suspects now; these ${lastSeen.list.length} were listed at ` +
        `${formatMs(lastSeen.atMs)}.`;
    } else {
      susNote.textContent = 'No suspects: no coroutine looks leaked.';
    }
  }

  // A site row names its line (a link into the editor for the script's own lines) and kind.
  function censusNameCell(r) {
    const td = element('td', r.group === 'site' ? 'census-site' : '');
    if (r.group !== 'site') {
      td.textContent = r.name;
      return td;
    }
    if (r.line > 0 && isOwnChunk(r.chunk)) {
      td.append(sourceLink(r.name, r.line));
    } else {
      td.append(r.name);
    }
    if (r.kind) td.append(' ', element('span', 'census-kind', r.kind));
    if (r.function) td.title = `allocated in ${r.function}`;
    return td;
  }

  function updateCensus(state) {
    const { current, previous } = state.census;
    cen.root.dataset.taken = current ? 'true' : 'false';
    if (!current) return;
    const rows = censusRows(current, previous);
    const diff = Boolean(previous);
    cenNote.textContent = diff
      ? 'Differences from the previous census in the +/- columns.'
      : 'Take another census to see what changed.';
    const head = element('tr');
    for (const label of ['', 'count', 'bytes', ...(diff ? ['± count', '± bytes'] : [])]) {
      head.append(element('th', '', label));
    }
    const body = [head];
    let group = '';
    let nonZero = 0;
    for (const r of rows) {
      if (r.group !== group) {
        group = r.group;
        const tr = element('tr', 'census-group');
        const th = element('th', '', group === 'type' ? 'by type' : 'by allocation site');
        th.colSpan = diff ? 5 : 3;
        tr.append(th);
        body.push(tr);
      }
      const tr = element('tr');
      tr.append(censusNameCell(r), element('td', 'num', formatCount(r.count)),
        element('td', 'num', formatBytes(r.bytes)));
      if (diff) {
        if (r.dCount || r.dBytes) nonZero++;
        tr.append(element('td', 'num delta', signed(r.dCount, formatCount)),
          element('td', 'num delta', signed(r.dBytes, formatBytes)));
      }
      body.push(tr);
    }
    cenTable.replaceChildren(...body);
    cen.root.dataset.diff = diff ? 'true' : 'false';
    cen.root.dataset.changed = String(nonZero);
  }

  return { updateWhy, updateSuspects, updateCensus };
}
