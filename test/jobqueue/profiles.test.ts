import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultProfilesPath,
  deleteProfile,
  JobQueueConfigError,
  loadProfiles,
  saveProfile,
} from '@drover/core';

const dir = mkdtempSync(join(tmpdir(), 'drover-profiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('named profiles in YAML', () => {
  it('lives in $XDG_CONFIG_HOME/drover/profiles.yaml, else ~/.config/drover/profiles.yaml', () => {
    expect(defaultProfilesPath({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/drover/profiles.yaml');
    expect(defaultProfilesPath({ HOME: '/home/u' })).toMatch(/\.config\/drover\/profiles\.yaml$/);
  });

  it('saves, loads and deletes profiles; a missing file means none', async () => {
    const path = join(dir, 'a', 'profiles.yaml');
    expect((await loadProfiles(path)).size).toBe(0);
    await saveProfile(
      'big-slurm',
      { kind: 'slurm', options: { cores: 8, memory: '16GB', queue: 'regular' } },
      path,
    );
    await saveProfile(
      'lsf-small',
      { kind: 'lsf', options: { cores: 2, memory: '4GB', walltime: '00:45' } },
      path,
    );
    expect(readFileSync(path, 'utf8')).toContain('big-slurm:');
    const profiles = await loadProfiles(path);
    expect(profiles.get('big-slurm')).toEqual({
      kind: 'slurm',
      options: { cores: 8, memory: '16GB', queue: 'regular' },
    });
    expect(profiles.get('lsf-small')?.options.walltime).toBe('00:45');
    await deleteProfile('big-slurm', path);
    expect([...(await loadProfiles(path)).keys()]).toEqual(['lsf-small']);
  });

  it('refuses an invalid profile, naming profiles.<name>.<field>', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(
      path,
      'profiles:\n  gpu:\n    kind: slurm\n    cores: 4\n    memory: 8GB\n    queue: "gpu; reboot"\n',
    );
    await expect(loadProfiles(path)).rejects.toMatchObject({ field: 'profiles.gpu.queue' });
    writeFileSync(path, 'profiles:\n  x:\n    kind: htcondor\n    cores: 1\n    memory: 1GB\n');
    await expect(loadProfiles(path)).rejects.toMatchObject({ field: 'profiles.x.kind' });
    writeFileSync(path, 'profiles: [\n');
    await expect(loadProfiles(path)).rejects.toBeInstanceOf(JobQueueConfigError);
    await expect(
      saveProfile('ok', { kind: 'pbs', options: { cores: 0, memory: '1GB' } }, path),
    ).rejects.toMatchObject({ field: 'profiles.ok.cores' });
  });
});
