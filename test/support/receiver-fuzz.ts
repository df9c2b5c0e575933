// Generators for the receiver fuzz tests: a small Okta world (people, their status and groups, before and after
// a burst of events), the events Okta could send about it, ways Okta could deliver them, and hostile bodies.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { SeasonConfig } from '../../config/types';
import type { HookEvent } from '../../receiver/delivery-schema';
import { teardownAtOnce } from './agents';

export interface Group {
  id: string;
  name: string;
}
export const AGENTS: Group = { id: '00gfuzzagents0000001', name: 'Retail-Holiday-Agents' };
export const CHAT: Group = { id: '00gfuzzchat000000001', name: 'Retail-Holiday-Chat' };
export const OTHER: Group = { id: '00gfuzzeveryone00001', name: 'Everyone' };
const GROUPS = [AGENTS, CHAT, OTHER];

export type Status = 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED' | 'deleted';
export interface Person {
  status: Status;
  groups: Group[];
}
export type World = Map<string, Person>;

/** Two seasons of one org, each mapping one group (by name, as config files usually do). */
export function seasonsOf(orgId: string): SeasonConfig[] {
  const season = (id: string, group: Group, role: string): SeasonConfig => ({
    id: `${id}-${orgId}`,
    orgId,
    startsAt: new Date(Date.now() - 86_400_000).toISOString(),
    endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    timeZone: 'UTC',
    dormantAfterDays: 7,
    policy: teardownAtOnce,
    mapping: {
      rules: [{ group: group.name, homeDivision: 'Retail Stores', roles: [{ role, divisions: ['Retail Stores'] }] }],
    },
  });
  return [season('agents', AGENTS, 'Seasonal Agents'), season('chat', CHAT, 'Chat Agent')];
}

export const MEMBERSHIP_TYPES = ['group.user_membership.add', 'group.user_membership.remove'];
export const EVENT_TYPES = [
  ...MEMBERSHIP_TYPES,
  'user.lifecycle.create',
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.session.start',
];
const BASE = Date.parse('2026-11-30T12:00:00.000Z');

export function eventOf(
  eventType: string,
  oktaUserId: string,
  group?: Group,
  publishedMs = BASE,
  uuid = `${eventType}-${oktaUserId}-${publishedMs}`,
  result: string | undefined = 'SUCCESS',
): HookEvent {
  return {
    uuid,
    published: new Date(publishedMs).toISOString(),
    eventType,
    ...(result ? { outcome: { result } } : {}),
    target: [
      { id: oktaUserId, type: 'User', alternateId: `${oktaUserId}@fuzz.invalid`, displayName: 'Fuzz Person' },
      ...(group && MEMBERSHIP_TYPES.includes(eventType)
        ? [{ id: group.id, type: 'UserGroup', alternateId: 'unknown', displayName: group.name }]
        : []),
    ],
  };
}

export function deliveryOf(eventId: string, events: unknown[]) {
  return { eventType: 'com.okta.event_hook', eventId, eventTime: new Date(BASE).toISOString(), data: { events } };
}

const personArb = (anyStatus: boolean): fc.Arbitrary<Person> =>
  fc.record({
    status: anyStatus
      ? fc.constantFrom<Status>('ACTIVE', 'ACTIVE', 'SUSPENDED', 'DEPROVISIONED', 'deleted')
      : fc.constant<Status>('ACTIVE'),
    groups: fc.subarray(GROUPS),
  });

export interface EventSpec {
  person: number;
  eventType: string;
  group: number;
  offsetMs: number;
  result: string | undefined;
}

export interface OrderCase {
  ids: string[];
  before: World;
  now: World;
  base: number;
  /** The events' keys, in the order Okta published them. */
  eventKeys: string[];
  event: (tag: string) => (key: string) => HookEvent;
  /** Waves of deliveries (each a list of event keys); the deliveries of a wave are sent at once. */
  variant: string[][][];
}

const PEOPLE = 5;
const IDS = Array.from({ length: PEOPLE }, (_, i) => `00ufuzzorder00000${String(i).padStart(3, '0')}`);

