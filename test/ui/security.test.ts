import { describe, expect, it } from 'vitest';
import type { ClusterModel } from '@drover/core';
import { addressOf, runTasks } from '../helpers/api.js';
import { openBrowser, screenshot } from '../helpers/browser.js';
import { privateHome, startServe } from '../helpers/serve.js';

const EVIL = '<img src=x onerror=alert(1)>';

describe('names and keys are rendered as text', () => {
  it(`a cluster and tasks named ${EVIL} run nothing`, async () => {
    const serve = await startServe(privateHome());
    const { page } = await openBrowser();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${serve.url}/?token=${serve.token}`);
    await page.locator('.drover-connection[data-connected="true"]').waitFor();
    await page.getByLabel('Cluster name').fill(EVIL);
    await page.getByLabel('Start with').fill('1');
    await page.getByRole('button', { name: 'Start cluster' }).click();
    const card = page.locator('.drover-card').first();
    await expect.poll(() => card.locator('.drover-card-title').textContent(), { timeout: 20_000 }).toBe(EVIL);
    await expect
      .poll(() => card.locator('[data-figure="workers"]').textContent(), { timeout: 20_000 })
      .toBe('1 connected / 1 requested');
    const model = ((await serve.call('GET', '/api/clusters')).body as ClusterModel[])[0]!;
    expect(model.name).toBe(EVIL);

    // The run goes on while the checks below look at it: a task group is shown in the progress
    // bars only while the scheduler holds its tasks, which it forgets once the client is gone.
    const running = runTasks(addressOf(model.clientCode), 200, EVIL, 25);
    running.catch(() => undefined); // awaited below; a failure before then is reported there
    // Pause as soon as bars are drawn, so they stay on screen however slow the steps below are
    // (the live window is a few seconds wide).
    const canvas = page.locator('canvas.drover-stream-canvas');
    await expect
      .poll(async () => Number(await canvas.getAttribute('data-rects-drawn')), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await page.locator('.drover-stream-toolbar').getByRole('button', { name: 'Pause' }).click();
    const group = page.locator('.drover-group-name');
    await expect
      .poll(
        () =>
          group
            .first()
            .textContent()
            .catch(() => null),
        { timeout: 10_000 },
      )
      .toBe(EVIL);
    await running;
    // The preview shows the name inside generated code, as text.
    await expect.poll(() => page.getByTestId('preview').textContent()).toContain(JSON.stringify(EVIL));
    // Hover over a bar: the tooltip shows the key as text.
    const box = (await canvas.boundingBox())!;
    let tooltip = '';
    for (let x = box.width - 5; x > 160 && !tooltip.includes('<img'); x -= 6) {
      await page.mouse.move(box.x + x, box.y + 10);
      await page.waitForTimeout(20);
      tooltip = await page.evaluate(() => {
        const t = document.querySelector('.drover-tooltip');
        return t && !t.hasAttribute('hidden') ? (t.textContent ?? '') : '';
      });
    }
    expect(tooltip).toContain(`${EVIL}-`);
    await screenshot(page, '07-xss-as-text');

    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('[onerror]').length)).toBe(0);
    // A cluster, 200 tasks and a browser on a 2-core machine shared with another test file.
  }, 120_000);
});
