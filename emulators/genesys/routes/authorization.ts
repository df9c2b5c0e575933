// The Authorization API: roles, divisions, a user's grants, bulk grant changes and home-division moves.
// Bodies are validated with zod; errors use the platform ErrorBody.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { permissionPolicies } from '../client-roles';
import { type EmulatorContext, requestOrg } from '../context';
import { badRequest, notFound } from '../errors';
import { ALL_DIVISIONS, ALL_DIVISIONS_NAME, type Division, type OrgStore, type Role, type StoredUser } from '../store';

const MAX_PAGE_SIZE = 100;

const grantsBody = z.strictObject({
  grants: z.array(z.strictObject({ roleId: z.string().min(1), divisionId: z.string().min(1) })),
});
const objectIdsBody = z.array(z.string().min(1)).min(1);

export const pageQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
  pageNumber: z.coerce.number().int().min(1).default(1),
  name: z.string().optional(),
});

export function parseOr400<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw badRequest(`Invalid ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** `id` filters arrive as ?id=a&id=b (Genesys) or ?id[]=a&id[]=b (axios's default array format). */
export function idFilter(query: Record<string, unknown>): string[] | undefined {
  const raw = query.id ?? query['id[]'];
  if (raw === undefined) return undefined;
  return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
}

export function listing<T>(items: T[], pageSize: number, pageNumber: number, path: string) {
  const total = items.length;
  const pageCount = Math.ceil(total / pageSize);
  const uri = (n: number): string => `${path}?pageSize=${pageSize}&pageNumber=${n}`;
  return {
    entities: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    pageSize,
    pageNumber,
    total,
    pageCount,
    firstUri: uri(1),
    lastUri: uri(Math.max(1, pageCount)),
    selfUri: uri(pageNumber),
    ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
    ...(pageNumber > 1 ? { previousUri: uri(pageNumber - 1) } : {}),
  };
}

function renderDivision(d: Division) {
  return {
    id: d.id,
    name: d.name,
    description: d.description ?? '',
    homeDivision: d.home,
    selfUri: `/api/v2/authorization/divisions/${d.id}`,
  };
}

function renderRole(org: OrgStore, r: Role, withUserCount: boolean) {
  const userCount = [...org.users.values()].filter(
    (u) => u.state !== 'deleted' && u.grants.some((g) => g.roleId === r.id),
  ).length;
  return {
    id: r.id,
    name: r.name,
    description: r.description ?? '',
    default: r.isDefault,
    base: false,
    // DomainOrganizationRole carries both views of the same grants: the strings and the policies they group into.
    permissions: [...(r.permissions ?? [])],
    permissionPolicies: permissionPolicies(r.permissions ?? []),
    ...(withUserCount ? { userCount } : {}),
    selfUri: `/api/v2/authorization/roles/${r.id}`,
  };
}

/** The grant's division in AuthzGrant shape; `*` is returned as stored (see README). */
function grantDivision(org: OrgStore, divisionId: string) {
  if (divisionId === ALL_DIVISIONS) return { id: ALL_DIVISIONS, name: ALL_DIVISIONS_NAME, homeDivision: false };
  const d = org.divisionById(divisionId);
  return d ? renderDivision(d) : { id: divisionId, name: '', homeDivision: false };
}

function renderSubject(org: OrgStore, user: StoredUser) {
  return {
    id: user.id,
    name: user.displayName,
    grants: user.grants.map((g) => {
      const role = org.roleById(g.roleId);
      return {
        subjectId: user.id,
        division: grantDivision(org, g.divisionId),
        role: {
          id: g.roleId,
          name: role?.name ?? '',
          description: role?.description ?? '',
          default: role?.isDefault ?? false,
          selfUri: `/api/v2/authorization/roles/${g.roleId}`,
        },
        grantMadeAt: g.grantedAt,
      };
    }),
    version: user.version,
    selfUri: `/api/v2/authorization/subjects/${user.id}`,
  };
}

/**
 * A live user, or 404. Right after creation (or a revival/restore) the real API may 404 on authorization calls
 * (Terraform retries them on 404 for up to 30 s after a create); `newUserNotFoundMs` reproduces that window.
 */
function subjectOr404(ctx: EmulatorContext, org: OrgStore, userId: string): StoredUser {
  const user = org.liveUser(userId);
  if (!user || org.isNew(user, ctx.settings.newUserNotFoundMs)) throw notFound();
  return user;
}

function checkSubjectType(request: FastifyRequest): void {
  const subjectType = (request.query as Record<string, unknown>).subjectType;
  if (subjectType === undefined || subjectType === 'PC_USER') return;
  if (subjectType === 'PC_GROUP' || subjectType === 'PC_OAUTH_CLIENT')
    throw badRequest(`subjectType ${subjectType} is not emulated; only PC_USER`);
  throw badRequest(`subjectType must be PC_USER, PC_GROUP or PC_OAUTH_CLIENT`);
}

/** Resolves every pair first, so one unknown role or division rejects the whole request (nothing applied). */
function resolveGrants(org: OrgStore, raw: unknown): Array<{ roleId: string; divisionId: string }> {
  const body = parseOr400(grantsBody, raw, 'grants body');
  for (const g of body.grants) {
    if (!org.roleById(g.roleId)) throw notFound();
    if (g.divisionId !== ALL_DIVISIONS && !org.divisionById(g.divisionId)) throw notFound();
  }
  return body.grants;
}

type SubjectParams = { subjectId: string };
type SingleGrantParams = { subjectId: string; divisionId: string; roleId: string };

export function registerAuthorizationRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get('/api/v2/authorization/roles', async (request) => {
    const org = requestOrg(ctx, request);
    const query = request.query as Record<string, unknown>;
    const { pageSize, pageNumber, name } = parseOr400(pageQuery, query, 'query');
    const ids = idFilter(query);
    // `name` semantics are undocumented; a case-insensitive substring ("Agent" finds "Voice Agent") is the
    // stricter reading: callers must still pick the exact name themselves.
    const roles = org.roles.filter(
      (r) => (!name || r.name.toLowerCase().includes(name.toLowerCase())) && (!ids || ids.includes(r.id)),
    );
    const withUserCount = query.userCount !== 'false';
    return listing(
      roles.map((r) => renderRole(org, r, withUserCount)),
      pageSize,
      pageNumber,
      '/api/v2/authorization/roles',
    );
  });

  app.get<{ Params: { roleId: string } }>('/api/v2/authorization/roles/:roleId', async (request) => {
    const org = requestOrg(ctx, request);
    const role = org.roleById(request.params.roleId);
    if (!role) throw notFound();
    return renderRole(org, role, true);
  });

  app.get('/api/v2/authorization/divisions', async (request) => {
    const org = requestOrg(ctx, request);
    const query = request.query as Record<string, unknown>;
    const { pageSize, pageNumber, name } = parseOr400(pageQuery, query, 'query');
    const ids = idFilter(query);
    const divisions = org.divisions.filter(
      (d) => (!name || d.name.toLowerCase().includes(name.toLowerCase())) && (!ids || ids.includes(d.id)),
    );
    return listing(divisions.map(renderDivision), pageSize, pageNumber, '/api/v2/authorization/divisions');
  });

  app.get('/api/v2/authorization/divisions/home', async (request) =>
    renderDivision(requestOrg(ctx, request).homeDivision()),
  );

  app.get<{ Params: { divisionId: string } }>('/api/v2/authorization/divisions/:divisionId', async (request) => {
    const org = requestOrg(ctx, request);
    const division = org.divisionById(request.params.divisionId);
    if (!division) throw notFound();
    return renderDivision(division);
  });

  app.get<{ Params: SubjectParams }>('/api/v2/authorization/subjects/:subjectId', async (request) => {
    const org = requestOrg(ctx, request);
    return renderSubject(org, subjectOr404(ctx, org, request.params.subjectId));
  });

  app.post<{ Params: SubjectParams }>('/api/v2/authorization/subjects/:subjectId/bulkadd', async (request, reply) => {
    checkSubjectType(request);
    const org = requestOrg(ctx, request);
    const user = subjectOr404(ctx, org, request.params.subjectId);
    const grants = resolveGrants(org, request.body);
    let changed = false;
    for (const g of grants) changed = org.grant(user, g.roleId, g.divisionId) || changed;
    if (changed) org.touch(user);
    return reply.code(204).send();
  });

  app.post<{ Params: SubjectParams }>(
    '/api/v2/authorization/subjects/:subjectId/bulkremove',
    async (request, reply) => {
      // The official SDK's postAuthorizationSubjectBulkremove has no subjectType parameter: none is read.
      const org = requestOrg(ctx, request);
      const user = subjectOr404(ctx, org, request.params.subjectId);
      const grants = resolveGrants(org, request.body);
      let changed = false;
      for (const g of grants) changed = org.revoke(user, g.roleId, g.divisionId) || changed;
      if (changed) org.touch(user);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: SubjectParams }>(
    '/api/v2/authorization/subjects/:subjectId/bulkreplace',
    async (request, reply) => {
      checkSubjectType(request);
      const org = requestOrg(ctx, request);
      const user = subjectOr404(ctx, org, request.params.subjectId);
      const grants = resolveGrants(org, request.body);
      const keep = user.grants.filter((held) =>
        grants.some((g) => g.roleId === held.roleId && g.divisionId === held.divisionId),
      );
      const before = user.grants.length;
      user.grants = keep;
      let changed = keep.length !== before;
      for (const g of grants) changed = org.grant(user, g.roleId, g.divisionId) || changed;
      if (changed) org.touch(user);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: SingleGrantParams }>(
    '/api/v2/authorization/subjects/:subjectId/divisions/:divisionId/roles/:roleId',
    async (request, reply) => {
      checkSubjectType(request);
      const org = requestOrg(ctx, request);
      const user = subjectOr404(ctx, org, request.params.subjectId);
      const [g] = resolveGrants(org, {
        grants: [{ roleId: request.params.roleId, divisionId: request.params.divisionId }],
      });
      if (org.grant(user, g.roleId, g.divisionId)) org.touch(user);
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: SingleGrantParams }>(
    '/api/v2/authorization/subjects/:subjectId/divisions/:divisionId/roles/:roleId',
    async (request, reply) => {
      checkSubjectType(request);
      const org = requestOrg(ctx, request);
      const user = subjectOr404(ctx, org, request.params.subjectId);
      const [g] = resolveGrants(org, {
        grants: [{ roleId: request.params.roleId, divisionId: request.params.divisionId }],
      });
      if (org.revoke(user, g.roleId, g.divisionId)) org.touch(user);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { divisionId: string; objectType: string } }>(
    '/api/v2/authorization/divisions/:divisionId/objects/:objectType',
    async (request, reply) => {
      const org = requestOrg(ctx, request);
      if (request.params.objectType !== 'USER')
        throw badRequest(`objectType ${request.params.objectType} is not emulated; only USER`);
      const division = org.divisionById(request.params.divisionId);
      if (!division) throw notFound();
      const ids = parseOr400(objectIdsBody, request.body, 'object id list');
      const users = ids.map((id) => subjectOr404(ctx, org, id));
      for (const user of users) {
        if (user.homeDivisionId === division.id) continue;
        user.homeDivisionId = division.id;
        org.touch(user);
      }
      return reply.code(204).send();
    },
  );
}
