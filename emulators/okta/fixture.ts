// Fixture files describe an org's starting state in a form a person can write: groups by name, users with the
// names of the groups they are in. Loading a fixture logs no events (the state already existed).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { StoreSnapshot } from './store';
import type { EmuGroup, EmuUser } from './types';

const userStatus = z.enum([
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
  'DEPROVISIONED',
]);

const fixtureSchema = z.object({
  description: z.string().optional(),
  /** The admin whose name appears as `actor` on events made through the API token and the admin helpers. */
  actorUserId: z.string().optional(),
  groups: z.array(
    z.object({
      id: z.string().regex(/^00g[0-9A-Za-z]{17}$/),
      name: z.string().min(1),
      description: z.string().nullable().optional(),
      type: z.enum(['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN']).optional(),
    }),
  ),
  /** App instances (the Genesys Cloud app): what a user signs in to through Okta (user.authentication.sso). */
  apps: z.array(z.object({ id: z.string().regex(/^0oa[0-9A-Za-z]{17}$/), label: z.string().min(1) })).default([]),
  users: z.array(
    z.object({
      id: z.string().regex(/^00u[0-9A-Za-z]{17}$/),
      status: userStatus.default('ACTIVE'),
      profile: z.looseObject({
        login: z.string().min(1),
        email: z.string().min(1),
        firstName: z.string().nullable(),
        lastName: z.string().nullable(),
        employeeNumber: z.string().optional(),
      }),
      /** Group names or ids. */
      groups: z.array(z.string()).default([]),
    }),
  ),
});

export type OktaFixture = z.input<typeof fixtureSchema>;

/** Fixed creation time for fixture objects, so inspecting state gives the same answer on every run. */
const FIXTURE_TIME = '2026-09-01T00:00:00.000Z';

export const FIXTURES_DIR = path.join(__dirname, 'fixtures');

/** A fixture by file path, or by name from `fixtures/` (`retail` → fixtures/retail.json). */
export function readFixtureFile(nameOrPath: string): OktaFixture {
  const file = nameOrPath.endsWith('.json') ? nameOrPath : path.join(FIXTURES_DIR, `${nameOrPath}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as OktaFixture;
}

export function fixtureToSnapshot(input: OktaFixture): StoreSnapshot {
  const fixture = fixtureSchema.parse(input);
  const groups: EmuGroup[] = fixture.groups.map((g) => ({
    id: g.id,
    created: FIXTURE_TIME,
    lastUpdated: FIXTURE_TIME,
    lastMembershipUpdated: FIXTURE_TIME,
    objectClass: ['okta:user_group'],
    type: g.type ?? 'OKTA_GROUP',
    profile: { name: g.name, description: g.description ?? null },
  }));
  const groupIdFor = (ref: string): string => {
    const g = groups.find((x) => x.id === ref || x.profile.name === ref);
    if (!g) throw new Error(`fixture: unknown group "${ref}"`);
    return g.id;
  };
  const memberships: Record<string, string[]> = Object.fromEntries(groups.map((g) => [g.id, []]));
  const users: EmuUser[] = fixture.users.map((u) => {
    for (const ref of u.groups) memberships[groupIdFor(ref)]!.push(u.id);
    const active = u.status !== 'STAGED' && u.status !== 'PROVISIONED';
    return {
      id: u.id,
      status: u.status,
      created: FIXTURE_TIME,
      activated: active ? FIXTURE_TIME : null,
      statusChanged: FIXTURE_TIME,
      lastLogin: null,
      lastUpdated: FIXTURE_TIME,
      passwordChanged: null,
      type: { id: 'otyemulatordefault0001' },
      profile: u.profile,
    };
  });
  return {
    actorUserId: fixture.actorUserId,
    users,
    groups,
    apps: fixture.apps,
    memberships,
    outbox: [],
    systemLog: [],
  };
}

export const EMPTY_FIXTURE: OktaFixture = { groups: [], users: [] };
