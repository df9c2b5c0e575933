// Finding the time-skipping test server: a wrong TEMPORAL_TEST_SERVER_PATH is a user error told in one line,
// never a silent fallback; the prepared server lives in the cache outside the repository, per version.
import path from 'node:path';
import { findTimeSkippingServer, testServerCacheDir, TEST_SERVER_VERSION } from '../../platform/time-skipping-server';
import { UserError } from '../../platform/errors';

const ROOT = path.resolve(__dirname, '../..');

describe('time-skipping test server discovery', () => {
  const saved = process.env.TEMPORAL_TEST_SERVER_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.TEMPORAL_TEST_SERVER_PATH;
    else process.env.TEMPORAL_TEST_SERVER_PATH = saved;
  });

  it('refuses a TEMPORAL_TEST_SERVER_PATH that is not an executable file', () => {
    process.env.TEMPORAL_TEST_SERVER_PATH = '/nonexistent/temporal-test-server';
    expect(() => findTimeSkippingServer()).toThrow(UserError);
    expect(() => findTimeSkippingServer()).toThrow(
      'TEMPORAL_TEST_SERVER_PATH=/nonexistent/temporal-test-server is not an executable file; fix or unset it.',
    );
  });

  it('caches the server outside the repository, per version', () => {
    const dir = testServerCacheDir();
    expect(dir.startsWith(ROOT)).toBe(false);
    expect(dir.endsWith(path.join('seasonal-agent-provisioner', `temporal-test-server-${TEST_SERVER_VERSION}`))).toBe(
      true,
    );
  });
});
