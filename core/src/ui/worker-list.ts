import type { WorkerModel } from '../manager/api-types.js';
import { el, replaceChildren } from './dom.js';
import { formatBytes } from './format.js';

/** The workers of a cluster with their CPU and memory, as a table. */
export class WorkerList {
  readonly element = el('section', { class: 'drover-workers', 'aria-label': 'Workers' });
  private readonly body = el('tbody');

  constructor() {
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
  }

  update(workers: readonly WorkerModel[]): void {
    replaceChildren(
      this.body,
      ...workers.map((w) =>
        el(
          'tr',
          { 'data-worker': w.name },
          el('th', { scope: 'row' }, w.name),
          el('td', {}, w.jobId ?? '—'),
          el('td', {}, String(w.nthreads)),
          el('td', {}, String(w.executing)),
          el('td', {}, w.cpu === null ? '—' : `${Math.round(w.cpu)} %`),
          el('td', {}, `${formatBytes(w.rss)}${w.memoryLimit ? ` / ${formatBytes(w.memoryLimit)}` : ''}`),
          el('td', {}, w.status),
        ),
      ),
    );
    if (workers.length === 0)
      replaceChildren(this.body, el('tr', {}, el('td', { colspan: 7 }, 'No workers connected.')));
  }
}
