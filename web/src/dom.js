// dom.js - building elements in code: el('button', {type: 'button', dataset: {testid: 'x'}},
// 'text', child). A property the element has is set as a property (className, disabled, value);
// anything else as an attribute (aria-*, role); `dataset` entries as data-* attributes.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}
