// SCIM 2.0 users as Genesys serves them under /api/v2/scim/v2/users.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scimPatch, ScimError as ScimPatchLibraryError, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import { type EmulatorContext, requestBaseUrl, requestOrg } from '../context';
import { PlatformError, ScimError, type ScimType } from '../errors';
import type { OrgStore, StoredUser } from '../store';
import { matchesUserFilter, parseUserFilter } from '../scim/filter';
import { carriesExpensiveAttributes, listParam, project } from '../scim/projection';
import { etag, type JsonObject, renderScimUser, roleNames } from '../scim/render';
import { parsePatchBody, parseUserBody } from '../scim/schemas';
import { LIST_RESPONSE } from '../scim/urns';
import { createUser, replaceUser } from '../scim/user-writes';

const SCIM_JSON = 'application/scim+json; charset=utf-8';
/** Genesys warns that pages above 25 carrying the secondary attributes "may" 429; the emulator always does. */
const MAX_RICH_PAGE = 25;

type UserParams = { userId: string };

function liveUserOr404(org: OrgStore, userId: string): StoredUser {
  const user = org.liveUser(userId);
  if (!user) throw new ScimError(404, undefined, 'The requested resource was not found.');
  return user;
}

/** If-Match is optional; when sent it must name the current version ("3", 3, W/"3" or *). */
function checkIfMatch(ctx: EmulatorContext, request: FastifyRequest, user: StoredUser): void {
  const header = request.headers['if-match'];
  if (header === undefined || header === '') return;
  const wanted = header.split(',').map((v) => v.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
  if (wanted.includes('*') || wanted.includes(String(user.version))) return;
  throw new ScimError(ctx.settings.versionMismatchStatus, 'invalidVers', 'Version does not match current version.');
}

function sendUser(
  reply: FastifyReply,
  request: FastifyRequest,
  org: OrgStore,
  user: StoredUser,
  status: number,
): FastifyReply {
  reply.code(status).header('etag', etag(user)).type(SCIM_JSON);
  return reply.send(renderScimUser(org, user, requestBaseUrl(request)));
}

function integerParam(raw: unknown, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n))
    throw new ScimError(400, 'invalidValue', `${name} must be an integer`);
  return n;
}

/** Applies PATCH operations with scim-patch to the user as rendered, then treats the result as a replace. */
function patchUser(ctx: EmulatorContext, org: OrgStore, user: StoredUser, rawBody: unknown, baseUrl: string): void {
  const operations = parsePatchBody(rawBody);
  const before = renderScimUser(org, user, baseUrl);
  let after: JsonObject;
  try {
    const resource = before as unknown as ScimResource;
    after = scimPatch(resource, operations as ScimPatchOperation[], { mutateDocument: false }) as unknown as JsonObject;
  } catch (err) {
    if (err instanceof ScimPatchLibraryError)
      throw new ScimError(400, (err.scimCode as ScimType | undefined) ?? 'invalidSyntax', err.message);
    throw err;
  }
  if (JSON.stringify(after.groups) !== JSON.stringify(before.groups))
    throw new ScimError(400, 'mutability', 'groups is read-only on users; use the Groups endpoints');
  if (JSON.stringify(after.meta) !== JSON.stringify(before.meta))
    throw new ScimError(400, 'mutability', 'meta is read-only');
  const body = parseUserBody(after);
  const rolesBefore = roleNames(org, user).sort();
  const rolesAfter = (body.roles ?? []).map((r) => r.value).sort();
  const rolesChanged = JSON.stringify(rolesBefore) !== JSON.stringify(rolesAfter);
  replaceUser(org, user, body, rolesChanged, { deactivationRemovesGrants: ctx.settings.deactivationRemovesGrants });
}

