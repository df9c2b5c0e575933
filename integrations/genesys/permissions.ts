// The one table of the Genesys calls the product makes and the permission each needs. Every public method of
// GenesysClient has a row (the type says so), so a new call cannot ship without its permission. From it come:
// the minimal role of the OAuth client (README's go-live guide), `season doctor`'s and `preflight`'s permission
// checks (a missing permission is named before any write, with the config key that needs it), and the reason an
// agent parks with when Genesys answers 403 mid-season.
//
// Permissions are as Genesys's platform API documents them per operation ("Requires ANY permissions" in the
// official SDKs' docs, generated from the API's swagger): emulators/genesys/README.md lists the sources. Where an
// operation accepts any of several permissions, the row names the one that is the call's purpose (a SCIM create
// lists directory:user:add, routing:skill:assign, …: the user, and the skills and languages on its body). Where the
// docs changed over time (SCIM reads once needed directory:user:view), the row keeps the stricter reading.
import type { SeasonMapping } from '../../domain/mapping';
import type { GenesysClient } from './client';

/** What in a season's config makes the product make a call: the config key an admin sees. */
export type PermissionUse = 'users' | 'roles' | 'skills' | 'languages' | 'queues' | 'checks' | 'billing';

/** Where each use comes from, in the words of the season file (for "`queues:` needs …"). */
export const USE_CONFIG_KEYS: Record<PermissionUse, string> = {
  users: 'every season (agents are created, deactivated, deleted and rehired)',
  roles: 'mapping `roles:`',
  skills: 'mapping `skills:`',
  languages: 'mapping `languages:`',
  queues: 'mapping `queues:`',
  checks: '`season doctor` and `preflight` (reading the OAuth client’s own roles)',
  billing: '`billing:` of the org (the season report’s licenses)',
};

export interface CallPermission {
  /** METHOD and path template, as GenesysApiError.operation names it. */
  operation: string;
  /** The permission the product holds for it; null: Genesys lists none. */
  permission: string | null;
  use: PermissionUse;
}

/** Public methods of GenesysClient (each exactly one API request, or one per kind/variant listed in its row). */
type GenesysCallName = {
  [K in keyof GenesysClient]: GenesysClient[K] extends (...args: never[]) => unknown ? K : never;
}[keyof GenesysClient];

const SCIM_USERS = '/api/v2/scim/v2/users';
const SCIM_USER = '/api/v2/scim/v2/users/{userId}';
const SUBJECT = '/api/v2/authorization/subjects/{subjectId}';
const QUEUE_MEMBERS = '/api/v2/routing/queues/{queueId}/members';

const row = (operation: string, permission: string | null, use: PermissionUse): CallPermission => ({
  operation,
  permission,
  use,
});

export const GENESYS_CALLS: Record<GenesysCallName, readonly CallPermission[]> = {
  findUsersByUserName: [row(`GET ${SCIM_USERS}`, 'directory:user:view', 'users')],
  findUsersByExternalId: [row(`GET ${SCIM_USERS}`, 'directory:user:view', 'users')],
  getUser: [row(`GET ${SCIM_USER}`, 'directory:user:view', 'users')],
  createUser: [
    row(`POST ${SCIM_USERS}`, 'directory:user:add', 'users'),
    // Skills and languages ride on the create's body: Genesys needs the assign permissions for them.
    row(`POST ${SCIM_USERS}`, 'routing:skill:assign', 'skills'),
    row(`POST ${SCIM_USERS}`, 'routing:language:assign', 'languages'),
  ],
  setUserActive: [row(`PATCH ${SCIM_USER}`, 'directory:user:edit', 'users')],
  deleteUser: [row(`DELETE ${SCIM_USER}`, 'directory:user:delete', 'users')],
  getUserRouting: [row(`GET ${SCIM_USER}`, 'directory:user:view', 'users')],
  setUserRouting: [
    row(`PATCH ${SCIM_USER}`, 'routing:skill:assign', 'skills'),
    row(`PATCH ${SCIM_USER}`, 'routing:language:assign', 'languages'),
  ],
  searchUsersByUserName: [row('POST /api/v2/users/search', 'directory:user:view', 'users')],
  restoreUser: [row('PATCH /api/v2/users/{userId}', 'directory:user:edit', 'users')],
  moveUsersToDivision: [
    row('POST /api/v2/authorization/divisions/{divisionId}/objects/{objectType}', 'directory:user:edit', 'users'),
  ],
  getDirectGrants: [row(`GET ${SUBJECT}`, 'authorization:grant:view', 'roles')],
  getDatedDirectGrants: [row(`GET ${SUBJECT}`, 'authorization:grant:view', 'roles')],
  addGrants: [row(`POST ${SUBJECT}/bulkadd`, 'authorization:grant:add', 'roles')],
  removeGrants: [row(`POST ${SUBJECT}/bulkremove`, 'authorization:grant:delete', 'roles')],
  listRoles: [row('GET /api/v2/authorization/roles', 'authorization:role:view', 'roles')],
  listRolesPage: [row('GET /api/v2/authorization/roles', 'authorization:role:view', 'roles')],
  listDivisions: [row('GET /api/v2/authorization/divisions', null, 'roles')],
  listDivisionsPage: [row('GET /api/v2/authorization/divisions', null, 'roles')],
  listRouting: [
    row('GET /api/v2/routing/skills', null, 'skills'),
    row('GET /api/v2/routing/languages', null, 'languages'),
    row('GET /api/v2/routing/queues', 'routing:queue:view', 'queues'),
  ],
  addQueueMembers: [row(`POST ${QUEUE_MEMBERS}`, 'routing:queueMember:manage', 'queues')],
  removeQueueMembers: [row(`POST ${QUEUE_MEMBERS}`, 'routing:queueMember:manage', 'queues')],
  listQueueMembers: [row(`GET ${QUEUE_MEMBERS}`, 'routing:queue:view', 'queues')],
  getOAuthClient: [row('GET /api/v2/oauth/clients/{clientId}', 'oauth:client:view', 'checks')],
  getRole: [row('GET /api/v2/authorization/roles/{roleId}', 'authorization:role:view', 'checks')],
  // getUsers requires NO permission (SDK docs), expanded logins included.
  usersLogins: [row('GET /api/v2/users', null, 'users')],
  // ANY authorization:grant:add or authorization:license:view: grant:add, which the client holds already to grant
  // roles, so reading licenses adds no permission to the minimal role.
  licensesOfUsers: [row('POST /api/v2/license/users', 'authorization:grant:add', 'billing')],
  // postLicenseInfer requires NO permission (SDK docs).
  inferLicenses: [row('POST /api/v2/license/infer', null, 'billing')],
};

