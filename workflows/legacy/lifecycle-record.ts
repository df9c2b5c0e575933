// The agent's visible record: the state the `getState` query returns, the search attributes the Web UI filters
// on, and the current-details line the UI shows. Created per run (never module-level state).
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { AgentPhaseKey, SeasonEndsAtKey } from '../../domain/search-attributes';
import type { AgentLifecycleInput, AgentPhase, AgentState, CarriedState } from '../messages';

/** Enough to explain the agent's story in the CLI and the UI without growing the history payloads. */
const HISTORY_LIMIT = 40;

export class LifecycleRecord {
  readonly state: AgentState;
  /** How many times the agent entered NeedsAttention (lets an update wait for "the next" one). */
  attentionCount = 0;
  /** Phase last written to the AgentPhase search attribute (the start options set Provisioning). */
  private visiblePhase: AgentPhase = 'Provisioning';

  constructor(input: AgentLifecycleInput) {
    this.state = {
      phase: 'Provisioning',
      grants: [],
      seasonEndsAt: new Date(Date.parse(input.seasonEndsAt)).toISOString(),
      conflicts: [],
      history: [],
    };
  }

  note(what: string): void {
    this.state.history.push({ at: new Date().toISOString(), what });
    if (this.state.history.length > HISTORY_LIMIT)
      this.state.history.splice(0, this.state.history.length - HISTORY_LIMIT);
  }

  /** Changes the phase; the search attribute is upserted only when it differs from what the UI already shows. */
  setPhase(phase: AgentPhase): void {
    if (phase !== 'NeedsAttention') this.state.attentionReason = undefined;
    this.state.phase = phase;
    if (phase !== this.visiblePhase) {
      upsertSearchAttributes([{ key: AgentPhaseKey, value: phase }]);
      this.visiblePhase = phase;
      if (phase !== 'NeedsAttention') this.note(`phase ${phase}`);
    }
    setCurrentDetails(this.details());
  }

  needsAttention(reason: string): void {
    this.attentionCount += 1;
    // Set before the phase, so the details setPhase shows carry it (setPhase clears it for every other phase).
    this.state.attentionReason = reason;
    this.note(`needs attention: ${reason}`);
    this.setPhase('NeedsAttention');
  }

  /** Teardown begins. The phase is written to the UI only if teardown has to wait (grace period) or fails. */
  offboarding(reason: string): void {
    this.state.offboardReason = reason;
    this.state.phase = 'Deprovisioning';
    this.state.attentionReason = undefined;
    this.note(`offboarding: ${reason}`);
    setCurrentDetails(this.details());
  }

  seasonEndChanged(): void {
    upsertSearchAttributes([{ key: SeasonEndsAtKey, value: new Date(this.state.seasonEndsAt) }]);
    this.note(`season end moved to ${this.state.seasonEndsAt}`);
    setCurrentDetails(this.details());
  }

  carry(): CarriedState {
    return {
      phase: 'Active',
      genesysUserId: this.state.genesysUserId!,
      homeDivision: this.state.homeDivision!,
      grants: this.state.grants,
      history: this.state.history,
      conflicts: this.state.conflicts,
    };
  }

  resume(carried: CarriedState): void {
    this.state.genesysUserId = carried.genesysUserId;
    this.state.homeDivision = carried.homeDivision;
    this.state.grants = carried.grants;
    this.state.history = carried.history;
    this.state.conflicts = carried.conflicts;
    this.visiblePhase = 'Active';
    this.state.phase = 'Active';
    this.note('continued as new');
  }

  snapshot(): AgentState {
    // A copy, so a query result can never alias live state (structuredClone is not in the workflow sandbox).
    return JSON.parse(JSON.stringify(this.state)) as AgentState;
  }

  private details(): string {
    const s = this.state;
    const lines = [`**${s.phase}**`, `season ends ${s.seasonEndsAt}`];
    if (s.genesysUserId) lines.push(`Genesys user ${s.genesysUserId}, ${s.grants.length} grants`);
    if (s.attentionReason) lines.push(`needs attention: ${s.attentionReason}`);
    if (s.offboardReason) lines.push(`offboarding: ${s.offboardReason}`);
    return lines.join('\n');
  }
}
