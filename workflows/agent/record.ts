// The agent's record: every state change of the seasonal agent workflow goes through here — the enrolments,
// the Genesys facts, the phase, and what the Web UI shows (search attributes, current details). Created per run.
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { entitlementsAcross, stillMapped } from '../../domain/enrolments';
import { mergeLogins } from '../../domain/logins';
import type { Entitlements } from '../../domain/mapping';
import {
  AgentPhaseKey,
  SeasonEndsAtKey,
  SeasonIdsKey,
  SeasonPhasesKey,
  seasonPhaseValue,
} from '../../domain/search-attributes';
import type { DeprovisionPolicy } from '../../domain/agent';
import type { AgentPhase, GrantView, QueueView, RoutingView } from '../messages';
import type { CarriedAgent, Enrolment, EnrolmentView, SeasonalAgentInput, SeasonalAgentState } from './contract';
import type { Intent } from './intent';

/** Enough to explain the agent's story in the CLI and the UI without growing the history payloads. */
const HISTORY_LIMIT = 40;

export class AgentRecord {
  private readonly state: SeasonalAgentState;
  private readonly enrolments: Enrolment[] = [];
  /** How many times the agent entered NeedsAttention (lets an update wait for "the next" one). */
  attentionCount = 0;
  /** Genesys (or Okta) no longer matches the enrolments: the main loop must converge. */
  private outOfStep = true;
  /** Counts changes to what the person must hold, so the loop knows a stuck agent has something new to try. */
  private changes = 0;
  private deactivatedUser = false;
  /** Okta's newest word on a suspension (asOf of the read): suspended agents keep their user and seasons. */
  private okta: { suspended: boolean; asOf: string } | undefined;
  /** What the UI shows now; search attributes are upserted only when these change (each upsert is an action). */
  private shown: { phase: AgentPhase; seasonPhases: string; seasonIds: string; endsAt: string };

  constructor(input: SeasonalAgentInput) {
    this.state = { phase: 'Provisioning', grants: [], enrolments: [], conflicts: [], history: [] };
    const carried = input.carried;
    if (carried) this.resume(carried);
    else this.enrolments.push(enrolmentOf(input.enrol));
    // The start options show exactly this (operations/); continue-as-new carries the search attributes over.
    this.shown = this.visible();
    this.state.enrolments = this.views();
  }

  // ── Reading ───────────────────────────────────────────────────────────────────────────────────
  get phase(): AgentPhase {
    return this.state.phase;
  }
  get genesysUserId(): string | undefined {
    return this.state.genesysUserId;
  }
  get homeDivision(): string | undefined {
    return this.state.homeDivision;
  }
  get grants(): GrantView[] {
    return this.state.grants;
  }
  /** The routing skills and languages this workflow gave (none yet: empty lists). */
  get routing(): RoutingView {
    return this.state.routing ?? { skills: [], languages: [] };
  }
  get queues(): QueueView[] {
    return this.state.queues ?? [];
  }
  /** Deactivated by a teardown that a new season then stopped: converging reactivates it first. */
  get userDeactivated(): boolean {
    return this.deactivatedUser;
  }
  /** Okta has the person suspended: Genesys must hold them inactive, nothing else changes. */
  get suspended(): boolean {
    return this.okta?.suspended === true;
  }
  get needsConverging(): boolean {
    return this.outOfStep;
  }
  live(): Enrolment[] {
    return this.enrolments.filter((e) => e.status === 'live');
  }
  /** Seasons that ended for the person while others go on, whose Okta groups are not cleaned yet. */
  ending(): Enrolment[] {
    return this.enrolments.filter((e) => e.status === 'ending');
  }
  enrolment(seasonId: string): Enrolment | undefined {
    return this.enrolments.find((e) => e.seasonId === seasonId);
  }
  /** Union of the live enrolments' mappings (home division by priority across seasons). */
  desired(): Entitlements {
    return entitlementsAcross(this.live());
  }
  msUntilNextSeasonEnd(now: number): number {
    const ends = this.live().map((e) => Date.parse(e.seasonEndsAt) - now);
    return Math.max(0, Math.min(...ends));
  }
  /** The deprovision policy when the last enrolment ends: the season that ended last (the first of a tie). */
  finalPolicy(): DeprovisionPolicy {
    const last = [...this.enrolments].sort((a, b) => Date.parse(b.seasonEndsAt) - Date.parse(a.seasonEndsAt))[0]!;
    return last.policy;
  }

