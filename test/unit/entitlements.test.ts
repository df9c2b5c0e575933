import { computeEntitlements, diffGrants } from '../../domain/entitlements';
import type { SeasonMapping } from '../../domain/mapping';

const mapping: SeasonMapping = {
  rules: [
    {
      group: 'Retail-Holiday-Agents',
      homeDivision: 'Retail Stores',
      roles: [
        { role: 'Seasonal Agents', divisions: ['Retail Stores', 'Holiday Overflow'] },
        { role: 'Voice Agent', divisions: ['Retail Stores'] },
      ],
      skills: [{ name: 'Returns', proficiency: 2 }],
    },
    {
      group: '00gchat',
      homeDivision: 'E-Commerce',
      priority: 10,
      roles: [
        { role: 'Chat Agent', divisions: ['E-Commerce'] },
        { role: 'Seasonal Agents', divisions: ['Holiday Overflow'] },
      ],
      skills: [{ name: 'Returns', proficiency: 4 }],
      languages: [{ name: 'Spanish', proficiency: 3 }],
    },
    { group: 'Retail-Holiday-Supervisors', roles: [{ role: 'Reporting Viewer', divisions: ['*', 'E-Commerce'] }] },
  ],
};

describe('computeEntitlements', () => {
  it('unions role × division grants of every matching group, without duplicates, in a stable order', () => {
    const e = computeEntitlements(mapping, [
      { id: '00gagents', name: 'Retail-Holiday-Agents' },
      { id: '00gchat', name: 'Retail-Holiday-Chat' },
    ]);
    expect(e.grants).toEqual([
      { role: 'Chat Agent', division: 'E-Commerce' },
      { role: 'Seasonal Agents', division: 'Holiday Overflow' },
      { role: 'Seasonal Agents', division: 'Retail Stores' },
      { role: 'Voice Agent', division: 'Retail Stores' },
    ]);
    expect(e.matchedGroups).toEqual(['00gagents', '00gchat']);
  });

  it('decides a home-division conflict by priority and reports it', () => {
    const e = computeEntitlements(mapping, [
      { id: '00gagents', name: 'Retail-Holiday-Agents' },
      { id: '00gchat', name: 'Retail-Holiday-Chat' },
    ]);
    expect(e.homeDivision).toBe('E-Commerce');
    expect(e.conflicts).toHaveLength(1);
    expect(e.conflicts[0]).toContain('"00gchat" (priority 10) → "E-Commerce" wins over group "Retail-Holiday-Agents"');
  });

  it('on equal priority the rule listed first wins', () => {
    const tie: SeasonMapping = {
      rules: [
        { group: 'a', homeDivision: 'One', roles: [] },
        { group: 'b', homeDivision: 'Two', roles: [] },
      ],
    };
    expect(computeEntitlements(tie, [{ id: 'b' }, { id: 'a' }]).homeDivision).toBe('One');
  });

  it('keeps the higher proficiency when two groups give the same skill', () => {
    const e = computeEntitlements(mapping, [{ id: 'x', name: 'Retail-Holiday-Agents' }, { id: '00gchat' }]);
    expect(e.skills).toEqual([{ name: 'Returns', proficiency: 4 }]);
    expect(e.languages).toEqual([{ name: 'Spanish', proficiency: 3 }]);
  });

  it('collapses a role listed for "*" to the one all-divisions grant', () => {
    const e = computeEntitlements(mapping, [{ id: 'y', name: 'Retail-Holiday-Supervisors' }]);
    expect(e.grants).toEqual([{ role: 'Reporting Viewer', division: '*' }]);
    expect(e.homeDivision).toBe('Home');
  });

  it('gives nothing for groups outside the mapping', () => {
    const e = computeEntitlements(mapping, [{ id: '00gother', name: 'Everyone-Retail' }]);
    expect(e.matchedGroups).toEqual([]);
    expect(e.grants).toEqual([]);
  });
});

describe('diffGrants', () => {
  const g = (roleId: string, divisionId: string) => ({ roleId, divisionId });
  it('adds what is missing and removes only grants this workflow owns', () => {
    const desired = [g('r1', 'd1'), g('r2', 'd1')];
    const actual = [g('r1', 'd1'), g('r3', 'd1'), g('hand', 'd9')];
    const owned = [g('r1', 'd1'), g('r3', 'd1')];
    expect(diffGrants(desired, actual, owned)).toEqual({ toAdd: [g('r2', 'd1')], toRemove: [g('r3', 'd1')] });
  });
  it('never adds the same grant twice', () => {
    expect(diffGrants([g('r', 'd'), g('r', 'd')], [], []).toAdd).toEqual([g('r', 'd')]);
  });
});
