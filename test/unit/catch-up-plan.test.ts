// The catch-up's judgement: who to start, who to tell, and when to hold back (a read that lost members must not
// empty a season).
import { breakerLimit, planCatchUp, type SeasonMembers } from '../../domain/catch-up';

const AGENTS = { id: '00gholidayagents01a7', name: 'Retail-Holiday-Agents' };
const CHAT = { id: '00gholidaychat001a7x', name: 'Retail-Holiday-Chat' };

function snapshot(members: SeasonMembers['members'], missingGroups: string[] = []): SeasonMembers {
  return { asOf: '2026-12-01T10:00:00.000Z', groups: [AGENTS, CHAT], missingGroups, members };
}

describe('planCatchUp', () => {
  it('starts members without a workflow, with their groups by id and name; leaves running and ended agents alone', () => {
    const plan = planCatchUp(
      { running: ['00urunning'], closed: ['00uended'] },
      snapshot([
        { oktaUserId: '00unew2', groupIds: [AGENTS.id, CHAT.id] },
        { oktaUserId: '00urunning', groupIds: [AGENTS.id] },
        { oktaUserId: '00uended', groupIds: [CHAT.id] },
        { oktaUserId: '00unew1', groupIds: [CHAT.id] },
      ]),
    );
    expect(plan.actions).toEqual([
      { kind: 'start', oktaUserId: '00unew1', groups: [CHAT] },
      { kind: 'start', oktaUserId: '00unew2', groups: [AGENTS, CHAT] },
    ]);
    expect(plan.endedMembers).toEqual(['00uended']);
    expect(plan.held).toBeUndefined();
  });

  it('offboards a running agent Okta has deprovisioned, suspends a suspended one, and starts neither', () => {
    const plan = planCatchUp(
      { running: ['00udeactivated', '00ususpended'], closed: [] },
      snapshot([
        { oktaUserId: '00udeactivated', groupIds: [AGENTS.id], stopped: 'Okta user is deprovisioned' },
        { oktaUserId: '00ususpended', groupIds: [AGENTS.id], suspended: true },
        { oktaUserId: '00udeprovisioned', groupIds: [AGENTS.id], stopped: 'Okta user is deprovisioned' },
        { oktaUserId: '00ususpendednew', groupIds: [AGENTS.id], suspended: true },
      ]),
    );
    expect(plan.actions).toEqual([
      { kind: 'offboard', oktaUserId: '00udeactivated', reason: 'Okta user is deprovisioned' },
      { kind: 'suspend', oktaUserId: '00ususpended' },
    ]);
    expect(plan.stoppedWithoutWorkflow).toEqual(['00udeprovisioned', '00ususpendednew']);
  });

  it('tells a running agent in no season group that its groups are gone', () => {
    const plan = planCatchUp(
      { running: ['00ustays', '00uleft'], closed: [] },
      snapshot([{ oktaUserId: '00ustays', groupIds: [AGENTS.id] }]),
    );
    expect(plan.actions).toEqual([{ kind: 'groups-gone', oktaUserId: '00uleft' }]);
  });

  it('holds every leaver when a season group is missing in Okta: its members are unknown, not gone', () => {
    const plan = planCatchUp(
      { running: ['00ua', '00ub'], closed: [] },
      snapshot([{ oktaUserId: '00ua', groupIds: [CHAT.id] }], ['Retail-Holiday-Agents']),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.held).toEqual({ reason: 'Okta has no group for "Retail-Holiday-Agents"', oktaUserIds: ['00ub'] });
  });

  it('holds a mass offboarding above the breaker (10 % of running agents, at least 5)', () => {
    expect([breakerLimit(0), breakerLimit(3), breakerLimit(50), breakerLimit(51), breakerLimit(300)]).toEqual([
      5, 5, 5, 6, 30,
    ]);
    const running = Array.from({ length: 100 }, (_, i) => `00u${String(i).padStart(3, '0')}`);
    const stay = (n: number) => running.slice(n).map((oktaUserId) => ({ oktaUserId, groupIds: [AGENTS.id] }));

    const ten = planCatchUp({ running, closed: [] }, snapshot(stay(10)));
    expect(ten.actions.map((a) => a.kind)).toEqual(Array(10).fill('groups-gone'));

    const eleven = planCatchUp({ running, closed: [] }, snapshot(stay(11)));
    expect(eleven.actions).toEqual([]);
    expect(eleven.held?.oktaUserIds).toHaveLength(11);
    expect(eleven.held?.reason).toBe("11 of 100 running agents are in no season group, above the breaker's 10");
  });
});
