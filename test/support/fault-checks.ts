// What every case of the fault matrix must end with, checked against the emulator's own state rather than the
// workflows' word: nothing lost (every agent Active), nothing duplicated (one live Genesys user per agent), no
// wrong grant (exactly what computeEntitlements gives), and no workflow that failed.
import type { Client } from '@temporalio/client';
import type { GenesysEmulator } from '../../emulators/genesys';
import { computeEntitlements, idGrantKey } from '../../domain/entitlements';
import { seasonPhaseValue } from '../../domain/search-attributes';
import { agentStateQuery, seasonalAgentWorkflowId, type SeasonalAgentInput } from '../../workflows/agent/contract';
import type { AgentPhase } from '../../workflows/messages';
import { eventually } from './agents';

/**
 * Visibility count of one season's agents (every person's workflow enrolled in it), optionally only those in
 * this phase of the season (`SeasonPhases = "<season>:<phase>"`) and narrowed further (e.g. by ExecutionStatus).
 */
export async function countSeason(
  client: Client,
  seasonId: string,
  phase?: AgentPhase,
  extra?: string,
): Promise<number> {
  const clauses = [`SeasonIds = "${seasonId}"`];
  if (phase) clauses.push(`SeasonPhases = "${seasonPhaseValue(seasonId, phase)}"`);
  if (extra) clauses.push(extra);
  return (await client.workflow.count(clauses.join(' AND '))).count;
}

/** Waits until every agent of the season shows Active in visibility (which lags the workflows by a moment). */
export async function waitAllActive(
  client: Client,
  seasonId: string,
  agents: number,
  timeoutMs: number,
): Promise<void> {
  await eventually(
    async () => ((await countSeason(client, seasonId, 'Active')) === agents ? true : undefined),
    `all ${agents} agents of ${seasonId} Active`,
    timeoutMs,
  );
}

export async function expectNoLossNoDuplicateNoWrongGrant(opts: {
  client: Client;
  emulator: GenesysEmulator;
  seasonId: string;
  inputs: SeasonalAgentInput[];
}): Promise<void> {
  const { client, emulator, seasonId, inputs } = opts;
  const orgId = inputs[0]!.orgId;
  // The agents sleep until a season end an hour away, so any closed run here failed, timed out or was terminated.
  expect(await countSeason(client, seasonId, undefined, 'ExecutionStatus != "Running"')).toBe(0);
  expect(await countSeason(client, seasonId, 'NeedsAttention')).toBe(0);
  expect(await countSeason(client, seasonId, 'Active')).toBe(inputs.length);

  const { users, roles, divisions } = emulator.inspect(orgId);
  const roleId = new Map(roles.map((r) => [r.name, r.id]));
  const divisionId = new Map(divisions.map((d) => [d.name, d.id]));
  for (const input of inputs) {
    const live = users.filter((u) => u.userName.toLowerCase() === input.agent.login.toLowerCase() && !u.deleted);
    expect(live).toHaveLength(1);
    const user = live[0]!;
    const wanted = computeEntitlements(input.enrol.mapping, input.enrol.groups);
    const expected = wanted.grants
      .map((g) => idGrantKey({ roleId: roleId.get(g.role)!, divisionId: divisionId.get(g.division)! }))
      .sort();
    // `employee` in Home is Genesys's default role for every new user, not one the provisioner grants.
    const held = user.grants
      .filter((g) => g.roleName !== 'employee')
      .map(idGrantKey)
      .sort();
    expect(held).toEqual(expected);
    expect(user.homeDivision.name).toBe(wanted.homeDivision);

    const state = await client.workflow
      .getHandle(seasonalAgentWorkflowId(orgId, input.agent.oktaUserId))
      .query(agentStateQuery);
    expect(state.phase).toBe('Active');
    expect(state.enrolments).toEqual([expect.objectContaining({ seasonId, phase: 'Active' })]);
    expect(state.genesysUserId).toBe(user.id);
  }
}
