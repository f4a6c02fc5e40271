import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LeftoverJobsFile, userStateDirectory } from '@drover/core';

const dir = mkdtempSync(join(tmpdir(), 'drover-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited (so no process has it, for now). */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
      .stdout,
  );
}

describe('leftover-jobs state file', () => {
  it('lives under $XDG_STATE_HOME/drover, else ~/.local/state/drover', () => {
    expect(userStateDirectory({ XDG_STATE_HOME: '/st' })).toBe('/st/drover');
    expect(userStateDirectory({ HOME: '/h' })).toMatch(/\.local\/state\/drover$/);
  });

  it('remembers submitted jobs in a private per-launcher file and removes it when none are left', async () => {
    const file = new LeftoverJobsFile(dir);
    await file.add({ jobId: '7', kind: 'slurm', cluster: 'c', submittedAt: '2026-01-01T00:00:00Z' });
    expect(JSON.parse(readFileSync(file.path, 'utf8')).jobs).toHaveLength(1);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    await file.remove(['7']);
    expect(() => statSync(file.path)).toThrow();
  });

  it('finds the jobs of a launcher that died, and not those of a live one (this process)', async () => {
    const pid = Number(deadPid());
    const dead = new LeftoverJobsFile(dir, pid);
    await dead.add({ jobId: '42', kind: 'sge', cluster: 'old', submittedAt: '2026-01-01T00:00:00Z' });
    const live = new LeftoverJobsFile(dir);
    await live.add({ jobId: '43', kind: 'sge', cluster: 'now', submittedAt: '2026-01-01T00:00:00Z' });
    const orphans = await new LeftoverJobsFile(dir, 1).findOrphans();
    expect(orphans.map((o) => o.pid)).toEqual([pid]);
    expect(orphans[0]!.jobs.map((j) => j.jobId)).toEqual(['42']);
    await live.remove(['43']);
    await dead.forget(orphans[0]!);
    expect(await new LeftoverJobsFile(dir, 1).findOrphans()).toEqual([]);
  });
});
