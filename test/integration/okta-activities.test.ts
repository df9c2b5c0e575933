// The Okta activities in a mocked activity context against the emulator over real HTTP: idempotent removal and
// deactivation (also after a lost response), and the failure mapping Temporal's retries depend on.
import { ApplicationFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOktaActivities } from '../../activities/okta';
import type { OktaActivities } from '../../activities/types';
import type { OrgConnection } from '../../config/orgs';
import { startOktaEmulator, type OktaEmulator } from '../../emulators/okta';

const ORG = 'retail-us';
const AGENTS = '00gholidayagents01a7';
const CHAT = '00gholidaychat001a7x';
const AVA = '00uretailagent0001a7';
const BEN = '00uretailagent0002a7';

let emulator: OktaEmulator;
let activities: OktaActivities;
const logLines: string[] = [];
const record = (level: string) => (message: string, meta?: Record<string, unknown>) => {
  logLines.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
};
const capturingLogger: Logger = {
  log: (level, message, meta) => record(level)(message, meta),
  trace: record('TRACE'),
  debug: record('DEBUG'),
  info: record('INFO'),
  warn: record('WARN'),
  error: record('ERROR'),
};
const env = new MockActivityEnvironment(undefined, { logger: capturingLogger });

function org(orgUrl: string, apiToken: string): OrgConnection {
  return {
    orgId: ORG,
    genesys: {
      apiBaseUrl: 'http://127.0.0.1:1',
      loginBaseUrl: 'http://127.0.0.1:1',
      clientId: 'unused',
      clientSecret: 'unused',
      requestsPerMinute: 300,
    },
    okta: { orgUrl, apiToken },
  };
}

async function failure(run: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await run;
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
  throw new Error('expected an ApplicationFailure');
}

beforeEach(async () => {
  emulator = await startOktaEmulator({ fixture: 'retail' });
  activities = createOktaActivities(new Map([[ORG, org(emulator.url, emulator.apiToken)]]));
});
afterEach(async () => {
  await emulator.close();
});
afterAll(() => {
  // Failures are logged by the activity runtime: ids only, never a login, an email or the token.
  expect(logLines.length).toBeGreaterThan(0);
  for (const line of logLines) expect(line).not.toMatch(/@retail\.example\.com|emulator-okta-token|not-the-token/);
});

