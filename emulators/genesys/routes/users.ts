// The platform Users API, only as far as finding and restoring a deleted user goes (what the Terraform provider's
// genesyscloud_user does when a create meets a deleted user's email): POST /api/v2/users/search and
// PATCH /api/v2/users/{userId} {state, version}. Errors use the platform ErrorBody.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type EmulatorContext, requestOrg } from '../context';
import { badRequest, notFound, PlatformError } from '../errors';
import type { OrgStore, StoredUser, UserState } from '../store';
import { parseOr400 } from './authorization';

const MAX_SEARCH_PAGE_SIZE = 100;
const SEARCH_FIELDS = ['email', 'username', 'state', 'id'] as const;
type SearchField = (typeof SEARCH_FIELDS)[number];
const STATES = ['active', 'inactive', 'deleted'] as const;

/** UserSearchCriteria as the SDK models it; only EXACT on a few fields is emulated (anything else is 400). */
const criterionSchema = z.object({
  type: z.string(),
  fields: z.array(z.string()).optional(),
  value: z.string().optional(),
  values: z.array(z.string()).optional(),
  operator: z.string().optional(),
  group: z.array(z.unknown()).optional(),
  startValue: z.string().optional(),
  endValue: z.string().optional(),
  dateFormat: z.string().optional(),
});

const searchBody = z.object({
  query: z.array(criterionSchema).optional(),
  pageSize: z.number().int().min(1).max(MAX_SEARCH_PAGE_SIZE).optional(),
  pageNumber: z.number().int().min(1).optional(),
  sortOrder: z.string().optional(),
  sortBy: z.string().optional(),
  expand: z.array(z.string()).optional(),
  enforcePermissions: z.boolean().optional(),
});

/** UpdateUser: `version` is required; only `state` is emulated among the fields it may change. */
const patchBody = z.strictObject({
  version: z.number().int(),
  state: z.enum(STATES).optional(),
  id: z.string().optional(),
});

interface Criterion {
  fields: SearchField[];
  values: string[];
}

function toCriterion(raw: z.infer<typeof criterionSchema>): Criterion {
  if (raw.type !== 'EXACT') throw badRequest(`Search criteria type ${raw.type} is not emulated; only EXACT`);
  if (raw.group !== undefined || raw.operator !== undefined || raw.startValue !== undefined)
    throw badRequest('Grouped, operator and range criteria are not emulated');
  const fields = raw.fields ?? [];
  if (fields.length === 0) throw badRequest('A search criterion needs fields');
  for (const f of fields)
    if (!SEARCH_FIELDS.includes(f as SearchField))
      throw badRequest(`Searching on ${f} is not emulated; only ${SEARCH_FIELDS.join(', ')}`);
  const values = raw.values ?? (raw.value !== undefined ? [raw.value] : []);
  if (values.length === 0) throw badRequest('A search criterion needs value or values');
  return { fields: fields as SearchField[], values };
}

function fieldMatches(user: StoredUser, field: SearchField, value: string): boolean {
  switch (field) {
    case 'email':
    case 'username':
      // userName is the user's email at Genesys (SCIM field mappings); compared case-insensitively.
      return user.userName.toLowerCase() === value.toLowerCase();
    case 'state':
      return user.state === value;
    case 'id':
      return user.id === value;
  }
}

/** The User model, with the fields a restore needs (id, state, version, division) and a few common ones. */
export function renderUser(org: OrgStore, user: StoredUser) {
  const division = org.divisionById(user.homeDivisionId) ?? org.homeDivision();
  return {
    id: user.id,
    name: user.displayName,
    division: { id: division.id, name: division.name, selfUri: `/api/v2/authorization/divisions/${division.id}` },
    email: user.userName,
    username: user.userName,
    state: user.state,
    version: user.version,
    acdAutoAnswer: false,
    selfUri: `/api/v2/users/${user.id}`,
  };
}

export function registerUserRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post('/api/v2/users/search', async (request) => {
    const org = requestOrg(ctx, request);
    const body = parseOr400(searchBody, request.body ?? {}, 'user search request');
    const criteria = (body.query ?? []).map(toCriterion);
    // Without a state criterion, deleted users are not searched (they "no longer appear in directory search").
    const statesAsked = criteria.some((c) => c.fields.includes('state'));
    const pageSize = body.pageSize ?? 25;
    const pageNumber = body.pageNumber ?? 1;
    // Search reads the index, which lags (searchLagMs): the users are returned as the index knows them.
    const matches = org
      .searchable()
      .filter((u) => (statesAsked || u.state !== 'deleted') && criteria.every((c) => matchesCriterion(u, c)));
    return {
      total: matches.length,
      pageCount: Math.ceil(matches.length / pageSize),
      pageSize,
      pageNumber,
      types: ['users'],
      results: matches.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((u) => renderUser(org, u)),
    };
  });

  app.patch<{ Params: { userId: string } }>('/api/v2/users/:userId', async (request) => {
    const org = requestOrg(ctx, request);
    const body = parseOr400(patchBody, request.body, 'user update');
    const user = org.users.get(request.params.userId);
    if (!user) throw notFound();
    if (body.version !== user.version)
      throw new PlatformError(409, 'general.conflict', 'Resource conflict - Unexpected version was provided');
    if (body.state !== undefined && body.state !== user.state) changeState(ctx, org, user, body.state);
    return renderUser(org, user);
  });
}

function matchesCriterion(user: StoredUser, c: Criterion): boolean {
  return c.fields.some((f) => c.values.some((v) => fieldMatches(user, f, v)));
}

/** Restore (deleted → active) and active ↔ inactive; deleting goes through DELETE (not emulated here). */
function changeState(ctx: EmulatorContext, org: OrgStore, user: StoredUser, state: UserState): void {
  if (state === 'deleted') throw badRequest('Deleting a user through PATCH is not emulated; use DELETE');
  if (user.state === 'deleted') {
    if (state !== 'active') throw badRequest('A deleted user can only be restored to active');
    const holder = org.liveUserByName(user.userName);
    if (holder) throw new PlatformError(409, 'general.conflict', 'The email address is in use by another user');
    // The restore FAQ: active again, in the Home division, permissions not reassigned.
    org.undelete(user);
    return;
  }
  user.state = state;
  if (state === 'inactive' && ctx.settings.deactivationRemovesGrants) user.grants = [];
  org.touch(user);
}
