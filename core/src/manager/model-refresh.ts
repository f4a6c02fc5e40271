import type { ClusterModel } from './api-types.js';

/** Cluster cards refresh this often (task counts move without a status event). */
export const REFRESH_MS = 2000;

/**
 * Emits the models of clusters whose numbers moved since the last look, every 2 s while running:
 * counters such as task totals change without a cluster status event.
 */
export class ModelRefresh {
  private timer: NodeJS.Timeout | null = null;
  private readonly last = new Map<string, string>();

  constructor(
    private readonly list: () => ClusterModel[],
    private readonly changed: (model: ClusterModel) => void,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.last.clear();
  }

  private refresh(): void {
    const seen = new Set<string>();
    for (const model of this.list()) {
      seen.add(model.name);
      const text = JSON.stringify(model);
      if (this.last.get(model.name) === text) continue;
      this.last.set(model.name, text);
      this.changed(model);
    }
    for (const name of this.last.keys()) if (!seen.has(name)) this.last.delete(name);
  }
}
