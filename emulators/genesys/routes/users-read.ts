// Reading platform users: GET /api/v2/users (getUsers: a page, or a bulk read by `id`) and GET /api/v2/users/{userId}
// (getUser), with the `expand`s that carry logins: `dateLastLogin` and `lasttokenissued` (User.lastTokenIssued
// {dateIssued}). List parameters are collectionFormat "multi" in swagger (`id=a&id=b`), yet the official SDK joins
// arrays with commas (ApiClient.serialize: `id=a,b`): both reach the real API, so both are read here.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type EmulatorContext, requestOrg } from '../context';
import { badRequest, notFound } from '../errors';
import { lastLogin } from '../logins';
import type { OrgStore, StoredUser } from '../store';
import { listing, parseOr400 } from './authorization';
import { renderUser } from './users';

/** Emulator's choice (the SDK docs give no maximum): like its other listings, at most 100 per page and per bulk read. */
const MAX_PAGE_SIZE = 100;
const MAX_IDS = 100;

/** getUsers' / getUser's `expand` values (SDK docs). Only the two login fields are emulated; the rest are "best effort". */
const EXPANDS = new Set([
  'routingStatus',
  'presence',
  'integrationPresence',
  'conversationSummary',
  'outOfOffice',
  'geolocation',
  'station',
  'authorization',
  'lasttokenissued',
  'authorization.unusedRoles',
  'team',
  'workPlanBidRanks',
  'externalContactsSettings',
  'groups',
  'customAttributes',
  'profileSkills',
  'certifications',
  'locations',
  'skills',
  'languages',
  'languagePreference',
  'employerInfo',
  'biography',
  'dateLastLogin',
  'dateWelcomeSent',
]);

const listQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
  pageNumber: z.coerce.number().int().min(1).default(1),
  // getUsers: ascending | descending, "default to ASC".
  sortOrder: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(['ascending', 'descending', 'asc', 'desc']))
    .default('ascending'),
  state: z.enum(['active', 'inactive', 'deleted', 'any']).default('active'),
});
/** getUser: "Search for a user with this state", active (not deleted) or deleted. */
const oneQuery = z.object({ state: z.enum(['active', 'deleted']).default('active') });

/** A list parameter's values, repeated (`id=a&id=b`) or comma-joined (`id=a,b`, as the SDK sends them). */
function multi(query: Record<string, unknown>, name: string): string[] | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(','));
  if (values.some((v) => v.trim() === '')) throw badRequest(`${name} has an empty value`);
  return values.map((v) => v.trim());
}

function expandsOf(query: Record<string, unknown>): Set<string> {
  const asked = multi(query, 'expand') ?? [];
  const unknown = asked.filter((e) => !EXPANDS.has(e));
  if (unknown.length > 0) throw badRequest(`Invalid expand value(s): ${unknown.join(', ')}`);
  return new Set(asked);
}

/**
 * The User (as `user` shows it: the index's copy for a listing), with the login expansions asked for, read from the
 * live record `live` (logins do not go through the index); present only for a user who has logged in.
 */
function renderExpanded(org: OrgStore, user: StoredUser, live: StoredUser, expand: Set<string>) {
  const last = lastLogin(live);
  return {
    ...renderUser(org, user),
    ...(expand.has('dateLastLogin') && last ? { dateLastLogin: last } : {}),
    ...(expand.has('lasttokenissued') && last ? { lastTokenIssued: { dateIssued: last } } : {}),
  };
}

export function registerUserReadRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get('/api/v2/users', async (request) => {
    const org = requestOrg(ctx, request);
    const raw = request.query as Record<string, unknown>;
    const q = parseOr400(listQuery, raw, 'users query');
    const expand = expandsOf(raw);
    const ids = multi(raw, 'id');
    if (raw.jabberId !== undefined) throw badRequest('jabberId is not emulated (and cannot be used with id)');
    if (ids && ids.length > MAX_IDS) throw badRequest(`At most ${MAX_IDS} ids per request, got ${ids.length}`);
    // A bulk read by id is current; a plain listing reads the (lagging) index like every other list.
    const pool = ids ? ids.flatMap((id) => org.users.get(id) ?? []) : org.searchable();
    const wanted = [...new Map(pool.map((u) => [u.id, u])).values()].filter(
      (u) => q.state === 'any' || u.state === q.state,
    );
    const direction = q.sortOrder.startsWith('desc') ? -1 : 1;
    wanted.sort((a, b) => direction * (a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id)));
    const page = listing(wanted, q.pageSize, q.pageNumber, '/api/v2/users');
    return {
      ...page,
      entities: page.entities.map((u) => renderExpanded(org, u, org.users.get(u.id) ?? u, expand)),
    };
  });

  app.get<{ Params: { userId: string } }>('/api/v2/users/:userId', async (request) => {
    const org = requestOrg(ctx, request);
    const raw = request.query as Record<string, unknown>;
    const { state } = parseOr400(oneQuery, raw, 'user query');
    const expand = expandsOf(raw);
    const user = org.users.get(request.params.userId);
    if (!user || (state === 'deleted') !== (user.state === 'deleted')) throw notFound();
    return renderExpanded(org, user, user, expand);
  });
}
