// share.js - share links: the script and the GC settings in the URL fragment, no server.
//
// Format: `#v1.<base64url of deflate-raw(JSON {source, gc: {mode, params}, compare?, server?})>`,
// compressed with the browser's CompressionStream. The version prefix lets a later format
// coexist. Optional fields ride along: links without them decode as before, and a page that
// does not know one ignores it. `compare` (the Compare view) is the list of 2 to 4 compared
// settings `[{mode, params}, ...]`; `server` ("ngx" or "skynet": the script runs as that
// server's handler) is written only when one is set.
// Invariants: decoding never throws anything but ShareError, whose message is meant for the
// user; a fragment longer than MAX_FRAGMENT or inflating past MAX_SOURCE is refused before any
// of it is used; nothing decoded is ever treated as HTML.

import { normalizeGc } from './gc-config.js';
import { normalizeCompareSettings } from './compare-model.js';
import { normalizeServer } from './server.js';

export const PREFIX = '#v1.';
export const MAX_FRAGMENT = 64 * 1024;
export const MAX_SOURCE = 1024 * 1024;

export class ShareError extends Error {}

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new ShareError('the link contains characters a share link never has');
  }
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  let bin;
  try {
    bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  } catch {
    throw new ShareError('the link is not valid base64');
  }
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function deflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Inflates at most `limit` bytes; more means a bogus or hostile link.
async function inflate(bytes, limit) {
  const reader = new Blob([bytes]).stream()
    .pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    let step;
    try {
      step = await reader.read();
    } catch {
      throw new ShareError('the link is damaged (its data does not decompress)');
    }
    if (step.done) break;
    size += step.value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new ShareError(`the shared script is larger than ${limit / 1024} KB`);
    }
    chunks.push(step.value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export async function encodeShare({ source, gc, compare, server }) {
  const data = { source, gc: normalizeGc(gc) };
  if (compare !== undefined) data.compare = normalizeCompareSettings(compare);
  const shim = normalizeServer(server);
  if (shim !== 'none') data.server = shim;
  const json = JSON.stringify(data);
  const fragment = PREFIX + toBase64Url(await deflate(new TextEncoder().encode(json)));
  if (fragment.length > MAX_FRAGMENT) {
    const kb = Math.round(fragment.length / 1024);
    throw new ShareError(`the script is too large to share as a link ` +
      `(${kb} KB compressed; the limit is ${MAX_FRAGMENT / 1024} KB)`);
  }
  return fragment;
}

export function isShareFragment(hash) {
  return typeof hash === 'string' && /^#v\d+\./.test(hash);
}

// Returns {source, gc, server} (plus `compare` when the link has compared settings) or throws
// ShareError.
export async function decodeShare(hash) {
  if (!hash.startsWith(PREFIX)) {
    const v = /^#v(\d+)\./.exec(hash);
    throw new ShareError(v ? `the link uses format v${v[1]}, which this page does not know`
      : 'this is not a share link');
  }
  if (hash.length > MAX_FRAGMENT) {
    throw new ShareError(`the link is too long (${Math.round(hash.length / 1024)} KB; ` +
      `the limit is ${MAX_FRAGMENT / 1024} KB)`);
  }
  const bytes = await inflate(fromBase64Url(hash.slice(PREFIX.length)), MAX_SOURCE + 4096);
  let data;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ShareError('the link is damaged (its contents are not readable)');
  }
  if (!data || typeof data.source !== 'string') {
    throw new ShareError('the link does not contain a script');
  }
  if (data.source.length > MAX_SOURCE) throw new ShareError('the shared script is too large');
  let gc;
  try {
    gc = normalizeGc(data.gc, { strict: true });
  } catch (err) {
    throw new ShareError(`the link's GC settings are invalid: ${err.message}`);
  }
  let server;
  try {
    server = normalizeServer(data.server, { strict: true });
  } catch (err) {
    throw new ShareError(`the link's server setting is invalid: ${err.message}`);
  }
  if (data.compare === undefined) return { source: data.source, gc, server };
  let compare;
  try {
    compare = normalizeCompareSettings(data.compare, { strict: true });
  } catch (err) {
    throw new ShareError(`the link's compared settings are invalid: ${err.message}`);
  }
  return { source: data.source, gc, server, compare };
}

// The address of the playground page this one is (without query and fragment).
function pageAddress() {
  return `${location.origin}${location.pathname}`;
}

// The full page showing `fragment` (a share fragment): where "Open in Lunette" leads.
export function fullPageUrl(fragment, base = pageAddress()) {
  return `${base}${fragment}`;
}

// The embed (?embed=1) showing `fragment`.
export function embedUrl(fragment, base = pageAddress()) {
  return `${base}?embed=1${fragment}`;
}

// The iframe snippet a page can paste to embed the script; `lines` sizes its height.
export function embedSnippet(fragment, { base = pageAddress(), lines = 12 } = {}) {
  const height = Math.max(400, Math.min(680, 340 + lines * 19));  // chrome ~320 px, then the code
  const src = embedUrl(fragment, base).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${src}" title="Lua script running in Lunette" width="100%" ` +
    `height="${height}" style="border:0;max-width:100%" loading="lazy"></iframe>`;
}

// The Share button: builds the link, puts it in the address bar and on the clipboard, and
// opens the share panel (when the page has one) with the link and the iframe snippet.
export function mountShare(button, { getPayload, onShared, onError }) {
  const root = button.closest('.share-menu');
  const panel = root?.querySelector('.share-panel');
  const linkField = panel?.querySelector('[data-testid="share-link"]');
  const embedField = panel?.querySelector('[data-testid="share-embed"]');

  function close() {
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  }

  button.addEventListener('click', async () => {
    if (panel && !panel.hidden) {
      close();
      return;
    }
    try {
      const payload = getPayload();
      const fragment = await encodeShare(payload);
      const url = `${location.origin}${location.pathname}${location.search}${fragment}`;
      history.replaceState(null, '', url);
      if (panel) {
        for (const copy of panel.querySelectorAll('[data-share-copy]')) {
          copy.dataset.label ??= copy.textContent;
          copy.textContent = copy.dataset.label;
        }
        linkField.value = url;
        embedField.value = embedSnippet(fragment, { lines: payload.source.split('\n').length });
        panel.hidden = false;
        button.setAttribute('aria-expanded', 'true');
        linkField.focus();
        linkField.select();
      }
      let copied = false;
      try {
        await navigator.clipboard.writeText(url);
        copied = true;
      } catch {
        copied = false; // no clipboard permission: the link is still in the address bar
      }
      onShared(url, copied);
    } catch (err) {
      onError(err instanceof ShareError ? err.message : `sharing failed: ${err.message}`);
    }
  });
  if (!panel) return;
  panel.addEventListener('click', async (e) => {
    const which = e.target.closest('[data-share-copy]')?.dataset.shareCopy;
    if (!which) return;
    const field = which === 'embed' ? embedField : linkField;
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      e.target.textContent = 'Copied';
    } catch {
      e.target.textContent = 'Selected: press Ctrl+C';
    }
  });
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      close();
      button.focus();
    }
  });
  document.addEventListener('click', (e) => {
    if (!root.contains(e.target)) close();
  });
}
