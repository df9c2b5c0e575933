// The License API: the org's license definitions, the licenses users hold (one, a page, or a batch) and the
// licenses a set of roles implies. Shapes from the official SDK: LicenseDefinition, LicenseUser, UserLicenses(
// EntityListing); postLicenseUsers answers a map (swagger: an object of objects), here user id → LicenseUser.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type EmulatorContext, requestOrg } from '../context';
import { notFound } from '../errors';
import {
  licenseIdsOfOrg,
  licensesOfRoles,
  licensesOfUser,
  renderLicenseDefinition,
  renderLicenseUser,
} from '../licenses';
import { listing, pageQuery, parseOr400 } from './authorization';

/** Emulator's choice (no maximum is documented): a batch of at most 100 users, like the Users API's bulk read. */
export const MAX_LICENSE_BATCH = 100;

const idList = (what: string, max?: number) => {
  const list = z.array(z.string().min(1), { error: `the body must be a JSON array of ${what}` });
  return max === undefined ? list : list.max(max, `at most ${max} ${what} per request`);
};

export function registerLicenseRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get('/api/v2/license/definitions', async (request) => {
    const org = requestOrg(ctx, request);
    return licenseIdsOfOrg(org).map((id) => renderLicenseDefinition(org, id));
  });

  app.get<{ Params: { licenseId: string } }>('/api/v2/license/definitions/:licenseId', async (request) => {
    const org = requestOrg(ctx, request);
    if (!licenseIdsOfOrg(org).includes(request.params.licenseId)) throw notFound();
    return renderLicenseDefinition(org, request.params.licenseId);
  });

  app.get<{ Params: { userId: string } }>('/api/v2/license/users/:userId', async (request) => {
    const org = requestOrg(ctx, request);
    const user = org.liveUser(request.params.userId);
    if (!user) throw notFound();
    return renderLicenseUser(org, user);
  });

  // "A page of users and their licenses": every user that is not deleted, inactive ones with none.
  app.get('/api/v2/license/users', async (request) => {
    const org = requestOrg(ctx, request);
    const { pageSize, pageNumber } = parseOr400(pageQuery, request.query, 'license users query');
    const users = [...org.users.values()].filter((u) => u.state !== 'deleted').sort((a, b) => a.id.localeCompare(b.id));
    const page = listing(users, pageSize, pageNumber, '/api/v2/license/users');
    return {
      entities: page.entities.map((u) => ({
        id: u.id,
        licenses: licensesOfUser(org, u),
        selfUri: `/api/v2/license/users/${u.id}`,
      })),
      pageSize: page.pageSize,
      pageNumber: page.pageNumber,
      total: page.total,
      pageCount: page.pageCount,
    };
  });

  // A batch: ids of users the org does not have (never, another org's, deleted) are simply absent from the map.
  app.post('/api/v2/license/users', async (request) => {
    const org = requestOrg(ctx, request);
    const ids = parseOr400(idList('user ids', MAX_LICENSE_BATCH), request.body, 'license users request');
    const out: Record<string, ReturnType<typeof renderLicenseUser>> = {};
    for (const id of ids) {
      const user = org.liveUser(id);
      if (user) out[id] = renderLicenseUser(org, user);
    }
    return out;
  });

  // Roles → licenses (a JSON array of license ids). An unknown role is 404 and nothing is inferred.
  app.post('/api/v2/license/infer', async (request) => {
    const org = requestOrg(ctx, request);
    const roleIds = parseOr400(idList('role ids'), request.body ?? [], 'license infer request');
    const roles = roleIds.map((id) => org.roleById(id));
    if (roles.some((r) => r === undefined)) throw notFound();
    if (roleIds.length === 0) return [];
    return licensesOfRoles(roles);
  });
}
