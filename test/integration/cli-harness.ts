// A whole season stack for CLI tests: a namespace of its own on the shared dev server, the Genesys and Okta
// emulators (retail fixtures), the real workers, and a config directory pointing at the emulators. The CLI runs
// as a child process (exit codes, stderr) or as command functions with captured output.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createGenesysActivities } from '../../activities/genesys';
import { createOktaActivities } from '../../activities/okta';
import { createOktaUserEventActivities } from '../../activities/okta-user-events';
import type { OrgConnection } from '../../config/orgs';
import { startGenesysEmulator, type GenesysEmulator } from '../../emulators/genesys';
import { startOktaEmulator, type OktaEmulator } from '../../emulators/okta';
import { createWorkers } from '../../worker/workers';
import { extraActivities } from '../../worker/extra-activities';
import { loadConfig } from '../../config/load';
import { seasonPhaseValue } from '../../domain/search-attributes';
import { agentStateQuery, seasonalAgentWorkflowId, type SeasonalAgentState } from '../../workflows/agent/contract';
import type { AgentPhase } from '../../workflows/messages';
import { CommandContext, createContext, Output } from '../../client/commands/context';
import { createTestNamespace, quietRuntime, temporalAddress } from '../support/temporal';

import { eventually } from '../support/agents';

export { eventually };

const ROOT = path.resolve(__dirname, '../..');
export const ORG = 'retail-us';
const REQUESTS_PER_MINUTE = 6000;
/** Longer than any CLI command of these tests takes (the 300-agent wave: seconds). */
const CLI_TIMEOUT_MS = 60_000;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Captured {
  ctx: CommandContext;
  lines: string[];
  notes: string[];
  json: unknown[];
}

export interface CliEnv {
  namespace: string;
  client: Client;
  genesys: GenesysEmulator;
  okta: OktaEmulator;
  configDir: string;
  env: NodeJS.ProcessEnv;
  /** Writes config/seasons/<id>.yaml from YAML text. */
  writeSeason(id: string, yaml: string): void;
  writeFile(name: string, text: string): string;
  cli(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** A command context with captured output; `confirm` answers the circuit breaker's question. */
  context(options?: { json?: boolean; confirm?: boolean }): Captured;
  startWorkers(): Promise<void>;
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

/** A season like config/seasons/retail-holiday-2026.yaml, ending in `endsInMs`, torn down at once. */
export function seasonYaml(
  id: string,
  options: { endsInMs?: number; mappingYaml?: string; removeFromOktaGroups?: boolean } = {},
): string {
  const end = new Date(Date.now() + (options.endsInMs ?? 86_400_000)).toISOString();
  return `id: ${id}
org: ${ORG}
start: ${new Date(Date.now() - 3_600_000).toISOString()}
end: "${end}"
timeZone: America/New_York
deprovision:
  deactivate: true
  removeGrants: true
  deleteAfterDays: 0
  removeFromOktaGroups: ${options.removeFromOktaGroups ?? false}
  deactivateOktaUser: false
mapping:
${
  options.mappingYaml ??
  `  - group: Retail-Holiday-Agents
    homeDivision: Holiday Overflow
    priority: 10
    roles:
      - role: Seasonal Agents
        divisions: [Holiday Overflow, Retail Stores]
      - role: Voice Agent
        divisions: [Holiday Overflow]
  - group: Retail-Holiday-Chat
    homeDivision: E-Commerce
    priority: 20
    roles:
      - role: Chat Agent
        divisions: [E-Commerce]
  - group: Retail-Holiday-Supervisors
    homeDivision: Holiday Overflow
    priority: 30
    roles:
      - role: Supervisor
        divisions: [Holiday Overflow]
`
}`;
}

export interface CliEnvOptions {
  /** More YAML for the org's entry in orgs.yaml (indented as its keys), e.g. a billing section. */
  orgYaml?: (emulators: { okta: OktaEmulator }) => string;
  /** Also run the lifecycle queue's extra activities (catch-up, login sweep), reading the config at each start. */
  catchUp?: boolean;
}

export async function startCliEnv(prefix: string, options: CliEnvOptions = {}): Promise<CliEnv> {
  quietRuntime();
  const namespace = await createTestNamespace(prefix);
  const genesys = await startGenesysEmulator({ port: 0, rateLimitPerMinute: REQUESTS_PER_MINUTE });
  const okta = await startOktaEmulator({ port: 0, fixture: 'retail' });
  const configDir = mkdtempSync(path.join(tmpdir(), 'season-cli-'));
  mkdirSync(path.join(configDir, 'seasons'));
  writeFileSync(
    path.join(configDir, 'orgs.yaml'),
    `orgs:
  - id: ${ORG}
    genesys:
      apiBaseUrl: ${genesys.url}
      clientId: retail-us-provisioner
      clientSecretEnv: TEST_RETAIL_US_SECRET
      requestsPerMinute: ${REQUESTS_PER_MINUTE}
    okta:
      orgUrl: ${okta.url}
      apiTokenEnv: TEST_OKTA_TOKEN
${options.orgYaml?.({ okta }) ?? ''}`,
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_UI_URL: 'http://ui.test:8233',
    TEST_RETAIL_US_SECRET: 'emulator-retail-us-secret',
    TEST_OKTA_TOKEN: okta.apiToken,
  };
  const orgs = new Map<string, OrgConnection>([
    [
      ORG,
      {
        orgId: ORG,
        genesys: {
          apiBaseUrl: genesys.url,
          loginBaseUrl: genesys.url,
          clientId: 'retail-us-provisioner',
          clientSecret: 'emulator-retail-us-secret',
          requestsPerMinute: REQUESTS_PER_MINUTE,
        },
        okta: { orgUrl: okta.url, apiToken: okta.apiToken },
      },
    ],
  ]);
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection, namespace });
  const native = await NativeConnection.connect({ address: temporalAddress() });
  let workers: Worker[] = [];
  let running: Promise<unknown> = Promise.resolve();
  const contexts: CommandContext[] = [];

