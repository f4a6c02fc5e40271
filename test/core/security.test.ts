import { describe, expect, it } from 'vitest';
import { Client, type SchedulerStatus, type TaskEvent } from '@drover/core';
import { startCluster } from '../helpers/cluster.js';

describe('tokens', () => {
  it('a client with the wrong token is refused with a clear reason', async () => {
    const { cluster } = await startCluster({ workers: 1 });
    await expect(Client.connect({ address: cluster.schedulerAddress, token: 'wrong' })).rejects.toThrow(
      /invalid token.*\(code 4001\)/,
    );
    await expect(Client.connect(cluster.schedulerAddress)).rejects.toThrow(/no token/);
  });

  it('HTTP: /health is open, /status and /metrics need the token', async () => {
    const { cluster, client } = await startCluster({ workers: 2 });
    await client.gather(client.map((x: number) => x, [1, 2, 3]));
    const base = cluster.scheduler.httpUrl;
    expect(await (await fetch(`${base}/health`)).text()).toBe('ok');
    expect((await fetch(`${base}/status`)).status).toBe(401);
    expect((await fetch(`${base}/status?token=nope`)).status).toBe(401);
    const status = (await (
      await fetch(`${base}/status`, { headers: { authorization: `Bearer ${cluster.token}` } })
    ).json()) as SchedulerStatus;
    expect(status.workers).toHaveLength(2);
    expect(status.tasks.byState.memory).toBe(3);
    expect(Object.keys(status.tasks.byGroup)).toEqual(['lambda']);
    const metrics = await (await fetch(`${base}/metrics?token=${cluster.token}`)).text();
    expect(metrics).toMatch(/^drover_workers\{status="running"\} 2$/m);
    expect(metrics).toMatch(/^drover_tasks\{state="memory"\} 3$/m);
    expect(metrics).toMatch(/^drover_tasks_completed_total 3$/m);
    const stream = (await (await fetch(`${base}/task-stream?since=0&token=${cluster.token}`)).json()) as {
      events: TaskEvent[];
    };
    expect(stream.events.filter((e: { outcome: string }) => e.outcome === 'memory')).toHaveLength(3);
  });
});
