// An Okta API token that expires mid-season (30 days unused, or its admin deactivated), end to end on the real
// dev server: the worker's start check says so in one line naming the org and the token's variable; hooks are
// still answered at once and their triggers wait in the Okta-events workflow with a readable reason; the season
// end's Okta step parks the agent in NeedsAttention with a readable reason; a new token and a retry finish both.
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { createGenesysActivities } from '../../activities/genesys';
import { createOktaActivities } from '../../activities/okta';
import { createOktaUserEventActivities } from '../../activities/okta-user-events';
import type { OrgConnection } from '../../config/orgs';
import type { SeasonConfig } from '../../config/types';
import { startGenesysEmulator, type GenesysEmulator } from '../../emulators/genesys';
import { startOktaEmulator, type OktaEmulator } from '../../emulators/okta';
import { buildHookReceiver } from '../../receiver/server';
import { checkOktaAccess } from '../../worker/okta-check';
import { createWorkers } from '../../worker/workers';
import { agentRetrySignal, seasonalAgentWorkflowId, type SeasonalAgentState } from '../../workflows/agent/contract';
import { oktaUserEventsWorkflowId } from '../../workflows/okta-events/contract';
import { eventually } from '../support/agents';
import { createTestNamespace, quietRuntime, temporalAddress } from '../support/temporal';

const ORG = 'retail-us';
const SECRET = 'token-expiry-hook-secret';
const AGENTS = 'Retail-Holiday-Agents';
const TOKEN_VAR = 'OKTA_RETAIL_US_TOKEN';

let connection: Connection;
let native: NativeConnection;
let client: Client;
let genesys: GenesysEmulator;
let okta: OktaEmulator;
let receiver: FastifyInstance;
let workers: Worker[] = [];
let running: Promise<unknown>;
let orgs: Map<string, OrgConnection>;

const season = (endsInMs: number): SeasonConfig => ({
  id: `token-expiry-${Date.now().toString(36)}`,
  orgId: ORG,
  startsAt: new Date(Date.now() - 86_400_000).toISOString(),
  endsAt: new Date(Date.now() + endsInMs).toISOString(),
  timeZone: 'UTC',
  dormantAfterDays: 7,
  policy: {
    deactivate: true,
    removeGrants: true,
    deleteAfterMs: 0,
    removeFromOktaGroups: true,
    deactivateOktaUser: false,
  },
  mapping: {
    rules: [
      { group: AGENTS, homeDivision: 'Retail Stores', roles: [{ role: 'Voice Agent', divisions: ['Retail Stores'] }] },
    ],
  },
});
let current: SeasonConfig;

beforeAll(async () => {
  quietRuntime();
  const namespace = await createTestNamespace('okta-token');
  genesys = await startGenesysEmulator({ rateLimitPerMinute: 6000 });
  okta = await startOktaEmulator({ fixture: 'retail' });
  orgs = new Map([
    [
      ORG,
      {
        orgId: ORG,
        genesys: {
          apiBaseUrl: genesys.url,
          loginBaseUrl: genesys.url,
          clientId: 'retail-us-provisioner',
          clientSecret: 'emulator-retail-us-secret',
          requestsPerMinute: 6000,
        },
        // As config/load.ts builds it from orgs.yaml (apiTokenEnv: OKTA_RETAIL_US_TOKEN).
        okta: {
          orgUrl: okta.url,
          apiToken: okta.apiToken,
          credentialSource: `the API token of org ${ORG} (${TOKEN_VAR})`,
        },
      },
    ],
  ]);
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace });
  native = await NativeConnection.connect({ address: temporalAddress() });
  workers = await createWorkers({
    connection: native,
    namespace,
    orgs: [{ orgId: ORG, requestsPerMinute: 6000 }],
    genesysActivities: createGenesysActivities(orgs),
    oktaActivities: createOktaActivities(orgs),
    oktaEventActivities: createOktaUserEventActivities({ okta: orgs, connection, namespace }),
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
  });
  running = Promise.all(workers.map((w) => w.run()));
  current = season(12_000);
  receiver = buildHookReceiver({
    temporalClient: client,
    seasons: () => [current],
    authHeader: { name: 'Authorization', value: SECRET },
    logger: false,
  });
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  okta.admin.setHook({
    url: `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/okta/events`,
    authHeaderName: 'Authorization',
    authHeaderValue: SECRET,
  });
});

