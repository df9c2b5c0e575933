// Planning a delivery: dedupe, ordering by `published`, season matching by group name or id, and what is
// acknowledged but ignored.
import type { SeasonConfig } from '../../config/types';
import type { HookEvent } from '../../receiver/delivery-schema';
import { orderByPublished, planDelivery, type UserWork } from '../../receiver/plan';
import { triggersFor } from '../../receiver/triggers';
import { mergeTriggers } from '../../workflows/okta-events/contract';

const policy = {
  deactivate: true,
  removeGrants: true,
  deleteAfterMs: 0,
  removeFromOktaGroups: true,
  deactivateOktaUser: false,
};
const retail: SeasonConfig = {
  id: 'retail-holiday-2026',
  orgId: 'retail-us',
  startsAt: '2026-11-16T13:00:00.000Z',
  endsAt: '2027-01-12T01:00:00.000Z',
  timeZone: 'America/New_York',
  dormantAfterDays: 7,
  policy,
  mapping: {
    rules: [
      { group: 'Retail-Holiday-Agents', roles: [{ role: 'Seasonal Agents', divisions: ['Retail Stores'] }] },
      { group: '00gholidaysupv001a7x', roles: [{ role: 'Supervisor', divisions: ['*'] }] },
    ],
  },
};
const outlet: SeasonConfig = {
  ...retail,
  id: 'outlet-holiday-2026',
  orgId: 'outlet-eu',
  mapping: {
    rules: [
      { group: 'Retail-Holiday-Agents', roles: [] },
      { group: 'Outlet-Holiday-Chat', roles: [] },
    ],
  },
};

let n = 0;
function event(
  eventType: string,
  user: string | null,
  published: string,
  group?: { id: string; name: string },
  extra: Partial<HookEvent> = {},
): HookEvent {
  n += 1;
  const target: NonNullable<HookEvent['target']> = [];
  if (user) target.push({ id: user, type: 'User', alternateId: `${user}@example.com`, displayName: 'Some One' });
  if (group) target.push({ id: group.id, type: 'UserGroup', alternateId: 'unknown', displayName: group.name });
  return { uuid: `uuid-${n}`, published, eventType, outcome: { result: 'SUCCESS' }, target, ...extra };
}

const AGENTS = { id: '00gholidayagents01a7', name: 'Retail-Holiday-Agents' };
const SUPV = { id: '00gholidaysupv001a7x', name: 'Renamed-Supervisors' };
const EVERYONE = { id: '00geveryoneretail1a7', name: 'Everyone-Retail' };
const OUTLET_CHAT = { id: '00goutletchat0001a7x', name: 'Outlet-Holiday-Chat' };
const T = (s: number) => new Date(Date.UTC(2026, 10, 20, 12, 0, s)).toISOString();

describe('planDelivery', () => {
  it('plans one piece of work per user, with the newest published time as asOf', () => {
    const remove = event('group.user_membership.remove', '00uA', T(5), AGENTS);
    const add = event('group.user_membership.add', '00uA', T(1), AGENTS);
    const other = event('group.user_membership.add', '00uB', T(3), AGENTS);
    const plan = planDelivery([remove, other, add], [retail]);
    expect(plan.work).toEqual([
      {
        oktaUserId: '00uA',
        uuids: [add.uuid, remove.uuid],
        namedSeasonIds: [retail.id],
        checkAllSeasons: false,
        lifecycle: false,
        groupsAsOf: T(5),
      },
      {
        oktaUserId: '00uB',
        uuids: [other.uuid],
        namedSeasonIds: [retail.id],
        checkAllSeasons: false,
        lifecycle: false,
        groupsAsOf: T(3),
      },
    ]);
    expect(plan.ignored).toEqual([]);
  });

  it('matches a rule by group name or by group id (a renamed group still matches its id rule)', () => {
    const plan = planDelivery(
      [
        event('group.user_membership.add', '00uS', T(1), SUPV),
        event('group.user_membership.add', '00uA', T(2), AGENTS),
      ],
      [retail, outlet],
    );
    expect(plan.work.map((w) => [w.oktaUserId, w.namedSeasonIds])).toEqual([
      ['00uS', [retail.id]],
      ['00uA', [retail.id, outlet.id]],
    ]);
  });

  it('acknowledges and ignores groups outside every season and unknown event types', () => {
    const everyone = event('group.user_membership.add', '00uA', T(1), EVERYONE);
    const outletOnly = event('group.user_membership.add', '00uA', T(2), OUTLET_CHAT);
    const login = event('user.session.start', '00uA', T(3));
    const plan = planDelivery([everyone, outletOnly, login], [retail]);
    expect(plan.work).toEqual([]);
    expect(plan.ignored.map((i) => [i.uuid, i.reason])).toEqual([
      [everyone.uuid, 'outside-seasons'],
      [outletOnly.uuid, 'outside-seasons'],
      [login.uuid, 'unknown-event-type'],
    ]);
  });

  it('drops duplicate uuids within the delivery and ones already handled', () => {
    const add = event('group.user_membership.add', '00uA', T(1), AGENTS);
    const done = event('group.user_membership.add', '00uB', T(2), AGENTS);
    const plan = planDelivery([add, { ...add }, done], [retail], (uuid) => uuid === done.uuid);
    expect(plan.work.map((w) => w.uuids)).toEqual([[add.uuid]]);
    expect(plan.ignored.map((i) => i.reason)).toEqual(['duplicate', 'duplicate']);
  });

  it("a create asks every season to check the user's groups", () => {
    const create = event('user.lifecycle.create', '00uN', T(1));
    const add = event('group.user_membership.add', '00uN', T(2), AGENTS);
    expect(planDelivery([add, create], [retail, outlet]).work).toEqual([
      {
        oktaUserId: '00uN',
        uuids: [create.uuid, add.uuid],
        namedSeasonIds: [retail.id, outlet.id],
        checkAllSeasons: true,
        lifecycle: false,
        groupsAsOf: T(2),
      },
    ]);
  });

  it("deactivate, suspend and unsuspend ask for Okta's status (offboard, suspend or resume is decided on it)", () => {
    const plan = planDelivery(
      [
        event('user.lifecycle.deactivate', '00uA', T(1)),
        event('user.lifecycle.suspend', '00uB', T(2)),
        event('user.lifecycle.unsuspend', '00uC', T(3)),
      ],
      [retail],
    );
    expect(plan.work.map((w) => [w.oktaUserId, w.lifecycle, w.groupsAsOf])).toEqual([
      ['00uA', true, undefined],
      ['00uB', true, undefined],
      ['00uC', true, undefined],
    ]);
  });

  it('ignores failed operations, events without a User target, and everything when no season is active', () => {
    const failed = event('group.user_membership.add', '00uA', T(1), AGENTS, { outcome: { result: 'FAILURE' } });
    const noUser = event('group.user_membership.add', null, T(2), AGENTS);
    const create = event('user.lifecycle.create', '00uA', T(3));
    expect(planDelivery([failed, noUser], [retail]).ignored.map((i) => i.reason)).toEqual([
      'not-successful',
      'no-user-target',
    ]);
    const none = planDelivery([create, event('user.lifecycle.deactivate', '00uA', T(4))], []);
    expect(none.work).toEqual([]);
    expect(none.ignored.map((i) => i.reason)).toEqual(['outside-seasons', 'outside-seasons']);
  });
});

