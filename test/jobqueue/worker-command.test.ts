import { statSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  droverBinPath,
  JobQueueConfigError,
  resolveJob,
  workerArgv,
  writeTokenFile,
  renderJobScript,
} from '@drover/core';

const conn = { address: 'ws://10.1.2.3:9000', tokenFile: '/shared/t.token' };
const dir = mkdtempSync(join(tmpdir(), 'drover-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('worker command line', () => {
  it('runs this node and the absolute drover bin by default, with the engine CLI flags', () => {
    const argv = workerArgv(
      resolveJob('slurm', { cores: 8, memory: '16GB', resources: { licence: 2 }, gpus: 4 }),
      conn,
      'c-3',
    );
    expect(argv.slice(0, 3)).toEqual([process.execPath, droverBinPath(), 'worker']);
    expect(droverBinPath()).toMatch(/\/core\/bin\/drover\.mjs$/);
    expect(argv.slice(3)).toEqual([
      'ws://10.1.2.3:9000',
      '--token-file',
      '/shared/t.token',
      '--name',
      'c-3',
      '--nthreads',
      '2',
      '--nworkers',
      '4',
      '--memory-limit',
      '4000000000',
      '--resources',
      'gpus=1,licence=2',
      '--lifetime',
      '1710',
      '--death-timeout',
      '60',
    ]);
  });

  it('passes the memory thresholds to the workers and refuses a restart below the pause', () => {
    const argv = workerArgv(
      resolveJob('slurm', { cores: 2, memory: '4GB', memoryPause: 0.7, memoryRestart: 0 }),
      conn,
      'w',
    );
    expect(argv.join(' ')).toContain('--memory-pause 0.7 --memory-restart 0');
    expect(() =>
      resolveJob('slurm', { cores: 2, memory: '4GB', memoryPause: 0.9, memoryRestart: 0.85 }),
    ).toThrow(/memoryRestart: 0.85 is below the pause threshold 0.9/);
    expect(() => resolveJob('slurm', { cores: 2, memory: '4GB', memoryPause: 1.2 })).toThrow(/memoryPause/);
  });

  it('connects through a scheduler file instead of address and token when given one', () => {
    const argv = workerArgv(
      resolveJob('pbs', { cores: 1, memory: '1GB' }),
      { schedulerFile: '/shared/sched.json' },
      'w',
    );
    expect(argv).toContain('--scheduler-file');
    expect(argv).not.toContain('--token-file');
  });

  it("passes a wss:// scheduler's certificate files to the workers, checked for shell safety", () => {
    const job = resolveJob('slurm', { cores: 1, memory: '1GB' });
    const tls = { cert: '/shared/tls/node.pem', key: '/shared/tls/node.key', ca: '/shared/tls/ca.pem' };
    const argv = workerArgv(job, { address: 'wss://10.1.2.3:9000', tokenFile: '/t', tls }, 'w');
    const flags = argv.slice(argv.indexOf('--tls-cert'), argv.indexOf('--tls-cert') + 6);
    expect(flags).toEqual(['--tls-cert', tls.cert, '--tls-key', tls.key, '--tls-ca', tls.ca]);
    // A self-signed certificate is its own authority.
    const selfSigned = workerArgv(
      job,
      { address: 'wss://h:1', tokenFile: '/t', tls: { cert: '/c.pem', key: '/k.pem' } },
      'w',
    );
    expect(selfSigned.slice(selfSigned.indexOf('--tls-ca'), selfSigned.indexOf('--tls-ca') + 2)).toEqual([
      '--tls-ca',
      '/c.pem',
    ]);
    expect(() =>
      workerArgv(job, { address: 'wss://h:1', tokenFile: '/t', tls: { cert: '/c.pem; id', key: '/k' } }, 'w'),
    ).toThrow(/^tls\.cert: /);
  });

  it('sets --lifetime to walltime minus the margin: default max(60 s, 5 %), or as configured', () => {
    const life = (o: object) => resolveJob('slurm', { cores: 1, memory: '1GB', ...o }).lifetimeSeconds;
    expect(life({ walltime: '00:30:00' })).toBe(1710); // 5 % of 30 min = 90 s > 60 s
    expect(life({ walltime: '10:00:00' })).toBe(34200);
    expect(life({ walltime: 1 })).toBe(30); // never more than half a very short walltime
    expect(life({ walltime: '01:00:00', lifetimeMargin: 300 })).toBe(3300);
    expect(life({ walltime: '01:00:00', lifetimeMargin: '10%' })).toBe(3240);
    expect(life({ walltime: '01:00:00', workerLifetime: false })).toBeNull();
  });

  it('refuses an address that is not ws(s):// and a worker name with shell syntax', () => {
    expect(() =>
      workerArgv(
        resolveJob('slurm', { cores: 1, memory: '1GB' }),
        { address: 'tcp://x:1; id', tokenFile: '/t' },
        'w',
      ),
    ).toThrow(JobQueueConfigError);
    expect(() => renderJobScript('slurm', { cores: 1, memory: '1GB' }, { workerName: 'w$(id)' })).toThrow(
      /^workerName: /,
    );
  });

  it('writes the token to a 0600 file the job script points at', async () => {
    const path = await writeTokenFile(join(dir, 'state'), 's3cret');
    expect(readFileSync(path, 'utf8')).toBe('s3cret\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'state')).mode & 0o077).toBe(0);
  });
});
