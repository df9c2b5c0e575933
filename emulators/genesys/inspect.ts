// Read-only views of an org for tests and reports (also served at GET /__emulator/orgs/:orgId/state).
import { permissionsOfClient } from './client-roles';
import { loginsOfOrg } from './logins';
import { ALL_DIVISIONS, ALL_DIVISIONS_NAME, type OrgStore, type StoredUser } from './store';
import type { InspectedUser, OrgInspection } from './types';

function inspectUser(org: OrgStore, u: StoredUser): InspectedUser {
  const home = org.divisionById(u.homeDivisionId) ?? org.homeDivision();
  return {
    id: u.id,
    userName: u.userName,
    displayName: u.displayName,
    ...(u.externalId !== undefined ? { externalId: u.externalId } : {}),
    active: u.state === 'active',
    deleted: u.state === 'deleted',
    state: u.state,
    version: u.version,
    homeDivision: { id: home.id, name: home.name },
    grants: u.grants.map((g) => ({
      roleId: g.roleId,
      roleName: org.roleById(g.roleId)?.name ?? '',
      divisionId: g.divisionId,
      divisionName: g.divisionId === ALL_DIVISIONS ? ALL_DIVISIONS_NAME : (org.divisionById(g.divisionId)?.name ?? ''),
    })),
    routingSkills: u.routingSkills.map((s) => ({ ...s })),
    routingLanguages: u.routingLanguages.map((s) => ({ ...s })),
    queues: org.queues.filter((q) => q.memberIds.includes(u.id)).map((q) => q.name),
    createdAt: u.createdAt,
    ...(u.deletedAt !== undefined ? { deletedAt: u.deletedAt } : {}),
  };
}

export function inspectOrg(org: OrgStore): OrgInspection {
  return {
    orgId: org.id,
    users: [...org.users.values()].map((u) => inspectUser(org, u)),
    clients: org.clients.map((c) => ({
      clientId: c.clientId,
      ...(c.name !== undefined ? { name: c.name } : {}),
      roles: (c.roleDivisions ?? []).map((g) => ({
        roleId: g.roleId,
        roleName: org.roleById(g.roleId)?.name ?? '',
        divisionId: g.divisionId,
      })),
      permissions: permissionsOfClient(org, c),
    })),
    roles: org.roles.map((r) => ({
      id: r.id,
      name: r.name,
      default: r.isDefault,
      ...(r.licenseId !== undefined ? { license: r.licenseId } : {}),
    })),
    divisions: org.divisions.map((d) => ({ id: d.id, name: d.name, home: d.home })),
    ...(org.skills ? { skills: org.skills.map((e) => ({ id: e.id, name: e.name })) } : {}),
    ...(org.languages ? { languages: org.languages.map((e) => ({ id: e.id, name: e.name })) } : {}),
    queues: org.queues.map((q) => ({
      id: q.id,
      name: q.name,
      divisionName: (org.divisionById(q.divisionId) ?? org.homeDivision()).name,
      memberIds: [...q.memberIds],
    })),
    logins: loginsOfOrg(org),
  };
}