  const startWorkers = async () => {
    workers = await createWorkers({
      connection: native,
      namespace,
      orgs: [{ orgId: ORG, requestsPerMinute: REQUESTS_PER_MINUTE }],
      genesysActivities: createGenesysActivities(orgs),
      oktaActivities: createOktaActivities(orgs),
      oktaEventActivities: createOktaUserEventActivities({ okta: orgs, connection, namespace }),
      ...(options.catchUp
        ? {
            extraActivities: await extraActivities({
              config: loadConfig(configDir),
              orgs,
              client: connection,
              namespace,
            }),
          }
        : {}),
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
      maxCachedWorkflows: 100,
    });
    running = Promise.all(workers.map((w) => w.run()));
  };
  const stopWorkers = async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await running;
    workers = [];
  };
  await startWorkers();

  return {
    namespace,
    client,
    genesys,
    okta,
    configDir,
    env,
    writeSeason: (id, yaml) => writeFileSync(path.join(configDir, 'seasons', `${id}.yaml`), yaml),
    writeFile: (name, text) => {
      const file = path.join(configDir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    cli: (args, extraEnv = {}) =>
      new Promise<CliResult>((resolve) => {
        const child = spawn(
          path.join(ROOT, 'node_modules/.bin/tsx'),
          ['client/cli.ts', '--config', configDir, ...args],
          { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
        );
        let stdout = '';
        let stderr = '';
        // A command that hangs fails its test with its own name, not with jest's timeout.
        const timer = setTimeout(() => {
          stderr += `\n(test harness: season ${args.join(' ')} still running after ${CLI_TIMEOUT_MS / 1000} s: killed)`;
          // tsx runs the CLI in a child process of its own: end the whole group (detached above).
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        }, CLI_TIMEOUT_MS);
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code: code ?? -1, stdout, stderr });
        });
      }),
    context: (options = {}) => {
      const lines: string[] = [];
      const notes: string[] = [];
      const json: unknown[] = [];
      const out: Output = {
        line: (t) => lines.push(t),
        json: (v) => {
          if (options.json) json.push(v);
        },
        note: (t) => notes.push(t),
        interactive: false,
      };
      const ctx = createContext({
        configDir,
        json: options.json === true,
        env,
        out,
        confirm: async () => options.confirm === true,
      });
      contexts.push(ctx);
      return { ctx, lines, notes, json };
    },
    startWorkers,
    stopWorkers,
    async close() {
      for (const c of contexts) await c.close();
      await stopWorkers();
      await native.close();
      await connection.close();
      await genesys.close();
      await okta.close();
    },
  };
}

/** The person's workflow (one per person per org, whatever the season). */
export function agentHandle(client: Client, oktaUserId: string) {
  return client.workflow.getHandle(seasonalAgentWorkflowId(ORG, oktaUserId));
}

/** Agents enrolled in the season (any phase), or in this phase of the season; `extra` is ANDed to the query. */
export async function countIn(client: Client, season: string, phase?: AgentPhase, extra = ''): Promise<number> {
  const phaseClause = phase ? ` AND SeasonPhases = "${seasonPhaseValue(season, phase)}"` : '';
  return (await client.workflow.count(`SeasonIds = "${season}"${phaseClause}${extra}`)).count;
}

/** Waits until `count` agents are visible in this phase of the season. */
export async function eventuallyInPhase(
  client: Client,
  season: string,
  phase: AgentPhase,
  count: number,
  timeoutMs?: number,
): Promise<void> {
  await eventually(
    async () => ((await countIn(client, season, phase)) === count ? true : undefined),
    `${count} agents ${phase} in season ${season}`,
    timeoutMs,
  );
}

/** The person's state as their workflow answers it. */
export async function agentState(client: Client, oktaUserId: string): Promise<SeasonalAgentState> {
  return agentHandle(client, oktaUserId).query(agentStateQuery);
}

/** The person's enrolment in a season, from their state. */
export function enrolmentIn(state: SeasonalAgentState, season: string) {
  const e = state.enrolments.find((x) => x.seasonId === season);
  if (!e) throw new Error(`not enrolled in season ${season}: ${JSON.stringify(state.enrolments)}`);
  return e;
}

/** No stack trace: no "    at " frames and no error class dumps. */
export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  expect(text).not.toMatch(/^\s+at /m);
}
