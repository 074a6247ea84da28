// lua-language.js - completions, signature help and hovers for Lua in the editor.
//
// Two layers. The analysis functions (completionsAt, signatureAt, hoverAt) take the text, a
// position and the script's names, and return plain objects: they know nothing of Monaco, so
// the page unit tests call them directly. registerLuaLanguage() adapts them to Monaco's
// providers; editor.js calls it with its Monaco instance (the page's only Monaco import).
//
// Where the knowledge comes from:
// - the library: lua-docs.js (Lua 5.4's standard library and the `lunette` module);
// - the script's own locals and globals: the real parser, through the worker's compile-only
//   check (compiler/outline.h): each name comes with the lines where it is in scope. While the
//   text does not compile, the names of the last text that did are used;
// - what a variable holds, for field completion, is guessed from the text alone (documented
//   limits): `local L = require "lunette"` makes L the module; `local info = L.gcinfo()` gives
//   info the gcinfo fields; `for _, co in ipairs(L.coroutines())` gives co a coroutine
//   record's fields; `local f = io.open(...)` makes f a file handle. Nothing else is inferred.
// Positions are 1-based lines and columns, as Monaco counts them.

import {
  FILE_METHODS, globalEntries, KEYWORDS, LIBRARY, MODULES, OPTIONS, PATTERN_ITEMS, RECORDS,
} from './lua-docs.js';

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const PATH = `${IDENT}(?:\\s*[.:]\\s*${IDENT})*`;

// ---- what the text says about its variables -----------------------------------------------

// variable -> {module} | {record} | {file: true}, from declarations anywhere in the text.
export function variableKinds(text) {
  const kinds = new Map();
  const requireRe = new RegExp(`local\\s+(${IDENT})\\s*=\\s*require\\s*\\(?\\s*["'](${IDENT})["']`, 'g');
  for (const m of text.matchAll(requireRe)) {
    if (MODULES.has(m[2])) kinds.set(m[1], { module: m[2] });
  }
  const aliasRe = new RegExp(`local\\s+(${IDENT})\\s*=\\s*(${IDENT})\\s*(?:$|[\\n;])`, 'gm');
  for (const m of text.matchAll(aliasRe)) {
    if (MODULES.has(m[2]) && MODULES.get(m[2]).global) kinds.set(m[1], { module: m[2] });
  }
  const callRe = new RegExp(`local\\s+(${IDENT})\\s*=\\s*(${PATH})\\s*\\(`, 'g');
  for (const m of text.matchAll(callRe)) {
    const callee = resolveFunction(m[2], kinds);
    if (callee?.record) kinds.set(m[1], { record: callee.record });
    else if (callee?.full === 'io.open' || callee?.full === 'io.tmpfile') kinds.set(m[1], { file: true });
    else if (callee?.recordList) kinds.set(m[1], { list: callee.recordList });
  }
  const forRe = new RegExp(`for\\s+${IDENT}\\s*,\\s*(${IDENT})\\s+in\\s+i?pairs\\s*\\(\\s*(${PATH})\\s*([(),])`, 'g');
  for (const m of text.matchAll(forRe)) {
    if (m[3] === '(') {
      const callee = resolveFunction(m[2], kinds);
      if (callee?.recordList) kinds.set(m[1], { record: callee.recordList });
    } else if (kinds.get(m[2])?.list) {
      kinds.set(m[1], { record: kinds.get(m[2]).list });
    }
  }
  return kinds;
}

// The library entry a dotted or method path names ('string.format', 'L.why', 's:upper'), or
// null. Method calls resolve to file methods for known file handles, else to string methods.
export function resolveFunction(path, kinds = new Map()) {
  const clean = path.replace(/\s+/g, '');
  const method = /^(.*):([A-Za-z_]\w*)$/.exec(clean);
  if (method) {
    if (kinds.get(method[1])?.file || /^io\.std(in|out|err)$/.test(method[1])) {
      return LIBRARY.get(`file:${method[2]}`) ?? null;
    }
    return LIBRARY.get(`string.${method[2]}`) ?? LIBRARY.get(`file:${method[2]}`) ?? null;
  }
  const parts = clean.split('.');
  const head = kinds.get(parts[0]);
  if (head?.module) parts[0] = head.module;
  return LIBRARY.get(parts.join('.')) ?? null;
}

// ---- completions --------------------------------------------------------------------------

