import { describe, expect, it } from 'vitest';
import type { ClusterModel } from '@drover/core';
import { addressOf, runTasks } from '../helpers/api.js';
import { openBrowser, screenshot } from '../helpers/browser.js';
import { makeCertificates } from '../helpers/certificates.js';
import { onCleanup } from '../helpers/cluster.js';
import { privateHome, startServe } from '../helpers/serve.js';

describe('the dashboard in Chromium', () => {
  it('form with live preview and inline errors; start, watch tasks, scale and shut down a local cluster', async () => {
    const serve = await startServe(privateHome());
    const { page } = await openBrowser();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const creations: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/clusters')
        creations.push(r.postData() ?? '');
    });
    const offMachine: string[] = [];
    page.on('request', (r) => {
      if (
        !/^(http|ws):\/\/127\.0\.0\.1:/.test(r.url()) &&
        !r.url().startsWith('data:') &&
        !r.url().startsWith('blob:')
      )
        offMachine.push(r.url());
    });
    await page.goto(`${serve.url}/?token=${serve.token}`);
    await page.locator('.drover-connection[data-connected="true"]').waitFor();

    // The preview follows the form as one types.
    const preview = page.getByTestId('preview');
    await page.getByLabel('Kind').selectOption('slurm');
    await page.getByLabel('Cores').fill('8');
    await page.locator('[data-field="options.memory"] input').fill('16GB');
    await expect.poll(() => preview.textContent()).toContain('#SBATCH --cpus-per-task=8');
    await page.getByLabel('Walltime').fill('02:00:00');
    await expect.poll(() => preview.textContent()).toContain('#SBATCH -t 02:00:00');
    await page.getByLabel('Queue').fill('long');
    await expect.poll(() => preview.textContent()).toContain('#SBATCH -p long');
    await screenshot(page, '01-slurm-preview');

    // A bad value: an inline error under the field, start disabled, nothing submitted.
    await page.getByLabel('Walltime').fill('soon');
    const walltime = page.locator('[data-field="options.walltime"]');
    await expect.poll(() => walltime.locator('.drover-field-error').textContent()).toMatch(/not a duration/);
    expect(await walltime.locator('input').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Kind').selectOption('local');
    await page.getByLabel('Threads per worker').fill('two');
    const threads = page.locator('[data-field="options.threadsPerWorker"] .drover-field-error');
    await expect.poll(() => threads.textContent()).toMatch(/not a whole number/);
    const start = page.getByRole('button', { name: 'Start cluster' });
    expect(await start.isDisabled()).toBe(true);
    await page.locator('form.drover-cluster-form').evaluate((form: HTMLFormElement) => form.requestSubmit());
    await page.getByLabel('Threads per worker').press('Enter');
    await screenshot(page, '02-inline-error');
    expect(creations).toEqual([]);
    expect((await serve.call('GET', '/api/clusters')).body).toEqual([]);

    // Start a local cluster from the form.
    await page.getByLabel('Threads per worker').fill('1');
    await page.getByLabel('Cluster name').fill('demo');
    await page.getByLabel('Start with').fill('2');
    await expect.poll(() => start.isDisabled()).toBe(false);
    await start.click();
    const card = page.locator('[data-cluster="demo"]');
    await expect
      .poll(() => card.locator('[data-figure="workers"]').textContent(), { timeout: 20_000 })
      .toBe('2 connected / 2 requested');
    expect(creations).toHaveLength(1);

    // Run tasks from another process and see bars drawn in the stream.
    const model = (await serve.call('GET', '/api/clusters/demo')).body as ClusterModel;
    await runTasks(addressOf(model.clientCode), 3000, 'simulate', 1);
    const canvas = page.locator('canvas.drover-stream-canvas');
    await expect
      .poll(async () => Number(await canvas.getAttribute('data-rects-drawn')), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const coloured = await canvas.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(160, 0, c.width - 160, c.height - 30).data;
      let n = 0;
      // bars are the group colour #4e79a7; count pixels of it
      for (let i = 0; i < data.length; i += 4)
        if (data[i] === 0x4e && data[i + 1] === 0x79 && data[i + 2] === 0xa7) n++;
      return n;
    });
    expect(coloured).toBeGreaterThan(50);
    await expect
      .poll(() => page.locator('.drover-stream-summary').textContent())
      .toMatch(/3,000 tasks received/);
    await expect.poll(() => page.locator('.drover-workers tbody tr').count()).toBe(2);
    await canvas.focus();
    await page.keyboard.press('+'); // keyboard zoom
    await page.keyboard.press('Space'); // pause
    await screenshot(page, '03-task-stream');

    // Scale to 3 workers with the card's field and button.
    await card.locator('.drover-scale-input').fill('3');
    await card.getByRole('button', { name: 'Scale' }).click();
    await expect
      .poll(() => card.locator('[data-figure="workers"]').textContent(), { timeout: 20_000 })
      .toBe('3 connected / 3 requested');
    await screenshot(page, '04-scaled');

    // Shut it down.
    await card.getByRole('button', { name: 'Shut down' }).click();
    await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(0);
    expect((await serve.call('GET', '/api/clusters')).body).toEqual([]);
    await screenshot(page, '05-shut-down');

    expect(pageErrors).toEqual([]);
    expect(offMachine).toEqual([]);
    // A cluster, 3000 tasks, a scale-up and a browser on a 2-core machine shared with other tests.
  }, 120_000);

  it('save the form as a profile, change the form, load the profile back; a bad name sends nothing', async () => {
    const serve = await startServe(privateHome());
    const { page } = await openBrowser();
    const puts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT') puts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${serve.url}/?token=${serve.token}`);
    await page.locator('.drover-connection[data-connected="true"]').waitFor();
    await page.getByLabel('Kind').selectOption('slurm');
    await page.getByLabel('Cores').fill('8');
    await page.locator('[data-field="options.memory"] input').fill('16GB');
    await page.getByLabel('Queue').fill('gpu');
    // TLS files (advanced): the job script's workers get them.
    const certs = makeCertificates();
    onCleanup(() => certs.remove());
    await page.getByText('Advanced parameters').click();
    await page.getByLabel('TLS certificate', { exact: true }).fill(certs.cert);
    await page.getByLabel('TLS key').fill(certs.key);
    await expect.poll(() => page.getByTestId('preview').textContent()).toContain(`--tls-cert ${certs.cert}`);

    const status = page.locator('.drover-profile-saver [role="status"]');
    await page.getByLabel('Profile name').fill('gpu nodes');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => status.textContent()).toBe('A profile name uses letters, digits and _ . - only.');
    expect(puts).toEqual([]);

    await page.getByLabel('Profile name').fill('gpu-nodes');
    await page.getByLabel('Profile name').press('Enter');
    await expect.poll(() => status.textContent()).toBe('Saved profile gpu-nodes.');
    expect(puts).toEqual(['/api/profiles/gpu-nodes']);
    const saved = (await serve.call('GET', '/api/profiles/gpu-nodes')).body as {
      spec: { kind: string; options: Record<string, unknown> };
    };
    expect(saved.spec).toMatchObject({
      kind: 'slurm',
      options: { cores: 8, queue: 'gpu' },
      tls: { cert: certs.cert, key: certs.key },
    });
    const select = page.getByLabel('Load a saved profile');
    expect(await select.inputValue()).toBe('gpu-nodes');
    await screenshot(page, '07-profile-saved');

    // Another kind and values, then the profile brings the saved ones back.
    await page.getByLabel('Kind').selectOption('local');
    await select.selectOption('');
    await select.selectOption('gpu-nodes');
    expect(await page.getByLabel('Kind').inputValue()).toBe('slurm');
    expect(await page.getByLabel('Queue').inputValue()).toBe('gpu');
    expect(await page.getByLabel('TLS key').inputValue()).toBe(certs.key);
    await expect.poll(() => page.getByTestId('preview').textContent()).toContain('#SBATCH -p gpu');

    // While a field is invalid the profile is not saved.
    await page.getByLabel('Cores').fill('many');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => status.textContent()).toBe('Fix the highlighted fields before saving.');
    expect(puts).toHaveLength(1);
  });

  it('dark theme and keyboard: every control is reachable with Tab', async () => {
    const serve = await startServe(privateHome());
    const { page } = await openBrowser();
    await page.goto(`${serve.url}/?token=${serve.token}`);
    await page.locator('.drover-connection[data-connected="true"]').waitFor();
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.locator('.drover-root').getAttribute('data-theme')).toBe('dark');
    const background = await page
      .locator('.drover-root')
      .evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(background).toBe('rgb(21, 23, 28)');
    const focused = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      focused.add(
        await page.evaluate(
          () =>
            document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '',
        ),
      );
    }
    expect([...focused]).toEqual(
      expect.arrayContaining(['Start cluster', 'Copy', 'Export', 'Dry run', 'Profile name', 'Save profile']),
    );
    await screenshot(page, '06-dark');
  });
});
