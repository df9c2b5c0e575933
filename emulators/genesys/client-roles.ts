// What an OAuth client may do: the union of the permissions of the roles it holds (OAuthClient.roleDivisions).
// Divisions are not looked at: a permission held in any division counts everywhere (README: division-aware
// checks are not emulated). Also the controls that change a client's roles, and roles' policy view.
import { randomUUID } from 'node:crypto';
import { permissionString } from './fixture';
import { PROVISIONER_PERMISSIONS, PROVISIONER_ROLE_NAME } from './permissions';
import { ALL_DIVISIONS, type OAuthClient, type OrgState, type OrgStore, type Role } from './store';

function clientOrThrow(org: OrgStore, clientId: string): OAuthClient {
  const client = org.client(clientId);
  if (!client) throw new Error(`no client ${clientId} in org ${org.id}`);
  return client;
}

/** The client's permissions, each once, sorted. Read on every request, so a change applies at once. */
export function permissionsOfClient(org: OrgStore, client: OAuthClient): string[] {
  const held = new Set<string>();
  for (const g of client.roleDivisions ?? []) for (const p of org.roleById(g.roleId)?.permissions ?? []) held.add(p);
  return [...held].sort();
}

export function clientPermissions(org: OrgStore, clientId: string): string[] {
  return permissionsOfClient(org, clientOrThrow(org, clientId));
}

/**
 * Replaces what the client may do: it then holds exactly one role, "Restricted (<clientId>)" in all divisions,
 * with exactly these permissions (an admin trimming the provisioner's role mid-season). The role is an ordinary
 * role of the org (it is listed like any other); calling again rewrites its permissions.
 */
export function setClientPermissions(org: OrgStore, clientId: string, permissions: readonly string[]): void {
  const client = clientOrThrow(org, clientId);
  const invalid = permissions.filter((p) => !permissionString.safeParse(p).success);
  if (invalid.length > 0) throw new Error(`invalid permission(s) ${invalid.join(', ')}: must be domain:entity:action`);
  const name = `Restricted (${clientId})`;
  const role: Role = org.roleByName(name) ?? org.addRole(name);
  role.description = `Permissions set with setClientPermissions for OAuth client ${clientId}`;
  role.permissions = [...new Set(permissions)];
  client.roleDivisions = [{ roleId: role.id, divisionId: ALL_DIVISIONS }];
}

/**
 * State files written before permissions were emulated have clients without roles: they get the Seasonal
 * Provisioner role (created with the fixture's permissions if the org has none), in all divisions, so an
 * emulator restarted on an old state file keeps serving the product instead of answering 403 to everything.
 */
export function migrateLegacyClients(state: OrgState): void {
  for (const client of state.clients) {
    if (client.roleDivisions) continue;
    let role = state.roles.find((r) => r.name === PROVISIONER_ROLE_NAME);
    if (!role) {
      role = {
        id: randomUUID(),
        name: PROVISIONER_ROLE_NAME,
        isDefault: false,
        permissions: [...PROVISIONER_PERMISSIONS],
      };
      state.roles.push(role);
    }
    client.roleDivisions = [{ roleId: role.id, divisionId: ALL_DIVISIONS }];
  }
}

/** DomainPermissionPolicy view of a role's permissions: one policy per domain and entity, its actions listed. */
export function permissionPolicies(
  permissions: readonly string[],
): Array<{ domain: string; entityName: string; actionSet: string[]; allowConditions: boolean }> {
  const byEntity = new Map<
    string,
    { domain: string; entityName: string; actionSet: string[]; allowConditions: boolean }
  >();
  for (const p of permissions) {
    const [domain, entityName, action] = p.split(':');
    // One-word legacy permissions (`admin`) have no domain/entity/action: they are in `permissions` only.
    if (action === undefined) continue;
    const key = `${domain}:${entityName}`;
    const policy = byEntity.get(key) ?? { domain, entityName, actionSet: [], allowConditions: false };
    if (!policy.actionSet.includes(action)) policy.actionSet.push(action);
    byEntity.set(key, policy);
  }
  return [...byEntity.values()];
}
