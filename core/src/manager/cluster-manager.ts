import { EventEmitter } from 'node:events';
import { LeftoverJobsFile } from '../jobqueue/leftover-jobs.js';
import { cancelLeftoverJobs, cancelOrphanedJobs } from '../jobqueue/orphans.js';
import { userStateDirectory } from '../jobqueue/default-paths.js';
import { defaultInstallation, type Installation } from '../installation.js';
import { addLogSink, createLogger } from '../logger.js';
import type { ClusterManagerOptions } from './cluster-manager-options.js';
import type {
  ConnectionModel,
  ClusterModel,
  DryRunModel,
  GroupProgress,
  JobModel,
  ProfileModel,
  RenderResult,
  ServerEvent,
  SpecDescription,
  WorkerModel,
} from './api-types.js';
import { adoptionKey, findAdoptions, type Adoption } from './adoption.js';
import { createCluster } from './cluster-factory.js';
import { workersOf } from './scale-request.js';
import { isDaskCluster } from '../dask/dask-cluster.js';
import type { SharedDaskScheduler } from '../dask/shared-scheduler.js';
import { ManagerError, notFound } from './errors.js';
import { readJobLog, type JobLogRequest } from './job-log.js';
import { ManagedCluster } from './managed-cluster.js';
import type { ManagerEvents } from './manager-events.js';
import { ManagerSession, type SessionOptions } from './manager-session.js';
import { ModelRefresh } from './model-refresh.js';
import { renderPreview } from './preview.js';
import { ProfileStore } from './profile-store.js';
import { describeSpec, dryRunSpec, exportPreview, type ExportedScript } from './spec-actions.js';
import { adaptBounds, checkClusterSpec, validateClusterSpec, type ValidSpec } from './spec/validate-spec.js';
import { checkLocalFits } from './spec/machine-limits.js';
import { ClusterStateStore, clusterRecord, type DeadManager } from './state-store.js';

const log = createLogger('manager');

/** Worker metrics, per-group progress and the task rate of one cluster. */
export interface ClusterMetrics {
  workers: WorkerModel[];
  groups: GroupProgress[];
  tasksPerSecond: number;
}

/** Clusters one manager runs at once unless told otherwise (`drover serve --max-clusters`). */
export const DEFAULT_MAX_CLUSTERS = 16;

/**
 * Named clusters made from cluster specs: create, list, get, scale, adapt, close; saved profiles.
 *
 * #### Notes
 * Emits `cluster` (ClusterModel) when a cluster appears or changes, `cluster-removed` (name) when
 * it is gone, and `job` (cluster name, JobModel) on a batch job's change. Every cluster is written
 * to the state directory; when this process dies without closing them, the next manager starts
 * the clusters again from their specs, under the same names, and batch clusters take their jobs
 * over (their workers join the scheduler that comes back at the same address).
 *
 * The manager knows no transport: `drover serve` is an HTTP + WebSocket adapter over it, and a host
 * such as an editor's extension process uses it in-process, with {@link ClusterManager.openSession}
 * for the event stream.
 */
export class ClusterManager extends EventEmitter<ManagerEvents> {
  private readonly clusters = new Map<string, ManagedCluster>();
  private readonly counters = new Map<string, number>();
  private readonly sessions = new Set<ManagerSession>();
  private readonly refresh = new ModelRefresh(
    () => this.list(),
    (model) => this.emit('cluster', model),
  );
  readonly profiles: ProfileStore;
  private closed = false;
  /** Resolves when clusters of dead managers have been brought back (or failed to). */
  restored: Promise<void> = Promise.resolve();

  private removeLogSink: (() => void) | null = null;

  private constructor(
    readonly stateDirectory: string,
    private readonly store: ClusterStateStore,
    /** The Node binary and Drover installation workers run from. */
    readonly installation: Installation,
    profilesPath?: string,
    private readonly maxClusters = DEFAULT_MAX_CLUSTERS,
  ) {
    super();
    this.profiles = new ProfileStore(profilesPath);
  }

