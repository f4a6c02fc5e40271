import type {
  ClusterModel,
  GroupProgress,
  JobModel,
  ProfileModel,
  ServerEvent,
  SpecDescription,
  WorkerModel,
} from '../manager/api-types.js';
import { ClusterFormModel } from './cluster-form-model.js';
import type { AdaptBounds, EventSubscription, ManagerPort, NotifyKind, ScaleTarget } from './manager-port.js';
import { Signal } from './signal.js';
import { TaskStreamModel } from './task-stream-model.js';

/** What changed in a {@link DashboardModel}; views redraw only what they show. */
export type DashboardChange =
  | 'description'
  | 'clusters'
  | 'watched'
  | 'connection'
  | 'metrics'
  | 'jobs'
  | 'tasks'
  | 'profiles'
  | 'message';

/** Options of {@link DashboardModel}. */
export interface DashboardModelOptions {
  /** Watch the first running cluster when none is watched (default true). */
  autoWatch?: boolean;
}

/**
 * The state behind every Drover view: the manager's clusters, the watched cluster and its task
 * stream, workers, progress and jobs, the connection, the profiles and the new-cluster form.
 *
 * #### Notes
 * Each model opens its own event subscription, so several models (two dashboards in one page, a
 * JupyterLab sidebar and a main-area panel with different clusters) can share one port. Views that
 * should show the same watched cluster share one model.
 */
export class DashboardModel {
  readonly changed = new Signal<DashboardChange>();
  readonly stream = new TaskStreamModel();
  description: SpecDescription | null = null;
  /** The new-cluster form; null until the spec description has arrived. */
  form: ClusterFormModel | null = null;
  readonly clusters = new Map<string, ClusterModel>();
  watched: string | null = null;
  connected = false;
  workers: readonly WorkerModel[] = [];
  groups: readonly GroupProgress[] = [];
  /** The watched cluster's batch jobs; null for a local cluster (or none watched). */
  jobs: Map<string, JobModel> | null = null;
  profiles: ProfileModel[] = [];
  /** The profile last saved or loaded, for the profile list. */
  selectedProfile = '';
  /** The last thing that happened, for a status line. */
  message = '';
  private events: EventSubscription | null = null;
  private starting: Promise<void> | null = null;
  private readonly autoWatch: boolean;

  constructor(
    readonly port: ManagerPort,
    options: DashboardModelOptions = {},
  ) {
    for (const key of Object.keys(options))
      if (key !== 'autoWatch')
        throw new TypeError(`DashboardModel: unknown option ${key}; it takes autoWatch`);
    this.autoWatch = options.autoWatch ?? true;
  }

  /** Loads the spec description and profiles and opens the event stream (once; later calls wait for it). */
  start(): Promise<void> {
    this.starting ??= this.open();
    return this.starting;
  }

  private async open(): Promise<void> {
    this.description = await this.port.spec();
    this.form = new ClusterFormModel(this.port, this.description, (created) => {
      // Known before its first event, so watching it knows its kind; an event that came first is newer.
      if (!this.clusters.has(created.name)) this.upsert(created);
      this.watch(created.name);
    });
    this.changed.emit('description');
    void this.refreshProfiles();
    this.events = this.port.events(
      (event) => this.onEvent(event),
      (connected) => {
        this.connected = connected;
        this.changed.emit('connection');
      },
    );
  }

  /** Closes the event stream; views of this model should be disposed first. */
  dispose(): void {
    this.events?.close();
    this.events = null;
  }

  /** Shows the task stream, workers and jobs of one cluster (null: none). */
  watch(name: string | null): void {
    this.watched = name;
    this.stream.clear();
    this.workers = [];
    this.groups = [];
    this.jobs = null;
    this.events?.subscribe(name);
    this.changed.emit('watched');
    this.changed.emit('metrics');
    this.changed.emit('jobs');
    if (name === null || this.clusters.get(name)?.jobs === null) return;
    this.port
      .jobs(name)
      .then((jobs) => {
        if (this.watched !== name) return;
        this.jobs = new Map(jobs.map((j) => [j.jobId, j]));
        this.changed.emit('jobs');
      })
      .catch((e: Error) => this.say(`Jobs of ${name}: ${e.message}`, 'error'));
  }

