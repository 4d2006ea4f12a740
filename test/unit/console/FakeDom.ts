/**
 * Just enough of a browser for the console's script to run in node:vm: elements with text, children, a few
 * properties and listeners; document lookups by id; the two storages. No layout, no HTML parsing: the script
 * builds everything with createElement and textContent, which is what makes this possible (and CSP-safe).
 */
type Listener = (event: FakeEvent) => unknown;

export interface FakeEvent {
  readonly type: string;
  preventDefault(): void;
}

export class FakeElement {
  readonly children: FakeElement[] = [];
  readonly attributes = new Map<string, string>();
  private readonly listeners = new Map<string, Listener[]>();
  private ownText = '';
  parent: FakeElement | undefined;
  className = '';
  hidden = false;
  disabled = false;
  value: string | number = '';
  type = '';
  colSpan = 1;
  max = 1;
  href = '';
  download = '';
  focused = false;

  constructor(readonly tagName: string, readonly id?: string) {}

  get textContent(): string {
    return this.ownText + this.children.map((child) => child.textContent).join('');
  }

  set textContent(text: string) {
    this.ownText = String(text);
    this.children.length = 0;
  }

  append(...nodes: (FakeElement | string)[]): void {
    for (const node of nodes) {
      const element = typeof node === 'string' ? Object.assign(new FakeElement('#text'), { textContent: node }) : node;
      element.parent = this;
      this.children.push(element);
    }
  }

  replaceChildren(...nodes: (FakeElement | string)[]): void {
    this.ownText = '';
    this.children.length = 0;
    this.append(...nodes);
  }

  remove(): void {
    if (this.parent === undefined) return;
    this.parent.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = undefined;
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }

  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  focus(): void {
    this.focused = true;
  }

  click(): Promise<unknown[]> {
    return this.dispatch('click');
  }

  /** Calls the listeners; resolves once the async ones have finished. */
  async dispatch(type: string): Promise<unknown[]> {
    if (this.disabled && type === 'click') return [];
    const event: FakeEvent = { type, preventDefault: () => undefined };
    return Promise.all((this.listeners.get(type) ?? []).map((listener) => listener(event)));
  }

  /** Every element below this one that `match` accepts, depth first. */
  findAll(match: (element: FakeElement) => boolean): FakeElement[] {
    const found: FakeElement[] = [];
    for (const child of this.children) {
      if (match(child)) found.push(child);
      found.push(...child.findAll(match));
    }
    return found;
  }
}

export class FakeStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

export class FakeDocument {
  readonly body = new FakeElement('body');
  hidden = false;
  private readonly byId = new Map<string, FakeElement>();

  /** The page's static elements: made on first lookup (the page test checks every id looked up is on the page). */
  getElementById(id: string): FakeElement {
    let element = this.byId.get(id);
    if (element === undefined) {
      element = new FakeElement('#static', id);
      this.byId.set(id, element);
    }
    return element;
  }

  createElement(tag: string): FakeElement {
    return new FakeElement(tag);
  }

  addEventListener(): void {}
}