  /**
   * Opens a manager: re-adopts the clusters of dead managers and their jobs, cancels other orphaned
   * jobs.
   *
   * ```ts
   * const manager = await ClusterManager.open({ nodePath: '/usr/bin/node', installRoot, logSink: (r) => panel.append(r.text) });
   * const session = manager.openSession((event) => view.post(event));
   * await manager.create({ kind: 'local', scale: 2 });
   * ```
   */
  static async open(options: ClusterManagerOptions = {}): Promise<ClusterManager> {
    const stateDirectory = options.stateDirectory ?? userStateDirectory();
    const defaults = defaultInstallation();
    const manager = new ClusterManager(
      stateDirectory,
      new ClusterStateStore(stateDirectory),
      {
        nodePath: options.nodePath ?? defaults.nodePath,
        installRoot: options.installRoot ?? defaults.installRoot,
      },
      options.profilesPath,
      options.maxClusters,
    );
    if (options.logSink) manager.removeLogSink = addLogSink(options.logSink, options.logLevel);
    const restore = options.restore ?? true;
    const leftovers = new LeftoverJobsFile(stateDirectory);
    const dead = restore ? await manager.store.findDead() : [];
    // Jobs of batch clusters that come back are followed again, not cancelled.
    const adoptions = await findAdoptions(dead, leftovers);
    const kept = new Set([...adoptions.values()].flatMap((a) => a.jobs.map((job) => job.jobId)));
    const cleanup = await cancelOrphanedJobs(leftovers, {}, kept);
    if (cleanup.cancelled.length > 0)
      log.warn(
        `cancelled ${cleanup.cancelled.length} jobs of a manager that died: ${cleanup.cancelled.join(', ')}`,
      );
    for (const error of cleanup.errors) log.error('could not cancel the jobs of a manager that died', error);
    if (restore) manager.restored = manager.restoreDead(dead, adoptions);
    return manager;
  }

  /** Validates a spec and starts the cluster; resolves with its model once it runs. */
  async create(input: unknown, restoredAt?: string, adoption?: Adoption): Promise<ClusterModel> {
    if (this.closed) throw new ManagerError(503, 'shutting-down', 'the manager is shutting down');
    const checked = checkClusterSpec(input, this.installation);
    const spec = checked.spec;
    const name = spec.name ?? this.nextName(spec.kind);
    if (this.clusters.has(name))
      throw new ManagerError(
        409,
        'conflict',
        `a cluster named ${JSON.stringify(name)} exists; choose another name or shut it down first`,
        'name',
      );
    if (this.clusters.size >= this.maxClusters)
      throw new ManagerError(
        429,
        'too-many-clusters',
        `this manager runs ${this.clusters.size} clusters, its limit; shut one down first (or start drover serve with a higher --max-clusters)`,
      );
    const shared = spec.joins === undefined ? undefined : this.sharedScheduler(spec.joins);
    const managed = new ManagedCluster(name, { ...spec, name }, Date.now(), restoredAt);
    this.clusters.set(name, managed);
    this.emit('cluster', managed.model());
    try {
      const cluster = await createCluster(checked, name, this.installation, adoption, shared);
      managed.attach(cluster);
    } catch (error) {
      this.clusters.delete(name);
      this.emit('cluster-removed', name);
      throw error;
    }
    managed.on('changed', () => this.emit('cluster', managed.model()));
    managed.on('job', (job: JobModel) => this.emit('job', name, job));
    await this.persist(managed);
    if (this.closed) {
      await this.close(name); // shut down while it was starting
      throw new ManagerError(503, 'shutting-down', 'the manager shut down while the cluster was starting');
    }
    const model = managed.model();
    this.emit('cluster', model);
    return model;
  }

  list(): ClusterModel[] {
    return [...this.clusters.values()].map((c) => c.model());
  }

  get(name: string): ClusterModel {
    return this.managed(name).model();
  }

  /** The cluster behind a name, for metrics, jobs and the task stream. */
  managed(name: string): ManagedCluster {
    const managed = this.clusters.get(name);
    if (!managed) throw notFound('cluster', name);
    return managed;
  }

