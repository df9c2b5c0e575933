// The holiday season, played on the embedded default: HR adds agents to Okta groups in waves, Okta's event hooks
// provision them just in time, a mapping mistake is fixed and retried, a few leave early, some are extended,
// and the season ends with staged teardown and empty Okta groups.
import { computeEntitlements, idGrantKey } from '../../domain/entitlements';
import { loadConfig } from '../../config/load';
import { agentStateQuery, moveSeasonEndUpdate, seasonalAgentWorkflowId } from '../../workflows/agent/contract';
import { DEMO_ENV, DEMO_ORG, MISSING_QUEUE, MISSING_ROLE } from './season-config';
import { readRouting, routingMismatches, sdkLogin } from './routing-check';
import type { SeasonStack } from './season-stack';
import { watchPhases } from './progress';
import { indent, runCli, runSeasonStep } from './cli';

interface DemoAgent {
  oktaUserId: string;
  groups: string[];
}

export interface PlayFacts {
  agents: DemoAgent[];
  supervisors: string[];
  attentionSeen: number;
  grantMismatchesWhileActive: string[];
  /** Agents whose skills, languages or queues (read through the official SDK) differ from the mapping. */
  routingMismatchesWhileActive: string[];
  offboardedEarly: string[];
  extended: string[];
  extendedUntil: string;
  preflightFoundMistake: boolean;
  /** Agents whose workflow holds the login they made (told by the catch-up's login sweep). */
  loginsSeen: number;
}

function say(line: string): void {
  console.log(line);
}

/** Which groups HR puts agent i in: most are voice agents, every third also does chat, every 30th supervises. */
function groupsFor(i: number): string[] {
  if (i % 30 === 29) return ['Retail-Holiday-Supervisors'];
  return i % 3 === 0 ? ['Retail-Holiday-Agents', 'Retail-Holiday-Chat'] : ['Retail-Holiday-Agents'];
}

/** Moments another runner may act at (npm run test:stack injects its faults there); npm start passes none. */
export interface PlayHooks {
  /**
   * HR's first wave is in Okta's groups and its event hooks are about to be delivered: the provisioning wave
   * starts (the time the demo's HR takes to fill the groups is the emulated Okta's, not the wave's).
   */
  waveStarting?(): void | Promise<void>;
  /** Every agent is Active or waits in NeedsAttention: the provisioning wave is over. */
  waveDone?(): void | Promise<void>;
  /** Every agent is Active and checked; they sleep until the season ends. */
  agentsSleeping?(): void | Promise<void>;
}

