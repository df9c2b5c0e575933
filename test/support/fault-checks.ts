// What every case of the fault matrix must end with, checked against the emulator's own state rather than the
// workflows' word: nothing lost (every agent Active), nothing duplicated (one live Genesys user per agent), no
// wrong grant (exactly what computeEntitlements gives), and no workflow that failed.
import type { Client } from '@temporalio/client';
import type { GenesysEmulator } from '../../emulators/genesys';
import { computeEntitlements, idGrantKey } from '../../domain/entitlements';
import { agentWorkflowId, getStateQuery } from '../../workflows/messages';
import type { AgentLifecycleInput } from '../../workflows/messages';
import { eventually } from './agents';

/** Visibility count of one season's agents, optionally narrowed (e.g. `AgentPhase = "Active"`). */
export async function countSeason(client: Client, seasonId: string, extra?: string): Promise<number> {
  return (await client.workflow.count(`SeasonId = "${seasonId}"${extra ? ` AND ${extra}` : ''}`)).count;
}

/** Waits until every agent of the season shows Active in visibility (which lags the workflows by a moment). */
export async function waitAllActive(client: Client, seasonId: string, agents: number, timeoutMs: number): Promise<void> {
  await eventually(
    async () => ((await countSeason(client, seasonId, 'AgentPhase = "Active"')) === agents ? true : undefined),
    `all ${agents} agents of ${seasonId} Active`,
    timeoutMs,
  );
}

export async function expectNoLossNoDuplicateNoWrongGrant(opts: {
  client: Client;
  emulator: GenesysEmulator;
  seasonId: string;
  inputs: AgentLifecycleInput[];
}): Promise<void> {
  const { client, emulator, seasonId, inputs } = opts;
  const orgId = inputs[0]!.orgId;
  // The agents sleep until a season end an hour away, so any closed run here failed, timed out or was terminated.
  expect(await countSeason(client, seasonId, 'ExecutionStatus != "Running"')).toBe(0);
  expect(await countSeason(client, seasonId, 'AgentPhase = "NeedsAttention"')).toBe(0);
  expect(await countSeason(client, seasonId, 'AgentPhase = "Active"')).toBe(inputs.length);

  const { users, roles, divisions } = emulator.inspect(orgId);
  const roleId = new Map(roles.map((r) => [r.name, r.id]));
  const divisionId = new Map(divisions.map((d) => [d.name, d.id]));
  for (const input of inputs) {
    const live = users.filter((u) => u.userName.toLowerCase() === input.agent.login.toLowerCase() && !u.deleted);
    expect(live).toHaveLength(1);
    const user = live[0]!;
    const wanted = computeEntitlements(input.mapping, input.groups);
    const expected = wanted.grants.map((g) => idGrantKey({ roleId: roleId.get(g.role)!, divisionId: divisionId.get(g.division)! })).sort();
    // `employee` in Home is Genesys's default role for every new user, not one the provisioner grants.
    const held = user.grants.filter((g) => g.roleName !== 'employee').map(idGrantKey).sort();
    expect(held).toEqual(expected);
    expect(user.homeDivision.name).toBe(wanted.homeDivision);

    const state = await client.workflow.getHandle(agentWorkflowId(orgId, seasonId, input.agent.oktaUserId)).query(getStateQuery);
    expect(state.phase).toBe('Active');
    expect(state.genesysUserId).toBe(user.id);
  }
}
