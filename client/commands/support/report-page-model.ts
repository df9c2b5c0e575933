// What `season report --format html` draws: one season's figures, already computed (client/commands/report.ts).
// Times are ISO-8601 instants; ids are Okta user ids and Genesys user ids only (never a name or an email).
import type { AgentPhase } from '../../../workflows/messages';

export interface ReportPage {
  /** When the report was made. */
  generatedAt: string;
  seasons: SeasonPage[];
}

export interface SeasonPage {
  orgId: string;
  seasonId: string;
  startsAt: string;
  endsAt: string;
  /** The season's IANA time zone: times are shown in it. */
  timeZone: string;
  counts: {
    agents: number;
    provisioned: number;
    active: number;
    needsAttention: number;
    deprovisioned: number;
    failed: number;
    licensesHeld: number;
  };
  /** Agents by phase over the season: one sample per step, oldest first (a stacked area chart). */
  phases: Array<{ at: string; byPhase: Partial<Record<AgentPhase, number>> }>;
  logins: {
    /** Agents with at least one login into Genesys. */
    loggedIn: number;
    /** Of those, agents whose first login came after they were Active. */
    readyBeforeFirstLogin: number;
    /** Agents who logged in before they were Active (just-in-time misses). */
    loggedInFirst: Array<{ oktaUserId: string; firstLogin: string; activeAt?: string }>;
    /** Median of (first login − Active) over the ready agents, in ms; absent when none. */
    medianLeadMs?: number;
    /** Logins per day (first logins among them), in the season's time zone, oldest first. */
    perDay: Array<{ day: string; logins: number; firstLogins: number }>;
    /** The headline, e.g. "298 of 300 ready before their first login (median lead 2 d 4 h); 2 logged in first". */
    headline: string;
  };
  /** Absent when the org's config has no `billing`. */
  billing?: {
    model: 'named' | 'concurrent';
    periodStartDay: number;
    periods: Array<{
      start: string;
      end: string;
      /** Seasonal users who logged in during the period (named: each is billed for the whole period). */
      billable: number;
      /** Seasonal users able to log in at some time in the period. */
      exposed: number;
      /** Per license id: how many of the billable and the exposed hold it. */
      licenses: Array<{ license: string; billable: number; exposed: number }>;
    }>;
    /** The warnings `plan` and `extend` give, e.g. a season end just inside a new period, with the saving. */
    warnings: string[];
  };
  /** The provisioning wave: agents that became Active per minute against what the rate-limit budget allows. */
  wave: {
    /** Agents per minute the org's request budget allows at the calls one agent needs. */
    boundPerMinute: number;
    requestsPerMinute: number;
    perMinute: Array<{ at: string; active: number }>;
  };
  /** Active, and no login N days after the season started. */
  dormant: { afterDays: number; agents: Array<{ oktaUserId: string; activeAt?: string }> };
  leftovers: {
    licenses: Array<{ oktaUserId: string; genesysUserId: string; why: string }>;
    queues: Array<{ oktaUserId: string; genesysUserId: string }>;
  };
}
