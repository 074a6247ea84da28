// editor.js - the Monaco editor, wrapped: the rest of the page never imports Monaco.
//
// Lua highlighting, a dark theme matching the page, Ctrl/Cmd+Enter to run, error markers (the
// message shows on hover) with the failing line tinted, and jumps to a line from the console,
// the coroutine table or a marker. With the timeline's cursor placed, the line that was running
// at that moment is highlighted (and scrolled into view, without moving the caret or focus).
// Completions, signature help and hovers come from lua-language.js.
//
// Two kinds of markers. The run's error (owner 'lunette') is tied to a line through a tracked
// decoration: it follows that line as lines are added or removed above it, and goes away when
// an edit touches the line itself. Live diagnostics (owner 'lunette-live') are the compile-only
// check of the current text (setDiagnostics), replaced by every check; a live error identical
// to the run's error on the same line is not shown twice.
// Invariant: replacing the text is undoable (Ctrl+Z brings the old text back).

import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/lua/register';
import { registerLuaLanguage } from './lua-language.js';

self.MonacoEnvironment = {
  getWorker: () => new Worker(new URL('./editor.worker.js', import.meta.url), { type: 'module' }),
};

const OWNER = 'lunette';
const LIVE_OWNER = 'lunette-live';

function defineTheme() {
  monaco.editor.defineTheme('lunette-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'comment', foreground: '6b7394', fontStyle: 'italic' },
      { token: 'keyword', foreground: 'bb9af7' },
      { token: 'string', foreground: '9ece6a' },
      { token: 'number', foreground: 'ff9e64' },
      { token: 'delimiter', foreground: '89ddff' },
    ],
    colors: {
      'editor.background': '#12151e',
      'editor.lineHighlightBackground': '#1a1e2b',
      'editorLineNumber.foreground': '#3b4261',
      'editorLineNumber.activeForeground': '#7aa2f7',
      'editorGutter.background': '#12151e',
      'editor.selectionBackground': '#2d3f76',
      'editorError.foreground': '#f7768e',
    },
  });
}

// Tab indents in the editor, which would trap keyboard users in it: after Escape, Tab and
// Shift+Tab move the focus out instead (Monaco's tabFocusMode), until any other key or leaving
// the editor. The editor's accessible name says so.
function keepTabForNavigationAfterEscape(editor) {
  let leaving = false;
  const set = (on) => {
    if (leaving === on) return;
    leaving = on;
    editor.updateOptions({ tabFocusMode: on });
  };
  editor.onKeyDown((e) => {
    if (e.keyCode === monaco.KeyCode.Escape) set(true);
    else if (e.keyCode !== monaco.KeyCode.Tab && e.keyCode !== monaco.KeyCode.Shift) set(false);
  });
  editor.onDidBlurEditorText(() => set(false));
}