export async function playSeason(
  stack: SeasonStack,
  o: { seasonId: string; agents: number; seasonEndsAt: string; extendBySeconds: number; hooks?: PlayHooks },
): Promise<PlayFacts> {
  const { client, okta, genesys } = stack;
  const env = stack.childEnv;

  say('\n1. Preflight: the admin checks the mapping against the org before the season');
  const preflight = await runCli(['preflight', o.seasonId, '--config', stack.configDir], env);
  say(indent(preflight.out));
  const preflightFoundMistake =
    preflight.code !== 0 && preflight.out.includes(MISSING_ROLE) && preflight.out.includes(MISSING_QUEUE);
  say(`   → the mistakes are left in on purpose: agents in the supervisors' group will need attention.`);

  say(`\n2. HR adds ${o.agents} seasonal agents to Okta groups in three waves; Okta's event hooks provision them`);
  const agents: DemoAgent[] = [];
  for (let i = 0; i < o.agents; i++) {
    const user = await okta.admin.createUser({
      profile: {
        login: `seasonal.agent${i}@retail.example.com`,
        email: `seasonal.agent${i}@retail.example.com`,
        firstName: 'Seasonal',
        lastName: `Agent ${i}`,
      },
    });
    agents.push({ oktaUserId: user.id, groups: groupsFor(i) });
  }
  await okta.admin.clearOutbox(); // user.lifecycle.create for people in no seasonal group: nothing to do
  const supervisors = agents.filter((a) => a.groups.includes('Retail-Holiday-Supervisors')).map((a) => a.oktaUserId);
  const waves = 3;
  const perWave = Math.ceil(agents.length / waves);
  for (let w = 0; w < waves; w++) {
    for (const agent of agents.slice(w * perWave, (w + 1) * perWave))
      for (const g of agent.groups) await okta.admin.addUserToGroup(agent.oktaUserId, g);
    if (w === 0) await o.hooks?.waveStarting?.();
    const report = await okta.deliverPending({ batchSize: 25, retry: true, requeueFailed: true });
    say(
      `   wave ${w + 1}: ${report.deliveries.length} event-hook deliveries, ${report.failedUuids.length} failed and queued again`,
    );
  }
  // Anything a 503 sent back to the outbox goes again (Okta's own retry already happened once).
  for (let i = 0; i < 5 && (await okta.inspect()).outbox.length > 0; i++)
    await okta.deliverPending({ batchSize: 25, retry: true, requeueFailed: true });

  const provisioned = await watchPhases(client, o.seasonId, {
    title: 'provisioning',
    total: o.agents,
    value: (c) => c.Active + c.NeedsAttention,
    done: (c) => c.Active + c.NeedsAttention === o.agents && c.NeedsAttention === supervisors.length,
    timeoutMs: 15 * 60_000,
  });
  const attentionSeen = provisioned.NeedsAttention;
  await o.hooks?.waveDone?.();

  say(`\n3. ${attentionSeen} agents need attention; the Web UI and \`season status\` say why:`);
  const status = await runCli(['status', o.seasonId, '--config', stack.configDir], env);
  say(indent(status.out.split('\n').slice(0, 14).join('\n')));
  say(`   The admin creates the role "${MISSING_ROLE}" and the queue "${MISSING_QUEUE}" in the org and retries them.`);
  await genesys.addRole(DEMO_ORG, MISSING_ROLE);
  await genesys.addRouting(DEMO_ORG, 'queue', MISSING_QUEUE);
  const retried = await runCli(['retry', o.seasonId, '--config', stack.configDir], env);
  say(indent(`$ season retry ${o.seasonId}\n${retried.out}`));
  await watchPhases(client, o.seasonId, {
    title: 'after the fix',
    total: o.agents,
    value: (c) => c.Active,
    done: (c) => c.Active === o.agents,
    timeoutMs: 5 * 60_000,
  });

  say('\n4. Every agent holds exactly the mapped role × division grants (checked against the Genesys emulator)');
  const grantMismatchesWhileActive = await checkGrants(stack, o.seasonId, agents);
  say(`   ${o.agents - grantMismatchesWhileActive.length}/${o.agents} agents match the mapping`);
  say('   … and exactly the mapped skills, languages and queues (read back through the official Genesys SDK)');
  const routingMismatchesWhileActive = await checkRouting(stack, o.seasonId, agents);
  say(`   ${o.agents - routingMismatchesWhileActive.length}/${o.agents} agents are ready to take calls`);
  const loginsSeen = await logInAndSweep(stack, o.seasonId, agents);
  await o.hooks?.agentsSleeping?.();

  say('\n5. Five agents leave early (HR deactivates them in Okta); twenty get their season extended');
  const leaving = agents.filter((a) => !supervisors.includes(a.oktaUserId)).slice(0, 5);
  for (const a of leaving) await okta.admin.deactivateUser(a.oktaUserId);
  await okta.deliverPending({ batchSize: 25, retry: true, requeueFailed: true });
  const extendedUntil = new Date(Date.parse(o.seasonEndsAt) + o.extendBySeconds * 1000).toISOString();
  const extending = agents.filter((a) => !leaving.includes(a)).slice(5, 25);
  for (const a of extending) {
    await client.workflow
      .getHandle(seasonalAgentWorkflowId(DEMO_ORG, a.oktaUserId))
      .executeUpdate(moveSeasonEndUpdate, { args: [{ seasonId: o.seasonId, newEnd: extendedUntil }] });
  }
  await watchPhases(client, o.seasonId, {
    title: 'early offboarding',
    total: leaving.length,
    value: (c) => c.Deprovisioned,
    done: (c) => c.Deprovisioned >= leaving.length,
    timeoutMs: 5 * 60_000,
  });
  say(`   extended 20 agents to ${extendedUntil}`);

  say(`\n6. The season ends at ${o.seasonEndsAt}: deactivate → remove grants → delete → out of the Okta groups`);
  await watchPhases(client, o.seasonId, {
    title: 'season end',
    total: o.agents,
    value: (c) => c.Deprovisioned,
    // Everyone in the season (the catch-up may have started people the hooks never told of) has ended.
    done: (c) =>
      c.Deprovisioned >= o.agents &&
      c.Provisioning + c.Active + c.Suspended + c.NeedsAttention + c.Deprovisioning === 0,
    timeoutMs: Math.max(0, Date.parse(extendedUntil) - Date.now()) + 15 * 60_000,
  });

  return {
    agents,
    supervisors,
    attentionSeen,
    grantMismatchesWhileActive,
    routingMismatchesWhileActive,
    offboardedEarly: leaving.map((a) => a.oktaUserId),
    extended: extending.map((a) => a.oktaUserId),
    extendedUntil,
    preflightFoundMistake,
    loginsSeen,
  };
}

