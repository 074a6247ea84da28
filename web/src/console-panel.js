// console-panel.js - the console: the script's stdout, errors with their tracebacks, and notes
// from the page (run started, worker restarted, share messages).
//
// Draws `state.log` incrementally: entries are append-only (stdout grows its last entry) and
// trimmed at the front, so each frame only touches what changed.
// With the timeline's cursor placed, the console shows instead what the run had printed by that
// moment (`atCursor`: the text and a note), and the live log again when the cursor leaves.
// An error starts with a line naming its kind (from the worker's typed record).
// Invariants: script text is only ever set through textContent (never parsed as HTML); every
// `chunk:line` in an error that names the editor's chunk becomes a link that jumps to the line;
// the live log is kept drawn (hidden) under the cursor view, so leaving it costs nothing.

const NEAR_BOTTOM_PX = 24;

// An error entry's first line: what kind of failure it was (the worker's typed record).
const ERROR_KIND_LABELS = {
  runtime: 'runtime error',
  syntax: 'syntax error',
  memory: 'out of memory (the heap limit was reached)',
  handler: 'error in error handling',
  internal: 'internal error (a bug in Lunette)',
};

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function mountConsole(el, { chunk, onJump }) {
  const refPattern = new RegExp(`(?<![\\w.])${escapeRegExp(chunk)}:(\\d+):?`, 'g');
  const drawn = new Map(); // entry id -> {node, length}
  const cursorView = document.createElement('div');
  cursorView.className = 'console-cursor';
  cursorView.dataset.testid = 'console-at-cursor';
  const cursorNote = document.createElement('div');
  cursorNote.className = 'log-note console-cursor-note';
  const cursorText = document.createElement('div');
  cursorText.className = 'log-out';
  cursorView.append(cursorNote, cursorText);
  let shownAtCursor = null;

  el.addEventListener('click', (e) => {
    const link = e.target.closest('a[data-line]');
    if (!link) return;
    e.preventDefault();
    onJump(Number(link.dataset.line));
  });

  // Text with `main.lua:12:` references turned into links.
  function linkify(parent, text) {
    let last = 0;
    for (const m of text.matchAll(refPattern)) {
      parent.append(document.createTextNode(text.slice(last, m.index)));
      const a = document.createElement('a');
      a.href = '#';
      a.className = 'src-link';
      a.dataset.line = m[1];
      a.title = `Go to line ${m[1]}`;
      a.textContent = m[0];
      parent.append(a);
      last = m.index + m[0].length;
    }
    parent.append(document.createTextNode(text.slice(last)));
  }

  function render(entry) {
    const node = document.createElement('div');
    node.className = `log-${entry.kind}`;
    if (entry.kind === 'err') {
      if (entry.errorKind) {
        const kind = document.createElement('div');
        kind.className = 'log-err-kind';
        kind.dataset.kind = entry.errorKind;
        kind.textContent = ERROR_KIND_LABELS[entry.errorKind] ?? ERROR_KIND_LABELS.internal;
        node.append(kind);
      }
      const msg = document.createElement('div');
      msg.className = 'log-err-message';
      linkify(msg, entry.text);
      node.append(msg);
      if (entry.traceback) {
        const tb = document.createElement('div');
        tb.className = 'log-traceback';
        linkify(tb, entry.traceback);
        node.append(tb);
      }
    } else {
      node.textContent = entry.text;
    }
    return node;
  }

  // `atCursor`: {text, chars, trimmed} printed by the cursor's moment, or null for live view.
  function showCursor(atCursor, moment) {
    el.classList.toggle('is-at-cursor', Boolean(atCursor));
    if (!atCursor) {
      if (shownAtCursor !== null) cursorView.remove();
      shownAtCursor = null;
      return;
    }
    if (!cursorView.isConnected) el.append(cursorView);
    const when = moment ? ` at ${moment.label}` : '';
    cursorNote.textContent = atCursor.trimmed
      ? `Output${when}: the part printed by then is older than what the console keeps.`
      : `Output printed by the cursor's moment${when} (End on the timeline: live view).`;
    if (shownAtCursor !== atCursor.text) {
      cursorText.textContent = atCursor.text;
      shownAtCursor = atCursor.text;
    }
    el.scrollTop = el.scrollHeight;
  }

  function update(state, atCursor = null, moment = null) {
    if (atCursor) {
      drawLog(state, false);
      showCursor(atCursor, moment);
      return;
    }
    showCursor(null);
    drawLog(state, true);
  }

  function drawLog(state, scroll) {
    const stick = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    const live = new Set(state.log.map((e) => e.id));
    for (const [id, d] of drawn) {
      if (!live.has(id)) {
        d.node.remove();
        drawn.delete(id);
      }
    }
    for (const entry of state.log) {
      const d = drawn.get(entry.id);
      if (!d) {
        const node = render(entry);
        el.insertBefore(node, cursorView.isConnected ? cursorView : null);
        drawn.set(entry.id, { node, length: entry.text.length });
      } else if (entry.text.length > d.length) { // stdout and stderr entries grow
        d.node.append(document.createTextNode(entry.text.slice(d.length)));
        d.length = entry.text.length;
      }
    }
    el.classList.toggle('is-empty', state.log.length === 0);
    if (scroll && stick) el.scrollTop = el.scrollHeight;
  }

  return { update };
}
