// Crash safety: the real worker process is SIGKILLed while it provisions 50 agents, against an emulator that
// drops 10% of write responses after committing them and fails 10% of requests with 5xx. After a restart,
// every agent is Active with exactly one Genesys user and exactly the mapped grants.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startGenesysEmulator, GenesysEmulator } from '../../emulators/genesys';
import { enrolAgent } from '../../operations/seasonal-agent';
import { computeEntitlements, idGrantKey } from '../../domain/entitlements';
import { agentStateQuery, seasonalAgentWorkflowId } from '../../workflows/agent/contract';
import { createTestNamespace, temporalAddress } from '../support/temporal';
import { countSeason } from '../support/fault-checks';
import { CHAT_GROUP, AGENTS_GROUP, RETAIL_ORG, agentInput, eventually, retailMapping } from '../support/agents';

const ROOT = path.resolve(__dirname, '../..');
const AGENTS = 50;
const SEASON = 'crash-safety';

let emulator: GenesysEmulator;
let namespace: string;
let connection: Connection;
let client: Client;
let configDir: string;
let worker: ChildProcess | undefined;

function startWorkerProcess(): ChildProcess {
  // `node --import tsx`, not the tsx CLI: SIGKILL must hit the worker itself, not a wrapper that leaves it orphaned.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'worker/main.ts',
      '--config',
      configDir,
      '--log-level',
      'ERROR',
      ...(process.env.WORKFLOW_BUNDLE_PATH ? ['--bundle', process.env.WORKFLOW_BUNDLE_PATH] : []),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: temporalAddress(),
        TEMPORAL_NAMESPACE: namespace,
        GENESYS_RETAIL_US_CLIENT_SECRET: 'emulator-retail-us-secret',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return child;
}

beforeAll(async () => {
  namespace = await createTestNamespace('crash');
  emulator = await startGenesysEmulator({
    port: 0,
    rateLimitPerMinute: 100_000,
    seed: 7,
    faults: { dropRate: 0.1, errorRate: 0.1 },
  });
  configDir = mkdtempSync(path.join(tmpdir(), 'crash-config-'));
  mkdirSync(path.join(configDir, 'seasons'));
  writeFileSync(
    path.join(configDir, 'orgs.yaml'),
    [
      'orgs:',
      `  - id: ${RETAIL_ORG}`,
      '    genesys:',
      `      apiBaseUrl: ${emulator.url}`,
      '      clientId: retail-us-provisioner',
      '      clientSecretEnv: GENESYS_RETAIL_US_CLIENT_SECRET',
      '      requestsPerMinute: 100000',
    ].join('\n'),
  );
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace });
});

afterAll(async () => {
  worker?.kill('SIGKILL');
  await connection?.close();
  await emulator?.close();
});

it('survives a worker SIGKILL mid-provisioning with faults: exactly one user and the mapped grants per agent', async () => {
  const inputs = Array.from({ length: AGENTS }, (_, i) =>
    agentInput({ seasonId: SEASON, groups: i % 3 === 0 ? [AGENTS_GROUP, CHAT_GROUP] : [AGENTS_GROUP] }),
  );
  worker = startWorkerProcess();
  await Promise.all(inputs.map((input) => enrolAgent(client, input)));

  // Kill the worker once provisioning is well under way, but not finished.
  await eventually(
    async () =>
      emulator.inspect(RETAIL_ORG).users.filter((u) => u.externalId?.startsWith('00u')).length >= 10 ? true : undefined,
    'first users',
    120_000,
  );
  worker.kill('SIGKILL');
  await new Promise<void>((resolve) => worker!.once('exit', () => resolve()));
  expect(await countSeason(client, SEASON, 'Active')).toBeLessThan(AGENTS);

  worker = startWorkerProcess();
  await eventually(
    async () => ((await countSeason(client, SEASON, 'Active')) === AGENTS ? true : undefined),
    'all agents active',
    240_000,
  );

  const { users, roles, divisions } = emulator.inspect(RETAIL_ORG);
  const roleId = new Map(roles.map((r) => [r.name, r.id]));
  const divisionId = new Map(divisions.map((d) => [d.name, d.id]));
  for (const input of inputs) {
    const mine = users.filter((u) => u.userName.toLowerCase() === input.agent.login.toLowerCase() && !u.deleted);
    expect(mine).toHaveLength(1);
    const expected = computeEntitlements(retailMapping, input.enrol.groups)
      .grants.map((g) => idGrantKey({ roleId: roleId.get(g.role)!, divisionId: divisionId.get(g.division)! }))
      .sort();
    const held = mine[0]!.grants
      .filter((g) => g.roleName !== 'employee')
      .map(idGrantKey)
      .sort();
    expect(held).toEqual(expected);
    const state = await client.workflow
      .getHandle(seasonalAgentWorkflowId(RETAIL_ORG, input.agent.oktaUserId))
      .query(agentStateQuery);
    expect(state.phase).toBe('Active');
    expect(state.genesysUserId).toBe(mine[0]!.id);
  }
  // The faults really happened.
  const counts = emulator.requestCounts();
  expect(counts.faults.droppedAfterCommit).toBeGreaterThan(0);
  expect(counts.faults.injected5xx).toBeGreaterThan(0);

  worker.kill('SIGTERM');
  await new Promise<void>((resolve) => worker!.once('exit', () => resolve()));
  worker = undefined;
});
