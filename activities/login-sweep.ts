// The login sweep's Temporal and Okta half (the workflow step is in workflows/catch-up.ts; the Genesys reads are
// Genesys activities on the org's rate-limited queue). Who can log in is read from the agents' own state; Okta's
// SSO events for the org's Genesys app come from the System Log in one paged read (`user.authentication.sso` is
// not event-hook eligible, so no hook brings them); each agent is told only the logins it does not have yet.
import { Context } from '@temporalio/activity';
import { Client, WorkflowNotFoundError, type Connection } from '@temporalio/client';
import { ApplicationFailure, type DataConverter } from '@temporalio/common';
import type { OrgConfig, SeasonConfig } from '../config/types';
import { isOktaApiError } from '../integrations/okta';
import { OKTA_LOGS_SCOPES } from '../integrations/okta/oauth';
import { inParallel } from '../operations/concurrency';
import { signalIfRunning } from '../operations/seasonal-agent';
import { inSeasonClause, listAgents } from '../operations/visibility';
import {
  agentStateQuery,
  loginsSeenSignal,
  seasonalAgentWorkflowId,
  type SeasonalAgentState,
} from '../workflows/agent/contract';
import type { CatchUpInput, LoginTarget } from '../workflows/catch-up-contract';
import type { LoginSweepActivities } from './catch-up-types';
import { toTemporalFailure } from './okta-failures';
import { resolveOktaClient, type OktaClientSource } from './okta-registry';

export interface LoginSweepDeps {
  seasons: { get(seasonId: string): SeasonConfig | undefined };
  orgs: { get(orgId: string): OrgConfig | undefined };
  okta: OktaClientSource;
  connection: Connection;
  namespace: string;
  dataConverter?: DataConverter;
  concurrency?: number;
}

/** Okta SSO events are read this far back on every sweep, so a sweep missed (worker down) loses nothing. */
export const SSO_LOOKBACK_MS = 24 * 3600_000;

/**
 * Where the SSO read starts: a day back, or further for an agent not seen logging in yet (its first login is the
 * one readiness turns on) — never before the season's start, when nobody of it could log in.
 */
export function ssoReadSince(
  now: number,
  seasonStartsAt: number,
  waitingForFirstLogin: Array<number | undefined>,
): number {
  const oldest = Math.min(now - SSO_LOOKBACK_MS, ...waitingForFirstLogin.filter((t): t is number => t !== undefined));
  return Math.max(oldest, seasonStartsAt - SSO_LOOKBACK_MS);
}

/** Logins are kept to the minute (domain/logins.ts): the same key decides what is new. */
const minuteOf = (iso: string) => new Date(Date.parse(iso)).toISOString().slice(0, 16);

/** The earliest login of each minute (a login's exact instant matters: it is compared with the Active time). */
function earliestPerMinute(logins: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const at of logins.map((l) => new Date(Date.parse(l)).toISOString()).sort()) {
    if (!out.has(minuteOf(at))) out.set(minuteOf(at), at);
  }
  return out;
}

export function createLoginSweepActivities(deps: LoginSweepDeps): LoginSweepActivities {
  const client = new Client({
    connection: deps.connection,
    namespace: deps.namespace,
    dataConverter: deps.dataConverter,
  });
  const concurrency = deps.concurrency ?? 8;

  const seasonOf = ({ seasonId, orgId }: CatchUpInput): SeasonConfig => {
    const season = deps.seasons.get(seasonId);
    if (season?.orgId === orgId) return season;
    throw ApplicationFailure.create({
      type: 'ConfigError',
      nonRetryable: true,
      message: `the worker's config has no season ${seasonId} of org ${orgId}`,
    });
  };

  async function stateOf(orgId: string, oktaUserId: string): Promise<SeasonalAgentState | undefined> {
    try {
      return await client.workflow.getHandle(seasonalAgentWorkflowId(orgId, oktaUserId)).query(agentStateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  return {
    async listLoginTargets(input) {
      const season = seasonOf(input);
      const ctx = Context.current();
      const running = await listAgents(client, season, inSeasonClause(season));
      const states = await inParallel(running, concurrency, (a) => stateOf(season.orgId, a.oktaUserId), {
        afterEach: () => ctx.heartbeat(),
      });
      const agents: LoginTarget[] = [];
      const waiting: Array<number | undefined> = [];
      running.forEach((a, i) => {
        const state = states[i];
        // Deactivated or deleted (or not made yet): nobody can log in, so there is nothing to ask Genesys.
        if (state?.genesysUserId === undefined || state.access?.until !== undefined) return;
        agents.push({ oktaUserId: a.oktaUserId, genesysUserId: state.genesysUserId });
        if (state.logins?.first === undefined)
          waiting.push(state.access?.from !== undefined ? Date.parse(state.access.from) : undefined);
      });
      const appId = deps.orgs.get(season.orgId)?.okta?.genesysAppId;
      if (appId === undefined) return { agents };
      const since = ssoReadSince(Date.now(), Date.parse(season.startsAt), waiting);
      return { agents, oktaSince: new Date(since).toISOString() };
    },

    async tellLogins({ agents, genesys, oktaSince, ...input }) {
      const season = seasonOf(input);
      const ctx = Context.current();
      const seen = new Map<string, string[]>(agents.map((id) => [id, []]));
      for (const { oktaUserId, lastLogin } of genesys) seen.get(oktaUserId)?.push(lastLogin);
      let ssoEvents = 0;
      const appId = deps.orgs.get(season.orgId)?.okta?.genesysAppId;
      if (appId !== undefined && oktaSince !== undefined) {
        const okta = resolveOktaClient(deps.okta, season.orgId, OKTA_LOGS_SCOPES);
        let events: Array<{ oktaUserId: string; at: string }>;
        try {
          events = await okta.ssoLogins(appId, oktaSince, undefined, { signal: ctx.cancellationSignal });
        } catch (err) {
          throw isOktaApiError(err) ? toTemporalFailure(err) : err;
        }
        ssoEvents = events.length;
        // Anyone may use the Genesys app (permanent staff too): only this season's agents are kept.
        for (const e of events) seen.get(e.oktaUserId)?.push(e.at);
      }
      const candidates = [...seen].filter(([, logins]) => logins.length > 0);
      const told = await inParallel(
        candidates,
        concurrency,
        async ([oktaUserId, logins]) => {
          const known = new Set((await stateOf(season.orgId, oktaUserId))?.logins?.seen.map(minuteOf) ?? []);
          const fresh = [...earliestPerMinute(logins)].filter(([m]) => !known.has(m)).map(([, at]) => at);
          if (fresh.length === 0) return 0;
          const workflowId = seasonalAgentWorkflowId(season.orgId, oktaUserId);
          const outcome = await signalIfRunning(client, workflowId, (h) =>
            h.signal(loginsSeenSignal, { logins: fresh }),
          );
          return outcome === 'signalled' ? 1 : 0;
        },
        { settle: true, afterEach: () => ctx.heartbeat() },
      );
      return { told: told.reduce<number>((n, t) => n + t, 0), ssoEvents };
    },
  };
}
