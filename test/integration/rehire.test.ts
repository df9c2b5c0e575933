// Returning agents and teardown as production behaves, end to end on the dev server, a real worker and the Genesys
// emulator on its production-faithful defaults (Authorization 404s for 2 s after a create, search 1 s behind):
//   - season 1 ends and deletes the Genesys user; season 2 hires the same Okta user again → the SAME Genesys id,
//     Active, in the mapped home division with exactly the mapped grants, skills, languages and queues — whether
//     Genesys revives the deleted user on the SCIM create (its FAQ) or answers 409 (the Users API's way: the
//     workflow searches the deleted user and restores it);
//   - teardown with a grace period after a deactivation that did or did not strip the grants.
import { WorkflowHandle } from '@temporalio/client';
import type { GenesysEmulatorOptions } from '../../emulators/genesys';
import type { DeprovisionPolicy } from '../../domain/agent';
import { enrolAgent } from '../../operations/seasonal-agent';
import { agentStateQuery, type SeasonalAgentInput, type SeasonalAgentState } from '../../workflows/agent/contract';
import {
  RETAIL_ORG,
  agentInput,
  eventually,
  newAgent,
  retailMapping,
  retailRoutedMapping,
  teardownAtOnce,
} from '../support/agents';
import { LifecycleEnv, startLifecycleEnv } from '../support/lifecycle-env';

async function withEnv(emulator: GenesysEmulatorOptions, run: (env: LifecycleEnv) => Promise<void>): Promise<void> {
  const env = await startLifecycleEnv({ emulator, namespacePrefix: 'rehire' });
  try {
    await run(env);
  } finally {
    await env.close();
  }
}

async function start(env: LifecycleEnv, input: SeasonalAgentInput): Promise<WorkflowHandle> {
  const { workflowId, outcome } = await enrolAgent(env.client, input);
  expect(outcome).toBe('started');
  return env.client.workflow.getHandle(workflowId);
}

async function active(handle: WorkflowHandle): Promise<SeasonalAgentState> {
  return eventually(async () => {
    const state = (await handle.query(agentStateQuery)) as SeasonalAgentState;
    if (state.phase === 'NeedsAttention') throw new Error(`NeedsAttention: ${state.attentionReason}`);
    return state.phase === 'Active' ? state : undefined;
  }, 'Active');
}

function userOf(env: LifecycleEnv, userName: string) {
  const users = env.emulator.inspect(RETAIL_ORG).users.filter((u) => u.userName === userName);
  expect(users).toHaveLength(1);
  return users[0]!;
}

const grantsOf = (user: { grants: Array<{ roleName: string; divisionName: string }> }) =>
  user.grants.map((g) => `${g.roleName} @ ${g.divisionName}`).sort();

const MAPPED_GRANTS = [
  'Seasonal Agents @ Holiday Overflow',
  'Seasonal Agents @ Retail Stores',
  'Voice Agent @ Retail Stores',
];