// The script's names in scope at `line`: innermost first, one per name.
export function namesInScope(names, line) {
  const visible = (names ?? []).filter((n) => n.from <= line && (n.to === 0 || line <= n.to));
  visible.sort((a, b) => b.from - a.from);
  const seen = new Set();
  return visible.filter((n) => !seen.has(n.name) && seen.add(n.name));
}

function libraryItem(e) {
  if (e.kind === 'module') {
    return { label: e.name, kind: 'module', detail: `module ${e.name}`, documentation: e.summary };
  }
  if (e.kind === 'value') {
    return { label: e.name, kind: 'value', detail: `${e.full}: ${e.type}`, documentation: e.summary };
  }
  return { label: e.name, kind: 'function', detail: signatureText(e), documentation: e.summary };
}

function signatureText(e) {
  return e.returns ? `${e.label} -> ${e.returns}` : e.label;
}

function recordItems(record) {
  return Object.entries(RECORDS[record] ?? {}).map(([field, [type, summary]]) => ({
    label: field, kind: 'field', detail: `${field}: ${type}`, documentation: summary,
  }));
}

function scriptItem(n) {
  const what = { local: 'local', parameter: 'parameter', localfunction: 'local function',
    loopvariable: 'loop variable', global: 'global', globalfunction: 'global function' }[n.kind];
  const isFunction = n.kind === 'localfunction' || n.kind === 'globalfunction';
  return {
    label: n.name,
    kind: isFunction ? 'function' : 'variable',
    detail: `${what} ${n.name}${n.detail?.startsWith('<') ? ' ' : ''}${n.detail ?? ''}`,
    documentation: `declared on line ${n.line}`,
  };
}

// Inside a string argument of a function with option strings: that function, the argument
// index and the typed prefix. `before` is the text of the line before the cursor.
export function optionContext(before, kinds = new Map()) {
  const re = new RegExp(`(${PATH})\\s*\\(([^()"']*(?:(["'])[^"']*\\3[^()"']*)*)(["'])([^"']*)$`);
  const m = re.exec(before);
  if (!m) return null;
  const entry = resolveFunction(m[1], kinds);
  if (!entry?.options) return null;
  const argIndex = (m[2].match(/,/g) ?? []).length;
  if (argIndex !== entry.optionArg) return null;
  return { entry, prefix: m[5], list: OPTIONS[entry.options] ?? [] };
}

