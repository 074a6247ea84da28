// persist.js - autosave: the editor text, the GC settings, the server and the compared settings
// in localStorage.
//
// Writes are debounced (one write per pause in typing) and flushed when the page is hidden, so
// a reload never loses the last keystrokes. Storage may be unavailable (private modes, quota):
// every access is guarded and failure only means nothing is remembered.

const SOURCE_KEY = 'lunette.source.v1';
const GC_KEY = 'lunette.gc.v1';
const SERVER_KEY = 'lunette.server.v1';
const COMPARE_KEY = 'lunette.compare.v1';
const DEBOUNCE_MS = 250;

function read(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

export function loadSource() {
  return read(SOURCE_KEY);
}

export function loadGc() {
  try {
    return JSON.parse(read(GC_KEY) ?? 'null');
  } catch {
    return null;
  }
}

export function saveGc(gc) {
  write(GC_KEY, JSON.stringify(gc));
}

// The stored list of compared settings as it was saved (the caller normalizes it), or null.
export function loadCompare() {
  try {
    return JSON.parse(read(COMPARE_KEY) ?? 'null');
  } catch {
    return null;
  }
}

export function saveCompare(settings) {
  write(COMPARE_KEY, JSON.stringify(settings));
}

// The raw stored server name (the caller normalizes it), or null.
export function loadServer() {
  return read(SERVER_KEY);
}

export function saveServer(server) {
  write(SERVER_KEY, server);
}

// Returns save(text): debounced, and flushed on pagehide / visibility loss.
export function createSourceSaver() {
  let pending = null;
  let timer = null;
  const flush = () => {
    clearTimeout(timer);
    timer = null;
    if (pending !== null) write(SOURCE_KEY, pending);
    pending = null;
  };
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
  return {
    save(text) {
      pending = text;
      clearTimeout(timer);
      timer = setTimeout(flush, DEBOUNCE_MS);
    },
    flush,
  };
}
