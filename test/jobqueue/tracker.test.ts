// JobTracker on replayed real SLURM outputs (test/fixtures/captured): what it emits and records as a
// job moves through the queue. The real batch systems are exercised in real-batch-systems.test.ts.
import { describe, expect, it } from 'vitest';
import {
  JobTracker,
  resolveJob,
  slurm,
  type BatchCommand as CommandSpec,
  type TrackedJob,
} from '@drover/core';
import { fixture, ok } from './conformance-cases.js';

/** A runner that answers each command with the next captured output for that program. */
function replay(outputs: Record<string, ReturnType<typeof ok>[]>): {
  run: (s: CommandSpec) => Promise<ReturnType<typeof ok>>;
  calls: string[];
} {
  const calls: string[] = [];
  return {
    calls,
    run: async (spec) => {
      calls.push([spec.file, ...spec.args].join(' '));
      const queue = outputs[spec.file];
      if (!queue || queue.length === 0) throw new Error(`unexpected command ${spec.file}`);
      return queue.length > 1 ? queue.shift()! : queue[0]!;
    },
  };
}

const job = resolveJob('slurm', { cores: 1, memory: '100MB', logDirectory: '/shared/logs' });

describe('JobTracker', () => {
  it('follows jobs with one squeue call per poll and records start, queue wait, end and why', async () => {
    const { run, calls } = replay({
      sbatch: [ok('12\n'), ok('14\n')],
      squeue: [ok(fixture('squeue-pending-running.txt')), ok(fixture('squeue-finished.txt'))],
    });
    const tracker = new JobTracker({ system: slurm, run });
    const events: string[] = [];
    tracker.on('state', (j: TrackedJob) => events.push(`${j.jobId} ${j.state.state}`));
    await tracker.submit(job, '#!/bin/bash\n');
    await tracker.submit(job, '#!/bin/bash\n');
    await tracker.poll();
    expect(tracker.get('12')).toMatchObject({
      state: { state: 'running', node: 'vm' },
      stdoutPath: '/shared/logs/drover-worker-12.out',
    });
    expect(tracker.get('12')!.queueWaitMs).toBeGreaterThanOrEqual(0);
    expect(tracker.get('14')!.state).toMatchObject({ state: 'pending', reason: 'Resources' });
    await tracker.poll();
    expect(tracker.get('12')).toMatchObject({ endReason: 'completed' });
    expect(tracker.get('14')).toMatchObject({ endReason: 'walltime', endDetail: 'TIMEOUT (TimeLimit)' });
    expect(tracker.get('12')!.startedAt).toBeInstanceOf(Date);
    expect(tracker.get('14')!.startedAt).toBeUndefined(); // never seen running: no made-up start time
    expect(events).toEqual([
      '12 pending',
      '14 pending',
      '12 running',
      '14 pending',
      '12 finished',
      '14 failed',
    ]);
    expect(calls.filter((c) => c.startsWith('squeue'))).toEqual([
      'squeue --noheader --states=all --jobs=12,14 --format=%i|%T|%r|%S|%N',
      'squeue --noheader --states=all --jobs=12,14 --format=%i|%T|%r|%S|%N',
    ]);
    await tracker.poll(); // nothing live: no command at all
    expect(calls.filter((c) => c.startsWith('squeue'))).toHaveLength(2);
  });

  it('a job that vanished without a record ends as unknown after a few polls, or as cancelled if we cancelled it', async () => {
    const { run } = replay({
      sbatch: [ok('20\n'), ok('21\n')],
      squeue: [ok('', fixture('squeue-unknown-job.stderr'), 1)],
      sacct: [ok('', 'Slurm accounting storage is disabled\n', 1)],
      scontrol: [ok('JobCompType             = jobcomp/none\n')],
      scancel: [ok('')],
    });
    const tracker = new JobTracker({ system: slurm, run, missingPolls: 2 });
    await tracker.submit(job, '#!/bin/bash\n');
    await tracker.submit(job, '#!/bin/bash\n');
    await tracker.cancel(['21']);
    await tracker.poll();
    expect(tracker.get('20')!.endReason).toBeUndefined();
    await tracker.poll();
    expect(tracker.get('20')).toMatchObject({
      endReason: 'unknown',
      state: { state: 'failed', reason: 'unknown' },
    });
    expect(tracker.get('21')).toMatchObject({ endReason: 'cancelled', state: { state: 'cancelled' } });
  });

  it('reports a failing status command as pollError while polling on an interval', async () => {
    const { run } = replay({
      sbatch: [ok('30\n')],
      squeue: [ok('', 'slurm_load_jobs error: Unable to contact slurm controller', 1)],
    });
    const tracker = new JobTracker({ system: slurm, run, intervalMs: 20 });
    await tracker.submit(job, '#!/bin/bash\n');
    const error = new Promise<Error>((resolve) => tracker.once('pollError', resolve));
    tracker.start();
    const e = await error;
    tracker.stop();
    expect(e.message).toContain('Unable to contact slurm controller');
    expect(e.message).toContain('squeue --noheader');
  });
});
