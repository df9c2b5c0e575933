// The product's event hook spec: which hook is ours, what differs from what the product needs, and the body that
// creates or replaces it. The event types are exactly what the receiver acts on.
import type { SeasonConfig } from '../../config/types';
import {
  compareHook,
  describeDifference,
  eventHookBody,
  findProductHook,
  HOOK_EVENT_TYPES,
  HOOK_NAME,
  hookDifferences,
  type DesiredHook,
  type EventHookAsRead,
} from '../../domain/okta-hook';
import type { OktaEventHook } from '../../integrations/okta/schemas';
import { eventHookSchema } from '../../integrations/okta/schemas';
import type { HookEvent } from '../../receiver/delivery-schema';
import { planDelivery } from '../../receiver/plan';

const URI = 'https://provisioner.example.com/okta/events';
const desired: DesiredHook = { uri: URI, authHeaderName: 'Authorization' };

/** A hook as Okta returns it once set up right: the key lower-cased, no secret. */
function okHook(overrides: Partial<EventHookAsRead> = {}): EventHookAsRead {
  return {
    id: 'who1seasonal0001a7',
    name: HOOK_NAME,
    status: 'ACTIVE',
    verificationStatus: 'VERIFIED',
    description: null,
    events: { items: [...HOOK_EVENT_TYPES], filter: null },
    channel: {
      config: { uri: URI, authScheme: { type: 'HEADER', key: 'authorization' }, headers: [] },
    },
    ...overrides,
  };
}

describe('HOOK_EVENT_TYPES', () => {
  const season: SeasonConfig = {
    id: 'retail-holiday-2026',
    orgId: 'retail-us',
    startsAt: '2026-11-16T13:00:00.000Z',
    endsAt: '2027-01-12T01:00:00.000Z',
    timeZone: 'America/New_York',
    dormantAfterDays: 7,
    policy: {
      deactivate: true,
      removeGrants: true,
      deleteAfterMs: 0,
      removeFromOktaGroups: true,
      deactivateOktaUser: false,
    },
    mapping: { rules: [{ group: 'Retail-Holiday-Agents', roles: [] }] },
  };
  const eventOf = (eventType: string, i: number): HookEvent => ({
    uuid: `uuid-${i}`,
    published: '2026-11-20T10:00:00.000Z',
    eventType,
    outcome: { result: 'SUCCESS' },
    target: [
      { id: `00useasonal${String(i).padStart(4, '0')}a7`, type: 'User' },
      { id: '00gholidayagents01a7', type: 'UserGroup', displayName: 'Retail-Holiday-Agents' },
    ],
  });

  it('are exactly the event types the receiver acts on', () => {
    const candidates = [
      ...HOOK_EVENT_TYPES,
      'user.lifecycle.activate',
      'user.lifecycle.reactivate',
      'user.account.update_profile',
      'group.profile.update',
    ];
    const plan = planDelivery(
      candidates.map((t, i) => eventOf(t, i)),
      [season],
    );
    const ignoredAsUnknown = plan.ignored.filter((x) => x.reason === 'unknown-event-type').map((x) => x.eventType);
    expect(candidates.filter((t) => !ignoredAsUnknown.includes(t)).sort()).toEqual([...HOOK_EVENT_TYPES].sort());
    expect(new Set(HOOK_EVENT_TYPES).size).toBe(HOOK_EVENT_TYPES.length);
  });
});

describe('findProductHook', () => {
  const other = okHook({
    id: 'who2other0000001a7',
    name: 'Someone else',
    channel: { config: { uri: 'https://x.test/h' } },
  });

  it('finds the hook by name, preferring the one at the desired URI when several share it', () => {
    const elsewhere = okHook({ id: 'who3old00000001a7', channel: { config: { uri: 'https://old.example.com/h' } } });
    const here = okHook();
    expect(findProductHook([other, elsewhere, here], desired)?.id).toBe(here.id);
    expect(findProductHook([other, elsewhere], desired)?.id).toBe(elsewhere.id);
  });

  it('else the hook at the same URI under another name (made by hand); else none', () => {
    const byHand = okHook({ id: 'who4hand0000001a7', name: 'Provisioner (manual)' });
    expect(findProductHook([other, byHand], desired)?.id).toBe(byHand.id);
    expect(findProductHook([other], desired)).toBeUndefined();
    expect(findProductHook([], desired)).toBeUndefined();
  });
});

