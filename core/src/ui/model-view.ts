import type { DashboardChange, DashboardModel } from './dashboard-model.js';
import { el } from './dom.js';
import type { View } from './view.js';

/**
 * A view that redraws from a {@link DashboardModel} on the changes it names; a subclass builds its
 * element, then calls `render()` once at the end of its constructor.
 */
export abstract class ModelView implements View {
  abstract readonly element: HTMLElement;
  private readonly disconnect: () => void;

  constructor(
    protected readonly model: DashboardModel,
    changes: readonly DashboardChange[],
  ) {
    this.disconnect = model.changed.connect((change) => {
      if (changes.includes(change)) this.render();
    });
  }

  dispose(): void {
    this.disconnect();
  }

  protected abstract render(): void;
}

/** A table with a header row of `columns` and the given body. */
export function table(columns: readonly string[], body: HTMLTableSectionElement): HTMLTableElement {
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...columns.map((h) => el('th', { scope: 'col' }, h)))),
    body,
  );
}
