// Test data in the shape an admin would write: the retail fixture org's real names, a season mapping and agents.
import type { AgentIdentity, DeprovisionPolicy, NameResolution } from '../../domain/agent';
import type { OktaGroupRef, SeasonMapping } from '../../domain/mapping';
import type { SeasonShape } from '../../domain/season';
import { seasonalAgentInput } from '../../operations/seasonal-agent';
import type { SeasonalAgentInput } from '../../workflows/agent/contract';

export const RETAIL_ORG = 'retail-us';

export const retailMapping: SeasonMapping = {
  rules: [
    {
      group: 'Retail-Holiday-Agents',
      homeDivision: 'Retail Stores',
      roles: [
        { role: 'Seasonal Agents', divisions: ['Retail Stores', 'Holiday Overflow'] },
        { role: 'Voice Agent', divisions: ['Retail Stores'] },
      ],
    },
    {
      group: 'Retail-Holiday-Chat',
      homeDivision: 'E-Commerce',
      priority: 10,
      roles: [
        { role: 'Chat Agent', divisions: ['E-Commerce'] },
        { role: 'Seasonal Agents', divisions: ['E-Commerce'] },
      ],
    },
  ],
};

export const AGENTS_GROUP = { id: '00gholidayagents01', name: 'Retail-Holiday-Agents' };
export const CHAT_GROUP = { id: '00gholidaychat0001', name: 'Retail-Holiday-Chat' };

export const teardownAtOnce: DeprovisionPolicy = {
  deactivate: true,
  removeGrants: true,
  deleteAfterMs: 0,
  removeFromOktaGroups: false,
  deactivateOktaUser: false,
};

let counter = 0;

/** A unique person per call; the Okta-style id is the only identifier that reaches Temporal's ids and attributes. */
export function newAgent(): AgentIdentity {
  counter += 1;
  const suffix = `${Date.now().toString(36)}${counter}`;
  return {
    oktaUserId: `00u${suffix}`,
    login: `seasonal.${suffix}@retail.example`,
    email: `seasonal.${suffix}@retail.example`,
    givenName: 'Sam',
    familyName: `Season${counter}`,
  };
}

/** A season of the retail org as the config loader gives it: ends in an hour, the retail mapping, teardown at once. */
export function retailSeason(overrides: Partial<SeasonShape> & { id: string }): SeasonShape {
  return {
    orgId: RETAIL_ORG,
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    mapping: retailMapping,
    policy: teardownAtOnce,
    ...overrides,
  };
}

export interface AgentInputOptions {
  seasonId: string;
  /** ISO-8601; default an hour from now. */
  seasonEndsAt?: string;
  mapping?: SeasonMapping;
  policy?: DeprovisionPolicy;
  /** The person's Okta groups that the season maps; default the agents' group. */
  groups?: OktaGroupRef[];
  /** The same person again (another season); default a new one. */
  agent?: AgentIdentity;
  asOf?: string;
  resolved?: NameResolution;
}

/**
 * A person joining a season, built by the starters' own `seasonalAgentInput` (operations/seasonal-agent.ts) so
 * the tests start workflows exactly as the CLI, the hook receiver and catch-up do.
 */
export function agentInput(opts: AgentInputOptions): SeasonalAgentInput {
  const season = retailSeason({
    id: opts.seasonId,
    ...(opts.seasonEndsAt ? { endsAt: opts.seasonEndsAt } : {}),
    ...(opts.mapping ? { mapping: opts.mapping } : {}),
    ...(opts.policy ? { policy: opts.policy } : {}),
  });
  return seasonalAgentInput(
    season,
    opts.agent ?? newAgent(),
    opts.groups ?? [AGENTS_GROUP],
    opts.asOf ?? new Date().toISOString(),
    opts.resolved,
  );
}

/** Polls until `probe` returns a value that is not undefined, or fails with what it last saw. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** The retail mapping with day-one routing, as the example season maps it: skills, languages and queues. */
export const retailRoutedMapping: SeasonMapping = {
  rules: [
    {
      ...retailMapping.rules[0]!,
      skills: [
        { name: 'Store Orders', proficiency: 2 },
        { name: 'Returns', proficiency: 3 },
      ],
      languages: [{ name: 'English', proficiency: 5 }],
      queues: ['Holiday Voice', 'Returns & Exchanges'],
    },
    {
      ...retailMapping.rules[1]!,
      skills: [{ name: 'Online Orders', proficiency: 3 }],
      languages: [
        { name: 'English', proficiency: 4 },
        { name: 'Spanish', proficiency: 3 },
      ],
      queues: ['Holiday Chat'],
    },
  ],
};
