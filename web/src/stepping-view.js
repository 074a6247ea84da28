// stepping-view.js - the Stepping panel (data-testid="stepping"): the heap of a stepping run
// drawn as a graph in the collector's three colours, with buttons that do one unit of
// collector work ("GC step"), run the script to its next line ("Next line"), end the cycle
// ("Finish cycle") or let the script run on ("Continue").
//
// Loaded on demand (main.js imports it the first time stepping is switched on), together with
// the layout library (@dagrejs/dagre, a layered layout: roots on the left, references pointing
// right), so the page's first load does not grow.
//
// mount / update like the other panels: update(graph) redraws from the worker's graph
// (PROTOCOL.md `heapGraph`); the view keeps only what drawing needs (the last layout, so that a
// step that only changes colours moves nothing, and the nodes just freed, drawn fading out).
// Invariants: colour is never the only mark (each node carries a glyph: ○ white, ◐ gray,
// ● black, † doomed by the sweep); strings and prototypes are hidden unless asked for, the
// graph JSON itself always has every object.

import dagre from '@dagrejs/dagre';
import { el } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const GLYPH = { white: '○', gray: '◐', black: '●' };
const PHASE_TEXT = {
  pause: 'pause: between cycles (next step starts a cycle: the roots turn gray)',
  propagate: 'propagate: gray objects are traversed one by one',
  atomic: 'atomic',
  sweep: 'sweep: what stayed white is freed, survivors turn white for the next cycle',
  callfin: 'finalizers: one __gc call per step',
};
const UNIT_TEXT = {
  start: 'started a cycle: the roots are gray',
  mark: 'traversed',
  chunk: 'traversed a chunk of',
  remark: 're-marked the tables written since their traversal',
  atomic: 'atomic phase: threads re-scanned, weak tables cleared, whites flipped',
  sweep: 'swept a chunk',
  finalize: 'ran the finalizer of',
  none: '',
};
const HIDDEN_KINDS = new Set(['string', 'prototype']);
const FADE_MS = 900;
// Past this many nodes a layered drawing is neither legible nor quick: the panel says so and
// keeps stepping (the status line follows the collector; heapGraph() still has every node).
const MAX_DRAWN = 400;

const STYLE = `
.stepping-card[hidden] { display: none; }
.col-insight.is-stepping > :not(.stepping-card) { display: none; }
.stepping-card .st-bar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 6px 0; }
.stepping-card .st-bar label { display: inline-flex; gap: 4px; align-items: center; font-size: 12px; color: var(--muted); }
.stepping-card .st-status { font-size: 13px; min-height: 2.6em; margin: 4px 0; }
.stepping-card .st-status b { color: var(--accent); }
.stepping-card .st-legend { display: flex; flex-wrap: wrap; gap: 10px; font-size: 12px; color: var(--muted); margin: 4px 0; }
.stepping-card .st-legend span { white-space: nowrap; }
.stepping-card .st-canvas { overflow: auto; max-height: 70vh; border: 1px solid var(--line);
  border-radius: var(--radius); background: #1b2030; }
.stepping-card svg text { font: 12px var(--mono); dominant-baseline: middle; text-anchor: middle; pointer-events: none; }
.st-node rect { stroke-width: 1.5px; }
.st-node.white rect { fill: #f5f5f0; stroke: #b8bcc8; }
.st-node.white text { fill: #111; }
.st-node.gray rect { fill: #9aa0ab; stroke: #d7dae0; stroke-dasharray: 4 2; }
.st-node.gray text { fill: #0b0b0b; }
.st-node.black rect { fill: #050505; stroke: #e8e8e8; stroke-width: 2.5px; }
.st-node.black text { fill: #f2f2f2; }
.st-node.root rect { stroke: var(--cyan); stroke-width: 3px; }
.st-node.doomed rect { stroke: var(--red); stroke-dasharray: 2 2; }
.st-node.processed rect { stroke: var(--amber); stroke-width: 4px; }
.st-node.library { cursor: pointer; }
.st-node.freed { animation: st-fade ${FADE_MS}ms ease-out forwards; }
.st-node.freed rect { stroke: var(--red); }
@keyframes st-fade { from { opacity: 0.9; } to { opacity: 0; transform: scale(0.7); } }
.st-edge { fill: none; stroke: #7c86a8; stroke-width: 1.2px; }
.st-edge.weak { stroke-dasharray: 5 4; stroke: #b58fe0; }
.st-arrow { fill: #7c86a8; }
.st-empty { padding: 16px; color: var(--muted); font-size: 13px; }
@media (prefers-reduced-motion: reduce) { .st-node.freed { animation: none; opacity: 0.25; } }
.stepping-card > :not(.card-head) { margin-inline: 10px; }
.stepping-card > :last-child { margin-bottom: 10px; }
`;

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function button(text, testid, title, onClick) {
  const b = el('button', { type: 'button', className: 'btn btn-small', title, dataset: { testid } }, text);
  b.addEventListener('click', onClick);
  return b;
}

