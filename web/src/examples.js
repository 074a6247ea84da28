// examples.js - the examples menu, built at build time from examples/*.lua.
//
// The list arrives through the virtual module `lunette:examples` (see build.mjs): each entry is
// {file, title, description, source}. Picking one replaces the editor text (undoably).
// Invariants: the menu is keyboard-usable (Escape closes, arrows move, Enter picks) and every
// title and description is set as text, never markup.

export function mountExamples(root, examples, { onPick }) {
  const button = root.querySelector('[data-testid="examples"]');
  const menu = root.querySelector('[role="menu"]');

  for (const ex of examples) {
    const item = document.createElement('button');
    item.type = 'button';
    item.setAttribute('role', 'menuitem');
    item.dataset.example = ex.file;
    const title = document.createElement('span');
    title.className = 'ex-title';
    title.textContent = ex.title;
    const desc = document.createElement('span');
    desc.className = 'ex-desc';
    desc.textContent = ex.description || ex.file;
    item.append(title, desc);
    item.addEventListener('click', () => {
      close();
      onPick(ex);
    });
    menu.append(item);
  }
  if (examples.length === 0) {
    const none = document.createElement('div');
    none.className = 'ex-none';
    none.textContent = 'No examples in this build.';
    menu.append(none);
  }

  function open() {
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    menu.querySelector('[role="menuitem"]')?.focus();
  }
  function close() {
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  }

  button.addEventListener('click', () => (menu.hidden ? open() : close()));
  document.addEventListener('click', (e) => {
    if (!root.contains(e.target)) close();
  });
  menu.addEventListener('keydown', (e) => {
    const items = [...menu.querySelectorAll('[role="menuitem"]')];
    const at = items.indexOf(document.activeElement);
    if (e.key === 'Escape') {
      close();
      button.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = (at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      items[next]?.focus();
    }
  });
  return { open, close };
}