// {items: [{label, kind, detail, documentation, insertText?}], startColumn}: what to offer at
// (line, column) of `text`; `names` is the worker's outline of the script.
export function completionsAt(text, line, column, names = []) {
  const lineText = text.split('\n')[line - 1] ?? '';
  const before = lineText.slice(0, column - 1);
  const kinds = variableKinds(text);

  const option = optionContext(before, kinds);
  if (option) {
    const items = option.list.map(([value, summary]) => ({
      label: value, kind: 'option', detail: `${option.entry.full} option`, documentation: summary,
    }));
    return { items, startColumn: column - option.prefix.length };
  }
  if (/--/.test(before.replace(/(["'])(?:\\.|(?!\1).)*\1/g, ''))) return { items: [], startColumn: column };

  // A field of a call's result: `lunette.gcinfo().thre`.
  const result = new RegExp(`(${PATH})\\s*\\(\\s*\\)\\s*\\.\\s*(${IDENT})?$`).exec(before);
  if (result) {
    const e = resolveFunction(result[1], kinds);
    const prefix = result[2] ?? '';
    return { items: e?.record ? recordItems(e.record) : [], startColumn: column - prefix.length };
  }
  const member = new RegExp(`(${PATH})\\s*([.:])\\s*(${IDENT})?$`).exec(before);
  if (member) {
    const prefix = member[3] ?? '';
    return { items: memberItems(member[1].replace(/\s+/g, ''), member[2], kinds), startColumn: column - prefix.length };
  }
  const word = new RegExp(`(${IDENT})?$`).exec(before);
  const prefix = word[1] ?? '';
  const items = [
    ...namesInScope(names, line).map(scriptItem),
    ...globalEntries().map(libraryItem),
    ...KEYWORDS.map((k) => ({ label: k, kind: 'keyword', detail: 'keyword', documentation: '' })),
  ];
  const seen = new Set();
  const unique = items.filter((i) => !seen.has(i.label) && seen.add(i.label));
  return { items: unique, startColumn: column - prefix.length };
}

function memberItems(path, separator, kinds) {
  if (separator === ':') {
    const handle = kinds.get(path)?.file || /^io\.std(in|out|err)$/.test(path);
    const methods = handle ? FILE_METHODS : MODULES.get('string').members.filter((e) => e.kind === 'function');
    return methods.map((e) => ({ ...libraryItem(e), detail: signatureText(e).replace(/^string\./, `${path}:`) }));
  }
  const kind = kinds.get(path);
  if (kind?.record) return recordItems(kind.record);
  const module = kind?.module ?? path;
  if (MODULES.has(module)) return MODULES.get(module).members.map(libraryItem);
  return [];
}

// ---- signature help -----------------------------------------------------------------------

// The innermost unclosed call before `offset`: {start (offset of its '('), commas}. A forward
// scan that skips strings and comments, over at most the last 8000 characters.
export function openCallBefore(text, offset) {
  const from = Math.max(0, offset - 8000);
  const stack = [];
  for (let i = from; i < offset; i++) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '-') {
      const long = /^--\[(=*)\[/.exec(text.slice(i, i + 20));
      const end = long ? text.indexOf(`]${long[1]}]`, i) : text.indexOf('\n', i);
      if (end < 0 || end >= offset) return null;  // the cursor is inside a comment
      i = end;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < offset && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (j >= offset) return stack.length ? { ...stack.at(-1), inString: true } : null;
      i = j;
    } else if (c === '[' && /^\[=*\[/.test(text.slice(i, i + 20))) {
      const eq = /^\[(=*)\[/.exec(text.slice(i, i + 20))[1];
      const end = text.indexOf(`]${eq}]`, i);
      if (end < 0 || end >= offset) return null;
      i = end;
    } else if (c === '(' || c === '{' || c === '[') {
      stack.push({ start: i, commas: 0, bracket: c });
    } else if (c === ')' || c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',' && stack.length) {
      stack.at(-1).commas++;
    }
  }
  const top = stack.at(-1);
  return top && top.bracket === '(' ? top : null;
}

// {entry, activeParameter} for the call the cursor is in, or null.
export function signatureAt(text, offset) {
  const call = openCallBefore(text, offset);
  if (!call) return null;
  const callee = text.slice(Math.max(0, call.start - 200), call.start);
  const m = new RegExp(`(${PATH})\\s*$`).exec(callee);
  // A method called on an expression (`("x"):rep(`) is taken as a string method.
  const method = new RegExp(`\\)\\s*:\\s*(${IDENT})\\s*$`).exec(callee);
  const entry = method ? LIBRARY.get(`string.${method[1]}`)
    : m ? resolveFunction(m[1], variableKinds(text)) : null;
  if (!entry || entry.kind !== 'function') return null;
  const last = entry.params.length - 1;
  const variadic = last >= 0 && entry.params[last].name === '...';
  const active = variadic ? Math.min(call.commas, last) : call.commas;
  return { entry, activeParameter: active };
}

// ---- hovers -------------------------------------------------------------------------------

function optionList(list, limit = 16) {
  return list.slice(0, limit).map(([v, s]) => `- \`"${v}"\`${s ? ` ${s}` : ''}`).join('\n');
}

// Markdown documentation of one library entry (hover and completion details).
export function entryMarkdown(e) {
  if (e.kind === 'value') return `\`\`\`lua\n${e.full}: ${e.type}\n\`\`\`\n\n${e.summary}`;
  const parts = [`\`\`\`lua\n${signatureText(e)}\n\`\`\``, e.summary];
  if (e.options) parts.push(`**Options** (argument ${e.optionArg + 1}):\n\n${optionList(OPTIONS[e.options])}`);
  if (e.patterns) parts.push(`**Pattern items:**\n\n${PATTERN_ITEMS.map(([i, s]) => `- \`${i}\` ${s}`).join('\n')}`);
  const record = e.record ?? e.recordList;
  if (record) {
    const fields = Object.entries(RECORDS[record]).map(([f, [t]]) => `\`${f}\` (${t})`).join(', ');
    parts.push(`**${e.recordList ? 'Each entry has' : 'Fields'}:** ${fields}`);
  }
  return parts.join('\n\n');
}

// {markdown, startColumn, endColumn} for the word at (line, column), or null.
export function hoverAt(text, line, column, names = []) {
  const lineText = text.split('\n')[line - 1] ?? '';
  const wordRe = new RegExp(IDENT, 'g');
  let word = null;
  for (const m of lineText.matchAll(wordRe)) {
    if (m.index < column && column <= m.index + m[0].length + 0) {
      word = { text: m[0], start: m.index + 1, end: m.index + m[0].length + 1 };
      break;
    }
  }
  if (!word) return null;
  const kinds = variableKinds(text);
  const prefix = new RegExp(`(${PATH})\\s*([.:])\\s*$`).exec(lineText.slice(0, word.start - 1));
  const path = prefix ? `${prefix[1]}${prefix[2]}${word.text}` : word.text;
  const range = { startColumn: word.start, endColumn: word.end };
  const e = resolveFunction(path, kinds);
  if (e) return { markdown: entryMarkdown(e), ...range };
  if (!prefix && MODULES.has(word.text)) {
    return { markdown: `**module ${word.text}**\n\n${MODULES.get(word.text).summary}`, ...range };
  }
  const record = prefix && kinds.get(prefix[1].replace(/\s+/g, ''))?.record;
  if (record && RECORDS[record][word.text]) {
    const [type, summary] = RECORDS[record][word.text];
    return { markdown: `\`\`\`lua\n${word.text}: ${type}\n\`\`\`\n\n${summary}`, ...range };
  }
  if (!prefix) {
    const own = namesInScope(names, line).find((n) => n.name === word.text);
    if (own) {
      const item = scriptItem(own);
      return { markdown: `\`\`\`lua\n${item.detail}\n\`\`\`\n\n${item.documentation}`, ...range };
    }
  }
  return null;
}

// [start, end] of each parameter in entry.label: a plain substring could match the function's
// own name ('s' in 'string.sub(s, i)').
export function parameterOffsets(entry) {
  let at = entry.label.indexOf('(') + 1;
  return entry.params.map((p) => {
    const text = p.optional ? `${p.name}?` : p.name;
    const range = [at, at + text.length];
    at += text.length + 2;
    return range;
  });
}

// ---- Monaco adapter ---------------------------------------------------------------------------

let registered = false;

// Registers the providers once for the 'lua' language. getNames() returns the script's
// outline (the worker's last successful check).
export function registerLuaLanguage(monaco, { getNames }) {
  if (registered) return;
  registered = true;
  const K = monaco.languages.CompletionItemKind;
  const KIND = { function: K.Function, value: K.Constant, module: K.Module, keyword: K.Keyword,
    variable: K.Variable, field: K.Field, option: K.EnumMember };

  monaco.languages.registerCompletionItemProvider('lua', {
    triggerCharacters: ['.', ':', '"', "'"],
    provideCompletionItems(model, position) {
      const { items, startColumn } = completionsAt(model.getValue(), position.lineNumber,
        position.column, getNames());
      const range = new monaco.Range(position.lineNumber, startColumn, position.lineNumber,
        position.column);
      return {
        suggestions: items.map((item, i) => ({
          label: item.label,
          kind: KIND[item.kind] ?? K.Text,
          detail: item.detail,
          documentation: item.documentation ? { value: item.documentation } : undefined,
          insertText: item.label,
          sortText: String(i).padStart(4, '0'),
          range,
        })),
      };
    },
  });

  monaco.languages.registerSignatureHelpProvider('lua', {
    signatureHelpTriggerCharacters: ['(', ','],
    signatureHelpRetriggerCharacters: [','],
    provideSignatureHelp(model, position) {
      const found = signatureAt(model.getValue(), model.getOffsetAt(position));
      if (!found) return null;
      const { entry, activeParameter } = found;
      return {
        value: {
          signatures: [{
            label: entry.label,
            documentation: { value: entry.summary },
            // The argument that takes option strings lists them while the cursor is on it.
            parameters: parameterOffsets(entry).map((label, i) => ({
              label,
              documentation: i === entry.optionArg
                ? { value: optionList(OPTIONS[entry.options] ?? []) } : undefined,
            })),
          }],
          activeSignature: 0,
          activeParameter,
        },
        dispose() {},
      };
    },
  });

  monaco.languages.registerHoverProvider('lua', {
    provideHover(model, position) {
      const found = hoverAt(model.getValue(), position.lineNumber, position.column, getNames());
      if (!found) return null;
      return {
        range: new monaco.Range(position.lineNumber, found.startColumn, position.lineNumber,
          found.endColumn),
        contents: [{ value: found.markdown }],
      };
    },
  });
}