describe('a returning agent (season 1 deleted the user; season 2 hires the same person)', () => {
  for (const rehire of ['revive', 'conflict'] as const) {
    it(`keeps the same Genesys id, Active, in the mapped division with exactly the mapped grants and routing (rehire: ${rehire})`, async () => {
      await withEnv({ rehire }, async (env) => {
        const agent = newAgent();
        // Season 1: no routing mapped, ends in a few seconds, the user deleted at once.
        const first = await start(
          env,
          agentInput({
            seasonId: `rehire-1-${rehire}`,
            agent,
            mapping: retailMapping,
            policy: teardownAtOnce,
            seasonEndsAt: new Date(Date.now() + 8_000).toISOString(),
          }),
        );
        const s1 = await active(first);
        expect(grantsOf(userOf(env, agent.login)).filter((g) => !g.startsWith('employee'))).toEqual(MAPPED_GRANTS);
        expect((await first.result()) as SeasonalAgentState).toMatchObject({ phase: 'Deprovisioned' });
        expect(userOf(env, agent.login)).toMatchObject({ id: s1.genesysUserId, deleted: true });

        // Seasons are months apart: the delete has reached search (1 s behind) before the person comes back. A
        // lookup within that second would still find the deleted user as it was (see the report of issue 12).
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        // Season 2: the same Okta user, now with skills, languages and queues mapped.
        const calls = () => env.emulator.requestCounts().totals.requests;
        const before = calls();
        const second = await start(
          env,
          agentInput({
            seasonId: `rehire-2-${rehire}`,
            agent,
            mapping: retailRoutedMapping,
            seasonEndsAt: new Date(Date.now() + 3_600_000).toISOString(),
          }),
        );
        const s2 = await active(second);
        expect(s2.genesysUserId).toBe(s1.genesysUserId);
        const user = userOf(env, agent.login);
        expect(user).toMatchObject({ id: s1.genesysUserId, state: 'active', homeDivision: { name: 'Retail Stores' } });
        // Exactly the mapped grants: a returning user has no role at all, not even the default one.
        expect(grantsOf(user)).toEqual(MAPPED_GRANTS);
        expect([...user.routingSkills].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
          { name: 'Returns', proficiency: 3 },
          { name: 'Store Orders', proficiency: 2 },
        ]);
        expect(user.routingLanguages).toEqual([{ name: 'English', proficiency: 5 }]);
        expect([...user.queues].sort()).toEqual(['Holiday Voice', 'Returns & Exchanges']);
        const note = rehire === 'conflict' ? 'restored the deleted Genesys user' : 'created the Genesys user';
        expect(s2.history.map((h) => h.what)).toContain(note);
        // Bounded work: not a retry storm while the user is new to the Authorization API.
        expect(calls() - before).toBeLessThanOrEqual(16);
        await second.terminate('test over');
      });
    });
  }
});

describe('teardown with a grace period after a deactivation (deactivationRemovesGrants)', () => {
  const graceThenDelete: DeprovisionPolicy = { ...teardownAtOnce, deleteAfterMs: 2_000 };
  for (const removes of [true, false]) {
    it(`${removes ? 'on' : 'off'}: removes what is still held and deletes, without NeedsAttention or a stall`, async () => {
      await withEnv({ deactivationRemovesGrants: removes }, async (env) => {
        const agent = newAgent();
        const handle = await start(
          env,
          agentInput({
            seasonId: `deactivation-${removes ? 'on' : 'off'}`,
            agent,
            mapping: retailMapping,
            policy: graceThenDelete,
            seasonEndsAt: new Date(Date.now() + 8_000).toISOString(),
          }),
        );
        await active(handle);
        const waiting = await eventually(async () => {
          const state = (await handle.query(agentStateQuery)) as SeasonalAgentState;
          return state.phase === 'Deprovisioning' && state.grants.length === 0 ? state : undefined;
        }, 'the grace period');
        expect(waiting.attentionReason).toBeUndefined();
        const held = userOf(env, agent.login);
        expect(held).toMatchObject({ state: 'inactive' });
        // Ours are gone either way (stripped by the deactivation, or removed by the teardown).
        expect(grantsOf(held).filter((g) => !g.startsWith('employee'))).toEqual([]);
        const startedAt = Date.now();
        const final = (await handle.result()) as SeasonalAgentState;
        expect(Date.now() - startedAt).toBeLessThan(30_000);
        expect(final.phase).toBe('Deprovisioned');
        expect(final.history.some((h) => h.what.startsWith('needs attention'))).toBe(false);
        expect(userOf(env, agent.login)).toMatchObject({ deleted: true });
        const bulkremove =
          env.emulator.requestCounts().totals.byEndpoint['POST /api/v2/authorization/subjects/:subjectId/bulkremove'];
        expect(bulkremove).toEqual({ '204': 1 });
      });
    });
  }
});
