import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findManager, managerFileDirectory } from '@drover/core';
import { onCleanup } from '../helpers/cluster.js';
import { isAlive, waitFor } from '../helpers/processes.js';
import { privateHome, startServe } from '../helpers/serve.js';

/** A private runtime dir for one test (as $XDG_RUNTIME_DIR). */
function runtimeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-runtime-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const filesIn = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

describe('the manager file drover serve writes for notebook kernels', () => {
  it('is $XDG_RUNTIME_DIR/drover/serve-<pid>.json, mode 0600 in a 0700 directory, with url, token, pid and start time', async () => {
    const runtime = runtimeDir();
    const serve = await startServe({ ...privateHome(), XDG_RUNTIME_DIR: runtime });
    const path = join(runtime, 'drover', `serve-${serve.pid}.json`);
    await waitFor(
      () => filesIn(join(runtime, 'drover')).includes(`serve-${serve.pid}.json`),
      5000,
      'the file',
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(runtime, 'drover')).mode & 0o777).toBe(0o700);
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(file).toEqual({ url: serve.url, token: serve.token, pid: serve.pid, started: expect.any(String) });
    expect(Date.now() - Date.parse(file.started as string)).toBeLessThan(60_000);
    // What a kernel finds with nothing else set.
    expect(findManager({ XDG_RUNTIME_DIR: runtime })).toEqual({
      url: serve.url,
      token: serve.token,
      source: path,
    });
  });

  it('without XDG_RUNTIME_DIR it goes to $XDG_STATE_HOME/drover/run', async () => {
    const home = privateHome();
    const serve = await startServe({ ...home, XDG_RUNTIME_DIR: '' });
    const dir = join(home.XDG_STATE_HOME, 'drover', 'run');
    expect(managerFileDirectory({ XDG_STATE_HOME: home.XDG_STATE_HOME })).toBe(dir);
    expect(managerFileDirectory({ HOME: '/home/u' })).toBe('/home/u/.local/state/drover/run');
    await waitFor(() => filesIn(dir).includes(`serve-${serve.pid}.json`), 5000, 'the manager file');
  });

  for (const [how, stop] of [
    ['SIGTERM', (s: Awaited<ReturnType<typeof startServe>>) => s.process.stop('SIGTERM')],
    ['SIGINT', (s: Awaited<ReturnType<typeof startServe>>) => s.process.stop('SIGINT')],
    [
      'the end of stdin (--exit-with-stdin)',
      async (s: Awaited<ReturnType<typeof startServe>>) => {
        s.process.child.stdin!.end();
        await waitFor(() => !isAlive(s.pid), 5000, 'drover serve to exit');
      },
    ],
  ] as const) {
    it(`is removed when drover serve stops on ${how}`, async () => {
      const runtime = runtimeDir();
      const serve = await startServe({ ...privateHome(), XDG_RUNTIME_DIR: runtime }, ['--exit-with-stdin']);
      const dir = join(runtime, 'drover');
      await waitFor(() => filesIn(dir).includes(`serve-${serve.pid}.json`), 5000, 'the manager file');
      await stop(serve);
      expect(filesIn(dir)).toEqual([]);
    });
  }

  it('the file of a manager that died is skipped by kernels and removed by the next drover serve', async () => {
    const runtime = runtimeDir();
    const dir = join(runtime, 'drover');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // pid 2^22 + 1 is above Linux's pid_max: no such process.
    const dead = { url: 'http://127.0.0.1:1', token: 'old', pid: 4194305, started: new Date().toISOString() };
    writeFileSync(join(dir, 'serve-4194305.json'), JSON.stringify(dead), { mode: 0o600 });
    expect(() => findManager({ XDG_RUNTIME_DIR: runtime })).toThrow(
      /no running Drover manager found .*start one with `drover serve`/,
    );
    const serve = await startServe({ ...privateHome(), XDG_RUNTIME_DIR: runtime });
    await waitFor(() => filesIn(dir).includes(`serve-${serve.pid}.json`), 5000, 'the new manager file');
    expect(filesIn(dir)).toEqual([`serve-${serve.pid}.json`]);
  });

  it('kernels take DROVER_MANAGER_FILE first, then DROVER_MANAGER_URL with DROVER_TOKEN, then the newest live file', async () => {
    const runtime = runtimeDir();
    const first = await startServe({ ...privateHome(), XDG_RUNTIME_DIR: runtime });
    const second = await startServe({ ...privateHome(), XDG_RUNTIME_DIR: runtime });
    const dir = join(runtime, 'drover');
    await waitFor(
      () => [first, second].every((s) => filesIn(dir).includes(`serve-${s.pid}.json`)),
      5000,
      'two manager files',
    );
    expect(findManager({ XDG_RUNTIME_DIR: runtime }).url).toBe(second.url);
    const firstFile = join(dir, `serve-${first.pid}.json`);
    expect(findManager({ XDG_RUNTIME_DIR: runtime, DROVER_MANAGER_FILE: firstFile }).url).toBe(first.url);
    expect(
      findManager({ XDG_RUNTIME_DIR: runtime, DROVER_MANAGER_URL: 'http://127.0.0.1:9/', DROVER_TOKEN: 't' }),
    ).toEqual({ url: 'http://127.0.0.1:9', token: 't', source: 'DROVER_MANAGER_URL' });
    expect(() => findManager({ DROVER_MANAGER_URL: 'http://127.0.0.1:9' })).toThrow(
      /DROVER_MANAGER_URL is set but DROVER_TOKEN is not/,
    );
    expect(() => findManager({ DROVER_MANAGER_FILE: join(dir, 'nope.json') })).toThrow(
      /DROVER_MANAGER_FILE names .*nope\.json, which is missing/,
    );
  });
});