describe('orderByPublished', () => {
  it('sorts by instant (not by string: offsets differ), then by uuid', () => {
    const a = { uuid: 'b', published: '2026-11-20T12:00:00.000+01:00', eventType: 'x' };
    const b = { uuid: 'a', published: '2026-11-20T11:30:00.000Z', eventType: 'x' };
    const c = { uuid: 'a', published: '2026-11-20T11:00:00.000Z', eventType: 'x' };
    expect(orderByPublished([b, a, c]).map((e) => e.published)).toEqual([c.published, a.published, b.published]);
  });
});

describe('triggersFor', () => {
  const work = (over: Partial<UserWork>): UserWork => ({
    oktaUserId: '00uA',
    uuids: ['u1'],
    namedSeasonIds: [],
    checkAllSeasons: false,
    lifecycle: false,
    ...over,
  });
  const ids = { roles: { 'Seasonal Agents': 'r1' }, divisions: {} };

  it("a membership event: one trigger per named season's org, carrying that season's shape and known ids", () => {
    const triggers = triggersFor(work({ namedSeasonIds: [retail.id], groupsAsOf: T(1) }), [retail, outlet], (s) =>
      s === retail.id ? ids : undefined,
    );
    expect(triggers).toEqual([
      {
        orgId: 'retail-us',
        trigger: {
          seasons: [{ id: retail.id, orgId: 'retail-us', endsAt: retail.endsAt, policy, mapping: retail.mapping }],
          namedSeasonIds: [retail.id],
          checkAllSeasons: false,
          lifecycle: false,
          groupsAsOf: T(1),
          resolved: { [retail.id]: ids },
        },
      },
    ]);
  });

  it('a lifecycle event reaches every org with an active season, with no season to enrol in', () => {
    const triggers = triggersFor(work({ lifecycle: true }), [retail, outlet]);
    expect(triggers.map((t) => [t.orgId, t.trigger.seasons.length, t.trigger.lifecycle])).toEqual([
      ['retail-us', 0, true],
      ['outlet-eu', 0, true],
    ]);
  });

  it('a create checks every season of every org', () => {
    const triggers = triggersFor(work({ checkAllSeasons: true, groupsAsOf: T(2) }), [retail, outlet]);
    expect(triggers.map((t) => [t.orgId, t.trigger.seasons.map((s) => s.id)])).toEqual([
      ['retail-us', [retail.id]],
      ['outlet-eu', [outlet.id]],
    ]);
  });
});

describe('mergeTriggers', () => {
  it('one Okta read serves every trigger that waited: seasons, names and flags united, the newest asOf kept', () => {
    const shape = { id: retail.id, orgId: retail.orgId, endsAt: retail.endsAt, policy, mapping: retail.mapping };
    const merged = mergeTriggers([
      { seasons: [shape], namedSeasonIds: [retail.id], checkAllSeasons: false, lifecycle: false, groupsAsOf: T(5) },
      { seasons: [], namedSeasonIds: [], checkAllSeasons: false, lifecycle: true },
      { seasons: [shape], namedSeasonIds: [retail.id], checkAllSeasons: true, lifecycle: false, groupsAsOf: T(3) },
    ]);
    expect(merged).toEqual({
      seasons: [shape],
      namedSeasonIds: [retail.id],
      checkAllSeasons: true,
      lifecycle: true,
      groupsAsOf: T(5),
    });
  });
});
