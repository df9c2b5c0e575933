// Upgrading with seasons in flight: agents still on the per-season workflow of earlier versions (`agentLifecycle`)
// are handed over to the seasonalAgent workflow by `season migrate`, which adopts the same Genesys users without
// touching their grants, keeps each agent's own season end, and can be run again.
import type { WorkflowHandle } from '@temporalio/client';
import type { SeasonConfig } from '../../config/types';
import { AgentPhaseKey, OrgIdKey, SeasonEndsAtKey, SeasonIdKey } from '../../domain/search-attributes';
import { findSeason } from '../../config/load';
import { migrateCommand } from '../../client/commands/migrate';
import { agentStateQuery, seasonalAgentWorkflowId } from '../../workflows/agent/contract';
import type { agentLifecycle } from '../../workflows/legacy/agent-lifecycle';
import {
  AGENT_LIFECYCLE_WORKFLOW,
  AgentLifecycleInput,
  AgentState,
  agentWorkflowId,
  getStateQuery,
  HANDED_OVER,
  LIFECYCLE_TASK_QUEUE,
  offboardSignal,
  setSeasonEndUpdate,
} from '../../workflows/messages';
import { CliEnv, eventually, ORG, seasonYaml, startCliEnv } from './cli-harness';

const SEASON = 'migrate-holiday';
const AGENTS = { id: '00gmigrateagents01', name: 'Retail-Holiday-Agents' };
let env: CliEnv;
let season: SeasonConfig;

beforeAll(async () => {
  env = await startCliEnv('migrate');
  env.writeSeason(SEASON, seasonYaml(SEASON, { endsInMs: 3_600_000 }));
  season = findSeason(env.context().ctx.config(), SEASON).season;
});
afterAll(async () => {
  await env?.close();
});

/** A run as the starters of earlier versions made it: per (org, season, person), SeasonId search attribute. */
async function startLegacy(
  i: number,
): Promise<{ handle: WorkflowHandle<typeof agentLifecycle>; input: AgentLifecycleInput }> {
  const login = `legacy.${Date.now().toString(36)}${i}@retail.example`;
  const input: AgentLifecycleInput = {
    orgId: ORG,
    seasonId: SEASON,
    seasonEndsAt: season.endsAt,
    agent: {
      oktaUserId: `00ulegacy${Date.now().toString(36)}${i}`,
      login,
      email: login,
      givenName: 'Lee',
      familyName: `Gacy${i}`,
    },
    groups: [AGENTS],
    groupsAsOf: new Date().toISOString(),
    mapping: season.mapping,
    policy: season.policy,
  };
  const handle = await env.client.workflow.start<typeof agentLifecycle>(AGENT_LIFECYCLE_WORKFLOW, {
    taskQueue: LIFECYCLE_TASK_QUEUE,
    workflowId: agentWorkflowId(ORG, SEASON, input.agent.oktaUserId),
    args: [input],
    typedSearchAttributes: [
      { key: OrgIdKey, value: ORG },
      { key: SeasonIdKey, value: SEASON },
      { key: AgentPhaseKey, value: 'Provisioning' },
      { key: SeasonEndsAtKey, value: new Date(input.seasonEndsAt) },
    ],
  });
  return { handle, input };
}

function usersOf(login: string) {
  return env.genesys.inspect(ORG).users.filter((u) => u.userName === login);
}

const grantsOf = (login: string) =>
  usersOf(login)[0]!
    .grants.map((g) => `${g.roleName} @ ${g.divisionName}`)
    .sort();

describe('season migrate', () => {
  it('hands Active agents over to one workflow per person: same users, same grants, own season ends; a second run changes nothing', async () => {
    const legacy = await Promise.all([1, 2, 3].map(startLegacy));
    const stuckOne = await startLegacy(4);
    for (const { handle } of legacy)
      await eventually(
        async () => ((await handle.query(getStateQuery)).phase === 'Active' ? true : undefined),
        'v1 Active',
      );
    await eventually(
      async () => ((await stuckOne.handle.query(getStateQuery)).phase === 'Active' ? true : undefined),
      'v1 Active',
    );
    // One agent's season was extended on the old workflow: the extension must survive the move.
    const extended = new Date(Date.now() + 7_200_000).toISOString();
    await legacy[0]!.handle.executeUpdate(setSeasonEndUpdate, { args: [{ newEnd: extended }] });
    // One is being offboarded on the old workflow: it finishes there.
    await stuckOne.handle.signal(offboardSignal, { reason: 'left before the upgrade' });
    await stuckOne.handle.result();
    const before = new Map(
      legacy.map(({ input }) => [
        input.agent.login,
        { users: usersOf(input.agent.login), grants: grantsOf(input.agent.login) },
      ]),
    );

    const run = env.context({ json: true });
    expect(await migrateCommand(run.ctx, SEASON)).toBe(0);
    const summary = run.json.at(-1) as {
      migrated: Array<{ oktaUserId: string; outcome: string }>;
      left: unknown[];
      failed: unknown[];
    };
    expect(summary.migrated.map((m) => m.outcome)).toEqual(['started', 'started', 'started']);
    expect(summary.failed).toEqual([]);
    expect(summary.left).toEqual([]);

    for (const [i, { handle, input }] of legacy.entries()) {
      const result = (await handle.result()) as AgentState;
      expect(result.handedOver?.genesysUserId).toBe(before.get(input.agent.login)!.users[0]!.id);
      expect((await handle.describe()).typedSearchAttributes.get(AgentPhaseKey)).toBe(HANDED_OVER);
      const person = env.client.workflow.getHandle(seasonalAgentWorkflowId(ORG, input.agent.oktaUserId));
      const state = await eventually(async () => {
        const s = await person.query(agentStateQuery);
        return s.phase === 'Active' ? s : undefined;
      }, 'v2 Active');
      expect(state.genesysUserId).toBe(result.handedOver!.genesysUserId);
      expect(state.enrolments).toEqual([
        expect.objectContaining({
          seasonId: SEASON,
          phase: 'Active',
          seasonEndsAt: i === 0 ? extended : season.endsAt,
        }),
      ]);
      // Adopted, not re-created: one user per login, grants as they were.
      expect(usersOf(input.agent.login).map((u) => [u.id, u.active, u.deleted])).toEqual([
        [result.handedOver!.genesysUserId, true, false],
      ]);
      expect(grantsOf(input.agent.login)).toEqual(before.get(input.agent.login)!.grants);
    }

    // Run again (as after an interruption): the hand-overs are read from the old results, nothing is started twice.
    const again = env.context({ json: true });
    expect(await migrateCommand(again.ctx, SEASON)).toBe(0);
    expect((again.json.at(-1) as { migrated: Array<{ outcome: string }> }).migrated.map((m) => m.outcome)).toEqual([
      'already-enrolled',
      'already-enrolled',
      'already-enrolled',
    ]);
    for (const { handle } of legacy)
      await env.client.workflow
        .getHandle(seasonalAgentWorkflowId(ORG, (await handle.result()).handedOver!.agent.oktaUserId))
        .terminate('test over');
  });
});
