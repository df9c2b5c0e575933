// What Genesys Cloud bills a season for (README "What the season costs" cites the billing pages):
// - named model: anyone who logs in during a billing period is billed for the whole period, at the highest license
//   held in it; a user who never logs in is not billed; periods run from the contract day, not the calendar month;
// - concurrent model: the peak of simultaneous users, peaks under 30 minutes ignored.
// Pure: shared by plan, preflight, extend and report. Time zones through Intl (no Node built-ins).
import { formatLead } from './logins';

export type BillingModel = 'named' | 'concurrent';

export interface BillingConfig {
  model: BillingModel;
  /** The contract day each billing period starts on (1–28), at midnight in `timeZone`. */
  periodStartDay: number;
  timeZone: string;
}

/** [start, end) in epoch ms. */
export interface BillingPeriod {
  start: number;
  end: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The concurrent model ignores peaks shorter than this. */
export const CONCURRENT_PEAK_MIN_MS = 30 * 60_000;
/** A start this close before a period boundary is worth a warning. */
export const START_WARNING_MS = 7 * DAY_MS;

function localParts(t: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(t);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** How far the zone's wall clock is ahead of UTC at `t`. */
function offsetAt(t: number, timeZone: string): number {
  const p = localParts(t, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/** Midnight of a local date (month 0-based, may overflow: Date.UTC normalises it). */
function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month, day);
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}

/** The billing period an instant falls in. */
export function periodContaining(cfg: BillingConfig, t: number): BillingPeriod {
  const p = localParts(t, cfg.timeZone);
  const month = p.day >= cfg.periodStartDay ? p.month - 1 : p.month - 2;
  return {
    start: localMidnight(p.year, month, cfg.periodStartDay, cfg.timeZone),
    end: localMidnight(p.year, month + 1, cfg.periodStartDay, cfg.timeZone),
  };
}

/** Every period [from, to] touches, oldest first (at least the one `from` is in). */
export function periodsBetween(cfg: BillingConfig, from: number, to: number): BillingPeriod[] {
  const out = [periodContaining(cfg, from)];
  while (out[out.length - 1]!.end <= to) out.push(periodContaining(cfg, out[out.length - 1]!.end));
  return out;
}

/** Genesys's user licenses, cheapest first (the license ids of GET /api/v2/license/users). */
export const LICENSE_RANK: readonly string[] = ['communicate', 'cloudCX1', 'cloudCX2', 'cloudCX3', 'cloudCX4'];

/**
 * The license a user is billed at: the highest they hold (a CX user's `communicate` rides along and is not billed
 * on top). Licenses the ranking does not know are all kept: the report shows them rather than guess.
 */
export function billedLicenses(held: readonly string[]): string[] {
  const ranked = held
    .filter((l) => LICENSE_RANK.includes(l))
    .sort((a, b) => LICENSE_RANK.indexOf(b) - LICENSE_RANK.indexOf(a));
  const unknown = held.filter((l) => !LICENSE_RANK.includes(l));
  return [...ranked.slice(0, 1), ...new Set(unknown)];
}

/** One agent, as billing sees them (epoch ms): when they could log in, when they did, and their licenses. */
export interface AgentTimeline {
  oktaUserId: string;
  /** The Genesys user was active from… */
  accessFrom?: number;
  /** …until (deactivated or deleted); absent while they can still log in. */
  accessUntil?: number;
  activeAt?: number;
  logins: number[];
  /** License ids the user holds (Genesys's license/users read, or the season roles' inferred licenses). */
  licenses: string[];
}

export interface PeriodUsage extends BillingPeriod {
  /** Logged in during the period: billed for it (named model). */
  billable: number;
  /** Able to log in during it (or logged in): what the period could cost at most. */
  exposed: number;
  licenses: Array<{ license: string; billable: number; exposed: number }>;
}

const overlaps = (a: BillingPeriod, from: number, until: number) => from < a.end && until > a.start;

function canLogInDuring(agent: AgentTimeline, period: BillingPeriod): boolean {
  if (agent.accessFrom === undefined) return false;
  return overlaps(period, agent.accessFrom, agent.accessUntil ?? Number.POSITIVE_INFINITY);
}

/** Per period: the seasonal users billable and exposed, with the licenses they hold. */
export function periodUsage(agents: readonly AgentTimeline[], periods: readonly BillingPeriod[]): PeriodUsage[] {
  return periods.map((period) => {
    const licenses = new Map<string, { billable: number; exposed: number }>();
    let billable = 0;
    let exposed = 0;
    for (const a of agents) {
      const loggedIn = a.logins.some((t) => t >= period.start && t < period.end);
      if (!loggedIn && !canLogInDuring(a, period)) continue;
      exposed += 1;
      if (loggedIn) billable += 1;
      for (const license of billedLicenses(a.licenses)) {
        const l = licenses.get(license) ?? { billable: 0, exposed: 0 };
        l.exposed += 1;
        if (loggedIn) l.billable += 1;
        licenses.set(license, l);
      }
    }
    return {
      ...period,
      billable,
      exposed,
      licenses: [...licenses].sort(([a], [b]) => a.localeCompare(b)).map(([license, l]) => ({ license, ...l })),
    };
  });
}

/**
 * Concurrent model: the most seasonal users able to log in at once between `from` and `to`, held for at least 30
 * minutes (shorter peaks are not billed). An upper bound of the billed peak: being able to log in is not being on.
 */
export function peakExposure(agents: readonly AgentTimeline[], from: number, to: number, now: number): number {
  const steps = new Map<number, number>();
  for (const a of agents) {
    if (a.accessFrom === undefined) continue;
    const start = Math.max(a.accessFrom, from);
    const end = Math.min(a.accessUntil ?? Math.max(now, to), to);
    if (end <= start) continue;
    steps.set(start, (steps.get(start) ?? 0) + 1);
    steps.set(end, (steps.get(end) ?? 0) - 1);
  }
  const times = [...steps.keys()].sort((a, b) => a - b);
  const segments: Array<{ from: number; to: number; level: number }> = [];
  let level = 0;
  times.forEach((t, i) => {
    level += steps.get(t)!;
    const next = times[i + 1];
    if (next !== undefined) segments.push({ from: t, to: next, level });
  });
  let peak = 0;
  for (const candidate of new Set(segments.map((s) => s.level))) {
    if (candidate <= peak) continue;
    let runStart: number | undefined;
    for (const s of segments) {
      if (s.level >= candidate) {
        runStart ??= s.from;
        if (s.to - runStart >= CONCURRENT_PEAK_MIN_MS) {
          peak = candidate;
          break;
        }
      } else runStart = undefined;
    }
  }
  return peak;
}

export interface BillingWarning {
  kind: 'end-inside-period' | 'start-before-boundary';
  seasonId: string;
  /** The period boundary the season crosses (ISO-8601). */
  boundary: string;
  /** How far into the new period the season's users can log in (end), or how long before it the season starts. */
  overshootMs: number;
  /** End (or start) here to avoid the period (ISO-8601). */
  avoidBy: string;
  /** Named licenses at stake: one per agent. */
  licenses: number;
  message: string;
}

function formatWhen(t: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(t)
    .replace(',', '');
}

function formatDay(t: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric' }).format(t);
}

/** The start of the local hour `t` is in. */
function floorToLocalHour(t: number, timeZone: string): number {
  const p = localParts(t, timeZone);
  return t - (p.minute * 60 + p.second) * 1000 - (t % 1000);
}

const licensesAtStake = (agents: number) =>
  agents > 0 ? `up to ${agents} named ${agents === 1 ? 'license' : 'licenses'}` : 'one named license per agent';

/**
 * The named model's two costly edges: a season whose users can still log in just inside a new period (its end,
 * plus the grace during which users stay active, plus the time teardown takes at the org's budget), and a season
 * starting just before a boundary (Genesys advises adding users at the start of a period).
 */
export function boundaryWarnings(
  cfg: BillingConfig,
  season: {
    seasonId: string;
    startsAt: number;
    endsAt: number;
    agents: number;
    /** How long teardown needs until nobody of the season can log in. */
    teardownMs: number;
    /** How long after the end users stay able to log in (a grace period without deactivation). */
    accessAfterEndMs: number;
  },
): BillingWarning[] {
  if (cfg.model !== 'named') return [];
  const tz = cfg.timeZone;
  const warnings: BillingWarning[] = [];
  const lastAccess = season.endsAt + season.accessAfterEndMs + season.teardownMs;
  const last = periodContaining(cfg, lastAccess);
  const overshootMs = lastAccess - last.start;
  if (last.start > season.startsAt && overshootMs < (last.end - last.start) / 2) {
    const avoidBy = floorToLocalHour(last.start - season.accessAfterEndMs - season.teardownMs - 1, tz);
    if (avoidBy > season.startsAt) {
      // Only when teardown or grace move the last login past the end by a minute or more.
      const until =
        formatWhen(lastAccess, tz) !== formatWhen(season.endsAt, tz)
          ? ` (its users able to log in until ${formatWhen(lastAccess, tz)})`
          : '';
      warnings.push({
        kind: 'end-inside-period',
        seasonId: season.seasonId,
        boundary: new Date(last.start).toISOString(),
        overshootMs,
        avoidBy: new Date(avoidBy).toISOString(),
        licenses: season.agents,
        message:
          `season ${season.seasonId} ends ${formatWhen(season.endsAt, tz)}${until}, ${formatLead(overshootMs)} into ` +
          `the period from ${formatDay(last.start, tz)}: ${licensesAtStake(season.agents)} for that period; ` +
          `end by ${formatWhen(avoidBy, tz)} to avoid it`,
      });
    }
  }
  const first = periodContaining(cfg, season.startsAt);
  const leadMs = first.end - season.startsAt;
  if (leadMs <= START_WARNING_MS && season.endsAt > first.end) {
    warnings.push({
      kind: 'start-before-boundary',
      seasonId: season.seasonId,
      boundary: new Date(first.end).toISOString(),
      overshootMs: leadMs,
      avoidBy: new Date(first.end).toISOString(),
      licenses: season.agents,
      message:
        `season ${season.seasonId} starts ${formatWhen(season.startsAt, tz)}, ${formatLead(leadMs)} before the ` +
        `period from ${formatDay(first.end, tz)}: an agent who logs in before it is billed for both periods ` +
        `(${licensesAtStake(season.agents)} for that short one); start at ${formatWhen(first.end, tz)} to avoid it`,
    });
  }
  return warnings;
}
