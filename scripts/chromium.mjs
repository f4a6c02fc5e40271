// How Drover's tests and benchmarks start a browser: Debian's Chromium (never a downloaded one),
// headless, with the flags that keep it from reaching out to the network at start.
import { chromium } from 'playwright-core';

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Launches headless Chromium with the given (fresh) profile directory. */
export function launchChromium(profile) {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 1000 },
  });
}