/** A case from its parts (the generator's output, or a regression case written by hand). */
export function orderCaseOf(before: Person[], now: Person[], specs: EventSpec[], variant: string[][][]): OrderCase {
  const keys = specs.map((_, i) => `k${i}`);
  const bySpec = new Map(keys.map((k, i) => [k, specs[i]!]));
  const ids = IDS.slice(0, Math.max(before.length, now.length));
  return {
    ids,
    before: new Map(ids.map((id, i) => [id, before[i] ?? { status: 'ACTIVE', groups: [] }])),
    now: new Map(ids.map((id, i) => [id, now[i] ?? { status: 'ACTIVE', groups: [] }])),
    base: BASE,
    eventKeys: [...keys].sort((a, b) => bySpec.get(a)!.offsetMs - bySpec.get(b)!.offsetMs),
    event: () => (key) => {
      const s = bySpec.get(key)!;
      return eventOf(s.eventType, ids[s.person]!, GROUPS[s.group], BASE + s.offsetMs, key, s.result);
    },
    variant,
  };
}

/** A world, a burst of events about it, and one way (of many) that Okta could deliver them. */
export function worldArb(): fc.Arbitrary<OrderCase> {
  const spec: fc.Arbitrary<EventSpec> = fc.record({
    person: fc.nat(PEOPLE - 1),
    eventType: fc.constantFrom(...EVENT_TYPES, ...MEMBERSHIP_TYPES),
    group: fc.nat(GROUPS.length - 1),
    offsetMs: fc.nat(600_000),
    result: fc.constantFrom<string | undefined>('SUCCESS', 'SUCCESS', 'SUCCESS', 'FAILURE', undefined),
  });
  return fc
    .record({
      before: fc.array(personArb(false), { minLength: PEOPLE, maxLength: PEOPLE }),
      now: fc.array(personArb(true), { minLength: PEOPLE, maxLength: PEOPLE }),
      specs: fc.array(spec, { minLength: 1, maxLength: 14 }),
    })
    .chain(({ before, now, specs }) => {
      const keys = specs.map((_, i) => `k${i}`);
      return fc
        .record({
          order: fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }),
          duplicates: fc.array(fc.constantFrom(...keys), { maxLength: 6 }),
          cuts: fc.array(fc.nat(keys.length + 6), { maxLength: 5 }),
          redeliver: fc.array(fc.nat(6), { maxLength: 3 }),
          waveSize: fc.integer({ min: 1, max: 4 }),
        })
        .map(({ order, duplicates, cuts, redeliver, waveSize }): OrderCase => {
          // Shuffle in the duplicates, cut into deliveries, resend some deliveries whole, group into waves.
          const stream = [...order];
          duplicates.forEach((k, i) => stream.splice((i * 7) % (stream.length + 1), 0, k));
          const at = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const deliveries: string[][] = [];
          let from = 0;
          for (const c of [...at, stream.length]) {
            if (c > from) deliveries.push(stream.slice(from, c));
            from = Math.max(from, c);
          }
          for (const r of redeliver) if (deliveries.length > 0) deliveries.push(deliveries[r % deliveries.length]!);
          const variant: string[][][] = [];
          for (let i = 0; i < deliveries.length; i += waveSize) variant.push(deliveries.slice(i, i + waveSize));
          return orderCaseOf(before, now, specs, variant);
        });
    });
}

/** A delivery's eventId from its content: a delivery sent again whole carries the same id, as Okta's do. */
export function eventIdOf(tag: string, keys: string[]): string {
  return `${tag}-${createHash('sha256').update(keys.join(',')).digest('hex').slice(0, 32)}`;
}

// ── hostile bodies ──────────────────────────────────────────────────────────────────────────────────────────

const wild = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e', '\ud800', 'null', '00u'.padEnd(300, 'x')),
);
const isoDate = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** `clean`: every field of the right type (odd text only where Okta allows any). Otherwise: any field may be anything. */
const field = <T>(clean: boolean, right: fc.Arbitrary<T>) =>
  clean ? right : fc.oneof({ arbitrary: right, weight: 4 }, { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 });

