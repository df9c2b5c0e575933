// The orgs fixture: OAuth clients, divisions, roles and pre-existing users of each emulated org.
// Validated with zod so a typo in a fixture fails at start, not as a puzzling 404 in a test.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

const routingEntity = z.strictObject({ id: uuid, name: z.string().min(1) });

/**
 * A permission as Genesys writes them: `domain:entity:action`, entity or action may be `*` (admin roles' policies
 * use entityName `*` and actionSet ["*"]), or one of the few one-word legacy permissions (`admin`).
 */
export const permissionString = z
  .string()
  .regex(
    /^(?:[A-Za-z][A-Za-z0-9_]*|[A-Za-z][A-Za-z0-9]*:(?:\*|[A-Za-z][A-Za-z0-9]*):(?:\*|[A-Za-z][A-Za-z0-9]*))$/,
    'must be domain:entity:action (entity or action may be *)',
  );

/** A role granted by names; division `*` means all divisions. */
const roleGrant = z.strictObject({ role: z.string(), division: z.string() });

const fixtureUser = z.strictObject({
  id: uuid,
  userName: z.string().min(1),
  displayName: z.string().min(1),
  externalId: z.string().optional(),
  active: z.boolean().default(true),
  /** Home division name; default Home. */
  division: z.string().optional(),
  grants: z.array(roleGrant).default([]),
});

const fixtureOrg = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'org ids are lower-case slugs'),
  name: z.string(),
  /** The role every new user gets in the Home division; omit for none. */
  defaultRole: z.string().optional(),
  clients: z
    .array(
      z.strictObject({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        name: z.string().optional(),
        /** The OAuth client's roles (its tokens may do what they permit); none: every permission-checked call 403s. */
        roles: z.array(roleGrant).default([]),
      }),
    )
    .min(1),
  divisions: z
    .array(
      z.strictObject({
        id: uuid,
        name: z.string().min(1),
        home: z.boolean().optional(),
        description: z.string().optional(),
      }),
    )
    .min(1),
  roles: z.array(
    z.strictObject({
      id: uuid,
      name: z.string().min(1),
      description: z.string().optional(),
      default: z.boolean().optional(),
      permissions: z.array(permissionString).optional(),
      /** The license id the role implies (e.g. `cloudCX1`); omit for none. */
      license: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9]*$/, 'a license id such as cloudCX1')
        .optional(),
    }),
  ),
  /** When listed, SCIM routingSkills / routingLanguages must use these names; when absent any name is accepted. */
  skills: z.array(routingEntity).optional(),
  languages: z.array(routingEntity).optional(),
  /** Routing queues; `division` is a division name (default Home). */
  queues: z.array(z.strictObject({ id: uuid, name: z.string().min(1), division: z.string().optional() })).optional(),
  users: z.array(fixtureUser).default([]),
});

export const orgsFixtureSchema = z.strictObject({ orgs: z.array(fixtureOrg).min(1) }).superRefine((fixture, ctx) => {
  const clientIds = new Set<string>();
  for (const org of fixture.orgs) {
    const homes = org.divisions.filter((d) => d.home);
    if (homes.length !== 1) ctx.addIssue({ code: 'custom', message: `org ${org.id} needs exactly one home division` });
    for (const c of org.clients) {
      if (clientIds.has(c.clientId)) ctx.addIssue({ code: 'custom', message: `client id ${c.clientId} is used twice` });
      clientIds.add(c.clientId);
    }
    const roleNames = new Set(org.roles.map((r) => r.name));
    const divisionNames = new Set(org.divisions.map((d) => d.name));
    if (roleNames.size !== org.roles.length)
      ctx.addIssue({ code: 'custom', message: `org ${org.id}: role names must be unique` });
    if (divisionNames.size !== org.divisions.length)
      ctx.addIssue({ code: 'custom', message: `org ${org.id}: division names must be unique` });
    for (const kind of ['skills', 'languages', 'queues'] as const) {
      const names = (org[kind] ?? []).map((e) => e.name);
      if (new Set(names).size !== names.length)
        ctx.addIssue({ code: 'custom', message: `org ${org.id}: ${kind} names must be unique` });
    }
    for (const q of org.queues ?? [])
      if (q.division && !divisionNames.has(q.division))
        ctx.addIssue({ code: 'custom', message: `queue ${q.name}: unknown division ${q.division}` });
    if (org.defaultRole && !roleNames.has(org.defaultRole))
      ctx.addIssue({ code: 'custom', message: `org ${org.id}: unknown default role ${org.defaultRole}` });
    const checkGrant = (who: string, g: { role: string; division: string }): void => {
      if (!roleNames.has(g.role)) ctx.addIssue({ code: 'custom', message: `${who}: unknown role ${g.role}` });
      if (g.division !== '*' && !divisionNames.has(g.division))
        ctx.addIssue({ code: 'custom', message: `${who}: unknown division ${g.division}` });
    };
    for (const c of org.clients) for (const g of c.roles) checkGrant(`client ${c.clientId}`, g);
    for (const u of org.users) {
      if (u.division && !divisionNames.has(u.division))
        ctx.addIssue({ code: 'custom', message: `user ${u.userName}: unknown division ${u.division}` });
      for (const g of u.grants) checkGrant(`user ${u.userName}`, g);
    }
  }
});

export type OrgsFixture = z.input<typeof orgsFixtureSchema>;
export type ParsedOrgsFixture = z.output<typeof orgsFixtureSchema>;
export type FixtureOrg = ParsedOrgsFixture['orgs'][number];

export const DEFAULT_FIXTURE_PATH = path.join(__dirname, 'fixtures', 'orgs.json');

export function loadFixture(source: OrgsFixture | string | undefined): ParsedOrgsFixture {
  const raw: unknown =
    typeof source === 'object' ? source : JSON.parse(readFileSync(source ?? DEFAULT_FIXTURE_PATH, 'utf8'));
  const parsed = orgsFixtureSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid Genesys emulator fixture:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
