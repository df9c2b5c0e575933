// The stages of a seasonal agent's life, each a short run of activities (one Genesys call each):
//   converge  — make the Genesys user hold what the live enrolments give: provisioning, a mover, a new
//               season, a season that ended while another goes on (only what no other season gives goes);
//   leave     — the Okta side of a season that ended while another goes on;
//   repair    — drift an admin made by hand (season audit --fix);
//   teardown  — the last enrolment ended: deactivate → remove grants → delete → out of the Okta groups.
import { condition, patched } from '@temporalio/workflow';
import type { GenesysActivities, GenesysUser, OktaActivities } from '../../activities/types';
import { diffGrants, IdGrant, idGrantKey } from '../../domain/entitlements';
import { oktaGroupsToLeave } from '../../domain/enrolments';
import { isEmptyRouting as isEmpty, mergeOurRouting, sameRouting } from '../../domain/routing';
import type { GrantView, QueueView, RoutingView } from '../messages';
import { NeedsAttention } from '../attention';
import { resolveEntitlements, ResolutionCache } from '../resolve';
import type { Enrolment, RepairRequest, RepairResult, SeasonalAgentInput } from './contract';
import type { AgentRecord } from './record';

/**
 * Runs before this version gave no routing skills or languages after the create (a mover, an adopted user):
 * their histories replay without these calls. Asked only where there is routing to change.
 */
export const ROUTING_FROM_MAPPING_PATCH = 'routing-from-mapping';
/**
 * Runs before this version adopted a taken userName by the SCIM lookup alone, trusted the create's answer for the
 * home division and routing, and removed grants before deleting at once. From it on: a taken userName held by a
 * deleted user is restored (Users API search + PATCH), a lookup that finds nobody is retried with backoff, the
 * create's answer (id, division, routing) is compared with what was asked on every path, and the grants go with an
 * immediate delete.
 */
export const REHIRE_PATCH = 'rehire-same-user';
/** A restore that keeps meeting a newer version (someone else edits the user) goes to NeedsAttention after this. */
const RESTORE_ROUNDS = 3;

/** How the user's routing skills and languages are known after ensureUser. */
type RoutingKnown =
  /** The create carried them and its answer was not compared (runs before REHIRE_PATCH). */
  | { kind: 'as-asked' }
  /** The create's answer showed them. */
  | { kind: 'held'; routing: RoutingView }
  /** Not known (a restored or adopted user): read them. */
  | { kind: 'unknown' };

interface EnsuredUser {
  /** Created, revived or restored now: the user holds none of our grants. */
  fresh: boolean;
  routing: RoutingKnown;
}

export class Stages {
  /** Teardown steps already done, so a retry after NeedsAttention resumes where it stopped. */
  private readonly tornDown = {
    deactivated: false,
    grantsRemoved: false,
    routingRemoved: false,
    deleted: false,
    oktaCleaned: false,
  };

  /** The input's Genesys call plan; runs started before plan 2 carry none. */
  private get callPlan(): number {
    return this.input.genesysCalls ?? 1;
  }

  /** Call plan 2 and later (issue 14): fewer Genesys calls, the same end state. */
  private get leanCalls(): boolean {
    return this.callPlan >= 2;
  }

  /** Call plan 3 and later: an agent's queue calls go out together. */
  private get queuesAtOnce(): boolean {
    return this.callPlan >= 3;
  }

  /** When this run created, revived or restored the user (workflow time): early 404s are the API's lag. */
  private userCreatedAt: number | undefined;

  constructor(
    private readonly input: SeasonalAgentInput,
    private readonly record: AgentRecord,
    private readonly genesys: GenesysActivities,
    private readonly okta: OktaActivities,
    readonly names: ResolutionCache,
  ) {}

