import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../../scripts/chromium.mjs';
import { onCleanup } from './cluster.js';

export { CHROMIUM };
/** Where screenshots are kept as test artifacts. */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'ui');

/**
 * Launches headless Chromium with a fresh profile; it is closed (and the profile removed) after the
 * test, before the check that no child process is left.
 */
export async function openBrowser(): Promise<{ context: BrowserContext; page: Page }> {
  const profile = mkdtempSync(join(tmpdir(), 'drover-chromium-'));
  const context = await launchChromium(profile);
  onCleanup(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** Saves a full-page screenshot under test-artifacts/ui/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
