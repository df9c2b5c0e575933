import path from 'node:path';
import { findSeason, loadConfig } from '../../config/load';
import type { SeasonMapping } from '../../domain/mapping';
import { formatPreflight, OrgCatalog, preflight } from '../../domain/preflight';

// The retail-us org as the Genesys emulator's fixture has it.
const CATALOG: OrgCatalog = {
  roles: [
    'employee',
    'Seasonal Agents',
    'Voice Agent',
    'Chat Agent',
    'Email Agent',
    'Supervisor',
    'Quality Evaluator',
    'Workforce Viewer',
    'Reporting Viewer',
    'Trainer',
  ].map((name, i) => ({ id: `role-${i}`, name })),
  divisions: [
    'Home',
    'Retail Stores',
    'E-Commerce',
    'Returns & Exchanges',
    'Holiday Overflow',
    'Quality Assurance',
  ].map((name, i) => ({ id: `div-${i}`, name })),
  skills: ['Store Orders', 'Returns', 'Online Orders', 'Gift Cards', 'Loyalty Program'].map((name, i) => ({
    id: `skill-${i}`,
    name,
  })),
  languages: ['English', 'Spanish', 'French'].map((name, i) => ({ id: `lang-${i}`, name })),
  queues: ['Holiday Voice', 'Holiday Chat', 'Returns & Exchanges', 'Store Support', 'Supervisor Escalations'].map(
    (name, i) => ({ id: `queue-${i}`, name }),
  ),
};
const OKTA_GROUPS = ['Retail-Holiday-Agents', 'Retail-Holiday-Chat', 'Retail-Holiday-Supervisors'].map((name, i) => ({
  id: `00g${i}abcdefghijklmn`,
  name,
}));

