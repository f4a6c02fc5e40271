import type { BrowserContext } from 'playwright-core';

export declare const CHROMIUM: string;
export declare function launchChromium(profile: string): Promise<BrowserContext>;
