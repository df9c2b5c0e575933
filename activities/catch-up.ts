// Activities of the catch-up reconciliation (workflows/catch-up.ts). The Temporal client comes from a connection
// the worker injects; seasons come from the worker's config, so a run is `{ seasonId, orgId }` and nothing more.
import { Context } from '@temporalio/activity';
import { Client, type Connection } from '@temporalio/client';
import { ApplicationFailure, type DataConverter } from '@temporalio/common';
import { deleteCatchUpSchedule } from '../operations/catch-up-schedule';
import { listAgents } from '../operations/visibility';
import { signalIfRunning, enrolAgent } from '../operations/seasonal-agent';
import { inParallel } from '../operations/concurrency';
import type { SeasonConfig } from '../config/types';
import type { CatchUpAction } from '../domain/catch-up';
import { hireStatus } from '../domain/hire-window';
import { isOktaApiError } from '../integrations/okta';
import type { CatchUpInput, AgentOutcome } from '../workflows/catch-up-contract';
import {
  oktaStatusSignal,
  seasonalAgentWorkflowId,
  seasonGroupsChangedSignal,
  seasonOffboardSignal,
} from '../workflows/agent/contract';
import type { NameResolution } from '../domain/agent';
import { readSeasonMembers, startInputFor } from './catch-up-okta';
import type { AgentReconciled, CatchUpActivities } from './catch-up-types';
import { toTemporalFailure } from './okta-failures';
import { resolveOktaClient, type OktaClientSource } from './okta-registry';

export interface CatchUpDeps {
  /** The worker's seasons (config/seasons/*.yaml). */
  seasons: { get(seasonId: string): SeasonConfig | undefined; values(): Iterable<SeasonConfig> };
  okta: OktaClientSource;
  connection: Connection;
  namespace: string;
  /** Role/division ids known for a season (as the hook receiver's option): started agents skip their lookups. */
  resolved?: (seasonId: string) => Promise<NameResolution | undefined>;
  /** Agents reconciled at once within a batch. Default 8. */
  concurrency?: number;
  /** Payload encryption, as the worker's own: the agents it starts carry names and emails in their input. */
  dataConverter?: DataConverter;
}

/** OktaApiErrors become the same Temporal failures the lifecycle's Okta activities raise. */
async function okta<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw isOktaApiError(err) ? toTemporalFailure(err) : err;
  }
}

export function createCatchUpActivities(deps: CatchUpDeps): CatchUpActivities {
  const client = new Client({
    connection: deps.connection,
    namespace: deps.namespace,
    dataConverter: deps.dataConverter,
  });
  const concurrency = deps.concurrency ?? 8;

  const seasonOf = ({ seasonId, orgId }: CatchUpInput): SeasonConfig => {
    const season = deps.seasons.get(seasonId);
    if (season?.orgId === orgId) return season;
    // The worker's config lacks the season (or names another org): a deploy problem, not one retries heal.
    throw ApplicationFailure.create({
      type: 'ConfigError',
      nonRetryable: true,
      message: `the worker's config has no season ${seasonId} of org ${orgId}`,
    });
  };

  async function reconcileOne(season: SeasonConfig, asOf: string, action: CatchUpAction): Promise<AgentOutcome> {
    const workflowId = seasonalAgentWorkflowId(season.orgId, action.oktaUserId);
    const seasonId = season.id;
    switch (action.kind) {
      case 'start': {
        const oktaClient = resolveOktaClient(deps.okta, season.orgId);
        const signal = Context.current().cancellationSignal;
        const member = { oktaUserId: action.oktaUserId, groups: action.groups, asOf };
        const resolved = await deps.resolved?.(season.id);
        const input = await okta(() => startInputFor(oktaClient, season, member, resolved, signal));
        if (!input) return 'not-startable';
        return (await enrolAgent(client, input)).outcome;
      }
      case 'groups-gone':
        // asOf is when the Okta read began: a hook that re-added the user since carries a newer list and wins.
        return signalIfRunning(client, workflowId, (h) =>
          h.signal(seasonGroupsChangedSignal, { seasonId, groups: [], asOf }),
        );
      case 'offboard':
        // Okta stopped the user: every season of the org ends for them, not only this one.
        return signalIfRunning(client, workflowId, (h) => h.signal(seasonOffboardSignal, { reason: action.reason }));
      case 'suspend':
        // asOf is when the Okta read began: an unsuspend read since carries a newer one and wins.
        return signalIfRunning(client, workflowId, (h) => h.signal(oktaStatusSignal, { suspended: true, asOf }));
    }
  }

  return {
    async listSeasonWorkflows({ seasonId, orgId }) {
      const agents = await listAgents(client, { id: seasonId, orgId });
      // A person at work in another season whose enrolment in this one ended counts as closed for this season.
      const live = (a: (typeof agents)[number]) => a.status === 'RUNNING' && a.phase !== 'Deprovisioned';
      return {
        running: agents.filter(live).map((a) => a.oktaUserId),
        closed: agents.filter((a) => !live(a)).map((a) => a.oktaUserId),
      };
    },

    async listSeasonMembers(input) {
      const season = seasonOf(input);
      const hires = hireStatus(season, deps.seasons.values(), Date.now());
      if (!hires.open) return { noHires: hires.why, detail: hires.detail };
      const ctx = Context.current();
      const oktaClient = resolveOktaClient(deps.okta, season.orgId);
      return okta(() =>
        readSeasonMembers(oktaClient, season, { signal: ctx.cancellationSignal, progress: () => ctx.heartbeat() }),
      );
    },

    async reconcileAgents({ asOf, actions, ...input }) {
      const season = seasonOf(input);
      const ctx = Context.current();
      // Every agent gets its turn; a failure is raised afterwards, and the retry redoes the batch (all idempotent:
      // starts find the workflow, a repeated groupsChanged is older-or-equal and ignored, offboard twice is once).
      const results = await inParallel(
        actions,
        concurrency,
        async (action): Promise<AgentReconciled> => ({
          oktaUserId: action.oktaUserId,
          kind: action.kind,
          outcome: await reconcileOne(season, asOf, action),
        }),
        { settle: true, afterEach: () => ctx.heartbeat() },
      );
      return results.sort((a, b) => (a.oktaUserId < b.oktaUserId ? -1 : a.oktaUserId > b.oktaUserId ? 1 : 0));
    },

    async retireCatchUpSchedule({ seasonId, orgId }) {
      return deleteCatchUpSchedule(client, orgId, seasonId);
    },
  };
}