  // ── Intent becomes state (called by the main loop only) ──────────────────────────────────────
  /**
   * Applies what the messages asked for, then ends every enrolment whose season is over or unmapped. True when
   * what the person must hold may have changed (an enrolment came or ended, a season's groups changed).
   */
  absorb(intent: Intent, now: number): boolean {
    const changesBefore = this.changes;
    for (const request of intent.enrolments.splice(0)) {
      const have = this.enrolment(request.seasonId);
      if (!have) {
        this.enrolments.push(enrolmentOf(request));
        this.note(`enrolled in season ${request.seasonId}`);
        this.outOfStep = true;
        this.changes += 1;
      } else if (have.status === 'live' && Date.parse(request.asOf) > Date.parse(have.asOf)) {
        this.newGroups(have, request.groups, request.asOf);
      }
      // An enrolment that ended stays ended: a late or repeated Okta event must not resurrect it.
    }
    for (const change of intent.groupChanges.splice(0)) {
      const have = this.enrolment(change.seasonId);
      if (have?.status === 'live' && Date.parse(change.asOf) > Date.parse(have.asOf))
        this.newGroups(have, change.groups, change.asOf);
    }
    for (const change of intent.statusChanges.splice(0)) {
      if (this.okta && Date.parse(change.asOf) <= Date.parse(this.okta.asOf)) continue;
      const was = this.suspended;
      this.okta = { suspended: change.suspended, asOf: change.asOf };
      if (was !== change.suspended) {
        this.note(change.suspended ? 'Okta suspended the user' : 'Okta unsuspended the user');
        this.outOfStep = true;
        this.changes += 1;
      }
    }
    let endMoved = false;
    for (const move of intent.endMoves.splice(0)) {
      const have = this.enrolment(move.seasonId);
      if (have?.status !== 'live') continue;
      have.seasonEndsAt = new Date(Date.parse(move.newEnd)).toISOString();
      this.note(`season ${move.seasonId} now ends ${have.seasonEndsAt}`);
      endMoved = true;
    }
    for (const off of intent.offboards.splice(0)) {
      for (const e of this.live())
        if (off.seasonId === undefined || off.seasonId === e.seasonId) this.end(e, off.reason);
    }
    for (const e of this.live()) {
      if (!stillMapped(e)) this.end(e, 'no seasonal Okta group left');
      else if (Date.parse(e.seasonEndsAt) <= now) this.end(e, 'season ended');
    }
    // A moved end is shown at once (the UI sorts by it); other changes show when the loop has acted on them.
    this.show(endMoved);
    return this.changes !== changesBefore;
  }

  private newGroups(e: Enrolment, groups: Enrolment['groups'], asOf: string): void {
    e.groups = groups;
    e.asOf = asOf;
    this.note(`groups changed for season ${e.seasonId}`);
    this.outOfStep = true;
    this.changes += 1;
  }

  private end(e: Enrolment, reason: string): void {
    e.status = 'ending';
    e.endReason = reason;
    this.note(`season ${e.seasonId} ends for the agent: ${reason}`);
    this.outOfStep = true;
    this.changes += 1;
  }