// What is drawn of a graph: strings and prototypes only on request; edges between shown nodes.
export function visibleGraph(graph, { internals }) {
  const nodes = graph.nodes.filter((n) => internals || !HIDDEN_KINDS.has(n.kind) || n.root);
  const ids = new Set(nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to);
  return { nodes, edges };
}

function nodeText(n) {
  const mark = n.doomed ? '†' : GLYPH[n.color] ?? '?';
  const m = n.members;
  const text = n.library ? `library (${m.white + m.gray + m.black}): ${m.black}● ${m.gray}◐ ${m.white}○`
    : n.label;
  return `${mark} ${text}`;
}

// Positions from dagre: roots first (on the left, or on top in a narrow panel). Edges into a
// root are drawn but not laid out (the library refers to the registry and the globals, which
// would otherwise pull them away from the side of the roots).
function layout({ nodes, edges }, direction) {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: direction, nodesep: 12, ranksep: direction === 'LR' ? 46 : 34,
    marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const roots = new Set(nodes.filter((n) => n.root).map((n) => n.id));
  for (const n of nodes) {
    const width = Math.min(420, 22 + 7.6 * [...nodeText(n)].length);
    g.setNode(String(n.id), { width, height: 26 });
  }
  edges.forEach((e, i) => {
    if (roots.has(e.to)) return;
    g.setEdge(String(e.from), String(e.to), {}, `e${i}`);
  });
  // An invisible source tied tightly to every root keeps the roots in the first rank.
  g.setNode('roots', { width: 1, height: 1 });
  for (const id of roots) g.setEdge('roots', String(id), { weight: 20, minlen: 1 }, `r${id}`);
  dagre.layout(g);
  const at = new Map();
  for (const n of nodes) at.set(n.id, g.node(String(n.id)));
  const routes = new Map();
  edges.forEach((e, i) => {
    const laid = roots.has(e.to) ? null : g.edge(String(e.from), String(e.to), `e${i}`);
    if (laid?.points) routes.set(i, laid.points);
  });
  const size = g.graph();
  return { at, routes, width: size.width ?? 200, height: size.height ?? 100 };
}

// Where the straight line from a box's centre towards (x, y) leaves the box.
function borderPoint(box, x, y) {
  const dx = x - box.x;
  const dy = y - box.y;
  if (dx === 0 && dy === 0) return { x: box.x, y: box.y };
  const scale = Math.min(Math.abs((box.width / 2) / (dx || 1e-9)), Math.abs((box.height / 2) / (dy || 1e-9)));
  return { x: box.x + dx * Math.min(scale, 1), y: box.y + dy * Math.min(scale, 1) };
}

