import type { ClusterModel, JobModel, ProfileModel, ServerEvent } from '../manager/api-types.js';
import type { DroverApi, EventStream } from './api-client.js';
import { ClusterCard } from './cluster-card.js';
import { ClusterForm } from './cluster-form.js';
import { el, replaceChildren } from './dom.js';
import { JobList } from './job-list.js';
import { ProfileSaver } from './profile-saver.js';
import { ProgressBars } from './progress-bars.js';
import { TaskStreamChart } from './task-stream-chart.js';
import { TaskStreamModel } from './task-stream-model.js';
import { applyTheme, savedTheme, type Theme } from './theme.js';
import { WorkerList } from './worker-list.js';

/**
 * The whole dashboard: new-cluster form, cluster cards, and for the watched cluster the task
 * stream, progress per group, workers and jobs. Hosts (the page, JupyterLab, VS Code) mount it
 * into an element of theirs and pass an API with their base URL.
 */
export class Dashboard {
  readonly element: HTMLElement;
  readonly model = new TaskStreamModel();
  readonly chart = new TaskStreamChart(this.model);
  private readonly cards = new Map<string, ClusterCard>();
  private readonly cardList = el('div', { class: 'drover-cards', 'aria-live': 'polite' });
  private readonly empty = el('p', { class: 'drover-note' }, 'No clusters yet: start one with the form.');
  private readonly progress = new ProgressBars();
  private readonly workers = new WorkerList();
  private readonly jobs = new JobList();
  private readonly watchedTitle = el('h2', { id: 'drover-stream-title' }, 'Task stream');
  private readonly message = el('p', { class: 'drover-message', role: 'status', 'aria-live': 'polite' });
  private readonly connection = el(
    'span',
    { class: 'drover-connection', 'data-connected': 'false' },
    'connecting…',
  );
  private readonly profileSelect = el('select', { 'aria-label': 'Load a saved profile' });
  private watched: string | null = null;
  private events: EventStream | null = null;
  private form: ClusterForm | null = null;
  private profiles: ProfileModel[] = [];

  constructor(
    private readonly api: DroverApi,
    private readonly root: HTMLElement,
  ) {
    const theme = el(
      'select',
      { 'aria-label': 'Theme' },
      el('option', { value: 'auto' }, 'Auto theme'),
      el('option', { value: 'light' }, 'Light'),
      el('option', { value: 'dark' }, 'Dark'),
    );
    theme.value = savedTheme();
    theme.addEventListener('change', () => {
      applyTheme(root, theme.value as Theme);
      this.chart.refreshTheme();
    });
    applyTheme(root, theme.value as Theme);
    this.profileSelect.addEventListener('change', () => this.loadProfile());
    this.element = el(
      'div',
      { class: 'drover-dashboard' },
      el('header', { class: 'drover-topbar' }, el('h1', {}, 'Drover'), this.connection, theme),
      this.message,
      el(
        'main',
        { class: 'drover-layout' },
        el(
          'section',
          { class: 'drover-panel drover-new', 'aria-labelledby': 'drover-new-title' },
          el(
            'div',
            { class: 'drover-panel-head' },
            el('h2', { id: 'drover-new-title' }, 'New cluster'),
            this.profileSelect,
          ),
          el('div', { class: 'drover-form-slot' }),
        ),
        el(
          'section',
          { class: 'drover-panel drover-clusters', 'aria-labelledby': 'drover-clusters-title' },
          el('h2', { id: 'drover-clusters-title' }, 'Clusters'),
          this.empty,
          this.cardList,
        ),
        el(
          'section',
          { class: 'drover-panel drover-watch', 'aria-labelledby': 'drover-stream-title' },
          this.watchedTitle,
          this.chart.element,
          el(
            'div',
            { class: 'drover-watch-grid' },
            this.progress.element,
            this.workers.element,
            this.jobs.element,
          ),
        ),
      ),
    );
    root.append(this.element);
  }

