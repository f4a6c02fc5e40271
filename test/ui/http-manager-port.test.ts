import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ApiRequestError, HttpManagerPort, type HostHooks, type ServerEvent } from '@drover/core/ui';
import { onCleanup } from '../helpers/cluster.js';
import { privateHome, startServe } from '../helpers/serve.js';

/** Host hooks that keep what they are given, as a host without a page (a test, an editor) would. */
function recordingHost(): HostHooks & { state: Map<string, unknown> } {
  const state = new Map<string, unknown>();
  return {
    state,
    saveFile: async () => undefined,
    copyText: async () => undefined,
    uiState: { get: <T>(key: string) => state.get(key) as T | undefined, set: (k, v) => state.set(k, v) },
    notify: () => undefined,
  };
}

describe('HttpManagerPort', () => {
  it('with Node fetch and ws injected: requests, errors that name the field, and the event stream', async () => {
    const serve = await startServe(privateHome());
    const port = new HttpManagerPort({
      baseUrl: `${serve.url}/`,
      token: serve.token,
      fetch,
      WebSocket,
      host: recordingHost(),
    });

    const description = await port.spec();
    expect(description.kinds.map((k) => k.kind)).toContain('slurm');
    const spec = { kind: 'slurm' as const, options: { cores: 4, memory: '8GB', walltime: '01:00:00' } };
    expect((await port.render(spec)).script).toContain('#SBATCH --cpus-per-task=4');
    const exported = await port.export(spec);
    expect(exported.fileName).toMatch(/\.sh$/);
    expect(exported.text).toContain('#SBATCH -t 01:00:00');

    // A bad field: the error names it.
    const refused = await port
      .render({ ...spec, options: { ...spec.options, walltime: 'soon' } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiRequestError);
    expect(refused).toMatchObject({ status: 400, code: 'invalid-spec', field: 'options.walltime' });

    // The stream: a hello with no clusters, then the cluster started through the port.
    const events: ServerEvent[] = [];
    const states: boolean[] = [];
    const stream = port.events(
      (e) => events.push(e),
      (connected) => states.push(connected),
    );
    onCleanup(() => stream.close());
    await expect.poll(() => events.find((e) => e.type === 'hello')).toMatchObject({ clusters: [] });
    const created = await port.create({ kind: 'local', name: 'via-port', scale: 1 });
    expect(created.name).toBe('via-port');
    onCleanup(async () => {
      await port.close('via-port').catch(() => undefined);
    });
    stream.subscribe('via-port');
    await expect
      .poll(
        () =>
          events.some(
            (e) => e.type === 'cluster' && e.cluster.name === 'via-port' && e.cluster.workers.connected === 1,
          ),
        { timeout: 20_000 },
      )
      .toBe(true);
    await expect.poll(() => events.some((e) => e.type === 'metrics' && e.cluster === 'via-port')).toBe(true);
    expect(states[0]).toBe(true);

    expect((await port.scale('via-port', 2)).workers.requested).toBe(2);
    expect(await port.jobs('via-port')).toEqual([]);
    const noLog = await port.jobLog('via-port', '1').catch((e: unknown) => e);
    expect(noLog).toMatchObject({ status: 404, code: 'no-jobs' });
    expect((await port.metrics('via-port')).workers.length).toBeGreaterThan(0);

    await port.saveProfile('small', { kind: 'local', scale: 1 });
    expect((await port.profiles()).map((p) => p.name)).toEqual(['small']);
    await port.deleteProfile('small');
    expect(await port.profiles()).toEqual([]);

    await port.close('via-port');
    await expect
      .poll(() => events.some((e) => e.type === 'cluster-removed' && e.name === 'via-port'))
      .toBe(true);
    expect(await port.clusters()).toEqual([]);
    stream.close();
    const after = events.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toHaveLength(after);
  });

  it('refuses an option it does not know and a base URL without the closing slash', () => {
    const options = { baseUrl: 'http://127.0.0.1:1/', token: '', fetch, WebSocket, host: recordingHost() };
    expect(() => new HttpManagerPort({ ...options, cache: true } as never)).toThrow(
      'HttpManagerPort: unknown option cache',
    );
    expect(() => new HttpManagerPort({ ...options, baseUrl: 'http://127.0.0.1:1' })).toThrow(
      /ending in "\/"/,
    );
  });
});