describe('compareHook', () => {
  it('no hook: create, then verify (Okta creates it ACTIVE and UNVERIFIED)', () => {
    expect(compareHook(undefined, desired)).toEqual({ steps: ['create', 'verify'], differences: [], extraEvents: [] });
  });

  it('a hook set up right: nothing to do; the header name compares case-insensitively', () => {
    expect(compareHook(okHook(), desired)).toEqual({ steps: [], differences: [], extraEvents: [] });
    expect(compareHook(okHook(), { ...desired, authHeaderName: 'AUTHORIZATION' }).steps).toEqual([]);
  });

  it('INACTIVE: activate; UNVERIFIED: verify', () => {
    expect(compareHook(okHook({ status: 'INACTIVE' }), desired).steps).toEqual(['activate']);
    expect(compareHook(okHook({ verificationStatus: 'UNVERIFIED' }), desired).steps).toEqual(['verify']);
    expect(compareHook(okHook({ verificationStatus: undefined }), desired).steps).toEqual(['verify']);
    expect(compareHook(okHook({ status: 'INACTIVE', verificationStatus: 'UNVERIFIED' }), desired).steps).toEqual([
      'activate',
      'verify',
    ]);
  });

  it('another URI or auth header: update, and verify again (a new channel needs it)', () => {
    const moved = okHook({
      channel: {
        config: { uri: 'https://old.example.com/okta/events', authScheme: { type: 'HEADER', key: 'authorization' } },
      },
    });
    expect(compareHook(moved, desired)).toEqual({
      steps: ['update', 'verify'],
      differences: [{ field: 'uri', has: 'https://old.example.com/okta/events', wants: URI }],
      extraEvents: [],
    });
    const header = compareHook(okHook(), { ...desired, authHeaderName: 'X-Okta-Secret' });
    expect(header.steps).toEqual(['update', 'verify']);
    expect(header.differences).toEqual([{ field: 'authHeader', has: 'authorization', wants: 'X-Okta-Secret' }]);
    const none = okHook({ channel: { config: { uri: URI } } });
    expect(hookDifferences(none, desired)).toEqual([{ field: 'authHeader', has: '(none)', wants: 'Authorization' }]);
  });

  it('missing event types: update (no new verification); extra ones are kept and reported, not a difference', () => {
    const fewer = okHook({
      events: { items: ['group.user_membership.add', 'user.lifecycle.activate'] },
    });
    const result = compareHook(fewer, desired);
    expect(result.steps).toEqual(['update']);
    expect(result.differences).toHaveLength(1);
    expect(result.differences[0]!.field).toBe('events');
    expect(result.differences[0]!.missing).toEqual(HOOK_EVENT_TYPES.filter((t) => t !== 'group.user_membership.add'));
    expect(result.extraEvents).toEqual(['user.lifecycle.activate']);
    expect(describeDifference(result.differences[0]!)).toMatch(/^event types lack user\.lifecycle\.create, /);

    const more = okHook({ events: { items: [...HOOK_EVENT_TYPES, 'group.profile.update'] } });
    expect(compareHook(more, desired)).toEqual({ steps: [], differences: [], extraEvents: ['group.profile.update'] });
  });

  it('an event filter or another name: update', () => {
    const filtered = okHook({
      events: { items: [...HOOK_EVENT_TYPES], filter: { eventFilterMap: [{ event: 'group.user_membership.add' }] } },
    });
    expect(compareHook(filtered, desired).differences.map((d) => d.field)).toEqual(['filter']);
    expect(
      compareHook(okHook({ events: { items: [...HOOK_EVENT_TYPES], filter: { eventFilterMap: [] } } }), desired).steps,
    ).toEqual([]);
    const renamed = compareHook(okHook({ name: 'Provisioner (manual)' }), desired);
    expect(renamed.steps).toEqual(['update']);
    expect(describeDifference(renamed.differences[0]!)).toBe(`name is "Provisioner (manual)", not "${HOOK_NAME}"`);
  });

  it('reads what Okta returns: a parsed answer of the API is a hook as read', () => {
    // The OpenAPI example's shape (RetrieveAnEventHook), with our values.
    const answer: OktaEventHook = eventHookSchema.parse({
      id: 'who8vt36qfNpCGz9H1e6',
      status: 'ACTIVE',
      verificationStatus: 'VERIFIED',
      name: HOOK_NAME,
      description: null,
      created: '2023-07-07T13:41:56.000Z',
      events: { type: 'EVENT_TYPE', items: [...HOOK_EVENT_TYPES], filter: null },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: {
          uri: URI,
          headers: [{ key: 'X-Other-Header', value: 'my-header-value' }],
          method: 'POST',
          authScheme: { type: 'HEADER', key: 'authorization' },
        },
      },
      _links: { self: { href: 'https://example.com/api/v1/eventHooks/who8vt36qfNpCGz9H1e6' } },
    });
    expect(compareHook(answer, desired).steps).toEqual([]);
  });
});

describe('eventHookBody', () => {
  it('creates the product hook: every event type, HTTP 1.0.0, the secret in the header', () => {
    expect(eventHookBody(desired, 's3cret')).toEqual({
      name: HOOK_NAME,
      events: { type: 'EVENT_TYPE', items: [...HOOK_EVENT_TYPES] },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: { uri: URI, authScheme: { type: 'HEADER', key: 'Authorization', value: 's3cret' } },
      },
    });
  });

  it('replaces a hook keeping its description, custom headers and extra event types, dropping a filter', () => {
    const existing = okHook({
      name: 'Provisioner (manual)',
      description: 'made by hand',
      events: { items: ['group.profile.update', 'user.lifecycle.create'], filter: { eventFilterMap: [{}] } },
      channel: {
        config: {
          uri: 'https://old.example.com/h',
          authScheme: { type: 'HEADER', key: 'x-old' },
          headers: [{ key: 'X-Tenant', value: 'retail' }, null, { key: 'X-Empty' }],
        },
      },
    });
    const body = eventHookBody(desired, 'new-secret', existing);
    expect(body.name).toBe(HOOK_NAME);
    expect(body.description).toBe('made by hand');
    expect(body.events).toEqual({ type: 'EVENT_TYPE', items: [...HOOK_EVENT_TYPES, 'group.profile.update'] });
    expect(body.channel.config).toEqual({
      uri: URI,
      authScheme: { type: 'HEADER', key: 'Authorization', value: 'new-secret' },
      headers: [{ key: 'X-Tenant', value: 'retail' }],
    });
    expect(body).not.toHaveProperty('events.filter');
  });
});