describe('preflight', () => {
  it('resolves the example season against the retail-us org: every name to its id', () => {
    const { season } = findSeason(loadConfig(path.resolve(__dirname, '../../config')), 'retail-holiday-2026');
    const report = preflight({
      seasonId: season.id,
      orgId: 'retail-us',
      mapping: season.mapping,
      catalog: CATALOG,
      oktaGroups: OKTA_GROUPS,
    });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.resolved.roles['Seasonal Agents']).toBe('role-1');
    expect(report.resolved.divisions['Returns & Exchanges']).toBe('div-3');
    expect(report.resolved.divisions['*']).toBeUndefined();
    expect(Object.keys(report.resolved.roles).sort()).toEqual([
      'Chat Agent',
      'Email Agent',
      'Quality Evaluator',
      'Reporting Viewer',
      'Seasonal Agents',
      'Supervisor',
      'Voice Agent',
      'Workforce Viewer',
    ]);
    expect(report.resolved.queues).toEqual({
      'Holiday Voice': 'queue-0',
      'Holiday Chat': 'queue-1',
      'Returns & Exchanges': 'queue-2',
    });
    expect(report.warnings).toEqual([expect.stringContaining('"*"')]);
    expect(formatPreflight(report)[0]).toBe(
      'preflight retail-holiday-2026 on retail-us: OK — 8 roles, 4 divisions, 3 skills, 2 languages, 3 queues, 3 Okta groups resolved',
    );
  });

  it('reports misspelt skills, languages and queues at once with the closest names (names are case-sensitive)', () => {
    const mapping: SeasonMapping = {
      rules: [
        {
          group: 'Retail-Holiday-Agents',
          homeDivision: 'Holiday Overflow',
          roles: [{ role: 'Voice Agent', divisions: ['Holiday Overflow'] }],
          skills: [
            { name: 'Store Order', proficiency: 2 },
            { name: 'Returns', proficiency: 3 },
          ],
          languages: [{ name: 'english', proficiency: 5 }],
          queues: ['Holiday Voice', 'Holiday Voise', 'Payroll'],
        },
      ],
    };
    const report = preflight({ seasonId: 's', orgId: 'retail-us', mapping, catalog: CATALOG });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.message)).toEqual([
      'group "Retail-Holiday-Agents": routing skill "Store Order" not found in org retail-us — did you mean "Store Orders"?',
      'group "Retail-Holiday-Agents": routing language "english" not found in org retail-us — did you mean "English"?',
      'group "Retail-Holiday-Agents": queue "Holiday Voise" not found in org retail-us — did you mean "Holiday Voice"?',
      'group "Retail-Holiday-Agents": queue "Payroll" not found in org retail-us',
    ]);
    expect(report.resolved.queues).toEqual({ 'Holiday Voice': 'queue-0' });
  });

  it('reports every mismatch at once, each with the closest existing names', () => {
    const mapping: SeasonMapping = {
      rules: [
        {
          group: 'Retail-Holiday-Agents',
          homeDivision: 'Holiday overflow',
          roles: [
            { role: 'Seasonal Agent', divisions: ['Holiday Overflow', 'Returns and Exchanges'] },
            { role: 'Payroll Admin', divisions: ['*'] },
          ],
        },
        { group: 'Retail Holiday Chat', roles: [{ role: 'chat agent', divisions: ['ECommerce'] }] },
      ],
      defaultHomeDivision: 'Hom',
    };
    const report = preflight({ seasonId: 's', orgId: 'retail-us', mapping, catalog: CATALOG, oktaGroups: OKTA_GROUPS });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.message)).toEqual([
      'group "Retail-Holiday-Agents": home division "Holiday overflow" not found in org retail-us — did you mean "Holiday Overflow"?',
      'group "Retail-Holiday-Agents": role "Seasonal Agent" not found in org retail-us — did you mean "Seasonal Agents"?',
      'group "Retail-Holiday-Agents": division "Returns and Exchanges" not found in org retail-us — did you mean "Returns & Exchanges"?',
      'group "Retail-Holiday-Agents": role "Payroll Admin" not found in org retail-us',
      'group "Retail Holiday Chat": Okta group "Retail Holiday Chat" not found in Okta — did you mean "Retail-Holiday-Chat"?',
      'group "Retail Holiday Chat": role "chat agent" not found in org retail-us — did you mean "Chat Agent"?',
      'group "Retail Holiday Chat": division "ECommerce" not found in org retail-us — did you mean "E-Commerce"?',
      'default home division "Hom" not found in org retail-us — did you mean "Home"?',
    ]);
    expect(report.problems[1]).toMatchObject({
      group: 'Retail-Holiday-Agents',
      field: 'role',
      name: 'Seasonal Agent',
      suggestions: ['Seasonal Agents'],
    });
    // What does exist is still resolved.
    expect(report.resolved.divisions).toEqual({ 'Holiday Overflow': 'div-4' });
    const lines = formatPreflight(report);
    expect(lines[0]).toBe('preflight s on retail-us: 8 problems');
    expect(lines).toHaveLength(1 + 8 + 1);
  });

  it('checks the Genesys default home division "Home" when a group names none, and skips Okta when not given', () => {
    const mapping: SeasonMapping = {
      rules: [{ group: '00gunknown', roles: [{ role: 'Agent', divisions: ['Customer Care'] }] }],
    };
    const renamedHome: OrgCatalog = {
      roles: [{ id: 'r', name: 'Agent' }],
      divisions: [
        { id: 'd', name: 'Customer Care' },
        { id: 'h', name: 'Headquarters' },
      ],
    };
    const report = preflight({ seasonId: 's', orgId: 'outlet-eu', mapping, catalog: renamedHome });
    expect(report.problems.map((p) => p.message)).toEqual(['default home division "Home" not found in org outlet-eu']);
    expect(report.checked.groups).toBe(0);
  });

  it('reports a bad name once per group even when repeated', () => {
    const mapping: SeasonMapping = {
      rules: [
        {
          group: 'G',
          homeDivision: 'Home',
          roles: [
            { role: 'Voice Agent', divisions: ['Overflow'] },
            { role: 'Chat Agent', divisions: ['Overflow'] },
          ],
        },
      ],
    };
    const report = preflight({ seasonId: 's', orgId: 'retail-us', mapping, catalog: CATALOG });
    expect(report.problems.map((p) => p.message)).toEqual([
      'group "G": division "Overflow" not found in org retail-us — did you mean "Holiday Overflow"?',
    ]);
  });
});
