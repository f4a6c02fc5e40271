import * as assert from 'node:assert/strict';
import type { ClusterModel } from '@drover/core/ui';
import { parseSize, toClusterScale } from '../../src/commands/scale-target';
import { jobDescription, pendingSummary, timeOfDay, walltimeSeconds } from '../../src/tree/job-text';

suite('what the tree, the notification and Scale… compute', () => {
  test('the pending notification reads "2 jobs pending: Resources, est. start HH:MM"', () => {
    const at = '2026-12-03T14:02:00';
    assert.equal(
      pendingSummary([{ reason: 'Resources', estimatedStart: at }, { reason: 'Resources' }]),
      `2 jobs pending: Resources, est. start ${timeOfDay(at)}`,
    );
    assert.equal(pendingSummary([{ reason: '' }]), '1 job pending');
  });

  test('a running job shows its walltime left; a pending one its reason', () => {
    const started = Date.parse('2026-12-03T10:00:00Z');
    const cluster = { spec: { kind: 'slurm', options: { walltime: '01:00:00' } } } as unknown as ClusterModel;
    const job = {
      jobId: '7',
      state: 'running',
      submittedAt: '',
      startedAt: new Date(started).toISOString(),
    } as const;
    assert.equal(jobDescription(job, cluster, started + 25 * 60_000), 'running, 35:00 walltime left');
    assert.equal(
      jobDescription({ jobId: '8', state: 'pending', reason: 'Priority', submittedAt: '' }, cluster),
      'pending: Priority',
    );
    assert.equal(walltimeSeconds('1-02:00:00'), 26 * 3600);
    assert.equal(walltimeSeconds('30'), 1800);
  });

  test('Scale… converts cores, workers and memory into jobs of the cluster', () => {
    const batch = {
      name: 'b',
      jobs: {},
      spec: { kind: 'slurm', options: { cores: 8, processes: 2, memory: '16GB' } },
    } as unknown as ClusterModel;
    assert.equal(toClusterScale(batch, 'cores', 20), 3);
    assert.equal(toClusterScale(batch, 'workers', 5), 3);
    assert.equal(toClusterScale(batch, 'memory', parseSize('40GB')!), 3);
    assert.equal(toClusterScale(batch, 'jobs', 4), 4);
    const local = { name: 'l', jobs: null, spec: { kind: 'local', options: {} } } as unknown as ClusterModel;
    assert.match(String(toClusterScale(local, 'memory', 1e9)), /options\.memoryLimit is not set on l/);
    assert.equal(parseSize('512MiB'), 512 * 2 ** 20);
  });
});