export interface RequiredPermission {
  permission: string;
  /** The uses (config keys) that need it, in table order. */
  uses: PermissionUse[];
  /** The operations that need it. */
  operations: string[];
}

/** Every permission the given uses need, each once, in the table's order. */
export function requiredPermissions(uses: Iterable<PermissionUse> = ALL_USES): RequiredPermission[] {
  const wanted = new Set(uses);
  const out = new Map<string, RequiredPermission>();
  for (const rows of Object.values(GENESYS_CALLS))
    for (const r of rows) {
      if (r.permission === null || !wanted.has(r.use)) continue;
      const entry = out.get(r.permission) ?? { permission: r.permission, uses: [], operations: [] };
      if (!entry.uses.includes(r.use)) entry.uses.push(r.use);
      if (!entry.operations.includes(r.operation)) entry.operations.push(r.operation);
      out.set(r.permission, entry);
    }
  return [...out.values()];
}

export const ALL_USES: readonly PermissionUse[] = Object.keys(USE_CONFIG_KEYS) as PermissionUse[];

/** The permissions an operation (as GenesysApiError.operation names it) needs, any use. */
export function permissionsOf(operation: string): string[] {
  const found = new Set<string>();
  for (const rows of Object.values(GENESYS_CALLS))
    for (const r of rows) if (r.operation === operation && r.permission !== null) found.add(r.permission);
  return [...found];
}

/**
 * Whether a held permission grants the needed one. Genesys's roles hold `domain:entity:action` with `*` for the
 * entity or the action (a role's policy `entity_name = "*"`, `action_set = ["*"]`); a `*` domain is not known.
 */
export function grants(held: string, needed: string): boolean {
  const h = held.split(':');
  const n = needed.split(':');
  return h.length === n.length && h[0] === n[0] && h.every((part, i) => part === n[i] || (i > 0 && part === '*'));
}

/** The needed permissions none of the held ones grant. */
export function missingPermissions(held: Iterable<string>, needed: RequiredPermission[]): RequiredPermission[] {
  const list = [...held];
  return needed.filter((p) => !list.some((h) => grants(h, p.permission)));
}

/** The minimal role as a Markdown table (the README's go-live guide embeds exactly this). */
export function minimalRoleMarkdown(): string {
  const lines = ['| permission | needed for | calls |', '|---|---|---|'];
  for (const p of requiredPermissions())
    lines.push(
      `| \`${p.permission}\` | ${p.uses.map((u) => USE_CONFIG_KEYS[u]).join('; ')} | ${p.operations.map((o) => `\`${o}\``).join(', ')} |`,
    );
  return lines.join('\n');
}

/** The uses a season's mapping makes of Genesys: every season creates and removes users and is checked. */
export function usesOfMapping(mapping: SeasonMapping): PermissionUse[] {
  const uses: PermissionUse[] = ['users', 'checks'];
  const any = (pick: (r: SeasonMapping['rules'][number]) => unknown[] | undefined) =>
    mapping.rules.some((r) => (pick(r)?.length ?? 0) > 0);
  if (any((r) => r.roles)) uses.push('roles');
  if (any((r) => r.skills)) uses.push('skills');
  if (any((r) => r.languages)) uses.push('languages');
  if (any((r) => r.queues)) uses.push('queues');
  return uses;
}
