import type { ClusterModel } from '../manager/api-types.js';
import type { DashboardModel } from './dashboard-model.js';
import { el, replaceChildren } from './dom.js';
import { formatBytes, formatClock, formatDuration, formatRate } from './format.js';

/**
 * A cluster's card: status, workers connected/requested, jobs by state with pending reasons,
 * cores, memory, adaptive bounds, time to first worker; scale, adapt, shut down, copy client code.
 *
 * #### Notes
 * The controls are built once and kept across updates, so typing in "Scale to" is not lost when
 * the numbers refresh; only the figures are re-rendered.
 */
export class ClusterCard {
  readonly element: HTMLElement;
  private model: ClusterModel;
  private readonly title = el('h3', { class: 'drover-card-title' });
  private readonly state = el('span', { class: 'drover-state' });
  private readonly figures = el('dl', { class: 'drover-figures' });
  private readonly pending = el('ul', { class: 'drover-pending', 'aria-label': 'Pending jobs' });
  private readonly scaleInput = el('input', {
    type: 'number',
    min: 0,
    step: 1,
    inputmode: 'numeric',
    size: 4,
    class: 'drover-scale-input',
  });
  private readonly scaleUnit = el('span', {});
  private readonly adaptToggle = el('input', { type: 'checkbox', class: 'drover-adapt-toggle' });
  private readonly adaptMin = el('input', {
    type: 'number',
    min: 0,
    step: 1,
    size: 3,
    'aria-label': 'Adaptive minimum',
  });
  private readonly adaptMax = el('input', {
    type: 'number',
    min: 0,
    step: 1,
    size: 3,
    'aria-label': 'Adaptive maximum',
  });
  private readonly watchButton = el('button', { type: 'button', 'aria-pressed': 'false' }, 'Watch tasks');

  constructor(
    model: ClusterModel,
    /** Whose actions the buttons run and whose watched cluster the card follows. */
    private readonly dashboard: DashboardModel,
  ) {
    this.model = model;
    const scaleLabel = el('label', {}, 'Scale to ', this.scaleInput, ' ', this.scaleUnit);
    const scaleButton = el('button', { type: 'submit' }, 'Scale');
    const scaleForm = el(
      'form',
      { class: 'drover-inline-form', 'aria-label': 'Scale' },
      scaleLabel,
      scaleButton,
    );
    scaleForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.scale();
    });
    const adaptForm = el(
      'form',
      { class: 'drover-inline-form', 'aria-label': 'Adaptive scaling' },
      el('label', {}, this.adaptToggle, ' Adapt'),
      el('label', {}, 'min ', this.adaptMin),
      el('label', {}, 'max ', this.adaptMax),
      el('button', { type: 'submit' }, 'Apply'),
    );
    adaptForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.adapt();
    });
    this.watchButton.addEventListener('click', () => this.dashboard.watch(this.model.name));
    const copy = el(
      'button',
      { type: 'button', onclick: () => void this.dashboard.copyClientCode(this.model.name) },
      'Copy client code',
    );
    const shutdown = el(
      'button',
      { type: 'button', class: 'drover-danger', onclick: () => void this.dashboard.close(this.model.name) },
      'Shut down',
    );
    this.element = el(
      'article',
      { class: 'drover-card', 'data-cluster': model.name },
      el('header', { class: 'drover-card-head' }, this.title, this.state),
      this.figures,
      this.pending,
      scaleForm,
      adaptForm,
      el('div', { class: 'drover-button-row' }, this.watchButton, copy, shutdown),
    );
    this.scaleInput.value = String(model.workers.requested);
    this.update(model);
  }

  get name(): string {
    return this.model.name;
  }

  /** Shows a newer model. */
  update(model: ClusterModel): void {
    this.model = model;
    this.element.setAttribute('aria-label', `Cluster ${model.name}`);
    this.title.textContent = model.name;
    this.state.textContent = `${model.kind} · ${model.state}`;
    this.state.dataset.state = model.state;
    // One unit everywhere, as scale(n) in code: workers (a batch cluster submits the jobs they need).
    this.scaleUnit.textContent = 'workers';
    // Bounds being typed are not overwritten by a refresh.
    if (!this.adaptMin.matches(':focus') && !this.adaptMax.matches(':focus')) {
      this.adaptToggle.checked = model.adaptive !== null;
      this.adaptMin.value = String(model.adaptive?.minimum ?? 0);
      this.adaptMax.value = String(model.adaptive?.maximum ?? Math.max(model.workers.requested, 1));
    }
    const row = (term: string, value: string, key: string): HTMLElement[] => [
      el('dt', {}, term),
      el('dd', { 'data-figure': key }, value),
    ];
    const jobs = model.jobs;
    replaceChildren(
      this.figures,
      ...row(
        'Workers',
        `${model.workers.connected} connected / ${model.workers.requested} requested`,
        'workers',
      ),
      ...(jobs
        ? row(
            'Jobs',
            `${jobs.pending} pending · ${jobs.running} running · ${jobs.finished} finished · ${jobs.failed} failed`,
            'jobs',
          )
        : []),
      ...row('Cores', String(model.cores), 'cores'),
      ...row('Memory', model.memory === null ? 'no limit' : formatBytes(model.memory), 'memory'),
      ...row(
        'Adaptive',
        model.adaptive ? `${model.adaptive.minimum} – ${model.adaptive.maximum}` : 'off',
        'adaptive',
      ),
      ...row('First worker after', formatDuration(model.timeToFirstWorkerMs), 'first-worker'),
      ...row('Tasks', `${model.tasks.total} · ${formatRate(model.tasks.tasksPerSecond)}`, 'tasks'),
    );
    replaceChildren(
      this.pending,
      ...(jobs?.pendingReasons ?? []).map((p) =>
        el(
          'li',
          {},
          `job ${p.jobId}: ${p.reason}${p.estimatedStart ? `, starts about ${formatClock(p.estimatedStart)}` : ''}`,
        ),
      ),
    );
  }

  /** Marks the card as the one whose tasks are shown. */
  setWatched(watched: boolean): void {
    this.watchButton.setAttribute('aria-pressed', String(watched));
    this.element.classList.toggle('drover-watched', watched);
  }

  private async scale(): Promise<void> {
    const n = Number(this.scaleInput.value);
    if (this.scaleInput.value.trim() === '' || !Number.isInteger(n) || n < 0) {
      this.dashboard.say(`Scale: "${this.scaleInput.value}" is not a whole number ≥ 0`, 'warning');
      return;
    }
    await this.dashboard.scale(this.model.name, n);
  }

  private async adapt(): Promise<void> {
    const bounds = this.adaptToggle.checked
      ? { minimum: Number(this.adaptMin.value), maximum: Number(this.adaptMax.value) }
      : null;
    await this.dashboard.adapt(this.model.name, bounds);
  }
}
