import type { WorkerModel } from '../manager/api-types.js';
import type { DashboardModel } from './dashboard-model.js';
import { el, replaceChildren } from './dom.js';
import { formatBytes } from './format.js';
import { ModelView, table } from './model-view.js';

/** The watched cluster's workers with their CPU and memory, as a table. */
export class WorkersView extends ModelView {
  readonly element = el('section', { class: 'drover-workers', 'aria-label': 'Workers' });
  private readonly body = el('tbody');

  constructor(model: DashboardModel) {
    super(model, ['metrics']);
    const columns = ['Worker', 'Job', 'Threads', 'Running', 'CPU', 'Memory', 'Status'];
    this.element.append(el('h3', {}, 'Workers'), table(columns, this.body));
    this.render();
  }

  protected render(): void {
    const workers = this.model.workers;
    if (workers.length === 0)
      replaceChildren(this.body, el('tr', {}, el('td', { colspan: 7 }, 'No workers connected.')));
    else replaceChildren(this.body, ...workers.map(row));
  }
}

function row(w: WorkerModel): HTMLElement {
  return el(
    'tr',
    { 'data-worker': w.name },
    el('th', { scope: 'row' }, w.name),
    el('td', {}, w.jobId ?? '—'),
    el('td', {}, String(w.nthreads)),
    el('td', {}, String(w.executing)),
    el('td', {}, w.cpu === null ? '—' : `${Math.round(w.cpu)} %`),
    el('td', {}, `${formatBytes(w.rss)}${w.memoryLimit ? ` / ${formatBytes(w.memoryLimit)}` : ''}`),
    el('td', {}, w.status),
  );
}
