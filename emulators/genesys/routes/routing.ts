// The Routing API parts a provisioner needs: the org's skill, language and queue catalogues (paged, `name`
// filter), queue members (list; bulk add or remove up to 100), and a user's routing skills and languages.
// Shapes follow the official SDK's models (RoutingSkill, Language, Queue, QueueMember, UserRoutingSkill,
// UserRoutingLanguage); errors use the platform ErrorBody.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type EmulatorContext, requestOrg } from '../context';
import { badRequest, notFound } from '../errors';
import type { OrgStore, Queue, RoutingEntity, StoredUser } from '../store';
import { idFilter, listing, pageQuery, parseOr400 } from './authorization';

/** `postRoutingQueueMembers`: "Bulk add or delete up to 100 queue members". */
const MAX_MEMBERS_PER_CALL = 100;

const membersBody = z
  .array(z.object({ id: z.string().min(1), name: z.string().optional() }))
  .min(1)
  .max(MAX_MEMBERS_PER_CALL);
const membersQuery = z.object({ delete: z.enum(['true', 'false']).optional() });

/** Skill and language `name` semantics are undocumented: a case-insensitive substring, like roles (stricter). */
function containsName(entity: { name: string }, name: string | undefined): boolean {
  return !name || entity.name.toLowerCase().includes(name.toLowerCase());
}

/** Queue `name`: "the given name (leading and trailing asterisks allowed)" — exact unless starred. */
function queueNameMatches(queue: Queue, pattern: string | undefined): boolean {
  if (!pattern) return true;
  const name = queue.name.toLowerCase();
  const p = pattern.toLowerCase();
  const lead = p.startsWith('*');
  const trail = p.length > 1 && p.endsWith('*');
  const core = p.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (lead && trail) return name.includes(core);
  if (lead) return name.endsWith(core);
  if (trail) return name.startsWith(core);
  return name === p;
}

function renderCatalogueEntry(e: RoutingEntity, path: string) {
  return { id: e.id, name: e.name, state: 'active', version: '1', selfUri: `${path}/${e.id}` };
}

function renderQueue(org: OrgStore, q: Queue) {
  const division = org.divisionById(q.divisionId) ?? org.homeDivision();
  const members = q.memberIds.filter((id) => org.liveUser(id) !== undefined);
  return {
    id: q.id,
    name: q.name,
    division: { id: division.id, name: division.name, selfUri: `/api/v2/authorization/divisions/${division.id}` },
    memberCount: members.length,
    userMemberCount: members.length,
    joinedMemberCount: members.length,
    selfUri: `/api/v2/routing/queues/${q.id}`,
  };
}

function renderMember(user: StoredUser) {
  return {
    id: user.id,
    name: user.displayName,
    user: { id: user.id, name: user.displayName, selfUri: `/api/v2/users/${user.id}` },
    ringNumber: 1,
    // Whether a new member starts joined: NOT FOUND; members added here are joined (they take calls).
    joined: true,
    memberBy: 'user',
    selfUri: `/api/v2/users/${user.id}`,
  };
}

/** A user's skills or languages with their catalogue ids (a name outside the catalogue keeps its name as id). */
function userRouting(
  user: StoredUser,
  catalogue: readonly RoutingEntity[] | undefined,
  field: 'routingSkills' | 'routingLanguages',
  uriKey: 'skillUri' | 'languageUri',
  base: string,
) {
  return user[field].map((p) => {
    const id = catalogue?.find((c) => c.name === p.name)?.id ?? p.name;
    return {
      id,
      name: p.name,
      proficiency: p.proficiency,
      state: 'active',
      [uriKey]: `${base}/${id}`,
      selfUri: `/api/v2/users/${user.id}/${field.toLowerCase()}/${id}`,
    };
  });
}