  async converge(): Promise<void> {
    const { orgId } = this.input;
    const { genesys, record } = this;
    const desired = record.desired();
    const wanted = await resolveEntitlements(genesys, orgId, desired, this.names);
    const provisioning = record.genesysUserId === undefined;
    const routing: RoutingView = { skills: desired.skills, languages: desired.languages };
    let ensured: EnsuredUser = { fresh: false, routing: { kind: 'unknown' } };
    if (provisioning) ensured = await this.ensureUser(desired.homeDivision, wanted.homeDivisionId, routing);
    else if (record.userDeactivated) {
      // Revived during the grace period: the user was deactivated, and Genesys restores no roles on reactivation.
      await genesys.setUserActive({ orgId, userId: record.genesysUserId!, active: true });
      record.reactivated();
    }
    if (!provisioning && record.homeDivision !== desired.homeDivision) {
      await genesys.moveHomeDivision({ orgId, userId: record.genesysUserId!, divisionId: wanted.homeDivisionId });
      record.homeMoved(desired.homeDivision);
    }
    const userId = record.genesysUserId!;
    const createdNow = ensured.fresh;
    const lag = this.lagHint();

    // Division-scoped grants, which SCIM cannot carry. A user just created holds none of ours: add them all
    // (bulkadd is idempotent). Otherwise read first; remove only grants this workflow gave that no live season
    // gives any more (hand-made and group-inherited grants are not ours to take).
    const desiredIds = wanted.grants.map(toIdGrant);
    const { toAdd, toRemove } = createdNow
      ? { toAdd: desiredIds, toRemove: [] }
      : diffGrants(desiredIds, await genesys.getGrants({ orgId, userId, ...lag }), record.grants.map(toIdGrant));
    if (toAdd.length > 0) await genesys.addGrants({ orgId, userId, grants: toAdd, ...lag });
    if (toRemove.length > 0) await genesys.removeGrants({ orgId, userId, grants: toRemove });
    // Read back where a write's outcome is unknown: an adopted user, and runs of the first plan. A bulkadd's 204
    // for a user made (or restored) now is an answer (a dropped answer is retried: bulkadd is idempotent); the
    // season audit stays the full check.
    if (provisioning && !(this.leanCalls && createdNow)) {
      // Verify by reading back: never leave a half-provisioned user silently.
      const notHeld = diffGrants(desiredIds, await genesys.getGrants({ orgId, userId, ...lag }), []).toAdd;
      if (notHeld.length > 0) throw new NeedsAttention(`Genesys did not keep ${notHeld.length} of the mapped grants`);
    }
    record.granted(
      wanted.grants,
      desired.conflicts,
      provisioning ? `granted ${toAdd.length} role × division grants` : `grants +${toAdd.length} / −${toRemove.length}`,
    );
    await this.routingAfterEnsure(userId, routing, ensured);
    await this.setQueues(userId, wanted.queues);
  }

  /** The userCreatedAt of Authorization and queue calls right after this run created the user. */
  private lagHint(): { userCreatedAt?: number } {
    return this.userCreatedAt === undefined ? {} : { userCreatedAt: this.userCreatedAt };
  }

  private async routingAfterEnsure(userId: string, routing: RoutingView, ensured: EnsuredUser): Promise<void> {
    const { orgId } = this.input;
    if (!ensured.fresh) return this.setRouting(userId, routing);
    const known = ensured.routing;
    if (known.kind === 'as-asked' || (known.kind === 'held' && sameRouting(known.routing, routing))) {
      // The create carried the skills and languages: no call.
      if (!isEmpty(routing)) this.record.routingGiven(routing, 'routing skills and languages set at creation');
      return;
    }
    // A user (re)born now holds nothing of anyone's making: exactly the mapped routing (a revived user still has
    // last season's; a restored one is read first).
    const held = known.kind === 'held' ? known.routing : await this.genesys.getUserRouting({ orgId, userId });
    if (!sameRouting(held, routing)) await this.genesys.setUserRouting({ orgId, userId, routing });
    this.record.routingGiven(routing, `routing skills ${routing.skills.length}, languages ${routing.languages.length}`);
  }

  /**
   * Skills and languages: only what the mapping gives is added or removed. Read what the user holds, keep what
   * we did not give (hand-made), put ours as the live seasons give them; one idempotent SCIM PATCH.
   */
  private async setRouting(userId: string, routing: RoutingView): Promise<void> {
    const { orgId } = this.input;
    const given = this.record.routing;
    if (sameRouting(given, routing) || !patched(ROUTING_FROM_MAPPING_PATCH)) return;
    const held = await this.genesys.getUserRouting({ orgId, userId });
    const next = mergeOurRouting(held, given, routing);
    if (!sameRouting(held, next)) await this.genesys.setUserRouting({ orgId, userId, routing: next });
    this.record.routingGiven(routing, `routing skills ${routing.skills.length}, languages ${routing.languages.length}`);
  }

