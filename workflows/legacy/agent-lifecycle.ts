// LEGACY (frozen): the per-season lifecycle of versions before the seasonalAgent workflow (../seasonal-agent.ts),
// kept registered so that runs started before the upgrade finish, and `season migrate` can hand them over. Change
// nothing here but what replay allows (test/histories/v1): new code paths only behind new messages.
//
// The life of one seasonal agent in one Genesys org, from just-in-time creation to season-end teardown.
// One workflow per (org, season, Okta user). Read top to bottom, `agentLifecycle` is the business process:
//
//   Provisioning ─► Active ─(season end | offboard | no seasonal group left)─► Deprovisioning ─► Deprovisioned
//        │             │                                                           │
//        └─────────────┴───────────► NeedsAttention (waits for `retry` or `offboard`) ◄┘
//
// Message handlers only record intent; this main loop does all the work, so nothing interleaves.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { computeEntitlements, diffGrants, IdGrant } from '../../domain/entitlements';
import {
  AgentLifecycleInput,
  AgentState,
  GroupsChange,
  getStateQuery,
  groupsChangedSignal,
  offboardSignal,
  offboardUpdate,
  ReconcileRequest,
  ReconcileResult,
  reconcileUpdate,
  retrySignal,
  setSeasonEndSignal,
  setSeasonEndUpdate,
  HANDED_OVER,
  HandOver,
  handOverUpdate,
} from '../messages';
import { AgentPhaseKey } from '../../domain/search-attributes';
import { genesysActivitiesFor, oktaActivities } from '../activity-proxies';
import { NeedsAttention, attentionFromFailure } from '../attention';
import { LifecycleRecord } from './lifecycle-record';
import { resolveEntitlements, ResolutionCache } from '../resolve';

/** Version marker (workflow patching): NeedsAttention before teardown also ends at the season end. */
const STUCK_AGENTS_END_WITH_THE_SEASON = 'stuck-agents-end-with-the-season';

