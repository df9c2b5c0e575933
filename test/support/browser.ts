// Headless Chromium from the system package, driven by playwright-core.
import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import { CHROMIUM_INSTALL_HINT, chromiumPath } from '../../scripts/ensure-chromium';

/** Fails with one line naming the fix when Chromium is missing: a browser test must fail, never skip. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    const err = new Error(`Chromium not found at ${executablePath}: ${CHROMIUM_INSTALL_HINT}`);
    err.stack = err.message; // the fix, not a stack trace into this helper
    throw err;
  }
  return chromium.launch({
    executablePath,
    // Chromium refuses its sandbox as root (containers, CI); a small /dev/shm in containers crashes tabs.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'],
  });
}