  // ── Genesys facts ────────────────────────────────────────────────────────────────────────────
  userFound(userId: string, how: string): void {
    this.state.genesysUserId = userId;
    this.accessFrom();
    this.note(how);
  }
  homeMoved(division: string, note = true): void {
    this.state.homeDivision = division;
    if (note) this.note(`home division "${division}"`);
  }
  granted(grants: GrantView[], conflicts: string[], what: string): void {
    this.state.grants = grants;
    this.state.conflicts = conflicts;
    this.note(what);
  }
  routingGiven(routing: RoutingView, what: string): void {
    const empty = routing.skills.length === 0 && routing.languages.length === 0;
    if (empty) delete this.state.routing;
    else this.state.routing = { skills: [...routing.skills], languages: [...routing.languages] };
    this.note(what);
  }
  queueJoined(queue: QueueView): void {
    this.state.queues = [...this.queues.filter((q) => q.queueId !== queue.queueId), queue];
    this.note(`joined queue "${queue.name}"`);
  }
  queueLeft(queue: QueueView): void {
    const left = this.queues.filter((q) => q.queueId !== queue.queueId);
    if (left.length > 0) this.state.queues = left;
    else delete this.state.queues;
    this.note(`left queue "${queue.name}"`);
  }
  /** Deleted: Genesys takes the user out of every queue. */
  userDeleted(): void {
    delete this.state.queues;
    delete this.state.routing;
    this.accessUntil();
    this.note('deleted the Genesys user');
  }
  /** Suspended in Okta, and the Genesys user is inactive: nobody can log in, nothing else was taken. */
  suspendedInGenesys(): void {
    this.outOfStep = false;
    this.setPhase('Suspended');
  }
  /** Genesys matches the live enrolments again. */
  converged(): void {
    this.outOfStep = false;
    this.setPhase('Active');
  }
  /** One ended season's Okta groups are cleaned (or its policy keeps them): it is over for good. */
  seasonClosed(e: Enrolment): void {
    e.status = 'ended';
    this.show();
  }
  /** The last enrolment ended: the person goes. */
  offboarding(): void {
    const reasons = [...new Set(this.ending().map((e) => e.endReason))];
    this.state.offboardReason = reasons.join('; ');
    this.state.attentionReason = undefined;
    this.state.phase = 'Deprovisioning';
    this.note(`offboarding: ${this.state.offboardReason}`);
    // Shown only if teardown has to wait (grace period) or fails: a teardown that runs through costs no action.
    this.show(false);
  }
  deprovisioned(): void {
    this.state.grants = [];
    for (const e of this.enrolments) e.status = 'ended';
    this.setPhase('Deprovisioned');
  }
  deactivated(): void {
    this.deactivatedUser = true;
    this.accessUntil();
    this.note('deactivated the Genesys user');
  }
  reactivated(): void {
    this.deactivatedUser = false;
    this.accessFrom(true);
    this.note('reactivated the Genesys user (roles are not restored on reactivation; granting again)');
  }
  /** A new season during the grace period: the person stays, and is provisioned again. */
  revived(): void {
    this.state.offboardReason = undefined;
    this.outOfStep = true;
    this.note('a new season before the delete: keeping the user');
    this.setPhase('Provisioning');
  }
  /** Teardown that must wait (grace period) is shown as Deprovisioning in the UI. */
  waitingToDelete(): void {
    this.setPhase('Deprovisioning');
  }

  needsAttention(reason: string): void {
    this.attentionCount += 1;
    this.note(`needs attention: ${reason}`);
    this.setPhase('NeedsAttention');
    this.state.attentionReason = reason;
    this.show();
  }

  note(what: string): void {
    this.state.history.push({ at: new Date().toISOString(), what });
    if (this.state.history.length > HISTORY_LIMIT)
      this.state.history.splice(0, this.state.history.length - HISTORY_LIMIT);
  }

  /** Logins the sweep saw: kept (deduplicated, capped) for the report; nothing to act on. */
  loginsSeen(logins: string[]): void {
    const merged = mergeLogins(this.state.logins, logins);
    if (merged.changed) this.state.logins = merged.record;
  }

  // ── When the person could log in (billing) ──────────────────────────────────────────────────
  private accessFrom(again = false): void {
    const access = (this.state.access ??= {});
    access.from ??= new Date().toISOString();
    if (again) delete access.until;
  }
  private accessUntil(): void {
    if (this.state.access?.from !== undefined) this.state.access.until ??= new Date().toISOString();
  }

  private setPhase(phase: AgentPhase): void {
    if (phase === 'Active' && this.state.access) {
      const access = this.state.access;
      access.activeAt ??= new Date().toISOString();
      const roleIds = new Set([...(access.roleIds ?? []), ...this.state.grants.map((g) => g.roleId)]);
      access.roleIds = [...roleIds].sort();
    }
    if (phase !== this.state.phase && phase !== 'NeedsAttention') this.note(`phase ${phase}`);
    if (phase !== 'NeedsAttention') this.state.attentionReason = undefined;
    this.state.phase = phase;
    this.show();
  }

  // ── Continue-as-new ──────────────────────────────────────────────────────────────────────────
  carry(resolved: CarriedAgent['resolved']): CarriedAgent {
    return {
      ...(this.state.genesysUserId ? { genesysUserId: this.state.genesysUserId } : {}),
      ...(this.state.homeDivision ? { homeDivision: this.state.homeDivision } : {}),
      grants: this.state.grants,
      ...(this.state.routing ? { routing: this.state.routing } : {}),
      ...(this.state.queues ? { queues: this.state.queues } : {}),
      enrolments: this.enrolments,
      history: this.state.history,
      conflicts: this.state.conflicts,
      resolved,
      ...(this.okta ? { oktaStatus: this.okta } : {}),
      ...(this.state.access ? { access: this.state.access } : {}),
      ...(this.state.logins ? { logins: this.state.logins } : {}),
    };
  }

