// A tiny DOM builder: `h("a", { href: "/x", class: "link" }, "text", child)`.
// Text is always set as text (never as HTML), so API data cannot inject markup.

/** Attributes and event handlers of an element (`on*` keys take functions). */
export type Props = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;
/** What can be a child: nodes, text, or nothing (skipped). */
export type Child = Node | string | number | null | undefined | false | Child[];

/** Creates an element with properties and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children (flattening arrays, skipping empty ones). */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
