import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build, stop } from 'esbuild';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ClusterModel } from '@drover/core';
import { addressOf, runTasks } from '../helpers/api.js';
import { openBrowser, screenshot } from '../helpers/browser.js';
import { onCleanup } from '../helpers/cluster.js';
import { privateHome, startServe } from '../helpers/serve.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ui');
const CORE = join(import.meta.dirname, '..', '..', 'core');

/**
 * Serves the host page of two dashboards on 127.0.0.1: its HTML, its own layout, Drover's built
 * stylesheet and its script, bundled from the package's `/ui` entry point as a host's build would.
 */
async function serveHostPage(): Promise<{ origin: string }> {
  const result = await build({
    entryPoints: [join(FIXTURES, 'two-dashboards.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110'],
    write: false,
    logLevel: 'warning',
  });
  await stop(); // esbuild's service process is a child of the test, which must leave none
  const files: Record<string, [string, string]> = {
    '/two.html': [readFileSync(join(FIXTURES, 'two-dashboards.html'), 'utf8'), 'text/html'],
    '/two-dashboards.css': [readFileSync(join(FIXTURES, 'two-dashboards.css'), 'utf8'), 'text/css'],
    '/dashboard.css': [readFileSync(join(CORE, 'dist', 'ui', 'dashboard.css'), 'utf8'), 'text/css'],
    '/two-dashboards.js': [result.outputFiles[0]!.text, 'text/javascript'],
  };
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://host').pathname];
    if (!file) return response.writeHead(404).end();
    response
      .writeHead(200, {
        'content-type': `${file[1]}; charset=utf-8`,
        // As strict as the manager's own page: scripts and styles from here, data from the manager.
        'content-security-policy':
          "default-src 'none'; script-src 'self'; style-src 'self'; connect-src http://127.0.0.1:* ws://127.0.0.1:*; img-src data:",
      })
      .end(file[0]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('two dashboards in one page', () => {
  it('each is driven on its own: a cluster started in one shows in both, each watches its own cluster', async () => {
    // The host page is served from an origin of its own, as a JupyterLab or VS Code page would be,
    // and reaches the real manager through the base URL it is given (CORS allowed for that origin).
    const host = await serveHostPage();
    const serve = await startServe(privateHome(), ['--cors-origin', host.origin]);
    const { page } = await openBrowser();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const query = new URLSearchParams({ manager: `${serve.url}/`, token: serve.token });
    await page.goto(`${host.origin}/two.html?${query}`);
    await page.locator('body[data-ready="true"]').waitFor();
    await expect
      .poll(() => page.locator('.drover-connection').allTextContents())
      .toEqual(['connected', 'connected']);
    const a = page.locator('#a');
    const b = page.locator('#b');

    // Ids are unique in the page, and every label finds its input inside its own dashboard.
    const ids = await page.evaluate(() => Array.from(document.querySelectorAll('[id]')).map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
    const strayLabels = await page.evaluate(
      () =>
        Array.from(document.querySelectorAll('label[for]')).filter((label) => {
          const input = document.getElementById(label.getAttribute('for')!);
          return !input || input.closest('.drover-root') !== label.closest('.drover-root');
        }).length,
    );
    expect(strayLabels).toBe(0);

    // The forms are separate: what is typed in one changes neither the other form nor its preview.
    await a.getByLabel('Kind').selectOption('slurm');
    await a.getByLabel('Cores').fill('8');
    await a.locator('[data-field="options.memory"] input').fill('16GB');
    await a.getByLabel('Queue').fill('long');
    await expect.poll(() => a.getByTestId('preview').textContent()).toContain('#SBATCH -p long');
    expect(await b.getByLabel('Kind').inputValue()).toBe('local');
    await expect.poll(() => b.getByTestId('preview').textContent()).toContain('LocalCluster');
    expect(await b.getByTestId('preview').textContent()).not.toContain('#SBATCH');

    // A cluster started in A shows in both.
    await a.getByLabel('Kind').selectOption('local');
    await a.getByLabel('Cluster name').fill('one');
    await a.getByLabel('Start with').fill('1');
    await a.getByRole('button', { name: 'Start cluster' }).click();
    const connected = (root: Locator, name: string) =>
      root.locator(`[data-cluster="${name}"] [data-figure="workers"]`).textContent();
    for (const root of [a, b])
      await expect.poll(() => connected(root, 'one'), { timeout: 20_000 }).toBe('1 connected / 1 requested');

    // A cluster started in B shows in both; B watches the cluster it started, A keeps its own.
    await b.getByLabel('Cluster name').fill('two');
    await b.getByLabel('Start with').fill('1');
    await b.getByRole('button', { name: 'Start cluster' }).click();
    for (const root of [a, b])
      await expect.poll(() => connected(root, 'two'), { timeout: 20_000 }).toBe('1 connected / 1 requested');
    await a.locator('[data-cluster="one"]').getByRole('button', { name: 'Watch tasks' }).click();
    await b.locator('[data-cluster="two"]').getByRole('button', { name: 'Watch tasks' }).click();
    const title = (root: Locator) => root.locator('.drover-stream-title').textContent();
    await expect.poll(() => title(a)).toBe('Task stream — one');
    await expect.poll(() => title(b)).toBe('Task stream — two');
    expect(
      await a
        .locator('[data-cluster="one"]')
        .getByRole('button', { name: 'Watch tasks' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    expect(
      await b
        .locator('[data-cluster="one"]')
        .getByRole('button', { name: 'Watch tasks' })
        .getAttribute('aria-pressed'),
    ).toBe('false');

    // The list and the stream of a third model, placed apart: a watch in the list moves the stream.
    const list = page.locator('#split-list');
    const stream = page.locator('#split-stream');
    expect(await list.getAttribute('class')).toContain('drover-root');
    await expect.poll(() => list.locator('.drover-card').count()).toBe(2);
    expect(await title(stream)).toBe('Task stream');
    await list.locator('[data-cluster="two"]').getByRole('button', { name: 'Watch tasks' }).click();
    await expect.poll(() => title(stream)).toBe('Task stream — two');

    // Tasks on one reach A's stream only; tasks on two reach B's only.
    const clusters = (await serve.call('GET', '/api/clusters')).body as ClusterModel[];
    const address = (name: string) => addressOf(clusters.find((c) => c.name === name)!.clientCode);
    const summary = (root: Locator) => root.locator('.drover-stream-summary').textContent();
    // The task groups each dashboard's stream model holds.
    const groups = (index: number) =>
      page.evaluate(
        (i) =>
          (window as unknown as { dashboards: { model: { stream: { groups: string[] } } }[] }).dashboards[i]!
            .model.stream.groups,
        index,
      );
    await runTasks(address('one'), 300, 'alpha', 1);
    await expect.poll(() => summary(a), { timeout: 10_000 }).toMatch(/ 300 tasks received/);
    expect(await groups(0)).toEqual(['alpha']);
    await runTasks(address('two'), 200, 'beta', 1);
    await expect.poll(() => summary(b), { timeout: 10_000 }).toMatch(/ 200 tasks received/);
    expect(await groups(1)).toEqual(['beta']);
    await expect.poll(() => summary(stream), { timeout: 10_000 }).toMatch(/ 200 tasks received/);
    expect(await groups(0)).toEqual(['alpha']);
    expect(await summary(a)).toMatch(/ 300 tasks received/);
    const workers = (root: Locator) =>
      root
        .locator('.drover-workers tbody tr[data-worker]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-worker')));
    await expect.poll(() => workers(a)).toEqual([expect.stringMatching(/^one-/)]);
    await expect.poll(() => workers(b)).toEqual([expect.stringMatching(/^two-/)]);
    await screenshot(page, '08-two-dashboards');

    // Shutting one down from B removes it from both; A, which watched it, no longer does.
    await b.locator('[data-cluster="one"]').getByRole('button', { name: 'Shut down' }).click();
    for (const root of [a, b])
      await expect.poll(() => root.locator('[data-cluster="one"]').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => title(a)).not.toBe('Task stream — one');
    expect(await title(b)).toBe('Task stream — two');
    await b.locator('[data-cluster="two"]').getByRole('button', { name: 'Shut down' }).click();
    await expect.poll(() => a.locator('.drover-card').count(), { timeout: 20_000 }).toBe(0);
    expect((await serve.call('GET', '/api/clusters')).body).toEqual([]);

    expect(pageErrors).toEqual([]);
  }, 120_000);
});