  private resume(carried: CarriedAgent): void {
    if (carried.genesysUserId) this.state.genesysUserId = carried.genesysUserId;
    if (carried.homeDivision) this.state.homeDivision = carried.homeDivision;
    this.state.grants = carried.grants;
    if (carried.routing) this.state.routing = carried.routing;
    if (carried.queues) this.state.queues = carried.queues;
    this.state.history = carried.history;
    this.state.conflicts = carried.conflicts;
    this.enrolments.push(...carried.enrolments);
    if (carried.oktaStatus) this.okta = carried.oktaStatus;
    if (carried.access) this.state.access = carried.access;
    if (carried.logins) this.state.logins = carried.logins;
    this.state.phase = 'Active';
    this.outOfStep = false;
    this.note('continued as new');
  }

  snapshot(): SeasonalAgentState {
    // A copy, so a query result can never alias live state (structuredClone is not in the workflow sandbox).
    return JSON.parse(JSON.stringify({ ...this.state, enrolments: this.views() })) as SeasonalAgentState;
  }

  // ── What the Web UI shows ────────────────────────────────────────────────────────────────────
  private views(): EnrolmentView[] {
    return this.enrolments.map((e) => ({
      seasonId: e.seasonId,
      seasonEndsAt: e.seasonEndsAt,
      phase: e.status === 'ended' ? 'Deprovisioned' : e.status === 'ending' ? 'Deprovisioning' : this.state.phase,
      ...(e.endReason ? { endReason: e.endReason } : {}),
    }));
  }

  private visible() {
    const views = this.views();
    const live = this.live();
    const ends = (live.length > 0 ? live : this.enrolments).map((e) => Date.parse(e.seasonEndsAt));
    return {
      phase: this.state.phase,
      seasonPhases: views.map((v) => seasonPhaseValue(v.seasonId, v.phase)).join(','),
      seasonIds: this.enrolments.map((e) => e.seasonId).join(','),
      endsAt: new Date(Math.max(...ends)).toISOString(),
    };
  }

  /** Upserts only what changed since the UI last saw it: an unchanged phase costs no action. */
  private show(upsert = true): void {
    this.state.enrolments = this.views();
    const now = this.visible();
    if (upsert) {
      const changes = [];
      if (now.phase !== this.shown.phase) changes.push({ key: AgentPhaseKey, value: now.phase });
      if (now.seasonPhases !== this.shown.seasonPhases)
        changes.push({ key: SeasonPhasesKey, value: now.seasonPhases.split(',') });
      if (now.seasonIds !== this.shown.seasonIds) changes.push({ key: SeasonIdsKey, value: now.seasonIds.split(',') });
      if (now.endsAt !== this.shown.endsAt) changes.push({ key: SeasonEndsAtKey, value: new Date(now.endsAt) });
      if (changes.length > 0) {
        upsertSearchAttributes(changes);
        this.shown = now;
      }
    }
    setCurrentDetails(this.details());
  }

  private details(): string {
    const s = this.state;
    const lines = [`**${s.phase}**`];
    for (const v of this.views()) lines.push(`season ${v.seasonId}: ${v.phase}, ends ${v.seasonEndsAt}`);
    if (s.genesysUserId) lines.push(`Genesys user ${s.genesysUserId}, ${s.grants.length} grants${routingLine(s)}`);
    if (s.attentionReason) lines.push(`needs attention: ${s.attentionReason}`);
    if (s.offboardReason) lines.push(`offboarding: ${s.offboardReason}`);
    return lines.join('\n');
  }
}

function routingLine(s: SeasonalAgentState): string {
  const skills = s.routing?.skills.length ?? 0;
  const languages = s.routing?.languages.length ?? 0;
  const queues = s.queues?.length ?? 0;
  return skills + languages + queues > 0 ? `, ${skills} skills, ${languages} languages, ${queues} queues` : '';
}

function enrolmentOf(request: SeasonalAgentInput['enrol']): Enrolment {
  const { resolved: _resolved, ...rest } = request;
  return { ...rest, seasonEndsAt: new Date(Date.parse(rest.seasonEndsAt)).toISOString(), status: 'live' };
}
