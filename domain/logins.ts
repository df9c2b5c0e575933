// Logins into Genesys, as the login sweep sees them (Okta SSO events for the Genesys app, Genesys's own
// dateLastLogin): how an agent's record of them grows, who was ready before their first login, and who is dormant.
// Pure: shared by the agent workflow (mergeLogins) and the CLI (readiness, dormantAgents).

/** An agent's logins (ISO-8601 instants): the first and last ever seen, and the distinct ones, to the minute. */
export interface LoginRecord {
  first?: string;
  last?: string;
  seen: string[];
}

/** The record keeps this many logins (the first always): a season of daily logins fits, history stays small. */
export const MAX_LOGINS_KEPT = 300;

const minuteOf = (iso: string) => iso.slice(0, 16);

/**
 * Adds the logins seen to what the agent knows: one per minute (the earliest instant of the minute, which is what
 * readiness compares with the Active time), oldest first, at most `cap` (the first kept, then the newest).
 * `changed` is false when nothing new was seen, so the workflow records nothing.
 */
export function mergeLogins(
  known: LoginRecord | undefined,
  seen: readonly string[],
  cap = MAX_LOGINS_KEPT,
): { record: LoginRecord; changed: boolean } {
  const perMinute = new Map<string, string>();
  const instants = [...(known?.seen ?? []), ...(known?.first !== undefined ? [known.first] : []), ...seen]
    .map((s) => Date.parse(s))
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b)
    .map((t) => new Date(t).toISOString());
  for (const at of instants) if (!perMinute.has(minuteOf(at))) perMinute.set(minuteOf(at), at);
  let all = [...perMinute.values()];
  if (all.length > cap) all = [all[0]!, ...all.slice(all.length - (cap - 1))];
  const record: LoginRecord = { seen: all };
  if (all.length > 0) {
    record.first = all[0]!;
    record.last = all[all.length - 1]!;
  }
  const before = known?.seen ?? [];
  const changed =
    all.length !== before.length || all.some((at, i) => at !== before[i]) || record.first !== known?.first;
  return { record, changed };
}

/** "2 d 4 h", "3 h 10 min", "25 min", "40 s". */
export function formatLead(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

export interface AgentLogins {
  oktaUserId: string;
  /** When the agent first reached Active (epoch ms). */
  activeAt?: number;
  /** The first login seen (epoch ms). */
  firstLogin?: number;
}

export interface Readiness {
  agents: number;
  loggedIn: number;
  /** Active with no login before it: ready before their first login, whenever it comes. */
  ready: number;
  /** Just-in-time misses: a login before the agent was Active (or never Active). */
  loggedInFirst: Array<{ oktaUserId: string; firstLogin: number; activeAt?: number }>;
  neverLoggedIn: number;
  /** The median of (first login − Active) over the ready agents who logged in. */
  medianLeadMs?: number;
  headline: string;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Was every agent Active before their first login? The season's headline and its misses, by Okta user id. */
export function readiness(agents: readonly AgentLogins[]): Readiness {
  const loggedInFirst: Readiness['loggedInFirst'] = [];
  const leads: number[] = [];
  let ready = 0;
  let loggedIn = 0;
  for (const a of agents) {
    if (a.firstLogin !== undefined) loggedIn += 1;
    if (a.firstLogin !== undefined && (a.activeAt === undefined || a.firstLogin < a.activeAt)) {
      loggedInFirst.push({
        oktaUserId: a.oktaUserId,
        firstLogin: a.firstLogin,
        ...(a.activeAt !== undefined ? { activeAt: a.activeAt } : {}),
      });
    } else if (a.activeAt !== undefined) {
      ready += 1;
      if (a.firstLogin !== undefined) leads.push(a.firstLogin - a.activeAt);
    }
  }
  loggedInFirst.sort((a, b) => a.firstLogin - b.firstLogin || a.oktaUserId.localeCompare(b.oktaUserId));
  const medianLeadMs = median(leads);
  const lead = medianLeadMs !== undefined ? ` (median lead ${formatLead(medianLeadMs)})` : '';
  const headline =
    loggedIn === 0
      ? `${ready} of ${agents.length} ready before their first login; no agent has logged in yet`
      : `${ready} of ${agents.length} ready before their first login${lead}; ${loggedInFirst.length} logged in first`;
  return {
    agents: agents.length,
    loggedIn,
    ready,
    loggedInFirst,
    neverLoggedIn: agents.length - loggedIn,
    ...(medianLeadMs !== undefined ? { medianLeadMs } : {}),
    headline,
  };
}

/**
 * Dormant agents: Active, and no login seen `afterMs` after their season started (counted from the season's
 * start, as its admins plan it; `season offboard --dormant` lists them before it acts).
 */
export function dormantAgents<A extends AgentLogins & { phase: string }>(
  agents: readonly A[],
  seasonStartsAt: number,
  afterMs: number,
  now: number,
): A[] {
  if (now < seasonStartsAt + afterMs) return [];
  return agents.filter((a) => a.phase === 'Active' && a.firstLogin === undefined);
}
