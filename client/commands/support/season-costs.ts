// What a season costs and whether it was on time, from the agents' own records (their workflow state): logins
// (who was ready before their first login), the billing periods the season touches (billable and exposed users,
// with their licenses), dormant agents, and the curves the HTML report draws. Pure: the reads happen in report.ts.
import type { OrgConfig, SeasonConfig } from '../../../config/types';
import {
  boundaryWarnings,
  periodsBetween,
  periodUsage,
  peakExposure,
  type AgentTimeline,
  type BillingWarning,
} from '../../../domain/billing';
import { dormantAgents, readiness } from '../../../domain/logins';
import { queueRequestsPerMinute } from '../../../domain/rate-budget';
import { waveSeconds } from '../../../domain/plan';
import type { AgentPhase } from '../../../workflows/messages';
import type { AgentRecord } from './agent-records';

const DAY_MS = 86_400_000;

export interface SeasonCosts {
  readiness: ReturnType<typeof readiness>;
  perDay: Array<{ day: string; logins: number; firstLogins: number }>;
  billing?: {
    model: 'named' | 'concurrent';
    periodStartDay: number;
    timeZone: string;
    periods: ReturnType<typeof periodUsage>;
    /** Concurrent model: the most seasonal users able to log in at once (an upper bound of the billed peak). */
    peakExposed?: number;
    warnings: BillingWarning[];
  };
  dormant: Array<{ oktaUserId: string; activeAt?: string }>;
  /** Seasonal users still able to log in although their season is over for them (and no other season has them). */
  exposedAfterSeason: string[];
  phases: Array<{ at: string; byPhase: Partial<Record<AgentPhase, number>> }>;
  wave: { boundPerMinute: number; requestsPerMinute: number; perMinute: Array<{ at: string; active: number }> };
}

const ms = (iso: string | undefined) => (iso !== undefined ? Date.parse(iso) : undefined);

/**
 * Genesys calls one new agent's provisioning takes (domain/plan.ts's count: userName lookup, create with routing,
 * grants, read-back; the queues joined at once), for the wave's bound.
 */
export function provisioningCallsPerAgent(season: SeasonConfig): number {
  const queues = season.mapping.rules.some((r) => (r.queues?.length ?? 0) > 0);
  return 4 + (queues ? 1 : 0);
}

/** Genesys calls one agent's teardown takes up to the moment nobody can log in (deactivation, grants, queues). */
export function teardownCallsPerAgent(season: SeasonConfig): number {
  const p = season.policy;
  if (!p.deactivate) return p.deleteAfterMs === 0 ? 1 : 0;
  return 1;
}

/** How long after the season's end its users can still log in: the time teardown needs at the org's budget. */
export function accessAfterEnd(season: SeasonConfig, org: OrgConfig, agents: number) {
  const teardownMs = waveSeconds(agents * teardownCallsPerAgent(season), org.genesys.requestsPerMinute) * 1000;
  // Deactivated first: nobody logs in during the grace period. Otherwise the user stays active until deleted.
  const accessAfterEndMs = season.policy.deactivate ? 0 : (season.policy.deleteAfterMs ?? Number.POSITIVE_INFINITY);
  return { teardownMs, accessAfterEndMs: Number.isFinite(accessAfterEndMs) ? accessAfterEndMs : 0 };
}

/** The billing warnings of a season with `agents` agents ending at `endsAt` (plan, preflight, extend, report). */
export function seasonBillingWarnings(
  season: SeasonConfig,
  org: OrgConfig,
  agents: number,
  endsAt: string = season.endsAt,
): BillingWarning[] {
  if (!org.billing || agents === 0) return [];
  return boundaryWarnings(org.billing, {
    seasonId: season.id,
    startsAt: Date.parse(season.startsAt),
    endsAt: Date.parse(endsAt),
    agents,
    ...accessAfterEnd(season, org, agents),
  });
}

export function timelineOf(record: AgentRecord, licenses: string[]): AgentTimeline {
  const s = record.state;
  const logins = (s?.logins?.seen ?? []).map((t) => Date.parse(t));
  const accessFrom = ms(s?.access?.from);
  const accessUntil = ms(s?.access?.until);
  const activeAt = ms(s?.access?.activeAt);
  return {
    oktaUserId: record.execution.oktaUserId,
    ...(accessFrom !== undefined ? { accessFrom } : {}),
    ...(accessUntil !== undefined ? { accessUntil } : {}),
    ...(activeAt !== undefined ? { activeAt } : {}),
    logins,
    licenses,
  };
}

/** A day in the season's time zone, as YYYY-MM-DD. */
function localDay(t: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
}

function loginsPerDay(timelines: AgentTimeline[], timeZone: string): SeasonCosts['perDay'] {
  const days = new Map<string, { logins: number; firstLogins: number }>();
  for (const t of timelines) {
    const sorted = [...t.logins].sort((a, b) => a - b);
    sorted.forEach((login, i) => {
      const day = localDay(login, timeZone);
      const d = days.get(day) ?? { logins: 0, firstLogins: 0 };
      d.logins += 1;
      if (i === 0) d.firstLogins += 1;
      days.set(day, d);
    });
  }
  return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, d]) => ({ day, ...d }));
}

