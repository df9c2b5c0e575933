// The sleepers bench's season: a minimal valid season file (the status command finds the season's org and end
// through it) and the agents, all mapped by the retail test mapping.
import { seasonalAgentInput } from '../operations/seasonal-agent';
import type { NameResolution } from '../domain/agent';
import type { SeasonalAgentInput } from '../workflows/agent/contract';
import { AGENTS_GROUP, CHAT_GROUP, RETAIL_ORG, retailMapping, teardownAtOnce } from '../test/support/agents';

export const SLEEPERS_SEASON = 'bench-sleepers';

export function seasonYaml(endsAt: string): string {
  return [
    `id: ${SLEEPERS_SEASON}`,
    `org: ${RETAIL_ORG}`,
    `start: ${new Date(Date.now() - 3_600_000).toISOString()}`,
    `end: ${endsAt}`,
    'timeZone: UTC',
    'deprovision:',
    '  deleteAfterDays: 0',
    // The bench org has no Okta section; the agents' own policy (teardownAtOnce) says the same.
    '  removeFromOktaGroups: false',
    'mapping:',
    ...retailMapping.rules.flatMap((rule) => [
      // JSON strings are valid YAML scalars: names with spaces or `&` need no further thought.
      `  - group: ${JSON.stringify(rule.group)}`,
      ...(rule.homeDivision ? [`    homeDivision: ${JSON.stringify(rule.homeDivision)}`] : []),
      ...(rule.priority !== undefined ? [`    priority: ${rule.priority}`] : []),
      '    roles:',
      ...rule.roles.map(
        (r) => `      - { role: ${JSON.stringify(r.role)}, divisions: ${JSON.stringify(r.divisions)} }`,
      ),
    ]),
    '',
  ].join('\n');
}

export function sleeperInput(i: number, seasonEndsAt: string, resolved: NameResolution): SeasonalAgentInput {
  const season = {
    id: SLEEPERS_SEASON,
    orgId: RETAIL_ORG,
    endsAt: seasonEndsAt,
    mapping: retailMapping,
    policy: teardownAtOnce,
  };
  const agent = {
    oktaUserId: `00usleep${String(i).padStart(7, '0')}`,
    login: `sleeper.${i}@retail.example`,
    email: `sleeper.${i}@retail.example`,
    givenName: 'Sleepy',
    familyName: `Agent${i}`,
  };
  const groups = i % 4 === 0 ? [AGENTS_GROUP, CHAT_GROUP] : [AGENTS_GROUP];
  // As the hook receiver and the CLI pass them: no per-agent role and division lookups.
  return seasonalAgentInput(season, agent, groups, new Date().toISOString(), resolved);
}