function pathThrough(points) {
  const [first, ...rest] = points;
  if (rest.length === 1) return `M${first.x},${first.y} L${rest[0].x},${rest[0].y}`;
  let d = `M${first.x},${first.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const mid = { x: (rest[i].x + rest[i + 1].x) / 2, y: (rest[i].y + rest[i + 1].y) / 2 };
    d += ` Q${rest[i].x},${rest[i].y} ${i === rest.length - 2 ? `${rest[i + 1].x},${rest[i + 1].y}` : `${mid.x},${mid.y}`}`;
  }
  return d;
}

function structureKey({ nodes, edges }, direction) {
  return `${direction}|${nodes.map((n) => `${n.id}:${nodeText(n).length}`).join(',')}|` +
    edges.map((e) => `${e.from}>${e.to}`).join(',');
}

export function mountSteppingView(root, { onStep, onNextLine, onFinish, onContinue, onExpand,
  onInternals, onPauseAtStart, onClose, pauseAtStart }) {
  if (!document.getElementById('stepping-style')) {
    document.head.append(el('style', { id: 'stepping-style' }, STYLE));
  }
  let graph = null;
  let internals = false;
  let expand = false;
  let lastLayout = null;
  let lastKey = '';
  let previous = new Map();   // id -> {node, box} of the last drawing, for the freed ones
  let canLine = false;
  let canCollect = false;

  const stepBtn = button('GC step', 'stepping-step', 'One unit of collector work', () => onStep());
  const lineBtn = button('Next line', 'stepping-next-line',
    'Run the script to its next line (the collector stays held)', () => onNextLine());
  const finishBtn = button('Finish cycle', 'stepping-finish', 'Step until the cycle ends', () => onFinish());
  const contBtn = button('Continue', 'stepping-continue', 'Let the script run to its end', () => onContinue());
  const closeBtn = el('button', { type: 'button', className: 'btn btn-ghost btn-small',
    title: 'Back to the run view; the next runs are ordinary runs again', dataset: { testid: 'stepping-close' } },
  'Close');
  closeBtn.addEventListener('click', () => onClose());
  const check = (text, testid, checked, onChange, title) => {
    const input = el('input', { type: 'checkbox', checked, dataset: { testid } });
    input.addEventListener('change', () => onChange(input.checked));
    return { input, label: el('label', { title }, input, text) };
  };
  const startBox = check('pause at line 1', 'stepping-pause-start', pauseAtStart,
    (v) => onPauseAtStart(v), 'The next run stops before its first line');
  const expandBox = check('expand library', 'stepping-expand', false, (v) => {
    expand = v;
    onExpand(v);
  }, 'Show the standard library object by object');
  const internalsBox = check('strings & prototypes', 'stepping-internals', false, (v) => {
    internals = v;
    draw([]);
  }, 'Also draw strings and function prototypes');

  const status = el('div', { className: 'st-status', role: 'status', 'aria-live': 'polite',
    dataset: { testid: 'stepping-status' } }, 'Run the script with stepping on: it ends with its heap uncollected.');
  const legend = el('div', { className: 'st-legend', 'aria-label': 'Legend' },
    el('span', {}, '○ white: not reached yet'), el('span', {}, '◐ gray: reached, children not traversed'),
    el('span', {}, '● black: traversed'), el('span', {}, '┄ weak reference'),
    el('span', {}, '† will be freed'), el('span', {}, '▭ cyan border: root'));
  const canvas = el('div', { className: 'st-canvas', dataset: { testid: 'stepping-graph' } },
    el('div', { className: 'st-empty' }, 'No heap yet.'));
  root.replaceChildren(
    el('div', { className: 'card-head' }, el('h2', {}, 'Stepping through the collector'), closeBtn),
    el('div', { className: 'st-bar' }, stepBtn, lineBtn, finishBtn, contBtn),
    el('div', { className: 'st-bar' }, startBox.label, expandBox.label, internalsBox.label),
    status, legend, canvas,
  );
  syncButtons();

  function syncButtons() {
    stepBtn.disabled = !canCollect;
    finishBtn.disabled = !canCollect;
    lineBtn.disabled = !canLine;
    contBtn.disabled = !canLine;
  }

  function describe(g) {
    if (g.error) return g.error;
    const phase = PHASE_TEXT[g.phase] ?? g.phase;
    const parts = [];
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    if (g.unit && g.unit !== 'none') {
      const what = UNIT_TEXT[g.unit] ?? g.unit;
      const target = g.processed !== null && g.processed !== undefined ? byId.get(g.processed) : null;
      parts.push(target ? `${what} ${target.label}` : what);
      if (g.units > 1) parts.push(`(${g.units} units)`);
    }
    if (g.freed?.length) parts.push(`· freed ${g.freed.length} object${g.freed.length > 1 ? 's' : ''}`);
    if (g.line > 0) parts.push(`· script waits at line ${g.line}`);
    if (g.emergencies > 0) {
      parts.push(`· the memory limit forced ${g.emergencies} emergency collection${g.emergencies > 1 ? 's' : ''}`);
    }
    return [phase, parts.join(' ')];
  }

  function draw(freed) {
    if (!graph || graph.error) return;
    const shown = visibleGraph(graph, { internals });
    const omitted = graph.omitted ?? 0;
    if (shown.nodes.length > MAX_DRAWN || omitted > 0) {
      const count = shown.nodes.length + omitted;
      canvas.replaceChildren(el('div', { className: 'st-empty', dataset: { testid: 'stepping-too-big' } },
        `${count} objects: too many to draw legibly (the panel draws up to ${MAX_DRAWN}). ` +
        'Stepping still works and the line above follows the collector; a smaller script, ' +
        'or one stopped earlier with "pause at line 1", draws best.'));
      previous = new Map();
      lastKey = '';
      return;
    }
    const direction = canvas.clientWidth && canvas.clientWidth < 560 ? 'TB' : 'LR';
    const key = structureKey(shown, direction);
    if (key !== lastKey) {
      lastLayout = layout(shown, direction);
      lastKey = key;
    }
    const { at, routes, width, height } = lastLayout;
    // Sized inline: the page's icon rule would shrink any svg to 14 px.
    const picture = svg('svg', { width: Math.ceil(width), height: Math.ceil(height),
      style: `width:${Math.ceil(width)}px;height:${Math.ceil(height)}px;max-width:none`,
      viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`, role: 'img',
      'aria-label': `Heap graph: ${shown.nodes.length} nodes` });
    const defs = svg('defs');
    const marker = svg('marker', { id: 'st-arrow', viewBox: '0 0 8 8', refX: 8, refY: 4,
      markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'st-arrow' }));
    defs.append(marker);
    picture.append(defs);
    shown.edges.forEach((e, i) => {
      const a = at.get(e.from);
      const b = at.get(e.to);
      if (!a || !b) return;
      const route = routes.get(i);
      const d = route ? pathThrough(route)
        : pathThrough([borderPoint(a, b.x, b.y), borderPoint(b, a.x, a.y)]);
      picture.append(svg('path', { d, class: `st-edge${e.weak ? ' weak' : ''}`,
        'marker-end': 'url(#st-arrow)', 'data-from': e.from, 'data-to': e.to, 'data-weak': e.weak }));
    });
    const next = new Map();
    for (const n of shown.nodes) {
      const box = at.get(n.id);
      if (!box) continue;
      next.set(n.id, { node: n, box });
      picture.append(nodeShape(n, box, n.id === graph.processed ? ' processed' : ''));
    }
    for (const id of freed) {
      const gone = previous.get(id);
      if (gone) picture.append(nodeShape(gone.node, gone.box, ' freed'));
    }
    previous = next;
    canvas.replaceChildren(picture);
    const focus = at.get(graph.processed);
    if (focus) keepInView(focus);
  }

  // The node just processed is what the user follows: in a graph larger than its box, the box
  // scrolls to it when it is out of sight (only then, so the view does not jump at every step).
  function keepInView(box) {
    const left = box.x - box.width / 2;
    const right = box.x + box.width / 2;
    const top = box.y - box.height / 2;
    const bottom = box.y + box.height / 2;
    if (left < canvas.scrollLeft || right > canvas.scrollLeft + canvas.clientWidth) {
      canvas.scrollLeft = Math.max(0, box.x - canvas.clientWidth / 2);
    }
    if (top < canvas.scrollTop || bottom > canvas.scrollTop + canvas.clientHeight) {
      canvas.scrollTop = Math.max(0, box.y - canvas.clientHeight / 2);
    }
  }

  function nodeShape(n, box, extra) {
    const classes = `st-node ${n.color}${n.root ? ' root' : ''}${n.doomed ? ' doomed' : ''}` +
      `${n.library ? ' library' : ''}${extra}`;
    const g = svg('g', { class: classes, 'data-id': n.id, 'data-color': n.color,
      'data-kind': n.kind, transform: `translate(${box.x},${box.y})` });
    const title = svg('title');
    title.textContent = `${n.label} (${n.color}${n.root ? ', root' : ''}${n.doomed ? ', will be freed' : ''})`;
    g.append(title, svg('rect', { x: -box.width / 2, y: -box.height / 2, width: box.width,
      height: box.height, rx: 6 }));
    const text = svg('text', { x: 0, y: 0 });
    text.textContent = nodeText(n);
    g.append(text);
    if (n.library) {
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', `${n.label}: ${expand ? 'collapse' : 'expand'}`);
      const toggle = () => {
        expand = !expand;
        expandBox.input.checked = expand;
        onExpand(expand);
      };
      g.addEventListener('click', toggle);
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') toggle();
      });
    }
    return g;
  }

  return {
    // A new graph from the worker (its `freed` ids fade out where they were drawn).
    update(next) {
      graph = next;
      const text = describe(next);
      if (Array.isArray(text)) status.replaceChildren(el('b', {}, text[0]), el('br'), text[1]);
      else status.textContent = text;
      if (!next.error) draw(next.freed ?? []);
      canCollect = !next.error;
      syncButtons();
    },
    // What the run allows: a script waiting at a line can step a line or continue.
    setRun({ waitingAtLine, collectable }) {
      canLine = waitingAtLine;
      if (collectable !== undefined) canCollect = collectable && Boolean(graph) && !graph.error;
      syncButtons();
    },
    setPauseAtStart(v) {
      startBox.input.checked = v;
    },
  };
}
