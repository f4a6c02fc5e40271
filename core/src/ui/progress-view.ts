import type { GroupProgress } from '../manager/api-types.js';
import type { DashboardModel } from './dashboard-model.js';
import { el, replaceChildren } from './dom.js';
import { ModelView } from './model-view.js';

/** States in the order the bar stacks them. */
const STACK = ['memory', 'erred', 'processing', 'queued', 'waiting'] as const;

/**
 * One progress bar per task group of the watched cluster: done (in memory), erred, running, queued
 * and waiting, as a stacked bar plus a `<progress>` element that assistive technology reads.
 *
 * #### Notes
 * A group's colour is its index in the task stream's order of first appearance, as in the chart.
 */
export class ProgressView extends ModelView {
  readonly element = el('section', { class: 'drover-progress', 'aria-label': 'Progress by task group' });
  private readonly list = el('ul', { class: 'drover-progress-list' });

  constructor(model: DashboardModel) {
    super(model, ['metrics']);
    this.element.append(el('h3', {}, 'Progress'), this.list);
    this.render();
  }

  protected render(): void {
    const colours = new Map(this.model.stream.groups.map((g, i) => [g, i]));
    const shown = [...this.model.groups].sort((a, b) => a.group.localeCompare(b.group));
    replaceChildren(this.list, ...shown.map((g) => bar(g, colours.get(g.group))));
  }
}

function bar(g: GroupProgress, colour: number | undefined): HTMLElement {
  const done = (g.byState.memory ?? 0) + (g.byState.erred ?? 0);
  const total = Math.max(g.total, 1);
  const segments = STACK.map((state) => {
    const segment = el('span', {
      class: `drover-seg drover-seg-${state}`,
      ...(state === 'memory' && colour !== undefined ? { 'data-group-colour': colour % 10 } : {}),
    });
    // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    segment.style.width = `${(100 * (g.byState[state] ?? 0)) / total}%`;
    return segment;
  });
  return el(
    'li',
    { 'data-group': g.group },
    el(
      'div',
      { class: 'drover-progress-label' },
      el('span', { class: 'drover-group-name' }, g.group),
      el('span', {}, `${done} / ${g.total}`),
    ),
    el('div', { class: 'drover-bar', 'aria-hidden': 'true' }, ...segments),
    el('progress', {
      class: 'drover-visually-hidden',
      max: total,
      value: done,
      'aria-label': `${g.group}: ${done} of ${g.total} done`,
    }),
  );
}
