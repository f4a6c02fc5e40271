/**
 * The one way the UI makes elements. Strings always become text nodes and attributes, never
 * markup: names of clusters, tasks and workers come from users and must not run.
 */
export type Child = Node | string | number | null | undefined | false;

/** Attributes (`class`, `aria-*`, `data-*`, …) and event handlers (`onclick`, …). */
export type Props = Record<string, string | number | boolean | null | undefined | EventListener>;

/** Creates an element with attributes, listeners and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, ...children);
  return node;
}

/** Appends children; strings and numbers as text. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

let counter = 0;
// Two copies of this module in one page (two extensions bundling Drover) count separately.
const copy = Math.random().toString(36).slice(2, 7);
/** A document-unique id for label/aria wiring, whatever mounts share the page. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${copy}-${++counter}`;
}