  /** Scales to `n` workers (a batch cluster submits the jobs they need); stops adaptive scaling first. */
  async scale(name: string, n: unknown): Promise<ClusterModel> {
    const managed = this.running(name);
    const count = workersOf(n, managed.spec);
    if (managed.spec.kind === 'local') checkLocalFits(count, managed.spec.options, 'scale');
    managed.cluster!.stopAdapting();
    await managed.cluster!.scale(count);
    managed.spec = { ...managed.spec, scale: count, adapt: null };
    await this.persist(managed);
    return this.changed(managed);
  }

  /** Adapts between bounds, or (null) stops adapting and keeps the current size. */
  async adapt(name: string, bounds: unknown): Promise<ClusterModel> {
    const adapt = adaptBounds(bounds);
    const managed = this.running(name);
    if (adapt && managed.spec.kind === 'local')
      checkLocalFits(adapt.maximum, managed.spec.options, 'adapt.maximum');
    if (adapt === null) managed.cluster!.stopAdapting();
    else managed.cluster!.adapt(adapt);
    managed.spec = { ...managed.spec, adapt };
    await this.persist(managed);
    return this.changed(managed);
  }

  /** Shuts a cluster down (its workers and jobs) and forgets it. */
  async close(name: string): Promise<void> {
    const managed = this.managed(name);
    // Clusters whose workers joined this one's scheduler cannot go on without it.
    const joined = [...this.clusters.values()].filter((c) => c.spec.joins === name && c.name !== name);
    await Promise.all(joined.map((c) => this.close(c.name)));
    managed.markClosing();
    try {
      await managed.cluster?.close();
    } finally {
      this.clusters.delete(name);
      await this.store.remove(name);
      this.emit('cluster-removed', name);
    }
  }

  /** The scheduler of the running Dask-engine cluster `name`, for a spec that joins it. */
  private sharedScheduler(name: string): SharedDaskScheduler {
    const host = this.clusters.get(name)?.cluster;
    if (!isDaskCluster(host))
      throw new ManagerError(
        400,
        'invalid-spec',
        `there is no running Dask-engine cluster ${JSON.stringify(name)} to join; start it first`,
        'joins',
      );
    return { scheduler: host.scheduler, tls: 'tls' in host ? host.tls : null };
  }

  /** Shuts every cluster down; the manager accepts no new ones afterwards and stops logging to its sink. */
  async closeAll(): Promise<void> {
    this.closed = true;
    await this.restored.catch(() => undefined);
    const names = [...this.clusters.values()].filter((c) => c.cluster !== null).map((c) => c.name);
    await Promise.all(
      names.map((n) => this.close(n).catch((e: Error) => log.error(`closing ${n} failed`, e))),
    );
    this.removeLogSink?.();
    this.removeLogSink = null;
  }

  /** Saved specs. */
  listProfiles(): Promise<ProfileModel[]> {
    return this.profiles.list();
  }

  /** One saved spec. @throws ManagerError `not-found`. */
  getProfile(name: string): Promise<ProfileModel> {
    return this.profiles.get(name);
  }

  /** Validates a spec and saves it under `name`, replacing a profile of that name. */
  saveProfile(name: string, spec: unknown): Promise<ProfileModel> {
    return this.profiles.save(name, spec);
  }

  /** Forgets a saved spec. @throws ManagerError `not-found`. */
  deleteProfile(name: string): Promise<void> {
    return this.profiles.remove(name);
  }

  /** What a form needs: kinds, fields, JSON Schema. */
  describeSpec(): SpecDescription {
    return describeSpec();
  }

  /** The live preview of a spec: the job script as it will be submitted, or local-cluster code. */
  render(spec: unknown): RenderResult {
    return renderPreview(checkClusterSpec(spec, this.installation), this.installation);
  }

  /** Asks the batch system whether it would accept the spec's job script. */
  dryRun(spec: unknown): Promise<DryRunModel> {
    return dryRunSpec(checkClusterSpec(spec, this.installation), this.installation);
  }

  /** The preview as a file to save (file name, media type, text). */
  exportScript(spec: unknown): ExportedScript {
    return exportPreview(this.render(spec));
  }

