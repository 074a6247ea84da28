// example-header.js - reads an example's title and description from its leading comments.
//
// Examples open with comment lines: the first gives the title, either as `-- Title: ...` or as
// plain text, and the next gives a one-line description (`-- Description: ...` or plain text).
// Used at build time by build.mjs (Node) and by the unit tests; it has no browser dependency.
// Invariant: always returns a non-empty title (the file name without `.lua` as a last resort).

const LABELLED = /^(title|description|desc)\s*:\s*/i;

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
  for (const line of lines) {
    const text = commentText(line);
    if (text === null) break;
    if (text.trim() !== '') comments.push(text.trim());
    if (comments.length === 2) break;
  }
  const fallback = file.replace(/\.lua$/, '').replace(/[_-]+/g, ' ');
  let title = comments.length ? stripLabel(comments[0]) : '';
  let description = comments.length > 1 ? stripLabel(comments[1]) : '';
  // `-- Description:` first and `-- Title:` second is unusual but unambiguous.
  if (/^(description|desc)\s*:/i.test(comments[0] || '') && /^title\s*:/i.test(comments[1] || '')) {
    [title, description] = [description, title];
  }
  return { title: title || fallback, description };
}
