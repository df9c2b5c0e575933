// The Web UI test drives Debian's Chromium (never a browser build downloaded by Playwright, which this project's
// machines cannot fetch). `npm test` calls ensureChromium() first: as root with apt-get it installs the package,
// otherwise it says in one line what to do; the test itself then fails (never skips) while Chromium is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || DEBIAN_CHROMIUM;
}

export const CHROMIUM_INSTALL_HINT =
  'install it with `apt-get install -y chromium` (Debian/Ubuntu, as root) or set CHROMIUM_PATH';

function apt(args: string[]): { ok: boolean; tail: string } {
  const res = spawnSync('apt-get', args, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const tail = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
  return { ok: res.status === 0, tail };
}

/** Returns whether Chromium is there afterwards. Prints what it does and how long it took. */
export function ensureChromium(log: (line: string) => void = console.log): boolean {
  const binary = chromiumPath();
  if (existsSync(binary)) return true;
  const isRoot = process.getuid?.() === 0;
  // Installing the package only helps where it puts the binary: not for a CHROMIUM_PATH pointing elsewhere.
  if (!isRoot || !existsSync('/usr/bin/apt-get') || binary !== DEBIAN_CHROMIUM) {
    log(`browser: Chromium is missing at ${binary}: ${CHROMIUM_INSTALL_HINT}; the Web UI test fails until then`);
    return false;
  }
  log('browser: Chromium is missing; running `apt-get update && apt-get install -y chromium`…');
  const started = Date.now();
  const update = apt(['update', '-q']);
  const install = update.ok ? apt(['install', '-y', '-q', 'chromium']) : update;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (install.ok && existsSync(binary)) {
    log(`browser: Chromium installed in ${seconds} s (${binary})`);
    return true;
  }
  log(`browser: installing Chromium failed after ${seconds} s (${install.tail}); the Web UI test will fail`);
  return false;
}
