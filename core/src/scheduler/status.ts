import type { WorkerMetrics } from '../protocol/messages.js';
import type { TaskGraph } from './task-graph.js';
import type { TaskState } from './task-record.js';
import type { ThroughputMeter } from './throughput.js';
import type { DepartedWorker, WorkerRecord, WorkerStatus } from './worker-record.js';

/** What a status snapshot is built from (a `Scheduler`). */
export interface StatusSource {
  readonly id: string;
  readonly address: string;
  readonly startedAt: number;
  readonly clients: ReadonlyMap<number, unknown>;
  readonly workers: ReadonlyMap<number, WorkerRecord>;
  readonly departed: readonly DepartedWorker[];
  readonly graph: TaskGraph;
  readonly throughput: ThroughputMeter;
}

/** One worker in the status snapshot. */
export interface WorkerSummary {
  id: number;
  name: string;
  host: string;
  pid: number;
  dataAddress: string;
  jobId: string | null;
  nthreads: number;
  resources: Record<string, number>;
  pools: string[];
  memoryLimit: number | null;
  deadline: number | null;
  status: WorkerStatus;
  processing: number;
  holding: number;
  joinedAt: number;
  lastSeen: number;
  metrics: WorkerMetrics | null;
}

/** The JSON at `/status` and in answer to the `status` operation. */
export interface SchedulerStatus {
  id: string;
  address: string;
  started: string;
  uptimeSeconds: number;
  clients: number;
  workers: WorkerSummary[];
  departedWorkers: DepartedWorker[];
  tasks: {
    total: number;
    byState: Record<TaskState, number>;
    byGroup: Record<string, Record<TaskState, number>>;
  };
  throughput: { tasksPerSecond: number; completed: number };
  process: { pid: number; rss: number; heapUsed: number };
}

export function buildStatus(scheduler: StatusSource): SchedulerStatus {
  const byGroup: Record<string, Record<TaskState, number>> = {};
  for (const group of scheduler.graph.groups.values())
    if (group.total > 0) byGroup[group.name] = { ...group.counts };
  const memory = process.memoryUsage();
  return {
    id: scheduler.id,
    address: scheduler.address,
    started: new Date(scheduler.startedAt).toISOString(),
    uptimeSeconds: (Date.now() - scheduler.startedAt) / 1000,
    clients: scheduler.clients.size,
    workers: [...scheduler.workers.values()].map((w) => ({
      id: w.id,
      name: w.name,
      host: w.identity.host,
      pid: w.identity.pid,
      dataAddress: w.identity.dataAddress,
      jobId: w.identity.jobId,
      nthreads: w.identity.nthreads,
      resources: w.identity.resources,
      pools: w.identity.pools,
      memoryLimit: w.identity.memoryLimit,
      deadline: w.identity.deadline,
      status: w.status,
      processing: w.processing.size,
      holding: w.holding.size,
      joinedAt: w.joinedAt,
      lastSeen: w.lastSeen,
      metrics: w.metrics,
    })),
    departedWorkers: scheduler.departed.slice(-100),
    tasks: { total: scheduler.graph.tasks.size, byState: scheduler.graph.countByState(), byGroup },
    throughput: { tasksPerSecond: scheduler.throughput.perSecond(), completed: scheduler.throughput.total },
    process: { pid: process.pid, rss: memory.rss, heapUsed: memory.heapUsed },
  };
}

/** The status as Prometheus text exposition (version 0.0.4). */
export function toPrometheus(status: SchedulerStatus): string {
  const lines: string[] = [];
  const metric = (name: string, help: string, type: string, samples: Array<[string, number]>): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  const label = (value: string): string =>
    value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const statuses = ['running', 'paused', 'retiring'];
  metric(
    'drover_workers',
    'Connected workers by status.',
    'gauge',
    statuses.map((s) => [`{status="${s}"}`, status.workers.filter((w) => w.status === s).length]),
  );
  metric(
    'drover_tasks',
    'Tasks the scheduler knows, by state.',
    'gauge',
    Object.entries(status.tasks.byState).map(([state, n]) => [`{state="${state}"}`, n]),
  );
  metric('drover_tasks_completed_total', 'Task executions that finished (in memory or erred).', 'counter', [
    ['', status.throughput.completed],
  ]);
  metric('drover_tasks_per_second', 'Finished tasks per second over the last 5 s.', 'gauge', [
    ['', status.throughput.tasksPerSecond],
  ]);
  metric('drover_clients', 'Connected clients.', 'gauge', [['', status.clients]]);
  metric(
    'drover_worker_departures_total',
    'Workers that left, by reason.',
    'counter',
    Object.entries(countBy(status.departedWorkers.map((d) => d.reason))).map(([r, n]) => [
      `{reason="${r}"}`,
      n,
    ]),
  );
  metric(
    'drover_worker_cpu_percent',
    'Worker process CPU use.',
    'gauge',
    status.workers.map((w) => [`{worker="${label(w.name)}"}`, w.metrics?.cpu ?? 0]),
  );
  metric(
    'drover_worker_rss_bytes',
    'Worker process resident memory.',
    'gauge',
    status.workers.map((w) => [`{worker="${label(w.name)}"}`, w.metrics?.rss ?? 0]),
  );
  metric('drover_scheduler_rss_bytes', 'Scheduler process resident memory.', 'gauge', [
    ['', status.process.rss],
  ]);
  return lines.join('\n') + '\n';
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
