import type { JobModel } from '../manager/api-types.js';
import { el, replaceChildren } from './dom.js';
import { formatClock } from './format.js';

/** A batch cluster's jobs with their queue states, pending reasons and estimated starts. */
export class JobList {
  readonly element = el('section', { class: 'drover-jobs', 'aria-label': 'Batch jobs' });
  private readonly body = el('tbody');
  private readonly note = el('p', { class: 'drover-note' });
  private jobs = new Map<string, JobModel>();

  constructor() {
    this.element.append(
      el('h3', {}, 'Jobs'),
      this.note,
      el(
        'table',
        {},
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['Job', 'State', 'Reason', 'Submitted', 'Started / est.', 'Ended'].map((h) =>
              el('th', { scope: 'col' }, h),
            ),
          ),
        ),
        this.body,
      ),
    );
  }

  /** All jobs of a cluster (null: the cluster has no batch jobs). */
  reset(jobs: readonly JobModel[] | null): void {
    this.jobs = new Map((jobs ?? []).map((j) => [j.jobId, j]));
    this.note.textContent = jobs === null ? 'A local cluster runs worker processes, not batch jobs.' : '';
    this.render();
  }

  /** One job changed. */
  update(job: JobModel): void {
    this.jobs.set(job.jobId, job);
    this.note.textContent = '';
    this.render();
  }

  private render(): void {
    replaceChildren(
      this.body,
      ...[...this.jobs.values()].map((j) =>
        el(
          'tr',
          { 'data-job': j.jobId, 'data-state': j.state },
          el('th', { scope: 'row' }, j.jobId),
          el('td', {}, j.state),
          el('td', {}, j.reason ?? ''),
          el('td', {}, formatClock(j.submittedAt)),
          el(
            'td',
            {},
            j.startedAt
              ? formatClock(j.startedAt)
              : j.estimatedStart
                ? `≈ ${formatClock(j.estimatedStart)}`
                : '—',
          ),
          el('td', {}, formatClock(j.endedAt)),
        ),
      ),
    );
  }
}