function eventArb(userIds: string[], clean: boolean): fc.Arbitrary<unknown> {
  const target = fc.record(
    {
      id: field(
        clean,
        fc.oneof(
          fc.constantFrom(...userIds, ...GROUPS.map((g) => g.id)),
          wild.filter((s) => s !== ''),
        ),
      ),
      type: field(clean, fc.constantFrom('User', 'UserGroup', 'AppInstance')),
      alternateId: field(clean, wild),
      displayName: field(clean, fc.oneof(fc.constantFrom(...GROUPS.map((g) => g.name)), wild)),
    },
    { requiredKeys: ['id', 'type'] },
  );
  return fc.record(
    {
      uuid: field(clean, fc.uuid()),
      published: field(clean, isoDate),
      eventType: field(
        clean,
        fc.oneof(
          fc.constantFrom(...EVENT_TYPES),
          wild.filter((s) => s !== ''),
        ),
      ),
      outcome: field(clean, fc.record({ result: fc.constantFrom('SUCCESS', 'FAILURE', 'DENY') })),
      target: field(clean, fc.array(target, { maxLength: 3 })),
      debugContext: fc.jsonValue({ maxDepth: 4 }),
    },
    { requiredKeys: ['uuid', 'published', 'eventType'] },
  );
}

function deliveryArb(userIds: string[]): fc.Arbitrary<unknown> {
  return fc.boolean().chain((clean) =>
    fc.record({
      eventType: field(clean, fc.constant('com.okta.event_hook')),
      eventId: field(clean, fc.uuid()),
      eventTime: field(clean, isoDate),
      data: field(clean, fc.record({ events: fc.array(eventArb(userIds, clean), { maxLength: 12 }) })),
    }),
  );
}

/** JSON text with a key inserted at the start of a random object: keys JSON.stringify would never write. */
const withKeyInserted = (json: string, key: string, value: string, nth: number): string => {
  const opens = [...json.matchAll(/\{/g)].map((m) => m.index);
  if (opens.length === 0) return json;
  const at = opens[nth % opens.length]! + 1;
  const rest = json.slice(at);
  return `${json.slice(0, at)}"${key}":${value}${rest.startsWith('}') ? '' : ','}${rest}`;
};

export interface HostileRequest {
  payload: string;
  contentType: string | undefined;
}

export function hostileBody(userIds: string[], limitBytes: number): fc.Arbitrary<HostileRequest> {
  const delivery = deliveryArb(userIds);
  // Deliveries as Okta sends them, about the world's people: these reach the receiver's work.
  const plausible = fc
    .array(
      fc.record({
        type: fc.constantFrom(...EVENT_TYPES),
        user: fc.constantFrom(...userIds),
        group: fc.constantFrom(...GROUPS),
        offsetMs: fc.nat(600_000),
        uuid: fc.uuid(),
      }),
      { minLength: 1, maxLength: 20 },
    )
    .chain((events) =>
      fc.uuid().map((eventId) =>
        deliveryOf(
          eventId,
          events.map((e) => eventOf(e.type, e.user, e.group, BASE + e.offsetMs, e.uuid)),
        ),
      ),
    );
  const payload = fc.oneof(
    { arbitrary: plausible.map((d) => JSON.stringify(d)), weight: 3 },
    { arbitrary: delivery.map((d) => JSON.stringify(d)), weight: 6 },
    {
      // Prototype pollution attempts, anywhere in the document.
      arbitrary: fc
        .tuple(delivery, fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.nat())
        .map(([d, key, nth]) =>
          withKeyInserted(JSON.stringify(d), key, '{"polluted":true,"prototype":{"polluted":true}}', nth),
        ),
      weight: 2,
    },
    {
      // Deep nesting, as the whole body or inside an event.
      arbitrary: fc
        .tuple(fc.integer({ min: 10, max: 6_000 }), fc.boolean(), fc.constantFrom('[', '{"a":'))
        .map(([n, inside, open]) => {
          const close = open === '[' ? ']' : '}';
          const deep = `${open.repeat(n)}1${close.repeat(n)}`;
          return inside
            ? JSON.stringify(deliveryOf('deep', [])).replace('"events":[]', `"events":[{"x":${deep}}]`)
            : deep;
        }),
      weight: 1,
    },
    {
      // Just under, at and over the body limit.
      arbitrary: fc.tuple(delivery, fc.integer({ min: -48, max: 48 })).map(([d, delta]) => {
        const text = JSON.stringify(d);
        const pad = Math.max(0, limitBytes + delta - text.length - 10);
        return text.replace(/^\{/, `{"pad":"${'p'.repeat(pad)}",`);
      }),
      weight: 1,
    },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 300 }), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v) ?? 'null'), weight: 1 },
  );
  const contentType = fc.constantFrom<string | undefined>(
    'application/json',
    'application/json',
    'application/json',
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/octet-stream',
    undefined,
  );
  return fc.record({ payload, contentType });
}
