// Building the page without HTML strings: every value goes in as text
// (textContent, text nodes) or as an attribute value, never through
// innerHTML, so a rule or service named `<img onerror=…>` shows as those
// characters. The page's CSP forbids inline script anyway; this is the first wall.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * An element with attributes and children (strings become text nodes).
 * `on*` keys are not attributes: they must be functions, and become listeners.
 * @example h('button', { class: 'danger', onclick: () => halt() }, 'Halt')
 */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same in the SVG namespace, for the mesh map. */
export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) {
      if (typeof value === 'function') el.addEventListener(key.slice(2), value);
      continue;
    }
    el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `el` with `children`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Sets text only when it changed, so a screen reader is not told the same thing every second. */
export function text(el, value) {
  const v = String(value ?? '');
  if (el.textContent !== v) el.textContent = v;
  return el;
}

/**
 * Keeps `container`'s children in step with `items`, one child per key:
 * a child whose key stays is updated in place (so a focused button in it
 * keeps its focus), new keys are created, gone keys removed, and the order
 * follows `items`.
 */
export function syncChildren(container, items, keyOf, create, update) {
  const existing = new Map();
  for (const child of [...container.children]) existing.set(child.dataset.key, child);
  const keep = new Set();
  items.forEach((item, index) => {
    const key = String(keyOf(item));
    keep.add(key);
    let node = existing.get(key);
    if (!node) {
      node = create(item);
      node.dataset.key = key;
    }
    update(node, item);
    const at = container.children[index];
    if (at !== node) container.insertBefore(node, at ?? null);
  });
  for (const [key, node] of existing) if (!keep.has(key)) node.remove();
}
