import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importJobqueueSpecs, validateClusterSpec } from '@drover/core/manager';

const DROVER = fileURLToPath(new URL('../../core/bin/drover.mjs', import.meta.url));

// As dask-jobqueue's docs show it (~/.config/dask/jobqueue.yaml).
const JOBQUEUE_YAML = `
jobqueue:
  slurm:
    cores: 8
    memory: 16GB
    processes: 2
    walltime: '01:00:00'
    queue: regular
    job-extra-directives: ['--exclusive']
  pbs:
    cores: 4
    memory: 8GB
    resource-spec: select=1:ncpus=4:mem=8GB
`;

describe("dask-jobqueue's jobqueue.yaml", () => {
  it('becomes one valid Dask-engine spec per batch section', () => {
    const imported = importJobqueueSpecs(JOBQUEUE_YAML);
    expect(imported.map((i) => i.spec)).toEqual([
      {
        kind: 'slurm',
        engine: 'dask',
        scale: 0,
        options: {
          cores: 8,
          memory: '16GB',
          processes: 2,
          walltime: '01:00:00',
          queue: 'regular',
          jobExtraDirectives: ['--exclusive'],
        },
      },
      {
        kind: 'pbs',
        engine: 'dask',
        scale: 0,
        options: { cores: 4, memory: '8GB', resourceSpec: 'select=1:ncpus=4:mem=8GB' },
      },
    ]);
    for (const { spec } of imported) expect(validateClusterSpec(spec).engine).toBe('dask');
  });

  it('bad text is an error naming the field', () => {
    expect(() => importJobqueueSpecs('jobqueue: [')).toThrow(/jobqueue: not valid YAML/);
    expect(() => importJobqueueSpecs(42)).toThrow(/yaml: send/);
  });

  it('drover import-jobqueue prints the specs and saves them as profiles with --save', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-import-'));
    try {
      writeFileSync(join(dir, 'jobqueue.yaml'), JOBQUEUE_YAML);
      const profiles = join(dir, 'profiles.yaml');
      const out = execFileSync(
        'node',
        [DROVER, 'import-jobqueue', join(dir, 'jobqueue.yaml'), '--save', '--profiles-file', profiles],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect((JSON.parse(out) as { kind: string }[]).map((s) => s.kind)).toEqual(['slurm', 'pbs']);
      const saved = readFileSync(profiles, 'utf8');
      expect(saved).toMatch(/jobqueue-slurm/);
      expect(saved).toMatch(/jobqueue-pbs/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