afterAll(async () => {
  await receiver?.close();
  for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  await running;
  await native?.close();
  await connection?.close();
  await okta?.close();
  await genesys?.close();
});

describe('an expired Okta API token, end to end', () => {
  it('one clear line at start; hooks still answered and queued; NeedsAttention with a readable reason; a new token heals', async () => {
    const ava = '00uretailagent0001a7';
    const ben = '00uretailagent0002a7';
    okta.admin.removeUserFromGroup(ben, AGENTS);
    okta.admin.clearOutbox();
    // Ava is hired while the token works.
    okta.admin.removeUserFromGroup(ava, AGENTS);
    okta.admin.addUserToGroup(ava, AGENTS);
    await okta.deliverPending();
    const agent = client.workflow.getHandle(seasonalAgentWorkflowId(ORG, ava));
    await eventually(
      async () => ((await agent.query<SeasonalAgentState>('getState')).phase === 'Active' ? true : undefined),
      'Ava Active',
    );

    // The token goes unused for 31 days (or its admin leaves): Okta answers 401 E0000011 from now on.
    okta.admin.ageApiToken(31 * 86_400_000);

    // At start, the worker says so in one line that names the org and the variable.
    const lines: string[] = [];
    expect(await checkOktaAccess(orgs.values(), (l) => lines.push(l))).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`org ${ORG}`);
    expect(lines[0]).toContain(TOKEN_VAR);
    expect(lines[0]).toContain('E0000011');
    expect(lines[0]).toMatch(/expired/);
    expect(lines[0]).not.toContain(okta.apiToken);

    // A hire now: the hook is still answered at once (the receiver never calls Okta) ...
    okta.admin.addUserToGroup(ben, AGENTS);
    const report = await okta.deliverPending();
    expect(report.deliveries.map((d) => d.attempts.map((a) => a.status))).toEqual([[204]]);
    // ... and the trigger waits in Ben's Okta-events workflow, which says why.
    const events = client.workflow.getHandle(oktaUserEventsWorkflowId(ORG, ben));
    const waiting = await eventually(async () => {
      const meta = await events.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      return meta.currentDetails?.startsWith('**waiting**') ? meta.currentDetails : undefined;
    }, "Ben's trigger waiting");
    expect(waiting).toContain(TOKEN_VAR);
    expect(waiting).toContain('E0000011');
    expect((await events.describe()).status.name).toBe('RUNNING');

    // Ava's season ends: Genesys is torn down, then the Okta step is refused → NeedsAttention, readable.
    const stuck = await eventually(
      async () => {
        const s = await agent.query<SeasonalAgentState>('getState');
        return s.phase === 'NeedsAttention' ? s : undefined;
      },
      'Ava in NeedsAttention',
      30_000,
    );
    expect(stuck.attentionReason).toContain('removeFromOktaGroups');
    expect(stuck.attentionReason).toContain(`the API token of org ${ORG} (${TOKEN_VAR})`);
    expect(stuck.attentionReason).toMatch(/expired \(API tokens expire after 30 days unused\)/);
    expect(stuck.attentionReason).not.toContain(okta.apiToken);

    // A new token (here: the emulator's token works again), then a retry: both finish.
    okta.admin.reset();
    await agent.signal(agentRetrySignal);
    expect(((await agent.result()) as SeasonalAgentState).phase).toBe('Deprovisioned');
    expect(okta.inspect().memberships['00gholidayagents01a7']).not.toContain(ava);
    // Ben's waiting trigger is read on its next try (a new event about him makes it try at once).
    okta.admin.clearOutbox();
    okta.admin.removeUserFromGroup(ben, AGENTS);
    okta.admin.addUserToGroup(ben, AGENTS);
    await okta.deliverPending();
    await events.result();
    expect(
      await eventually(async () => {
        try {
          return (await client.workflow.getHandle(seasonalAgentWorkflowId(ORG, ben)).describe()).status.name;
        } catch {
          return undefined;
        }
      }, 'Ben started'),
    ).toBe('RUNNING');
  });
});
