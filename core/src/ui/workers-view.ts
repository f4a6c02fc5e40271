import type { WorkerModel } from '../manager/api-types.js';
import type { DashboardModel } from './dashboard-model.js';
import { el, replaceChildren } from './dom.js';
import { formatBytes } from './format.js';
import type { View } from './view.js';

/** The watched cluster's workers with their CPU and memory, as a table. */
export class WorkersView implements View {
  readonly element = el('section', { class: 'drover-workers', 'aria-label': 'Workers' });
  private readonly body = el('tbody');
  private readonly disconnect: () => void;

  constructor(private readonly model: DashboardModel) {
    this.element.append(
      el('h3', {}, 'Workers'),
      el(
        'table',
        {},
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['Worker', 'Job', 'Threads', 'Running', 'CPU', 'Memory', 'Status'].map((h) =>
              el('th', { scope: 'col' }, h),
            ),
          ),
        ),
        this.body,
      ),
    );
    this.disconnect = model.changed.connect((change) => {
      if (change === 'metrics') this.render();
    });
    this.render();
  }

  dispose(): void {
    this.disconnect();
  }

  private render(): void {
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
