import { h } from '../dom.ts';

/**
 * The buyer panel's bar on phones: one summary line ("2 seats · 9:41 left · $240.00") and a Details
 * button. Closed, the panel shows only this bar, its messages and the main action, so it covers a strip
 * at the bottom of the screen rather than half of it; Details opens the whole panel, Escape closes it.
 * Wider screens hide the bar and show everything (styles.css), whatever `data-expanded` says.
 */
export class PanelBar {
  readonly element: HTMLElement;
  private readonly summary = h('p', { class: 'panel-summary', id: 'panel-summary', tabindex: '-1' });
  private readonly toggle: HTMLButtonElement;

  constructor(private readonly panel: HTMLElement, detailsId: string) {
    this.toggle = h('button', {
      type: 'button',
      class: 'button panel-toggle',
      'aria-expanded': 'false',
      'aria-controls': detailsId,
      onclick: () => this.setExpanded(!this.expanded),
    }, 'Details');
    this.element = h('div', { class: 'panel-bar' }, this.summary, this.toggle);
    panel.dataset.expanded = 'false';
    panel.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || !this.expanded || !this.isShown()) return;
      this.setExpanded(false);
      this.toggle.focus();
    });
  }

  get expanded(): boolean {
    return this.panel.dataset.expanded === 'true';
  }

  setExpanded(expanded: boolean): void {
    this.panel.dataset.expanded = String(expanded);
    this.toggle.setAttribute('aria-expanded', String(expanded));
  }

  show(summary: (string | HTMLElement)[]): void {
    this.summary.replaceChildren(...summary);
  }

  /** Whether the bar is on screen (phones) at all. */
  isShown(): boolean {
    return this.element.checkVisibility();
  }

  /** Where focus goes to start reading the panel: its heading, or on a phone with the panel closed, the summary. */
  focusStart(): void {
    const heading = this.panel.querySelector<HTMLElement>('#panel-title');
    if (heading?.checkVisibility()) heading.focus();
    else this.summary.focus();
  }
}
