// example-header.js - reads an example's title and description from its leading comments.
//
// Examples open with comment lines: the first gives the title, either as `-- Title: ...` or as
// plain text, and the next gives a one-line description (`-- Description: ...` or plain text).
// A `-- Server: ngx` (or skynet) line among the leading comments says the example is a server
// handler: the page switches its Server selector to it, and tests/examples/run.sh runs it with
// `lunette --shim=NAME`. A `-- Stepping: yes` line says the example is made for the Stepping
// panel (a heap small enough to draw): picking it opens the panel.
// Used at build time by build.mjs (Node) and by the unit tests; it has no browser dependency.
// Invariant: always returns a non-empty title (the file name without `.lua` as a last resort),
// `server` is 'none', 'ngx' or 'skynet', and `stepping` a boolean.

const LABELLED = /^(title|description|desc)\s*:\s*/i;
const SERVER_LINE = /^server\s*:\s*(ngx|skynet)\s*$/i;
const STEPPING_LINE = /^stepping\s*:\s*yes\s*$/i;

// The text of a `--` line comment, or null when the line is not one (a `--[[` block comment
// opener counts as text only after its brackets).
function commentText(line) {
  const m = /^\s*--(?:\[=*\[)?\s?(.*?)\s*(?:\]=*\])?\s*$/.exec(line);
  return m ? m[1] : null;
}

function stripLabel(text) {
  return text.replace(LABELLED, '').trim();
}

export function parseExample(file, source) {
  const lines = source.split(/\r?\n/);
  if (lines.length && lines[0].startsWith('#!')) lines.shift();
  const comments = [];
  let server = 'none';
  let stepping = false;
  for (const line of lines) {
    const text = commentText(line);
    if (text === null) break;
    const named = SERVER_LINE.exec(text.trim());
    if (named) server = named[1].toLowerCase();
    else if (STEPPING_LINE.test(text.trim())) stepping = true;
    else if (text.trim() !== '' && comments.length < 2) comments.push(text.trim());
  }
  const fallback = file.replace(/\.lua$/, '').replace(/[_-]+/g, ' ');
  let title = comments.length ? stripLabel(comments[0]) : '';
  let description = comments.length > 1 ? stripLabel(comments[1]) : '';
  // `-- Description:` first and `-- Title:` second is unusual but unambiguous.
  if (/^(description|desc)\s*:/i.test(comments[0] || '') && /^title\s*:/i.test(comments[1] || '')) {
    [title, description] = [description, title];
  }
  return { title: title || fallback, description, server, stepping };
}