  /** Address, token and certificate authority of a cluster, for notebook kernels of this user. */
  connection(name: string): ConnectionModel {
    return this.managed(name).connection();
  }

  /** Workers, progress per task group and the task rate of a cluster. */
  metrics(name: string): ClusterMetrics {
    return this.managed(name).metrics();
  }

  /** A cluster's batch jobs (`[]` for local clusters). */
  jobs(name: string): JobModel[] {
    return this.managed(name).jobModels() ?? [];
  }

  /**
   * The job script a running batch cluster submits, with its real scheduler address (dask-jobqueue's
   * `cluster.job_script()`); a local cluster has none.
   */
  jobScript(name: string): RenderResult {
    const cluster = this.managed(name).cluster as { jobScript?: () => string } | null;
    if (typeof cluster?.jobScript !== 'function')
      throw new ManagerError(404, 'no-jobs', `cluster ${name} runs no batch jobs, so it has no job script`);
    return { script: cluster.jobScript(), fileName: `${name}.sh`, language: 'bash' };
  }

  /** The text of a batch job's stdout or stderr. */
  jobLog(name: string, jobId: string, request?: JobLogRequest): Promise<string> {
    return readJobLog(this.managed(name), jobId, request);
  }

  /**
   * Opens an event stream: `deliver` gets `hello` at once, then every cluster and job event, and
   * for the cluster the session watches, task batches and metrics. Close the session when done.
   */
  openSession(deliver: (event: ServerEvent) => void, options?: SessionOptions): ManagerSession {
    const session = new ManagerSession(this, deliver, options);
    this.sessions.add(session);
    this.refresh.start();
    return session;
  }

  /** @internal Called by a session when it closes. */
  sessionClosed(session: ManagerSession): void {
    this.sessions.delete(session);
    if (this.sessions.size === 0) this.refresh.stop();
  }

  private running(name: string): ManagedCluster {
    const managed = this.managed(name);
    if (!managed.cluster)
      throw new ManagerError(
        409,
        'not-running',
        `cluster ${JSON.stringify(name)} is still starting; try again when it runs`,
      );
    return managed;
  }

  private changed(managed: ManagedCluster): ClusterModel {
    const model = managed.model();
    this.emit('cluster', model);
    return model;
  }

  private nextName(kind: string): string {
    let n = this.counters.get(kind) ?? 0;
    let name: string;
    do name = `${kind}-${++n}`;
    while (this.clusters.has(name));
    this.counters.set(kind, n);
    return name;
  }

  private persist(managed: ManagedCluster): Promise<void> {
    return this.store.put(clusterRecord(managed));
  }

  /**
   * Starts the clusters of dead managers again, under their names and with their last size. A
   * batch cluster takes its jobs over when it can have its scheduler's address and token back;
   * otherwise those jobs are cancelled and it starts afresh.
   */
  private async restoreDead(dead: readonly DeadManager[], adoptions: Map<string, Adoption>): Promise<void> {
    for (const manager of dead) {
      for (const record of manager.clusters) {
        let spec: ValidSpec;
        try {
          spec = validateClusterSpec(record.spec);
        } catch (e) {
          log.error(`not restoring cluster ${record.name}: its saved spec is no longer valid`, e);
          continue;
        }
        log.warn(`restoring cluster ${record.name} of manager ${manager.pid}, which died without closing it`);
        const adoption = adoptions.get(adoptionKey(manager.pid, record.name));
        await this.restoreOne({ ...spec, name: record.name }, adoption).catch((e: Error) =>
          log.error(`could not restore cluster ${record.name}`, e),
        );
      }
      await this.store.forget(manager);
    }
  }

  private async restoreOne(spec: ValidSpec, adoption: Adoption | undefined): Promise<void> {
    const restoredAt = new Date().toISOString();
    if (adoption) {
      try {
        await this.create(spec, restoredAt, adoption);
        return;
      } catch (e) {
        log.warn(
          `cluster ${spec.name}: could not take its jobs over (${(e as Error).message}); cancelling them and starting afresh`,
        );
        await cancelLeftoverJobs(adoption.jobs);
      }
    }
    await this.create(spec, restoredAt);
  }
}
