// Why a Grid Engine job waits: qstat -xml has only state codes, one qstat -j for all pending jobs
// adds the scheduler's own words.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandRunner, parseSchedulingInfo, pollJobs, sge } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { fixture, ok } from './conformance-cases.js';
import { REAL_SYSTEMS } from './helpers/real-systems.js';

const dir = mkdtempSync(join(tmpdir(), 'drover-sge-pending-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SGE pending reasons', () => {
  it('reads the scheduling info of each job from captured qstat -j output', () => {
    expect(parseSchedulingInfo(ok(fixture('sge-qstat-j-pending.txt')))).toEqual(
      new Map([
        ['2', 'Job is in hold state'],
        ['3', 'cannot run in PE "smp" because it only offers 0 slots'],
      ]),
    );
    // A scheduler that collects no job information says so in parentheses: no reason then.
    const off =
      '==============================================================\njob_number:                 7\nscheduling info:            (Collecting of scheduler job information is turned off)\n';
    expect(parseSchedulingInfo(ok(off))).toEqual(new Map());
  });

  describe('on the real Grid Engine', () => {
    let stop: () => Promise<void> = async () => {};
    beforeAll(async () => {
      stop = await REAL_SYSTEMS.find((s) => s.kind === 'sge')!.up();
    }, 600_000);
    afterAll(() => stop());

    it('a job asking for more slots than exist is pending with the scheduler’s reason', async () => {
      const script = join(dir, 'wide.sh');
      writeFileSync(script, '#!/bin/bash\nsleep 30\n');
      const id = execFileSync('qsub', ['-terse', '-N', 'drover-too-wide', '-pe', 'smp', '100', script], {
        encoding: 'utf8',
        cwd: dir,
      }).trim();
      onCleanup(() => void execFileSync('qdel', [id], { stdio: 'ignore' }));
      let reason = '';
      for (let i = 0; i < 40 && !reason.includes('cannot run'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 500)); // the scheduler looks every few seconds
        const state = (await pollJobs(sge, [id], commandRunner())).get(id);
        expect(state?.state).toBe('pending');
        reason = state?.state === 'pending' ? state.reason : '';
      }
      // Other lines may come first (a queue instance another test disabled); they are joined with "; ".
      expect(reason).toMatch(
        /(^|; )cannot run in PE "smp" because it only offers \d+ slots(; .*)? \(queued \(qw\)\)$/,
      );
    });
  });
});