export async function agentLifecycle(input: AgentLifecycleInput): Promise<AgentState> {
  const { orgId, agent, policy } = input;
  const record = new LifecycleRecord(input);
  const names = new ResolutionCache(input.resolved);
  const genesys = genesysActivitiesFor(orgId);
  const okta = oktaActivities();

  // ── Intent recorded by messages ──────────────────────────────────────────────────────────────
  let groups = input.groups;
  let groupsAsOf = Date.parse(input.groupsAsOf);
  let pendingGroups: GroupsChange | undefined;
  let offboardReason: string | undefined;
  let retryRequested = false;
  let seasonEndMoved = false;
  let reconcile: { request: ReconcileRequest; result?: ReconcileResult } | undefined;

  const requestOffboard = (reason: string) => {
    offboardReason ??= reason;
  };
  setHandler(offboardSignal, ({ reason }) => requestOffboard(reason));
  setHandler(
    offboardUpdate,
    async ({ reason }) => {
      const attentionBefore = record.attentionCount;
      requestOffboard(reason);
      // The caller learns the outcome: deprovisioned, or stuck with a reason an operator must fix.
      await condition(() => record.state.phase === 'Deprovisioned' || record.attentionCount > attentionBefore);
      return record.snapshot();
    },
    { validator: ({ reason }) => assertNonEmpty(reason, 'reason') },
  );
  const moveSeasonEnd = (newEnd: string) => {
    record.state.seasonEndsAt = new Date(Date.parse(newEnd)).toISOString();
    seasonEndMoved = true;
  };
  setHandler(setSeasonEndSignal, ({ newEnd }) => {
    if (!Number.isNaN(Date.parse(newEnd))) moveSeasonEnd(newEnd);
  });
  setHandler(
    setSeasonEndUpdate,
    ({ newEnd }) => {
      moveSeasonEnd(newEnd);
      return record.state.seasonEndsAt;
    },
    {
      validator: ({ newEnd }) => {
        if (Number.isNaN(Date.parse(newEnd))) throw new Error(`not an ISO-8601 instant: ${newEnd}`);
        if (
          offboardReason !== undefined ||
          record.state.phase === 'Deprovisioning' ||
          record.state.phase === 'Deprovisioned'
        ) {
          throw new Error('the agent is already being offboarded');
        }
      },
    },
  );
  setHandler(groupsChangedSignal, (change) => {
    const asOf = Date.parse(change.asOf);
    const newest = Math.max(groupsAsOf, pendingGroups ? Date.parse(pendingGroups.asOf) : -Infinity);
    // Okta delivers out of order: a list older than the one already known says nothing new.
    if (Number.isNaN(asOf) || asOf <= newest) return;
    pendingGroups = change;
  });
  setHandler(
    reconcileUpdate,
    async (request) => {
      // One repair at a time; the main loop does the calls and hands the result back.
      await condition(() => reconcile === undefined);
      const mine = { request } as { request: ReconcileRequest; result?: ReconcileResult };
      reconcile = mine;
      await condition(() => mine.result !== undefined);
      reconcile = undefined;
      return mine.result!;
    },
    {
      validator: (request) => {
        assertNonEmpty(request.reason, 'reason');
        if (record.state.phase !== 'Active' || offboardReason !== undefined)
          throw new Error(`only an Active agent can be reconciled (phase ${record.state.phase})`);
      },
    },
  );
  setHandler(retrySignal, () => {
    retryRequested = true;
  });
  setHandler(getStateQuery, () => record.snapshot());
  // Migration: only an Active agent with nothing pending is handed over; the main loop ends the run.
  let handOver: HandOver | undefined;
  setHandler(
    handOverUpdate,
    () => {
      handOver = {
        agent,
        groups,
        groupsAsOf: new Date(groupsAsOf).toISOString(),
        seasonEndsAt: record.state.seasonEndsAt,
        genesysUserId: record.state.genesysUserId!,
      };
      return handOver;
    },
    {
      validator: () => {
        if (
          record.state.phase !== 'Active' ||
          offboardReason !== undefined ||
          pendingGroups !== undefined ||
          reconcile !== undefined
        ) {
          throw new Error(`only an Active agent with nothing pending can be handed over (phase ${record.state.phase})`);
        }
      },
    },
  );

  /**
   * Parks the agent in NeedsAttention until an operator says `retry` (→ true) or `offboard` (→ false). Before
   * teardown, the season end also ends the wait: a stuck agent must not keep its license past the season.
   */
  async function waitForOperator(attention: NeedsAttention, offboardEnds: boolean): Promise<boolean> {
    retryRequested = false;
    record.needsAttention(attention.reason);
    const woken = () => retryRequested || (offboardEnds && offboardReason !== undefined);
    // Runs that parked before this rule existed wait for the operator only (see test/histories).
    if (offboardEnds && patched(STUCK_AGENTS_END_WITH_THE_SEASON)) {
      while (!woken()) {
        const untilEnd = Date.parse(record.state.seasonEndsAt) - Date.now();
        if (untilEnd <= 0) {
          requestOffboard('season ended');
          break;
        }
        seasonEndMoved = false;
        await condition(() => woken() || seasonEndMoved, untilEnd, {
          summary: 'needs attention, until the season ends',
        });
        if (seasonEndMoved) record.seasonEndChanged();
      }
    } else {
      await condition(woken);
    }
    if (retryRequested) {
      retryRequested = false;
      names.forgetAll();
      record.note('operator asked to retry');
      return true;
    }
    return false;
  }

  /** Runs a stage; on a failure that will not heal by itself, waits for the operator and runs it again. */
  async function stage(run: () => Promise<void>, offboardEnds: boolean): Promise<'done' | 'offboard'> {
    for (;;) {
      try {
        await run();
        return 'done';
      } catch (err) {
        const attention = err instanceof NeedsAttention ? err : attentionFromFailure(err);
        if (!(await waitForOperator(attention, offboardEnds))) return 'offboard';
      }
    }
  }

  // ── Provisioning ─────────────────────────────────────────────────────────────────────────────
  async function provision(): Promise<void> {
    if (pendingGroups) applyPendingGroupsToInput();
    record.setPhase('Provisioning');
    const entitlements = computeEntitlements(input.mapping, groups);
    record.state.conflicts = entitlements.conflicts;
    if (entitlements.matchedGroups.length === 0) {
      requestOffboard('no seasonal Okta group at start');
      return;
    }
    const wanted = await resolveEntitlements(genesys, orgId, entitlements, names);

    let createdNow = false;
    if (record.state.genesysUserId === undefined) {
      // Ensure exactly one Genesys user for this agent: look up, create, and adopt on a conflict.
      let user = await genesys.findUserByUserName({ orgId, userName: agent.login });
      if (!user) {
        const created = await genesys.createUser({ orgId, agent, homeDivision: entitlements.homeDivision });
        if (created.kind === 'created') {
          user = created.user;
          createdNow = true;
          record.note('created the Genesys user');
        } else {
          // 409: it exists (perhaps our own create whose response was lost). Adopt it.
          user = await genesys.findUserByUserName({ orgId, userName: agent.login });
          if (!user)
            throw new NeedsAttention('Genesys reports the userName as taken, but no user with it can be found');
        }
      }
      if (!createdNow) record.note('adopted the existing Genesys user');
      record.state.genesysUserId = user.id;
      if (!user.active) {
        await genesys.setUserActive({ orgId, userId: user.id, active: true });
        record.note('reactivated the Genesys user (roles are not restored on reactivation; granting again)');
      }
      if (!createdNow && user.homeDivision !== entitlements.homeDivision) {
        await genesys.moveHomeDivision({ orgId, userId: user.id, divisionId: wanted.homeDivisionId });
        record.note(`moved the home division to "${entitlements.homeDivision}"`);
      }
    }
    const userId = record.state.genesysUserId;
    record.state.homeDivision = entitlements.homeDivision;

    // Division-scoped grants, which SCIM cannot carry. A user we just created holds none of ours, so add them
    // all (bulkadd is idempotent); otherwise read first and add only what is missing.
    const desired = wanted.grants.map(toIdGrant);
    const missing = createdNow ? desired : diffGrants(desired, await genesys.getGrants({ orgId, userId }), []).toAdd;
    if (missing.length > 0) await genesys.addGrants({ orgId, userId, grants: missing });

    // Verify by reading back: never leave a half-provisioned user silently.
    const held = await genesys.getGrants({ orgId, userId });
    const notHeld = diffGrants(desired, held, []).toAdd;
    if (notHeld.length > 0) throw new NeedsAttention(`Genesys did not keep ${notHeld.length} of the mapped grants`);
    record.state.grants = wanted.grants;
    record.note(`granted ${desired.length} role × division grants`);
  }

  function applyPendingGroupsToInput(): void {
    if (!pendingGroups) return;
    groups = pendingGroups.groups;
    groupsAsOf = Date.parse(pendingGroups.asOf);
    pendingGroups = undefined;
  }

  // ── Mover: the agent's Okta groups changed while active ─────────────────────────────────────
  async function applyGroupChange(): Promise<void> {
    applyPendingGroupsToInput();
    const entitlements = computeEntitlements(input.mapping, groups);
    record.state.conflicts = entitlements.conflicts;
    if (entitlements.matchedGroups.length === 0) {
      requestOffboard('no seasonal Okta group left');
      return;
    }
    const userId = record.state.genesysUserId!;
    const wanted = await resolveEntitlements(genesys, orgId, entitlements, names);
    if (entitlements.homeDivision !== record.state.homeDivision) {
      await genesys.moveHomeDivision({ orgId, userId, divisionId: wanted.homeDivisionId });
      record.state.homeDivision = entitlements.homeDivision;
      record.note(`moved the home division to "${entitlements.homeDivision}"`);
    }
    // Remove only grants this workflow gave: hand-made and group-inherited grants are not ours to take.
    const owned = record.state.grants.map(toIdGrant);
    const { toAdd, toRemove } = diffGrants(
      wanted.grants.map(toIdGrant),
      await genesys.getGrants({ orgId, userId }),
      owned,
    );
    if (toAdd.length > 0) await genesys.addGrants({ orgId, userId, grants: toAdd });
    if (toRemove.length > 0) await genesys.removeGrants({ orgId, userId, grants: toRemove });
    record.state.grants = wanted.grants;
    record.note(`groups changed: +${toAdd.length} / −${toRemove.length} grants`);
  }

  // ── Audit repair: drift an admin made by hand, fixed through the workflow that owns the agent ──
  async function repairDrift(request: ReconcileRequest): Promise<ReconcileResult> {
    const userId = record.state.genesysUserId!;
    const ours = record.state.grants.map(toIdGrant);
    const held = await genesys.getGrants({ orgId, userId });
    const toAdd = diffGrants(ours, held, []).toAdd;
    // Remove only what the audit names, is really held, and the mapping does not give.
    const oursKeys = new Set(ours.map((g) => `${g.roleId}/${g.divisionId}`));
    const heldKeys = new Set(held.map((g) => `${g.roleId}/${g.divisionId}`));
    const toRemove = request.removeGrants.filter(
      (g) => heldKeys.has(`${g.roleId}/${g.divisionId}`) && !oursKeys.has(`${g.roleId}/${g.divisionId}`),
    );
    if (toAdd.length > 0) await genesys.addGrants({ orgId, userId, grants: toAdd });
    if (toRemove.length > 0) await genesys.removeGrants({ orgId, userId, grants: toRemove });
    record.note(`audit repair (${request.reason}): +${toAdd.length} / −${toRemove.length} grants`);
    return { added: toAdd.length, removed: toRemove.length, state: record.snapshot() };
  }

  // ── Deprovisioning, in stages; each stage is remembered so a retry resumes where it stopped ──
  const done = { deactivated: false, grantsRemoved: false, deleted: false, oktaCleaned: false };
  async function deprovision(): Promise<void> {
    const userId = record.state.genesysUserId;
    if (userId !== undefined) {
      if (policy.deactivate && !done.deactivated) {
        await genesys.setUserActive({ orgId, userId, active: false });
        done.deactivated = true;
        record.note('deactivated the Genesys user');
      }
      if (policy.removeGrants && !done.grantsRemoved) {
        const ours = record.state.grants.map(toIdGrant);
        if (ours.length > 0) await genesys.removeGrants({ orgId, userId, grants: ours });
        done.grantsRemoved = true;
        record.state.grants = [];
        record.note('removed the grants this workflow gave');
      }
      if (policy.deleteAfterMs !== null && !done.deleted) {
        if (policy.deleteAfterMs > 0) {
          record.setPhase('Deprovisioning');
          await sleep(policy.deleteAfterMs, { summary: 'grace period before delete' });
        }
        await genesys.deleteUser({ orgId, userId });
        done.deleted = true;
        record.state.grants = [];
        record.note('deleted the Genesys user');
      }
    }
    // Okta cleanup: out of the season's groups, so nothing provisions the agent again and no license is kept.
    if (!done.oktaCleaned) {
      const seasonGroupIds = computeEntitlements(input.mapping, groups).matchedGroups;
      if (policy.removeFromOktaGroups && seasonGroupIds.length > 0) {
        // The mapping's group names too: Okta's current memberships decide, so a season group joined while a hook
        // was dropped goes as well (same activity, same command: replay-safe).
        const seasonGroups = input.mapping.rules.map((r) => r.group);
        await okta.removeFromOktaGroups({
          orgId,
          oktaUserId: agent.oktaUserId,
          groupIds: seasonGroupIds,
          seasonGroups,
        });
        record.note("removed from the season's Okta groups");
      }
      if (policy.deactivateOktaUser) {
        await okta.deactivateOktaUser({ orgId, oktaUserId: agent.oktaUserId });
        record.note('deactivated the Okta user');
      }
      done.oktaCleaned = true;
    }
  }

  // ══ The process ═════════════════════════════════════════════════════════════════════════════
  if (input.carried) {
    record.resume(input.carried);
  } else {
    record.note('provisioning started');
    await stage(provision, true);
  }

  // Active: sleep until the season ends (a durable timer that moves when the season does), acting on messages.
  if (offboardReason === undefined) record.setPhase('Active');
  while (offboardReason === undefined && handOver === undefined) {
    const untilEnd = Date.parse(record.state.seasonEndsAt) - Date.now();
    if (untilEnd <= 0) {
      requestOffboard('season ended');
      break;
    }
    seasonEndMoved = false;
    await condition(
      () =>
        offboardReason !== undefined ||
        pendingGroups !== undefined ||
        seasonEndMoved ||
        (reconcile !== undefined && reconcile.result === undefined) ||
        handOver !== undefined,
      untilEnd,
      { summary: 'until the season ends' },
    );
    if (reconcile && reconcile.result === undefined) {
      const job = reconcile;
      try {
        job.result = await repairDrift(job.request);
      } catch (err) {
        // A failed repair is reported to its caller; the agent stays Active (the audit can be run again).
        const attention = attentionFromFailure(err);
        job.result = { added: 0, removed: 0, state: { ...record.snapshot(), attentionReason: attention.reason } };
      }
    }
    if (seasonEndMoved) {
      record.seasonEndChanged();
    }
    if (pendingGroups && offboardReason === undefined) {
      if ((await stage(applyGroupChange, true)) === 'offboard') break;
      if (offboardReason === undefined) record.setPhase('Active');
    }
    if (
      workflowInfo().continueAsNewSuggested &&
      offboardReason === undefined &&
      !pendingGroups &&
      handOver === undefined
    ) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof agentLifecycle>({
        ...input,
        groups,
        groupsAsOf: new Date(groupsAsOf).toISOString(),
        seasonEndsAt: record.state.seasonEndsAt,
        resolved: names.export(),
        carried: record.carry(),
      });
    }
  }

  if (handOver !== undefined) {
    // Handed over to the seasonalAgent workflow, which owns the Genesys user from now on: nothing to tear down.
    upsertSearchAttributes([{ key: AgentPhaseKey, value: HANDED_OVER }]);
    record.note('handed over to the seasonalAgent workflow');
    await condition(allHandlersFinished);
    return { ...record.snapshot(), handedOver: handOver };
  }
  // A repair asked for as teardown began has nothing left to repair: answer it so its caller is not left waiting.
  if (reconcile && reconcile.result === undefined)
    reconcile.result = { added: 0, removed: 0, state: record.snapshot() };
  record.offboarding(offboardReason ?? 'season ended');
  await stage(deprovision, false);
  record.setPhase('Deprovisioned');
  await condition(allHandlersFinished);
  return record.snapshot();
}

function toIdGrant(g: { roleId: string; divisionId: string }): IdGrant {
  return { roleId: g.roleId, divisionId: g.divisionId };
}

function assertNonEmpty(value: string, what: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${what} must not be empty`);
}