/** Phase changes from each agent's history ("phase Active" notes), sampled over the season. */
function phasesOverTime(records: AgentRecord[], from: number, to: number, samples = 48): SeasonCosts['phases'] {
  const changes = records.map((r) => {
    const start = r.execution.startTime.getTime();
    const steps: Array<{ at: number; phase: AgentPhase }> = [{ at: start, phase: 'Provisioning' }];
    for (const h of r.state?.history ?? []) {
      const m = /^phase (\w+)$/.exec(h.what);
      if (m) steps.push({ at: Date.parse(h.at), phase: m[1] as AgentPhase });
      else if (h.what.startsWith('needs attention')) steps.push({ at: Date.parse(h.at), phase: 'NeedsAttention' });
    }
    return steps.sort((a, b) => a.at - b.at);
  });
  if (to <= from) return [];
  const out: SeasonCosts['phases'] = [];
  for (let i = 0; i <= samples; i++) {
    const at = from + ((to - from) * i) / samples;
    const byPhase: Partial<Record<AgentPhase, number>> = {};
    for (const steps of changes) {
      const now = steps.filter((s) => s.at <= at).pop();
      if (now) byPhase[now.phase] = (byPhase[now.phase] ?? 0) + 1;
    }
    out.push({ at: new Date(at).toISOString(), byPhase });
  }
  return out;
}

function wave(timelines: AgentTimeline[], season: SeasonConfig, org: OrgConfig): SeasonCosts['wave'] {
  const minutes = new Map<number, number>();
  for (const t of timelines)
    if (t.activeAt !== undefined) {
      const minute = Math.floor(t.activeAt / 60_000) * 60_000;
      minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
    }
  const rpm = org.genesys.requestsPerMinute;
  return {
    requestsPerMinute: rpm,
    boundPerMinute: Math.floor(queueRequestsPerMinute(rpm) / provisioningCallsPerAgent(season)),
    perMinute: [...minutes]
      .sort(([a], [b]) => a - b)
      .map(([at, active]) => ({ at: new Date(at).toISOString(), active })),
  };
}

export function seasonCosts(input: {
  season: SeasonConfig;
  org: OrgConfig;
  records: AgentRecord[];
  /** License ids per Genesys user id (users Genesys still has), and the season's roles' licenses for the others. */
  licenses: Map<string, string[]>;
  inferred: string[];
  now: number;
}): SeasonCosts {
  const { season, org, records, now } = input;
  const licensesOf = (r: AgentRecord) =>
    (r.state?.genesysUserId !== undefined ? input.licenses.get(r.state.genesysUserId) : undefined) ?? input.inferred;
  const timelines = records.map((r) => timelineOf(r, r.state?.genesysUserId !== undefined ? licensesOf(r) : []));
  const firstLogin = (t: AgentTimeline) => (t.logins.length > 0 ? Math.min(...t.logins) : undefined);
  const ready = readiness(
    timelines.map((t) => ({
      oktaUserId: t.oktaUserId,
      ...(t.activeAt !== undefined ? { activeAt: t.activeAt } : {}),
      ...(firstLogin(t) !== undefined ? { firstLogin: firstLogin(t)! } : {}),
    })),
  );
  const startsAt = Date.parse(season.startsAt);
  const dormant = dormantAgents(
    records.map((r, i) => {
      const t = timelines[i]!;
      return {
        oktaUserId: t.oktaUserId,
        phase: r.execution.status === 'RUNNING' ? (r.state?.phase ?? r.execution.phase ?? 'Provisioning') : 'Closed',
        ...(t.activeAt !== undefined ? { activeAt: t.activeAt } : {}),
        ...(firstLogin(t) !== undefined ? { firstLogin: firstLogin(t)! } : {}),
      };
    }),
    startsAt,
    season.dormantAfterDays * DAY_MS,
    now,
  ).map((a) => ({ oktaUserId: a.oktaUserId, ...(a.activeAt !== undefined ? { activeAt: iso(a.activeAt) } : {}) }));

  const froms = timelines.flatMap((t) => (t.accessFrom !== undefined ? [t.accessFrom] : []));
  const from = Math.min(startsAt, ...froms);
  // The periods the season touches run to its end (a later one while its users can still log in), so the report
  // shows the period an end just past a boundary pulls in before it is billed.
  const to = Math.max(Date.parse(season.endsAt), ...timelines.map((t) => t.accessUntil ?? 0));
  const costs: SeasonCosts = {
    readiness: ready,
    perDay: loginsPerDay(timelines, season.timeZone),
    dormant,
    exposedAfterSeason: records
      .filter((r, i) => seasonOverFor(r) && timelines[i]!.accessUntil === undefined && r.state?.genesysUserId)
      .filter((r) => r.otherLiveSeasons.length === 0)
      .map((r) => r.execution.oktaUserId),
    phases: phasesOverTime(
      records,
      Math.min(from, ...records.map((r) => r.execution.startTime.getTime())),
      Math.min(now, Math.max(to, ...timelines.map((t) => t.accessUntil ?? now))),
    ),
    wave: wave(timelines, season, org),
  };
  if (org.billing) {
    const periods = periodsBetween(org.billing, from, to);
    costs.billing = {
      model: org.billing.model,
      periodStartDay: org.billing.periodStartDay,
      timeZone: org.billing.timeZone,
      periods: periodUsage(timelines, periods),
      ...(org.billing.model === 'concurrent' ? { peakExposed: peakExposure(timelines, from, to, now) } : {}),
      warnings: seasonBillingWarnings(season, org, records.length),
    };
  }
  return costs;
}

function seasonOverFor(r: AgentRecord): boolean {
  const phase = r.state?.phase ?? r.execution.phase;
  return r.execution.status !== 'RUNNING' || phase === 'Deprovisioned';
}

function iso(t: number): string {
  return new Date(t).toISOString();
}
