// Test data in the shape an admin would write: the retail fixture org's real names, a season mapping and agents.
import type { SeasonMapping } from '../../domain/mapping';
import type { AgentLifecycleInput, DeprovisionPolicy } from '../../workflows/messages';

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
/** A unique agent per call; the Okta-style id is the only identifier that reaches Temporal's ids and attributes. */
export function agentInput(overrides: Partial<AgentLifecycleInput> & { seasonId: string }): AgentLifecycleInput {
  counter += 1;
  const suffix = `${Date.now().toString(36)}${counter}`;
  return {
    orgId: RETAIL_ORG,
    seasonEndsAt: new Date(Date.now() + 3_600_000).toISOString(),
    agent: {
      oktaUserId: `00u${suffix}`,
      login: `seasonal.${suffix}@retail.example`,
      email: `seasonal.${suffix}@retail.example`,
      givenName: 'Sam',
      familyName: `Season${counter}`,
    },
    groups: [AGENTS_GROUP],
    groupsAsOf: new Date().toISOString(),
    mapping: retailMapping,
    policy: teardownAtOnce,
    ...overrides,
  };
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
