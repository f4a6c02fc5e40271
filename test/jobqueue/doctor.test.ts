// `drover doctor`: what a compute node needs, checked from inside a real SLURM job (--srun) with the
// single-file bundle, and a failing check that says what to fix.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultInstallation, placeWorkerBundle, Scheduler, workerBundleIn } from '@drover/core';
import { DROVER_CLI } from '../helpers/processes.js';
import { ensureSlurm } from './helpers/slurm-up.js';

const run = promisify(execFile);
const shared = mkdtempSync(join(tmpdir(), 'drover-doctor-'));
afterAll(() => rmSync(shared, { recursive: true, force: true }));

async function doctor(script: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [script, 'doctor', ...args], {
      cwd: shared,
      timeout: 120_000,
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('drover doctor', () => {
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    stop = await ensureSlurm();
  }, 600_000);
  afterAll(() => stop());

  it('inside a SLURM job, with only the bundle: node, the shared path, the bundle and the scheduler pass', async () => {
    const scheduler = await Scheduler.start({ host: '127.0.0.1' });
    try {
      const bundle = workerBundleIn(shared, defaultInstallation());
      await placeWorkerBundle(bundle);
      const { code, out } = await doctor(bundle.path, [
        '--srun',
        '--path',
        shared,
        '--bundle',
        bundle.path,
        '--sha256',
        bundle.sha256,
        '--scheduler',
        scheduler.address,
      ]);
      expect(out).toMatch(/^✓ node v\d+/m);
      expect(out).toMatch(/^✓ SLURM job \d+; no GPUs assigned$/m);
      expect(out).toContain(`✓ ${shared} exists and is writable`);
      expect(out).toContain(`✓ worker bundle ${bundle.path} intact`);
      expect(out).toContain(`✓ scheduler ${scheduler.address} reachable`);
      expect(code).toBe(0);
    } finally {
      await scheduler.close();
    }
  }, 180_000);

  it('a failing check exits 1 and says what to fix', async () => {
    const notADirectory = join(shared, 'file');
    writeFileSync(notADirectory, '');
    const { code, out } = await doctor(DROVER_CLI, [
      '--path',
      notADirectory,
      '--scheduler',
      'ws://127.0.0.1:9',
    ]);
    expect(out).toContain(`✗ ${notADirectory} is not a directory`);
    expect(out).toMatch(/✗ scheduler ws:\/\/127\.0\.0\.1:9: connect ECONNREFUSED .*is it running/);
    expect(out).toContain('2 check(s) failed');
    expect(code).toBe(1);
  });
});