// `wrap`: soft-wrap long lines (the narrow embed, where sideways scrolling hides code).
export function mountEditor(el, { value, onChange, onRun, wrap = false }) {
  defineTheme();
  const editor = monaco.editor.create(el, {
    value,
    language: 'lua',
    theme: 'lunette-dark',
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    fontFamily: "'JetBrains Mono', 'Fira Code', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
    lineNumbersMinChars: 3,
    scrollBeyondLastLine: false,
    tabSize: 2,
    renderLineHighlight: 'all',
    padding: { top: 10 },
    glyphMargin: true,
    fixedOverflowWidgets: true,
    ariaLabel: 'Lua source (press Escape, then Tab, to leave the editor)',
    wordWrap: wrap ? 'on' : 'off',
    // Our completions know the script's names from the real parser; Monaco's word list would
    // only add noise (keywords and names in comments).
    wordBasedSuggestions: 'off',
    suggest: { showWords: false },
  });
  const model = editor.getModel();
  const errorDecorations = editor.createDecorationsCollection();
  const runningDecorations = editor.createDecorationsCollection();
  let runningLine = 0;
  let replacing = false;
  let runError = null;     // {message}: the run's error, its line kept by errorDecorations
  let diagnostic = null;   // {line, column, message}: the live check's error
  let scriptNames = [];    // the last successful check's outline
  registerLuaLanguage(monaco, { getNames: () => scriptNames });

  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => onRun());
  keepTabForNavigationAfterEscape(editor);
  model.onDidChangeContent((event) => {
    if (replacing) {
      clearMarkers();
    } else if (runError) {
      const line = runErrorLine();
      const touched = event.changes.some((c) => c.range.startLineNumber <= line &&
        line <= c.range.endLineNumber);
      if (touched || !line) clearMarkers();
      else renderRunError();
    }
    onChange(model.getValue(), { programmatic: replacing });
  });

  function runErrorLine() {
    const range = errorDecorations.getRange(0);
    return range ? range.startLineNumber : 0;
  }

  function clearMarkers() {
    runError = null;
    monaco.editor.setModelMarkers(model, OWNER, []);
    errorDecorations.clear();
    renderDiagnostic();
  }

  // The run's error marker at its tracked line, spanning the line's text.
  function renderRunError() {
    const line = runErrorLine();
    if (!runError || !line) return;
    const endColumn = Math.max(2, model.getLineMaxColumn(line));
    const first = model.getLineFirstNonWhitespaceColumn(line) || 1;
    monaco.editor.setModelMarkers(model, OWNER, [{
      severity: monaco.MarkerSeverity.Error,
      message: runError.message,
      startLineNumber: line,
      startColumn: first,
      endLineNumber: line,
      endColumn,
      source: 'lunette',
    }]);
  }

  // The live error: from its column to the end of the token there (the whole line without a
  // column); hidden when the run's marker already says the same on that line.
  function renderDiagnostic() {
    const d = diagnostic;
    const duplicate = d && runError && runError.message === d.message && runErrorLine() === d.line;
    if (!d || duplicate || d.line < 1 || d.line > model.getLineCount()) {
      monaco.editor.setModelMarkers(model, LIVE_OWNER, []);
      return;
    }
    const maxColumn = model.getLineMaxColumn(d.line);
    let start = d.column >= 1 ? Math.min(d.column, maxColumn) : 1;
    let end = maxColumn;
    if (d.column >= 1) {
      const word = model.getWordAtPosition({ lineNumber: d.line, column: start });
      end = word && word.startColumn === start ? word.endColumn : Math.min(start + 1, maxColumn);
    }
    if (end <= start) start = Math.max(1, end - 1);
    monaco.editor.setModelMarkers(model, LIVE_OWNER, [{
      severity: monaco.MarkerSeverity.Error,
      message: d.message,
      startLineNumber: d.line,
      startColumn: start,
      endLineNumber: d.line,
      endColumn: Math.max(end, start + 1),
      source: 'lunette (as you type)',
    }]);
  }

  return {
    getValue: () => model.getValue(),

    // Undoable replacement of the whole text.
    setValue(text) {
      replacing = true;
      try {
        editor.pushUndoStop();
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
        editor.pushUndoStop();
        editor.setPosition({ lineNumber: 1, column: 1 });
        editor.revealLine(1);
      } finally {
        replacing = false;
      }
    },

    // Shows the run's error at `line` (1-based); the whole line is marked and tinted until an
    // edit touches that line.
    showError(line, message) {
      clearMarkers();
      if (!Number.isInteger(line) || line < 1 || line > model.getLineCount()) return;
      runError = { message };
      errorDecorations.set([{
        range: new monaco.Range(line, 1, line, 1),
        options: {
          isWholeLine: true,
          className: 'editor-error-line',
          glyphMarginClassName: 'editor-error-glyph',
          glyphMarginHoverMessage: { value: message },
          stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
        },
      }]);
      renderRunError();
      renderDiagnostic();
    },
    clearMarkers,

    // The worker's compile-only check of the current text: {ok, line, column, message, names}.
    setDiagnostics(result) {
      diagnostic = result && !result.ok && result.message
        ? { line: result.line, column: result.column ?? 0, message: result.message } : null;
      if (result?.ok && Array.isArray(result.names)) scriptNames = result.names;
      renderDiagnostic();
    },
    diagnostics: () => monaco.editor.getModelMarkers({ owner: LIVE_OWNER }).map((m) => ({
      line: m.startLineNumber, column: m.startColumn, endColumn: m.endColumn, message: m.message,
    })),
    scriptNames: () => scriptNames,

    // Highlights `line` as the one running at the cursor's moment (0: none).
    showRunningLine(line) {
      const valid = Number.isInteger(line) && line >= 1 && line <= model.getLineCount();
      const next = valid ? line : 0;
      if (next === runningLine) return;
      runningLine = next;
      if (!next) {
        runningDecorations.clear();
        return;
      }
      runningDecorations.set([{
        range: new monaco.Range(next, 1, next, 1),
        options: {
          isWholeLine: true,
          className: 'editor-running-line',
          glyphMarginClassName: 'editor-running-glyph',
          glyphMarginHoverMessage: { value: 'running at the timeline cursor' },
        },
      }]);
      editor.revealLineInCenterIfOutsideViewport(next);
    },
    runningLine: () => runningLine,
    markers: () => monaco.editor.getModelMarkers({ owner: OWNER }).map((m) => ({
      line: m.startLineNumber, message: m.message,
    })),

    jumpTo(line) {
      if (!Number.isInteger(line) || line < 1) return;
      const target = Math.min(line, model.getLineCount());
      const column = model.getLineFirstNonWhitespaceColumn(target) || 1;
      editor.setPosition({ lineNumber: target, column });
      editor.revealLineInCenter(target);
      editor.focus();
    },
    cursorLine: () => editor.getPosition()?.lineNumber ?? 0,
    focus: () => editor.focus(),
    layout: () => editor.layout(),
  };
}
