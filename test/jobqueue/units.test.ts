import { describe, expect, it } from 'vitest';
import {
  formatHms,
  formatLsfMemory,
  formatLsfWalltime,
  formatPbsMemory,
  formatSgeMemory,
  formatSlurmMemory,
  formatSlurmWalltime,
  JobQueueConfigError,
  parseBytes,
  parseWalltime,
} from '@drover/core';

describe('memory sizes', () => {
  it('parses sizes the way dask does: SI units, binary "i" units, bare letters SI, numbers as bytes', () => {
    expect(parseBytes('16GB')).toBe(16e9);
    expect(parseBytes('16GiB')).toBe(2 ** 34);
    expect(parseBytes('16G')).toBe(16e9);
    expect(parseBytes('1.5 gb')).toBe(1.5e9);
    expect(parseBytes('512MiB')).toBe(512 * 2 ** 20);
    expect(parseBytes(12345)).toBe(12345);
  });

  it('refuses text that is not a size, naming the field', () => {
    expect(() => parseBytes('lots', 'memory')).toThrow(JobQueueConfigError);
    expect(() => parseBytes('16 parsecs', 'memory')).toThrow(/memory: "16 parsecs" is not a size/);
    expect(() => parseBytes(-1, 'memory')).toThrow(/memory/);
  });

  it('SLURM --mem rounds up in binary units, as dask-jobqueue (28GB → 27G, 1GB → 954M)', () => {
    expect(formatSlurmMemory(28e9)).toBe('27G');
    expect(formatSlurmMemory(16e9)).toBe('15G');
    expect(formatSlurmMemory(1e9)).toBe('954M');
    expect(formatSlurmMemory(2 ** 31)).toBe('2G');
    expect(formatSlurmMemory(15e9)).toBe('14G');
    expect(formatSlurmMemory(12345678)).toBe('12M');
    expect(formatSlurmMemory(1234)).toBe('2K');
    expect(formatSlurmMemory(12)).toBe('1K');
  });

  it('PBS mem= uses binary units from ten of them (16GB → 15GB, 1GB → 954MB, 2GiB → 2048MB)', () => {
    expect(formatPbsMemory(28e9)).toBe('27GB');
    expect(formatPbsMemory(16e9)).toBe('15GB');
    expect(formatPbsMemory(1e9)).toBe('954MB');
    expect(formatPbsMemory(2 ** 31)).toBe('2048MB');
    expect(formatPbsMemory(1234567890)).toBe('1178MB');
    expect(formatPbsMemory(500)).toBe('500B');
  });

  it('LSF limits are whole numbers in LSF_UNIT_FOR_LIMITS (binary), rounded up', () => {
    expect(formatLsfMemory(16e9, 'KB')).toBe('15625000');
    expect(formatLsfMemory(16e9, 'MB')).toBe('15259');
    expect(formatLsfMemory(16e9, 'GB')).toBe('15');
    expect(formatLsfMemory(2 ** 34, 'GB')).toBe('16');
    expect(formatLsfMemory(1, 'GB')).toBe('1');
  });

  it('SGE memory values carry a binary K/M/G suffix', () => {
    expect(formatSgeMemory(16e9)).toBe('15G');
    expect(formatSgeMemory(100e6)).toBe('96M');
  });
});

describe('walltime', () => {
  it.each([
    ['01:30:00', 5400],
    ['30:00', 1800],
    ['2-00:00:00', 172800],
    ['1-12', 129600],
    ['1-00:30', 88200],
    ['90', 5400],
    [90, 5400],
    ['100:00:00', 360000],
  ] as const)('parses %j as %d seconds', (text, seconds) => {
    expect(parseWalltime(text)).toBe(seconds);
  });

  it("reads two fields as LSF's HH:MM when asked (LSF walltimes), else as MM:SS", () => {
    expect(parseWalltime('01:30', 'walltime', true)).toBe(5400);
    expect(parseWalltime('01:30')).toBe(90);
  });

  it('refuses what is not a duration, naming the field and showing valid forms', () => {
    for (const bad of ['soon', '1:2:3:4', '00:61:00', '0', '', '-5', '1h']) {
      expect(() => parseWalltime(bad)).toThrow(/walltime: .* write HH:MM:SS/);
    }
  });

  it('formats per system: SLURM D-HH:MM:SS, PBS/SGE HH:MM:SS, LSF HH:MM rounded up (never seconds)', () => {
    expect(formatSlurmWalltime(5400)).toBe('01:30:00');
    expect(formatSlurmWalltime(2 * 86400 + 3661)).toBe('2-01:01:01');
    expect(formatHms(2 * 86400 + 3661)).toBe('49:01:01');
    expect(formatLsfWalltime(5400)).toBe('01:30');
    expect(formatLsfWalltime(5401)).toBe('01:31');
    expect(formatLsfWalltime(100 * 3600)).toBe('100:00');
  });
});
