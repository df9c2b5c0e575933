import { computeEntitlements } from '../../domain/entitlements';
import { entitlementsAcross, oktaGroupsToLeave, stillMapped } from '../../domain/enrolments';
import type { SeasonMapping } from '../../domain/mapping';

const HOLIDAY_AGENTS = { id: '00gholiday', name: 'Holiday-Agents' };
const RETURNS_AGENTS = { id: '00greturns', name: 'Returns-Peak-Agents' };
const SHARED_CHAT = { id: '00gchat', name: 'Chat-Agents' };

const holiday: SeasonMapping = {
  defaultHomeDivision: 'Holiday Overflow',
  rules: [
    {
      group: 'Holiday-Agents',
      homeDivision: 'Retail Stores',
      priority: 5,
      roles: [{ role: 'Voice Agent', divisions: ['Retail Stores'] }],
    },
    { group: 'Chat-Agents', roles: [{ role: 'Chat Agent', divisions: ['E-Commerce'] }] },
  ],
};
const returnsPeak: SeasonMapping = {
  rules: [
    {
      group: '00greturns',
      homeDivision: 'Returns & Exchanges',
      priority: 10,
      roles: [
        { role: 'Voice Agent', divisions: ['Retail Stores'] },
        { role: 'Returns Agent', divisions: ['Returns & Exchanges'] },
      ],
    },
  ],
};

describe('entitlementsAcross', () => {
  it('is computeEntitlements of the season when there is one enrolment', () => {
    const groups = [HOLIDAY_AGENTS, SHARED_CHAT];
    expect(entitlementsAcross([{ mapping: holiday, groups }])).toEqual(computeEntitlements(holiday, groups));
  });

  it('unions the grants of every live season, once each, and takes the home division of the highest priority', () => {
    const e = entitlementsAcross([
      { mapping: holiday, groups: [HOLIDAY_AGENTS] },
      { mapping: returnsPeak, groups: [RETURNS_AGENTS] },
    ]);
    expect(e.grants).toEqual([
      { role: 'Returns Agent', division: 'Returns & Exchanges' },
      { role: 'Voice Agent', division: 'Retail Stores' },
    ]);
    expect(e.homeDivision).toBe('Returns & Exchanges');
    expect(e.conflicts).toHaveLength(1);
    expect(e.matchedGroups.sort()).toEqual(['00gholiday', '00greturns']);
  });

  it("uses a season's rules only for the groups that season maps for the person", () => {
    // The returns season's list does not contain the holiday group: holiday's rules judge only holiday's list.
    const e = entitlementsAcross([
      { mapping: returnsPeak, groups: [RETURNS_AGENTS] },
      { mapping: holiday, groups: [] },
    ]);
    expect(e.grants.map((g) => g.role)).toEqual(['Returns Agent', 'Voice Agent']);
  });

  it("falls back to the first enrolment's default home division", () => {
    const e = entitlementsAcross([
      { mapping: { rules: [{ group: 'Chat-Agents', roles: [] }] }, groups: [SHARED_CHAT] },
      { mapping: holiday, groups: [SHARED_CHAT] },
    ]);
    expect(e.homeDivision).toBe('Holiday Overflow');
  });

  it('gives nothing when nothing is live', () => {
    expect(entitlementsAcross([])).toMatchObject({ grants: [], matchedGroups: [], homeDivision: 'Home' });
  });
});

describe('stillMapped', () => {
  it('is true while the season maps one of the groups', () => {
    expect(stillMapped({ mapping: holiday, groups: [SHARED_CHAT] })).toBe(true);
    expect(stillMapped({ mapping: holiday, groups: [RETURNS_AGENTS] })).toBe(false);
    expect(stillMapped({ mapping: holiday, groups: [] })).toBe(false);
  });
});

describe('oktaGroupsToLeave', () => {
  it('leaves every group of the season when no other season is live', () => {
    expect(oktaGroupsToLeave({ mapping: holiday, groups: [HOLIDAY_AGENTS, SHARED_CHAT] }, [])).toEqual({
      groupIds: ['00gholiday', '00gchat'],
      seasonGroups: ['Holiday-Agents', 'Chat-Agents'],
    });
  });

  it('keeps a group that a live season also maps (leaving it would end that season too)', () => {
    const alsoChat: SeasonMapping = { rules: [{ group: '00gchat', roles: [] }] };
    const leave = oktaGroupsToLeave({ mapping: holiday, groups: [HOLIDAY_AGENTS, SHARED_CHAT] }, [
      { mapping: alsoChat, groups: [SHARED_CHAT] },
    ]);
    expect(leave).toEqual({ groupIds: ['00gholiday'], seasonGroups: ['Holiday-Agents'] });
    const byName: SeasonMapping = { rules: [{ group: 'Chat-Agents', roles: [] }] };
    expect(
      oktaGroupsToLeave({ mapping: holiday, groups: [HOLIDAY_AGENTS, SHARED_CHAT] }, [
        { mapping: byName, groups: [SHARED_CHAT] },
      ]),
    ).toEqual({
      groupIds: ['00gholiday'],
      seasonGroups: ['Holiday-Agents'],
    });
  });
});
