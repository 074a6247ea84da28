// editor.js - the Monaco editor, wrapped: the rest of the page never imports Monaco.
//
// Lua highlighting, a dark theme matching the page, Ctrl/Cmd+Enter to run, error markers (the
// message shows on hover) with the failing line tinted, and jumps to a line from the console,
// the coroutine table or a marker. With the timeline's cursor placed, the line that was running
// at that moment is highlighted (and scrolled into view, without moving the caret or focus).
// Invariants: markers always belong to the current text (any edit clears them, since their line
// numbers may no longer match); replacing the text is undoable (Ctrl+Z brings the old text back).

import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/lua/register';

self.MonacoEnvironment = {
  getWorker: () => new Worker(new URL('./editor.worker.js', import.meta.url), { type: 'module' }),
};

const OWNER = 'lunette';

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

export function mountEditor(el, { value, onChange, onRun }) {
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
    ariaLabel: 'Lua source',
  });
  const model = editor.getModel();
  let errorDecorations = editor.createDecorationsCollection();
  const runningDecorations = editor.createDecorationsCollection();
  let runningLine = 0;
  let replacing = false;

  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => onRun());
  model.onDidChangeContent(() => {
    clearMarkers();
    onChange(model.getValue(), { programmatic: replacing });
  });

  function clearMarkers() {
    monaco.editor.setModelMarkers(model, OWNER, []);
    errorDecorations.clear();
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

    // Shows one error at `line` (1-based); the whole line is marked and tinted.
    showError(line, message) {
      clearMarkers();
      if (!Number.isInteger(line) || line < 1 || line > model.getLineCount()) return;
      const endColumn = Math.max(2, model.getLineMaxColumn(line));
      const first = model.getLineFirstNonWhitespaceColumn(line) || 1;
      monaco.editor.setModelMarkers(model, OWNER, [{
        severity: monaco.MarkerSeverity.Error,
        message,
        startLineNumber: line,
        startColumn: first,
        endLineNumber: line,
        endColumn,
        source: 'lunette',
      }]);
      errorDecorations.set([{
        range: new monaco.Range(line, 1, line, 1),
        options: {
          isWholeLine: true,
          className: 'editor-error-line',
          glyphMarginClassName: 'editor-error-glyph',
          glyphMarginHoverMessage: { value: message },
        },
      }]);
    },
    clearMarkers,

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