export function registerScimUserRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const base = '/api/v2/scim/v2/users';

  app.post(base, async (request, reply) => {
    const org = requestOrg(ctx, request);
    const user = createUser(org, parseUserBody(request.body), ctx.settings.rehire);
    reply.header('location', `${requestBaseUrl(request)}${base}/${user.id}`);
    return sendUser(reply, request, org, user, 201);
  });

  app.get<{ Params: UserParams }>(`${base}/:userId`, async (request, reply) => {
    const org = requestOrg(ctx, request);
    const user = liveUserOr404(org, request.params.userId);
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch !== undefined && ifNoneMatch.replace(/^W\//, '').replace(/^"|"$/g, '') === String(user.version)) {
      return reply.code(304).header('etag', etag(user)).send();
    }
    const query = request.query as Record<string, unknown>;
    const rendered = renderScimUser(org, user, requestBaseUrl(request));
    return reply
      .code(200)
      .header('etag', etag(user))
      .type(SCIM_JSON)
      .send(project(rendered, listParam(query.attributes), listParam(query.excludedAttributes)));
  });

  app.get(base, async (request, reply) => {
    const org = requestOrg(ctx, request);
    const query = request.query as Record<string, unknown>;
    const startIndex = Math.max(1, integerParam(query.startIndex, 'startIndex', 1));
    const count = Math.max(0, integerParam(query.count, 'count', 25));
    const attributes = listParam(query.attributes);
    const excluded = listParam(query.excludedAttributes);
    if (count > MAX_RICH_PAGE && carriesExpensiveAttributes(attributes, excluded)) {
      throw new PlatformError(
        429,
        'too.many.requests',
        `Pages above ${MAX_RICH_PAGE} exceed internal resource limits; lower count or exclude externalId, roles, routingSkills and routingLanguages`,
        { 'retry-after': '1' },
      );
    }
    const rawFilter = typeof query.filter === 'string' ? query.filter : undefined;
    if (query.filter !== undefined && rawFilter === undefined)
      throw new ScimError(400, 'invalidFilter', 'filter must be given once');
    const filter = rawFilter !== undefined && rawFilter.trim() !== '' ? parseUserFilter(rawFilter) : undefined;
    // Documented: with no filter only ACTIVE users are listed. A filter that does not mention `active` is
    // read as searching active and inactive users (Entra/Okta look users up by userName before creating).
    // Lists come from the search index, which lags (searchLagMs): a user just created is not listed yet, one just
    // deleted still is, as it was.
    const matches = org.searchable().filter((u) => {
      if (u.state === 'deleted') return false;
      if (!filter) return u.state === 'active';
      return matchesUserFilter(org, u, filter);
    });
    const page = matches.slice(startIndex - 1, startIndex - 1 + count);
    const baseUrl = requestBaseUrl(request);
    return reply
      .code(200)
      .type(SCIM_JSON)
      .send({
        schemas: [LIST_RESPONSE],
        totalResults: matches.length,
        startIndex,
        itemsPerPage: page.length,
        Resources: page.map((u) => project(renderScimUser(org, u, baseUrl), attributes, excluded)),
      });
  });

  app.put<{ Params: UserParams }>(`${base}/:userId`, async (request, reply) => {
    const org = requestOrg(ctx, request);
    const user = liveUserOr404(org, request.params.userId);
    checkIfMatch(ctx, request, user);
    replaceUser(org, user, parseUserBody(request.body), true, {
      deactivationRemovesGrants: ctx.settings.deactivationRemovesGrants,
    });
    return sendUser(reply, request, org, user, 200);
  });

  app.patch<{ Params: UserParams }>(`${base}/:userId`, async (request, reply) => {
    const org = requestOrg(ctx, request);
    const user = liveUserOr404(org, request.params.userId);
    checkIfMatch(ctx, request, user);
    patchUser(ctx, org, user, request.body, requestBaseUrl(request));
    return sendUser(reply, request, org, user, 200);
  });

  app.delete<{ Params: UserParams }>(`${base}/:userId`, async (request, reply) => {
    const org = requestOrg(ctx, request);
    const user = liveUserOr404(org, request.params.userId);
    checkIfMatch(ctx, request, user);
    org.softDelete(user);
    return reply.code(204).send();
  });
}
