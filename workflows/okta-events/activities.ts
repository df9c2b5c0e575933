// The activity the Okta-events workflow calls (implementation: activities/okta-user-events.ts).
import type { OktaTrigger } from './contract';

/** What one trigger came to for one season (or the whole person): ids and outcomes only. */
export interface OktaTriggerAction {
  /** Absent for a message about the whole person (offboard, suspend, resume). */
  seasonId?: string;
  action: 'groups' | 'offboard' | 'suspend' | 'resume';
  outcome: 'started-or-signalled' | 'signalled' | 'no-workflow' | 'already-closed' | 'skipped';
}

export interface OktaUserEventActivities {
  /**
   * Reads the user and their groups from Okta now and makes the person's agent workflow match: enrol or send the
   * current groups per season, suspend or resume, or offboard. Idempotent (lists carry asOf; an offboard twice
   * is once), so a retry redoes it whole.
   */
  followOktaUser(input: { orgId: string; oktaUserId: string; trigger: OktaTrigger }): Promise<OktaTriggerAction[]>;
}
