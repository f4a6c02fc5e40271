import type { GpuId } from './gpu-devices.js';

/**
 * A worker's own accounting of what its running tasks use: resource amounts, GPU indices, and the
 * lane (slot number) each task is drawn in on the task stream.
 */
export class LocalResources {
  private readonly used: Record<string, number> = {};
  private readonly freeGpus: GpuId[];
  private readonly lanes: boolean[] = [];

  /** `gpuIds`: the devices this worker hands out (default 0…gpus−1); tasks get disjoint ones. */
  constructor(
    readonly capacity: Readonly<Record<string, number>>,
    private readonly gpuIds: readonly GpuId[] = Array.from(
      { length: Math.floor(capacity.gpus ?? 0) },
      (_, i) => String(i),
    ),
  ) {
    for (const name of Object.keys(capacity)) this.used[name] = 0;
    this.freeGpus = [...gpuIds];
  }

  fits(demand: Readonly<Record<string, number>>): boolean {
    for (const name in demand) {
      if ((this.used[name] ?? 0) + demand[name]! > (this.capacity[name] ?? 0)) return false;
    }
    return true;
  }

  /** Takes what `demand` asks for; returns the lane and GPU indices given to the task. */
  take(demand: Readonly<Record<string, number>>): { lane: number; gpuIds: GpuId[] } {
    for (const name in demand) this.used[name] = (this.used[name] ?? 0) + demand[name]!;
    const gpuIds = this.freeGpus.splice(0, Math.ceil(demand.gpus ?? 0));
    let lane = this.lanes.indexOf(false);
    if (lane < 0) lane = this.lanes.push(true) - 1;
    else this.lanes[lane] = true;
    return { lane, gpuIds };
  }

  give(demand: Readonly<Record<string, number>>, lane: number, gpuIds: GpuId[]): void {
    for (const name in demand) this.used[name] = (this.used[name] ?? 0) - demand[name]!;
    this.freeGpus.push(...gpuIds);
    this.freeGpus.sort((a, b) => this.gpuIds.indexOf(a) - this.gpuIds.indexOf(b));
    this.lanes[lane] = false;
  }
}
