// lunette-embed.js - one script tag that turns `<pre data-lunette>` blocks of any page into
// live Lunette embeds (the playground's ?embed=1 mode in an iframe).
//
//   <script src="https://…/lunette/lunette-embed.js" defer></script>
//   <pre data-lunette>print("hello")</pre>
//   <pre data-lunette data-gc="generational" data-height="420">…</pre>
//
// Each block's text becomes a share link (share.js, so the full page opens it too) and the block
// is replaced by an iframe of the playground beside this script (or at `data-lunette-base` on
// the script tag). Lazily: a block becomes an iframe only when it comes near the viewport, so
// a long article with many scripts loads no VM until the reader gets there.
// Invariants: the block's text is read as text (never markup); a block is handled once
// (`data-lunette-state`: waiting, embedded or failed); a block that cannot be turned into a
// link (too large) stays a plain <pre> and says why in its title. Built by web/build.mjs into
// dist/lunette-embed.js as a classic script (document.currentScript needs one).

import { normalizeGc } from './gc-config.js';
import { embedUrl, encodeShare } from './share.js';

const script = document.currentScript;
const base = script?.dataset.lunetteBase
  ?? new URL('./', script?.src ?? location.href).href;
const NEAR_VIEWPORT = '300px';

function heightFor(pre, source) {
  const asked = Number(pre.dataset.height);
  if (Number.isFinite(asked) && asked >= 240) return asked;
  const lines = source.split('\n').length;
  return Math.max(400, Math.min(680, 340 + lines * 19));  // chrome ~320 px, then the code
}

async function embed(pre) {
  pre.dataset.lunetteState = 'loading';
  const source = pre.textContent.replace(/\n$/, '');
  try {
    const gc = normalizeGc({ mode: pre.dataset.gc ?? 'incremental' });
    const fragment = await encodeShare({ source, gc });
    const frame = document.createElement('iframe');
    frame.src = embedUrl(fragment, base);
    frame.title = pre.getAttribute('aria-label') ?? 'Lua script running in Lunette';
    frame.loading = 'lazy';
    frame.setAttribute('data-lunette-embed', '');
    frame.style.cssText = `display:block;width:100%;max-width:100%;border:0;border-radius:8px;` +
      `height:${heightFor(pre, source)}px`;
    pre.dataset.lunetteState = 'embedded';
    pre.replaceWith(frame);
  } catch (err) {
    pre.dataset.lunetteState = 'failed';
    pre.title = `Lunette could not embed this script: ${err.message}`;
  }
}

const observer = typeof IntersectionObserver === 'function'
  ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      embed(entry.target);
    }
  }, { rootMargin: NEAR_VIEWPORT })
  : null;

// Finds the blocks not handled yet (call again after adding blocks to the page).
function scan(root = document) {
  for (const pre of root.querySelectorAll('pre[data-lunette]:not([data-lunette-state])')) {
    pre.dataset.lunetteState = 'waiting';
    if (observer) observer.observe(pre);
    else embed(pre);
  }
}

window.LunetteEmbed = { scan };
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => scan());
else scan();
