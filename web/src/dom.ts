type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

/** Creates an element: attributes (`on*` keys become listeners, `false`/`null` are left out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...(children.filter((child) => child !== null && child !== undefined && child !== false) as (Node | string)[]));
  return element;
}

/** An inline message box; `role=alert` for errors so screen readers read them at once. */
export function messageBox(kind: 'error' | 'info' | 'success', text: string, ...extra: Child[]): HTMLElement {
  return h('div', { class: `message message-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('p', {}, text), ...extra);
}

/** Sets a message slot's content, or empties it. */
export function showMessage(slot: HTMLElement, message: HTMLElement | null): void {
  slot.replaceChildren(...(message ? [message] : []));
}
