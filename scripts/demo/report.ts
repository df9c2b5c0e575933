// The season's final report, checked against the emulators' own state (not against what the workflows believe).
import type { Client } from '@temporalio/client';
import type { SeasonalAgentState as AgentState } from '../../workflows/agent/contract';
import { seasonalAgentWorkflowId } from '../../workflows/agent/contract';
import { DEMO_ORG, SEASON_GROUPS } from './season-config';
import type { SeasonStack } from './season-stack';
import type { PlayFacts } from './play';
import { readRouting, stillQueued } from './routing-check';
import { runCli } from './cli';

/** What `season --json report` says of the season's logins and licenses (the fields the checks read). */
interface CostsReport {
  seasons: Array<{
    costs: {
      readiness: { agents: number; ready: number };
      exposedAfterSeason: string[];
    };
  }>;
}

async function costsReport(stack: SeasonStack, seasonId: string): Promise<CostsReport['seasons'][number]['costs']> {
  const run = await runCli(['--json', 'report', seasonId, '--config', stack.configDir], stack.childEnv);
  if (run.code !== 0) throw new Error(`season report ${seasonId} failed (exit ${run.code}): ${run.out}`);
  return (JSON.parse(run.stdout) as CostsReport).seasons[0]!.costs;
}

export interface Check {
  name: string;
  expected: number | string;
  actual: number | string;
  ok: boolean;
}

export interface DemoReport {
  seasonId: string;
  org: string;
  agents: number;
  wallSeconds: number;
  checks: Check[];
  ok: boolean;
}

function check(name: string, expected: number | string, actual: number | string): Check {
  return { name, expected, actual, ok: expected === actual };
}

export async function buildReport(
  stack: SeasonStack,
  client: Client,
  seasonId: string,
  facts: PlayFacts,
  startedAt: number,
): Promise<DemoReport> {
  const ids = new Set(facts.agents.map((a) => a.oktaUserId));
  const users = (await stack.genesys.inspect(DEMO_ORG)).users.filter(
    (u) => u.externalId !== undefined && ids.has(u.externalId),
  );
  const perAgent = new Map<string, number>();
  for (const u of users) perAgent.set(u.externalId!, (perAgent.get(u.externalId!) ?? 0) + 1);
  const okta = await stack.okta.inspect();
  const seasonGroupIds = okta.groups
    .filter((g) => (SEASON_GROUPS as readonly string[]).includes(g.profile.name))
    .map((g) => g.id);
  const stillInGroups = seasonGroupIds.reduce(
    (n, id) => n + (okta.memberships[id] ?? []).filter((u) => ids.has(u)).length,
    0,
  );

  const finals = new Map<string, { state: AgentState; closedAt: number }>();
  for (const a of facts.agents) {
    const handle = client.workflow.getHandle(seasonalAgentWorkflowId(DEMO_ORG, a.oktaUserId));
    const [state, description] = await Promise.all([handle.result() as Promise<AgentState>, handle.describe()]);
    finals.set(a.oktaUserId, { state, closedAt: description.closeTime?.getTime() ?? 0 });
  }
  const leftEarlyOk = facts.offboardedEarly.filter((id) =>
    finals.get(id)?.state.offboardReason?.includes('Okta'),
  ).length;
  const extendedOk = facts.extended.filter(
    (id) => (finals.get(id)?.closedAt ?? 0) >= Date.parse(facts.extendedUntil),
  ).length;
  // Read through the official SDK (logged in by the play): the queues' own member lists; and, so a member list
  // that hid deleted users could not pass the check, the emulator's raw memberships too.
  const genesysIds = new Set(users.map((u) => u.id));
  const rawQueued = (await stack.genesys.inspect(DEMO_ORG)).queues.flatMap((q) =>
    q.memberIds.filter((id) => genesysIds.has(id)),
  );
  const queued = Math.max(stillQueued(genesysIds, await readRouting()), new Set(rawQueued).size);
  const costs = await costsReport(stack, seasonId);
  const failed = (await client.workflow.count(`SeasonIds = "${seasonId}" AND ExecutionStatus != "Completed"`)).count;

  const checks = [
    check(
      'Genesys users created (one per agent)',
      facts.agents.length,
      [...perAgent.values()].filter((n) => n === 1).length,
    ),
    check('agents with a duplicate Genesys user', 0, [...perAgent.values()].filter((n) => n > 1).length),
    check(
      'agents holding exactly the mapped grants while active',
      facts.agents.length,
      facts.agents.length - facts.grantMismatchesWhileActive.length,
    ),
    check(
      'agents holding exactly the mapped skills, languages and queues while active',
      facts.agents.length,
      facts.agents.length - facts.routingMismatchesWhileActive.length,
    ),
    check('preflight reported the mapping mistake', 'yes', facts.preflightFoundMistake ? 'yes' : 'no'),
    check('agents sent to NeedsAttention by the mistake, then fixed', facts.supervisors.length, facts.attentionSeen),
    check('agents offboarded early through Okta', 5, leftEarlyOk),
    check('agents whose extended season ended after the others', 20, extendedOk),
    check('Genesys users deleted', facts.agents.length, users.filter((u) => u.deleted).length),
    check('seasonal users still holding licenses', 0, users.filter((u) => !u.deleted).length),
    check('seasonal agents left in a queue', 0, queued),
    check("agents still in the season's Okta groups", 0, stillInGroups),
    check('workflows that did not complete', 0, failed),
    check('agents whose first login their workflow recorded (the login sweep)', facts.agents.length, facts.loginsSeen),
    // Every agent of the season (the catch-up's too): Active with no login before it.
    check(
      'every agent ready before first login (agents not Active before it)',
      0,
      costs.readiness.agents - costs.readiness.ready,
    ),
    check('no license exposed after the season (users able to log in)', 0, costs.exposedAfterSeason.length),
    check('agents not Deprovisioned', 0, [...finals.values()].filter((f) => f.state.phase !== 'Deprovisioned').length),
  ];
  return {
    seasonId,
    org: DEMO_ORG,
    agents: facts.agents.length,
    wallSeconds: Math.round((Date.now() - startedAt) / 1000),
    checks,
    ok: checks.every((c) => c.ok),
  };
}

export function printReport(report: DemoReport): void {
  console.log(
    `\nSeason report — ${report.seasonId} in ${report.org}, ${report.agents} agents, ${report.wallSeconds} s`,
  );
  const width = Math.max(...report.checks.map((c) => c.name.length));
  for (const c of report.checks) {
    console.log(
      `  ${c.ok ? '✔' : '✘'} ${c.name.padEnd(width)}  ${String(c.actual).padStart(4)}${c.ok ? '' : `  (expected ${c.expected})`}`,
    );
  }
  console.log(report.ok ? '\nAll checks hold.' : '\nSOME CHECKS FAILED.');
}