  /** Sets a cluster's size; the outcome goes to {@link message}. */
  scale(name: string, target: ScaleTarget): Promise<void> {
    const n = typeof target === 'number' ? target : Object.values(target)[0];
    return this.act(`Scaling ${name} to ${n}`, () => this.port.scale(name, target));
  }

  /** Adapts a cluster between bounds, or stops adapting. */
  adapt(name: string, bounds: AdaptBounds): Promise<void> {
    return this.act(`${bounds ? 'Adapting' : 'Stopped adapting'} ${name}`, () =>
      this.port.adapt(name, bounds),
    );
  }

  /** Shuts a cluster down. */
  close(name: string): Promise<void> {
    return this.act(`Shut down ${name}`, () => this.port.close(name));
  }

  /** Copies the code that connects a client to a cluster. */
  async copyClientCode(name: string): Promise<void> {
    const code = this.clusters.get(name)?.clientCode ?? '';
    try {
      await this.port.host.copyText(code);
      this.say(`Copied the client code of ${name}.`);
    } catch {
      this.say(`Client code of ${name}: ${code}`, 'warning');
    }
  }

  /** Reloads the saved profiles; `selected` is shown as chosen (e.g. just saved). */
  async refreshProfiles(selected = this.selectedProfile): Promise<void> {
    try {
      this.profiles = await this.port.profiles();
    } catch (e) {
      this.profiles = [];
      this.say(`Profiles could not be read: ${(e as Error).message}`, 'error');
    }
    this.selectedProfile = this.profiles.some((p) => p.name === selected) ? selected : '';
    this.changed.emit('profiles');
  }

  /** Shows a profile just saved in the list at once (a refresh from the manager follows). */
  profileSaved(profile: ProfileModel): void {
    this.profiles = [...this.profiles.filter((p) => p.name !== profile.name), profile].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    this.selectedProfile = profile.name;
    this.changed.emit('profiles');
    void this.refreshProfiles(profile.name);
  }

  /** Loads a saved profile into the form. */
  loadProfile(name: string): void {
    this.selectedProfile = name;
    const profile = this.profiles.find((p) => p.name === name);
    if (profile) this.form?.load(profile.spec);
    this.changed.emit('profiles');
  }

  /**
   * Sets the status line; warnings and errors also go to the host's notifications, since a view
   * placed alone (a sidebar) has no status line.
   */
  say(message: string, kind: NotifyKind = 'info'): void {
    this.message = message;
    this.changed.emit('message');
    if (kind === 'warning' || kind === 'error') this.port.host.notify(message, kind);
  }

  private async act(what: string, action: () => Promise<ClusterModel | void>): Promise<void> {
    try {
      const result = await action();
      if (result) this.upsert(result);
      this.say(`${what}: done.`);
    } catch (e) {
      this.say(`${what} failed: ${(e as Error).message}`, 'error');
    }
  }

  private onEvent(event: ServerEvent): void {
    switch (event.type) {
      case 'hello':
        for (const name of [...this.clusters.keys()])
          if (!event.clusters.some((c) => c.name === name)) this.remove(name);
        for (const c of event.clusters) this.upsert(c);
        if (this.watched !== null) this.events?.subscribe(this.watched);
        return;
      case 'cluster':
        return this.upsert(event.cluster);
      case 'cluster-removed':
        return this.remove(event.name);
      case 'job':
        if (event.cluster !== this.watched) return;
        (this.jobs ??= new Map()).set(event.job.jobId, event.job);
        this.changed.emit('jobs');
        return;
      case 'tasks':
        if (event.cluster !== this.watched) return;
        this.stream.add(event.batch);
        this.changed.emit('tasks');
        return;
      case 'metrics':
        if (event.cluster !== this.watched) return;
        this.groups = event.groups;
        this.workers = event.workers;
        this.changed.emit('metrics');
        return;
    }
  }

  private upsert(cluster: ClusterModel): void {
    this.clusters.set(cluster.name, cluster);
    this.changed.emit('clusters');
    if (this.autoWatch && this.watched === null && cluster.state === 'running') this.watch(cluster.name);
  }

  private remove(name: string): void {
    if (!this.clusters.delete(name)) return;
    this.changed.emit('clusters');
    if (this.watched === name) this.watch(null);
  }
}
