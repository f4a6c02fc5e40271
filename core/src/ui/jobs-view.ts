import type { JobModel } from '../manager/api-types.js';
import type { DashboardModel } from './dashboard-model.js';
import { el, replaceChildren } from './dom.js';
import { formatClock } from './format.js';
import { ModelView, table } from './model-view.js';

/** The watched batch cluster's jobs with their queue states, pending reasons and estimated starts. */
export class JobsView extends ModelView {
  readonly element = el('section', { class: 'drover-jobs', 'aria-label': 'Batch jobs' });
  private readonly body = el('tbody');
  private readonly note = el('p', { class: 'drover-note' });

  constructor(model: DashboardModel) {
    super(model, ['jobs']);
    const columns = ['Job', 'State', 'Reason', 'Submitted', 'Started / est.', 'Ended'];
    this.element.append(el('h3', {}, 'Jobs'), this.note, table(columns, this.body));
    this.render();
  }

  protected render(): void {
    const { jobs, watched, clusters } = this.model;
    const local = watched !== null && clusters.get(watched)?.jobs === null;
    this.note.textContent = local ? 'A local cluster runs worker processes, not batch jobs.' : '';
    replaceChildren(this.body, ...[...(jobs?.values() ?? [])].map(row));
  }
}

function row(j: JobModel): HTMLElement {
  const started = j.startedAt
    ? formatClock(j.startedAt)
    : j.estimatedStart
      ? `≈ ${formatClock(j.estimatedStart)}`
      : '—';
  return el(
    'tr',
    { 'data-job': j.jobId, 'data-state': j.state },
    el('th', { scope: 'row' }, j.jobId),
    el('td', {}, j.state),
    el('td', {}, j.reason ?? ''),
    el('td', {}, formatClock(j.submittedAt)),
    el('td', {}, started),
    el('td', {}, formatClock(j.endedAt)),
  );
}