export function registerRoutingRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const catalogue = (path: string, pick: (org: OrgStore) => readonly RoutingEntity[] | undefined) =>
    app.get(path, async (request) => {
      const org = requestOrg(ctx, request);
      const query = request.query as Record<string, unknown>;
      const { pageSize, pageNumber, name } = parseOr400(pageQuery, query, 'query');
      const ids = idFilter(query);
      const entries = (pick(org) ?? []).filter((e) => containsName(e, name) && (!ids || ids.includes(e.id)));
      return listing(
        entries.map((e) => renderCatalogueEntry(e, path)),
        pageSize,
        pageNumber,
        path,
      );
    });
  catalogue('/api/v2/routing/skills', (org) => org.skills);
  catalogue('/api/v2/routing/languages', (org) => org.languages);

  app.get('/api/v2/routing/queues', async (request) => {
    const org = requestOrg(ctx, request);
    const query = request.query as Record<string, unknown>;
    const { pageSize, pageNumber, name } = parseOr400(pageQuery, query, 'query');
    const ids = idFilter(query);
    const queues = org.queues.filter((q) => queueNameMatches(q, name) && (!ids || ids.includes(q.id)));
    return listing(
      queues.map((q) => renderQueue(org, q)),
      pageSize,
      pageNumber,
      '/api/v2/routing/queues',
    );
  });

  app.get<{ Params: { queueId: string } }>('/api/v2/routing/queues/:queueId/members', async (request) => {
    const org = requestOrg(ctx, request);
    const queue = org.queueById(request.params.queueId);
    if (!queue) throw notFound();
    const { pageSize, pageNumber } = parseOr400(pageQuery, request.query, 'query');
    const members = queue.memberIds
      .map((id) => org.liveUser(id))
      .filter((u): u is StoredUser => u !== undefined)
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
    return listing(
      members.map((u) => renderMember(u)),
      pageSize,
      pageNumber,
      `/api/v2/routing/queues/${queue.id}/members`,
    );
  });

  app.post<{ Params: { queueId: string } }>('/api/v2/routing/queues/:queueId/members', async (request, reply) => {
    const org = requestOrg(ctx, request);
    const queue = org.queueById(request.params.queueId);
    if (!queue) throw notFound();
    const remove = parseOr400(membersQuery, request.query, 'query').delete === 'true';
    const body = request.body;
    if (Array.isArray(body) && body.length > MAX_MEMBERS_PER_CALL)
      throw badRequest(`At most ${MAX_MEMBERS_PER_CALL} members per request`);
    const ids = parseOr400(membersBody, body, 'body').map((m) => m.id);
    // Every member is checked before anything is applied (a rejected request changes nothing). Adding a
    // member that is already in the queue, or removing one that is not, changes nothing either.
    if (!remove) {
      for (const id of ids) {
        const user = org.liveUser(id);
        // Like the Authorization API, a user just created may not be known to routing yet.
        if (!user || org.isNew(user, ctx.settings.newUserNotFoundMs)) throw notFound();
      }
      for (const id of ids) if (!queue.memberIds.includes(id)) queue.memberIds.push(id);
    } else {
      const gone = new Set(ids);
      queue.memberIds = queue.memberIds.filter((id) => !gone.has(id));
    }
    return reply.code(204).send();
  });

  const userOr404 = (org: OrgStore, userId: string): StoredUser => {
    const user = org.liveUser(userId);
    if (!user) throw notFound();
    return user;
  };
  app.get<{ Params: { userId: string } }>('/api/v2/users/:userId/routingskills', async (request) => {
    const org = requestOrg(ctx, request);
    const { pageSize, pageNumber } = parseOr400(pageQuery, request.query, 'query');
    const user = userOr404(org, request.params.userId);
    const entries = userRouting(user, org.skills, 'routingSkills', 'skillUri', '/api/v2/routing/skills');
    return listing(entries, pageSize, pageNumber, `/api/v2/users/${user.id}/routingskills`);
  });
  app.get<{ Params: { userId: string } }>('/api/v2/users/:userId/routinglanguages', async (request) => {
    const org = requestOrg(ctx, request);
    const { pageSize, pageNumber } = parseOr400(pageQuery, request.query, 'query');
    const user = userOr404(org, request.params.userId);
    const entries = userRouting(user, org.languages, 'routingLanguages', 'languageUri', '/api/v2/routing/languages');
    return listing(entries, pageSize, pageNumber, `/api/v2/users/${user.id}/routinglanguages`);
  });
}