/**
 * The agents' first day: each signs in to Genesys through Okta (an SSO event in Okta's System Log, the login in
 * Genesys); the catch-up's login sweep reads both in batches and tells each agent's workflow.
 */
async function logInAndSweep(stack: SeasonStack, seasonId: string, agents: DemoAgent[]): Promise<number> {
  say(`\n4b. The agents sign in to Genesys through Okta; the catch-up's login sweep records their first login`);
  const { users } = await stack.genesys.inspect(DEMO_ORG);
  const appId = await stack.okta.genesysAppId();
  for (const a of agents) {
    const at = new Date().toISOString();
    await stack.okta.admin.ssoLogin(a.oktaUserId, appId, at);
    const user = users.find((u) => u.externalId === a.oktaUserId && !u.deleted);
    if (user) await stack.genesys.logIn(DEMO_ORG, user.id, at);
  }
  await runSeasonStep(stack, ['catch-up', seasonId, '--install'], say);
  await runSeasonStep(stack, ['catch-up', seasonId, '--now'], say);
  // Only the agents not seen yet, 20 queries at a time: 200 at once on a busy two-core machine outwait the
  // server's query deadline while the workers replay evicted workflows. A query that times out is asked again.
  const recorded = new Set<string>();
  const seen = async () => {
    const waiting = agents.filter((a) => !recorded.has(a.oktaUserId));
    for (let i = 0; i < waiting.length; i += 20) {
      await Promise.all(
        waiting.slice(i, i + 20).map(async (a) => {
          const handle = stack.client.workflow.getHandle(seasonalAgentWorkflowId(DEMO_ORG, a.oktaUserId));
          const state = await handle.query(agentStateQuery).catch(() => undefined);
          if (state?.logins?.first !== undefined) recorded.add(a.oktaUserId);
        }),
      );
    }
    return recorded.size;
  };
  const deadline = Date.now() + 3 * 60_000;
  let count = await seen();
  while (count < agents.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2000));
    count = await seen();
  }
  say(`   ${count}/${agents.length} agents' first login recorded in their workflow`);
  const inSeason = (await stack.client.workflow.count(`SeasonIds = "${seasonId}"`)).count;
  if (inSeason > agents.length)
    say(
      `   the catch-up also started ${inSeason - agents.length} people the Okta org had in the season's groups before it began (no hook told of them)`,
    );
  return count;
}

/** Reads every agent's routing back through the official SDK and compares it with the mapping. */
async function checkRouting(stack: SeasonStack, seasonId: string, agents: DemoAgent[]): Promise<string[]> {
  const season = loadConfig(stack.configDir).seasons.get(seasonId)!;
  const withGroups = await Promise.all(
    agents.map(async (a) => ({
      oktaUserId: a.oktaUserId,
      groups: await Promise.all(
        a.groups.map(async (name) => ({ id: (await stack.okta.admin.getGroup(name)).id, name })),
      ),
    })),
  );
  await sdkLogin(stack.genesys.url, 'retail-us-provisioner', DEMO_ENV.GENESYS_RETAIL_US_CLIENT_SECRET);
  return routingMismatches(season.mapping, withGroups, await readRouting());
}

/** Compares every agent's grants in the Genesys emulator with the mapping, through the same pure function. */
async function checkGrants(stack: SeasonStack, seasonId: string, agents: DemoAgent[]): Promise<string[]> {
  const season = loadConfig(stack.configDir).seasons.get(seasonId)!;
  const { users, roles, divisions } = await stack.genesys.inspect(DEMO_ORG);
  const roleId = new Map(roles.map((r) => [r.name, r.id]));
  const divisionId = new Map(divisions.map((d) => [d.name, d.id]));
  const mismatches: string[] = [];
  for (const a of agents) {
    const groups = await Promise.all(
      a.groups.map(async (name) => ({ id: (await stack.okta.admin.getGroup(name)).id, name })),
    );
    const wanted = computeEntitlements(season.mapping, groups)
      .grants.map((g) =>
        idGrantKey({ roleId: roleId.get(g.role)!, divisionId: g.division === '*' ? '*' : divisionId.get(g.division)! }),
      )
      .sort();
    const user = users.find((u) => u.externalId === a.oktaUserId && !u.deleted);
    const held = (user?.grants ?? [])
      .filter((g) => g.roleName !== 'employee')
      .map(idGrantKey)
      .sort();
    if (JSON.stringify(wanted) !== JSON.stringify(held)) mismatches.push(a.oktaUserId);
  }
  return mismatches;
}