  /** Queues: join the mapped queues the user is not in through us, leave the ones no live season maps. */
  private async setQueues(userId: string, wanted: QueueView[]): Promise<void> {
    const { orgId } = this.input;
    const ours = this.record.queues;
    await this.eachQueue(
      ours.filter((o) => !wanted.some((w) => w.queueId === o.queueId)),
      (q) => this.genesys.leaveQueue({ orgId, queueId: q.queueId, userId }),
      (q) => this.record.queueLeft(q),
    );
    await this.eachQueue(
      wanted.filter((w) => !ours.some((o) => o.queueId === w.queueId)),
      (q) => this.genesys.joinQueue({ orgId, queueId: q.queueId, userId, ...this.lagHint() }),
      (q) => this.record.queueJoined(q),
    );
  }

  /**
   * One call per queue, each recorded when it succeeds: one after another in runs before plan 3; from plan 3 all
   * at once (each queue is its own resource), and the first failure is thrown once every call has answered, so
   * the record holds every queue a call did change.
   */
  private async eachQueue(
    queues: QueueView[],
    call: (q: QueueView) => Promise<void>,
    done: (q: QueueView) => void,
  ): Promise<void> {
    const one = async (q: QueueView) => {
      await call(q);
      done(q);
    };
    if (!this.queuesAtOnce) {
      for (const q of queues) await one(q);
      return;
    }
    const results = await Promise.allSettled(queues.map(one));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Okta suspended the person: deactivate the Genesys user at once (nothing can log in) and keep it, its grants
   * as far as Genesys keeps them, and every season. Unsuspending converges again: reactivate, re-grant.
   */
  async suspend(): Promise<void> {
    const { record } = this;
    if (record.genesysUserId === undefined || record.userDeactivated) return;
    await this.genesys.setUserActive({ orgId: this.input.orgId, userId: record.genesysUserId, active: false });
    record.deactivated();
  }

  /**
   * Exactly one Genesys user per person: look up, create, and on a conflict adopt the live user holding the
   * userName or restore the deleted one (a returning agent keeps their Genesys id in every mode Genesys answers
   * in: a create that revives them, or a 409 and a restore).
   */
  private async ensureUser(homeDivision: string, homeDivisionId: string, routing: RoutingView): Promise<EnsuredUser> {
    const { orgId, agent } = this.input;
    const { genesys, record } = this;
    // From plan 2, create first: a lookup before it costs a call for every new agent, and a returning one is found by
    // the 409 path below (which searches in any state) or revived by the create itself.
    let user = this.leanCalls ? null : await genesys.findUserByUserName({ orgId, userName: agent.login });
    let fresh = false;
    let routingKnown: RoutingKnown = { kind: 'unknown' };
    let compareAnswer = false;
    let note = 'adopted the existing Genesys user';
    if (!user) {
      const created = await genesys.createUser({
        orgId,
        agent,
        homeDivision,
        ...(isEmpty(routing) ? {} : { routing }),
      });
      if (created.kind === 'created') {
        user = created.user;
        fresh = true;
        note = 'created the Genesys user';
        // The answer tells what happened: a deleted user revived by the create sits in Home with last season's
        // routing, whatever was asked. The patch is asked only when the answer differs (a patch marker and its
        // search-attribute upsert are two billable actions; an answer as asked needs no new command).
        const answered = user.routing ?? { skills: [], languages: [] };
        const differs = user.homeDivision !== homeDivision || !sameRouting(answered, routing);
        compareAnswer = differs && patched(REHIRE_PATCH);
        routingKnown = compareAnswer ? { kind: 'held', routing: answered } : { kind: 'as-asked' };
      } else if (patched(REHIRE_PATCH)) {
        compareAnswer = true;
        const taken = await this.takenUserName();
        user = taken.user;
        fresh = taken.restored;
        if (taken.restored) note = 'restored the deleted Genesys user';
      } else {
        // 409: it exists (perhaps our own create whose response was lost). Adopt it.
        user = await genesys.findUserByUserName({ orgId, userName: agent.login });
        if (!user) throw new NeedsAttention('Genesys reports the userName as taken, but no user with it can be found');
      }
    }
    record.userFound(user.id, note);
    if (fresh) this.userCreatedAt = Date.now();
    // A user found by search (not made now) is seen as the index knew it, which lags behind writes: a user
    // deactivated or moved a moment ago still looks active, or in its old division. Both writes are idempotent,
    // and adopting is rare: make them whatever the search said.
    const searchMayLag = !fresh && patched(REHIRE_PATCH);
    if (!user.active || searchMayLag) {
      await genesys.setUserActive({ orgId, userId: user.id, active: true });
      record.note('reactivated the Genesys user (roles are not restored on reactivation; granting again)');
    }
    if (searchMayLag || ((compareAnswer || !fresh) && user.homeDivision !== homeDivision)) {
      await genesys.moveHomeDivision({ orgId, userId: user.id, divisionId: homeDivisionId, ...this.lagHint() });
      record.homeMoved(homeDivision);
    } else record.homeMoved(homeDivision, false);
    return { fresh, routing: routingKnown };
  }

  /**
   * The create met a 409: the userName is held by a live user (perhaps our own create whose answer was lost) or by
   * a deleted one (the Users API's way with a returning person). Find the holder in any state (search lags: retried
   * with backoff inside the activity) and restore it when deleted. True in `restored` when restored now.
   */
  private async takenUserName(): Promise<{ user: GenesysUser; restored: boolean }> {
    const { orgId, agent } = this.input;
    for (let round = 1; ; round++) {
      const holder = await this.genesys.findUserInAnyState({ orgId, userName: agent.login, retryIfMissing: true });
      if (!holder) throw new NeedsAttention('Genesys reports the userName as taken, but no user with it can be found');
      if (holder.state !== 'deleted') {
        const user: GenesysUser = { id: holder.id, userName: agent.login, active: holder.state === 'active' };
        return { user: holder.homeDivision ? { ...user, homeDivision: holder.homeDivision } : user, restored: false };
      }
      const restored = await this.genesys.restoreUser({ orgId, userId: holder.id, version: holder.version });
      if (restored.kind === 'restored') return { user: restored.user, restored: true };
      if (round >= RESTORE_ROUNDS)
        throw new NeedsAttention(
          `the deleted Genesys user ${holder.id} changed during each of ${RESTORE_ROUNDS} restores`,
        );
    }
  }

  /** A season ended while another goes on: out of the Okta groups only it maps, per its policy. */
  async leave(season: Enrolment): Promise<void> {
    if (season.policy.removeFromOktaGroups) {
      const { groupIds, seasonGroups } = oktaGroupsToLeave(season, this.record.live());
      if (groupIds.length > 0) {
        await this.okta.removeFromOktaGroups({
          orgId: this.input.orgId,
          oktaUserId: this.input.agent.oktaUserId,
          groupIds,
          seasonGroups,
        });
        this.record.note(`removed from the Okta groups of season ${season.seasonId}`);
      }
    }
    this.record.seasonClosed(season);
  }

  /** Drift an admin made by hand, fixed through the workflow that owns the user. */
  async repair(request: RepairRequest): Promise<RepairResult> {
    const { orgId } = this.input;
    const userId = this.record.genesysUserId!;
    const ours = this.record.grants.map(toIdGrant);
    const held = await this.genesys.getGrants({ orgId, userId });
    const toAdd = diffGrants(ours, held, []).toAdd;
    // Remove only what the audit names, is really held, and no live season gives.
    const oursKeys = new Set(ours.map(idGrantKey));
    const heldKeys = new Set(held.map(idGrantKey));
    const toRemove = request.removeGrants.filter((g) => heldKeys.has(idGrantKey(g)) && !oursKeys.has(idGrantKey(g)));
    if (toAdd.length > 0) await this.genesys.addGrants({ orgId, userId, grants: toAdd });
    if (toRemove.length > 0) await this.genesys.removeGrants({ orgId, userId, grants: toRemove });
    let routingFixed = 0;
    if (request.routing && !isEmpty(this.record.routing)) {
      // Ours as mapped again; hand-made skills and languages stay.
      const ourRouting = this.record.routing;
      const held = await this.genesys.getUserRouting({ orgId, userId });
      const next = mergeOurRouting(held, ourRouting, ourRouting);
      if (!sameRouting(held, next)) {
        await this.genesys.setUserRouting({ orgId, userId, routing: next });
        routingFixed = 1;
      }
    }
    const rejoin = this.record.queues.filter((q) => request.rejoinQueues?.includes(q.queueId));
    for (const q of rejoin) await this.genesys.joinQueue({ orgId, queueId: q.queueId, userId });
    const added = toAdd.length + routingFixed + rejoin.length;
    this.record.note(
      `audit repair (${request.reason}): +${toAdd.length} / −${toRemove.length} grants` +
        (routingFixed + rejoin.length > 0
          ? `, routing set again ${routingFixed}, queues rejoined ${rejoin.length}`
          : ''),
    );
    return { added, removed: toRemove.length, state: this.record.snapshot() };
  }

  /**
   * The last enrolment ended: the policy of the season that ended last decides. A new enrolment during the grace
   * period (`revived`) stops the teardown: the deactivated user is kept and provisioned again.
   */
  async teardown(revived: () => boolean): Promise<'gone' | 'revived'> {
    const { orgId, agent } = this.input;
    const { genesys, okta, record, tornDown: done } = this;
    const policy = record.finalPolicy();
    const userId = record.genesysUserId;
    if (userId !== undefined) {
      // From plan 2: a delete at once makes the deactivation moot (a deleted user cannot log in).
      const deleteAtOnce = this.leanCalls && policy.deleteAfterMs === 0;
      if (policy.deactivate && !done.deactivated && !deleteAtOnce) {
        await genesys.setUserActive({ orgId, userId, active: false });
        done.deactivated = true;
        record.deactivated();
      }
      if (policy.removeGrants && !done.grantsRemoved) {
        const ours = record.grants.map(toIdGrant);
        // A delete at once takes every permission with it (Genesys's delete); removing them first is a wasted
        // call, and a failing one where deactivation already stripped them.
        const deleteTakesThem =
          ours.length > 0 && policy.deleteAfterMs === 0 && (deleteAtOnce || patched(REHIRE_PATCH));
        if (ours.length > 0 && !deleteTakesThem) await genesys.removeGrants({ orgId, userId, grants: ours });
        done.grantsRemoved = true;
        record.granted(
          [],
          [],
          deleteTakesThem ? 'the delete takes the grants' : 'removed the grants this workflow gave',
        );
      }
      // A user deleted at once leaves every queue with the delete; one kept (grace period, never deleted) is
      // taken out of our queues now, and loses the skills and languages we gave with the grants.
      if (policy.deleteAfterMs !== 0) {
        await this.eachQueue(
          [...record.queues],
          (q) => genesys.leaveQueue({ orgId, queueId: q.queueId, userId }),
          (q) => record.queueLeft(q),
        );
        if (policy.removeGrants && !done.routingRemoved) {
          await this.setRouting(userId, { skills: [], languages: [] });
          done.routingRemoved = true;
        }
      }
      if (policy.deleteAfterMs !== null && !done.deleted) {
        if (policy.deleteAfterMs > 0) {
          record.waitingToDelete();
          if (await condition(revived, policy.deleteAfterMs, { summary: 'grace period before delete' })) {
            Object.assign(done, { deactivated: false, grantsRemoved: false, routingRemoved: false });
            record.revived();
            return 'revived';
          }
        }
        await genesys.deleteUser({ orgId, userId });
        done.deleted = true;
        record.userDeleted();
      }
    }
    // Okta: out of the groups of every season that ended here, so nothing provisions the person again.
    if (!done.oktaCleaned) {
      for (const season of record.ending()) {
        if (!season.policy.removeFromOktaGroups) continue;
        const { groupIds, seasonGroups } = oktaGroupsToLeave(season, []);
        if (groupIds.length === 0) continue;
        await okta.removeFromOktaGroups({ orgId, oktaUserId: agent.oktaUserId, groupIds, seasonGroups });
        record.note(`removed from the Okta groups of season ${season.seasonId}`);
      }
      if (policy.deactivateOktaUser) {
        await okta.deactivateOktaUser({ orgId, oktaUserId: agent.oktaUserId });
        record.note('deactivated the Okta user');
      }
      done.oktaCleaned = true;
    }
    return 'gone';
  }
}

function toIdGrant(g: GrantView | IdGrant): IdGrant {
  return { roleId: g.roleId, divisionId: g.divisionId };
}
