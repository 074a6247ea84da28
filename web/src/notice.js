// notice.js - the banner under the toolbar for messages about the page itself (a damaged share
// link, a copied link, a restarted worker). Messages are text only; errors stay until closed,
// information fades after a few seconds.

const INFO_MS = 6000;

export function mountNotice(el) {
  const text = el.querySelector('.notice-text');
  el.querySelector('.notice-close').addEventListener('click', () => hide());
  let timer = null;

  function hide() {
    clearTimeout(timer);
    el.hidden = true;
  }

  function show(message, kind = 'info') {
    clearTimeout(timer);
    text.textContent = message;
    el.dataset.kind = kind;
    el.hidden = false;
    if (kind === 'info') timer = setTimeout(hide, INFO_MS);
  }
  return { show, hide };
}