describe('Okta activities', () => {
  it('removeFromOktaGroups takes the user out of each group and is idempotent', async () => {
    await env.run(activities.removeFromOktaGroups, { orgId: ORG, oktaUserId: BEN, groupIds: [AGENTS, CHAT] });
    const { memberships } = emulator.inspect();
    expect(memberships[AGENTS]).not.toContain(BEN);
    expect(memberships[CHAT]).not.toContain(BEN);
    expect(memberships['00geveryoneretail1a7']).toContain(BEN);

    // Again, plus a group that no longer exists: nothing to do is success.
    await env.run(activities.removeFromOktaGroups, {
      orgId: ORG,
      oktaUserId: BEN,
      groupIds: [AGENTS, CHAT, '00gdeletedgroup00000'],
    });
    expect(emulator.inspect().outbox.filter((e) => e.eventType === 'group.user_membership.remove')).toHaveLength(2);
  });

  it('removeFromOktaGroups with seasonGroups also takes the user out of season groups the workflow never heard of', async () => {
    // The workflow knows only Agents (say the hook for Chat was dropped); the mapping names Chat by name and
    // Supervisors by id. Everyone-Retail is named by no rule and stays.
    await env.run(activities.removeFromOktaGroups, {
      orgId: ORG,
      oktaUserId: BEN,
      groupIds: [AGENTS],
      seasonGroups: ['Retail-Holiday-Agents', 'Retail-Holiday-Chat', '00gholidaysupv001a7x'],
    });
    const { memberships, apiRequests } = emulator.inspect();
    expect(memberships[AGENTS]).not.toContain(BEN);
    expect(memberships[CHAT]).not.toContain(BEN);
    expect(memberships['00geveryoneretail1a7']).toContain(BEN);
    expect(
      apiRequests
        .filter((r) => r.method === 'DELETE')
        .map((r) => `${r.path} ${r.status}`)
        .sort(),
    ).toEqual([`/api/v1/groups/${AGENTS}/users/${BEN} 204`, `/api/v1/groups/${CHAT}/users/${BEN} 204`]);

    // A user Okta no longer knows: the given ids are tried, and nothing is left to do.
    await env.run(activities.removeFromOktaGroups, {
      orgId: ORG,
      oktaUserId: '00uneverexisted00001',
      groupIds: [AGENTS],
      seasonGroups: ['Retail-Holiday-Agents'],
    });
  });

  it("deactivateOktaUser deprovisions, and treats Okta's 404 for an already deprovisioned user as done", async () => {
    await env.run(activities.deactivateOktaUser, { orgId: ORG, oktaUserId: AVA });
    expect(emulator.admin.getUser(AVA).status).toBe('DEPROVISIONED');
    await env.run(activities.deactivateOktaUser, { orgId: ORG, oktaUserId: AVA });
    expect(emulator.inspect().outbox.filter((e) => e.eventType === 'user.lifecycle.deactivate')).toHaveLength(1);
  });

  it('survives a lost response: the retry finds the change already made', async () => {
    emulator.admin.injectFault({ dropResponse: true, method: 'POST' });
    const lost = await failure(env.run(activities.deactivateOktaUser, { orgId: ORG, oktaUserId: AVA }));
    expect(lost).toMatchObject({ type: 'OktaServerError', nonRetryable: false });
    expect(emulator.admin.getUser(AVA).status).toBe('DEPROVISIONED');
    await env.run(activities.deactivateOktaUser, { orgId: ORG, oktaUserId: AVA });

    emulator.admin.injectFault({ dropResponse: true, method: 'DELETE' });
    await failure(env.run(activities.removeFromOktaGroups, { orgId: ORG, oktaUserId: BEN, groupIds: [CHAT] }));
    await env.run(activities.removeFromOktaGroups, { orgId: ORG, oktaUserId: BEN, groupIds: [CHAT] });
    expect(emulator.inspect().memberships[CHAT]).not.toContain(BEN);
  });

  it('an unknown user is OktaNotFound, not retried', async () => {
    const f = await failure(env.run(activities.deactivateOktaUser, { orgId: ORG, oktaUserId: '00unosuchuser0000000' }));
    expect(f).toMatchObject({ type: 'OktaNotFound', nonRetryable: true });
  });

  it('429 → retryable with nextRetryDelay from X-Rate-Limit-Reset', async () => {
    emulator.admin.setRateLimit({ perMinute: 1, windowMs: 30_000 });
    await env.run(activities.removeFromOktaGroups, { orgId: ORG, oktaUserId: BEN, groupIds: [CHAT] });
    const f = await failure(
      env.run(activities.removeFromOktaGroups, { orgId: ORG, oktaUserId: BEN, groupIds: [AGENTS] }),
    );
    expect(f).toMatchObject({ type: 'OktaRateLimited', nonRetryable: false });
    const delay = Number(f.nextRetryDelay);
    expect(delay).toBeGreaterThan(1_000);
    expect(delay).toBeLessThanOrEqual(32_000);
  });

  it('5xx and network failures are retryable; 400 and 403 are OktaBadRequest, not retried', async () => {
    emulator.admin.injectFault({ status: 503 });
    expect(await failure(env.run(activities.deactivateOktaUser, { orgId: ORG, oktaUserId: AVA }))).toMatchObject({
      type: 'OktaServerError',
      nonRetryable: false,
    });
    emulator.admin.injectFault({ dropConnection: true });
    expect(
      await failure(env.run(activities.removeFromOktaGroups, { orgId: ORG, oktaUserId: BEN, groupIds: [CHAT] })),
    ).toMatchObject({
      type: 'OktaServerError',
      nonRetryable: false,
    });
    emulator.admin.injectFault({ status: 400 });
    expect(
      await failure(env.run(activities.removeFromOktaGroups, { orgId: ORG, oktaUserId: BEN, groupIds: [CHAT] })),
    ).toMatchObject({
      type: 'OktaBadRequest',
      nonRetryable: true,
    });
    emulator.admin.injectFault({ status: 403 });
    expect(await failure(env.run(activities.deactivateOktaUser, { orgId: ORG, oktaUserId: AVA }))).toMatchObject({
      type: 'OktaBadRequest',
      nonRetryable: true,
    });
    expect(emulator.admin.getUser(AVA).status).toBe('ACTIVE');
  });

  it('a wrong token or a missing Okta connection is a ConfigError', async () => {
    const wrong = createOktaActivities(new Map([[ORG, org(emulator.url, 'not-the-token')]]));
    const f = await failure(env.run(wrong.deactivateOktaUser, { orgId: ORG, oktaUserId: AVA }));
    expect(f).toMatchObject({ type: 'ConfigError', nonRetryable: true });
    expect(f.message).not.toContain('not-the-token');

    const { okta: _unused, ...withoutOkta } = org(emulator.url, emulator.apiToken);
    const none = createOktaActivities(new Map([[ORG, withoutOkta]]));
    expect(
      await failure(env.run(none.removeFromOktaGroups, { orgId: ORG, oktaUserId: BEN, groupIds: [CHAT] })),
    ).toMatchObject({ type: 'ConfigError' });
    expect(
      await failure(env.run(activities.deactivateOktaUser, { orgId: 'other-org', oktaUserId: AVA })),
    ).toMatchObject({ type: 'ConfigError' });
  });
});