  /** Loads the spec description and clusters, opens the event socket, starts drawing. */
  async start(): Promise<void> {
    const description = await this.api.spec();
    this.form = new ClusterForm({ api: this.api, description, onCreated: (c) => this.watch(c.name) });
    this.element.querySelector('.drover-form-slot')!.append(this.form.element);
    const form = this.form;
    const saver = new ProfileSaver(
      this.api,
      () => form.validSpec(),
      (profile) => void this.refreshProfiles(profile.name),
    );
    this.profileSelect.after(saver.element);
    void this.refreshProfiles();
    this.events = this.api.events(
      (event) => this.onEvent(event),
      (connected) => {
        this.connection.textContent = connected ? 'connected' : 'reconnecting…';
        this.connection.dataset.connected = String(connected);
      },
    );
    this.chart.start();
  }

  /** Stops drawing and closes the socket. */
  dispose(): void {
    this.chart.stop();
    this.events?.close();
  }

  /** Shows the task stream, workers and jobs of one cluster. */
  watch(name: string | null): void {
    this.watched = name;
    this.model.clear();
    this.watchedTitle.textContent = name === null ? 'Task stream' : `Task stream — ${name}`;
    for (const card of this.cards.values()) card.setWatched(card.name === name);
    this.progress.update([]);
    this.workers.update([]);
    this.events?.subscribe(name);
    if (name !== null)
      this.api
        .request<JobModel[]>('GET', `api/clusters/${encodeURIComponent(name)}/jobs`)
        .then((jobs) => this.jobs.reset(this.cards.get(name)?.element.dataset.batch === 'true' ? jobs : null))
        .catch(() => this.jobs.reset(null));
  }

  private onEvent(event: ServerEvent): void {
    switch (event.type) {
      case 'hello':
        for (const name of [...this.cards.keys()])
          if (!event.clusters.some((c) => c.name === name)) this.remove(name);
        for (const c of event.clusters) this.upsert(c);
        if (this.watched !== null) this.events?.subscribe(this.watched);
        return;
      case 'cluster':
        return this.upsert(event.cluster);
      case 'cluster-removed':
        return this.remove(event.name);
      case 'job':
        if (event.cluster === this.watched) this.jobs.update(event.job);
        return;
      case 'tasks':
        if (event.cluster !== this.watched) return;
        this.model.add(event.batch);
        this.progress.setGroupOrder(this.model.groups);
        return;
      case 'metrics':
        if (event.cluster !== this.watched) return;
        this.progress.update(event.groups);
        this.workers.update(event.workers);
        return;
    }
  }

  private upsert(model: ClusterModel): void {
    let card = this.cards.get(model.name);
    if (card) card.update(model);
    else {
      card = new ClusterCard(model, {
        api: this.api,
        onSelect: (n) => this.watch(n),
        onMessage: (t) => this.say(t),
      });
      this.cards.set(model.name, card);
      this.cardList.append(card.element);
    }
    card.element.dataset.batch = String(model.jobs !== null);
    this.empty.hidden = this.cards.size > 0;
    if (this.watched === null && model.state === 'running') this.watch(model.name);
    else card.setWatched(card.name === this.watched);
  }

  private remove(name: string): void {
    this.cards.get(name)?.element.remove();
    this.cards.delete(name);
    this.empty.hidden = this.cards.size > 0;
    if (this.watched === name) this.watch(null);
  }

  /** Reloads the saved profiles into the list; `selected` is shown as chosen (just saved). */
  private async refreshProfiles(selected = ''): Promise<void> {
    try {
      this.profiles = await this.api.profiles();
    } catch {
      this.profiles = [];
    }
    replaceChildren(
      this.profileSelect,
      el('option', { value: '' }, this.profiles.length ? 'Load a profile…' : 'No saved profiles'),
      ...this.profiles.map((p) => el('option', { value: p.name }, `${p.name} (${p.spec.kind})`)),
    );
    this.profileSelect.value = selected;
  }

  private loadProfile(): void {
    const profile = this.profiles.find((p) => p.name === this.profileSelect.value);
    if (profile) this.form?.load(profile.spec);
  }

  private say(text: string): void {
    this.message.textContent = text;
  }
}

/** Mounts the dashboard into `root` and starts it. */
export async function mountDashboard(root: HTMLElement, api: DroverApi): Promise<Dashboard> {
  const dashboard = new Dashboard(api, root);
  await dashboard.start();
  return dashboard;
}
