// Finding the Temporal CLI: a wrong TEMPORAL_CLI_PATH is a user error told in one line, never a stack trace
// and never a silent fallback.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { cacheDir, findTemporalCli, TEMPORAL_CLI_VERSION } from '../../platform/temporal-cli';
import { UserError } from '../../platform/errors';

const ROOT = path.resolve(__dirname, '../..');

describe('Temporal CLI discovery', () => {
  const saved = process.env.TEMPORAL_CLI_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.TEMPORAL_CLI_PATH;
    else process.env.TEMPORAL_CLI_PATH = saved;
  });

  it('refuses a TEMPORAL_CLI_PATH that is not an executable file', () => {
    process.env.TEMPORAL_CLI_PATH = '/nonexistent/temporal';
    expect(() => findTemporalCli()).toThrow(UserError);
    expect(() => findTemporalCli()).toThrow(
      'TEMPORAL_CLI_PATH=/nonexistent/temporal is not an executable file; fix or unset it.',
    );
  });

  it('caches the binary outside the repository, per version', () => {
    const dir = cacheDir();
    // Inside the checkout means a relative path without `..`: a sibling such as /tmp/xhome of /tmp/x is outside.
    const rel = path.relative(ROOT, dir);
    const inside = rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
    expect(inside).toBe(false);
    expect(dir.endsWith(path.join('seasonal-agent-provisioner', `temporal-${TEMPORAL_CLI_VERSION}`))).toBe(true);
  });

  it('the launcher command fails with one clear line and exit 1 for a missing binary', () => {
    const res = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/temporal-dev-server.ts', '--headless'], {
      cwd: ROOT,
      env: { ...process.env, TEMPORAL_CLI_PATH: '/nonexistent/temporal' },
      encoding: 'utf8',
    });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe(
      'error: TEMPORAL_CLI_PATH=/nonexistent/temporal is not an executable file; fix or unset it.',
    );
    expect(res.stdout).toBe('');
  });
});
