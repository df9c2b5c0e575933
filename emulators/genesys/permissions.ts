// THE table: what every emulated API route requires of the calling OAuth client, as the official SDK docs give it
// per operation ("Requires ANY / ALL / NO permissions"), plus the emulator's stricter readings (marked). Each
// row names its SDK doc; README.md ("Permissions") has the table with the versions and conflicts. A route
// missing from this table makes the emulator refuse to start (server.ts checks every API route against it).
import type { FastifyRequest } from 'fastify';
import type { RouteRule } from './permission-check';
import { scimCreateNeeds, scimPatchNeeds, scimReplaceNeeds } from './scim/permission-needs';

const JS_SCIM = 'platform-client-sdk-javascript build/docs/SCIMApi.md';
const JS_AUTHZ = 'platform-client-sdk-javascript build/docs/AuthorizationApi.md';
const JAVA_USERS = 'platform-client-sdk-java build/docs/UsersApi.md';
const JAVA_ROUTING = 'platform-client-sdk-java build/docs/RoutingApi.md';
const JAVA_OAUTH = 'platform-client-sdk-java build/docs/OAuthApi.md';
const JS_USERS = 'platform-client-sdk-javascript build/docs/UsersApi.md (259.0.0)';
const JS_LICENSE = 'platform-client-sdk-javascript build/docs/LicenseApi.md (259.0.0)';
const JS_BILLING = 'platform-client-sdk-javascript build/docs/BillingApi.md (259.0.0)';

const LICENSE_READ_ANY = ['authorization:grant:add', 'authorization:license:view'];

const SCIM_WRITE_ANY = [
  'directory:user:edit',
  'directory:user:setPassword',
  'authorization:grant:add',
  'authorization:grant:delete',
  'routing:skill:assign',
  'routing:language:assign',
  'telephony:extension:assign',
];

const params = (request: FastifyRequest): Record<string, string> => request.params as Record<string, string>;

/** Keys are `METHOD pattern` exactly as the routes are registered (without the /orgs/:orgId prefix). */
export const ROUTE_PERMISSIONS: Readonly<Record<string, RouteRule>> = {
  // The token endpoint authenticates the client itself; roles apply to what its tokens do.
  'POST /oauth/token': { documented: 'none', source: 'OAuth client-credentials grant' },
  'GET /api/v2/oauth/clients/:clientId': {
    documented: { any: ['oauth:client:view'] },
    source: `${JAVA_OAUTH} getOauthClient`,
  },

  'POST /api/v2/scim/v2/users': {
    documented: {
      any: [
        'directory:user:add',
        'authorization:grant:add',
        'authorization:grant:delete',
        'routing:skill:assign',
        'routing:language:assign',
        'telephony:extension:assign',
      ],
    },
    // Stricter: creating needs directory:user:add; routing skills, languages and roles in the body their own.
    stricter: (request) => scimCreateNeeds(request.body),
    source: `${JS_SCIM} postScimV2Users`,
  },
  'GET /api/v2/scim/v2/users': { documented: 'none', source: `${JS_SCIM} getScimV2Users` },
  'GET /api/v2/scim/v2/users/:userId': {
    documented: 'none',
    source: `${JS_SCIM} getScimV2User (older SDK builds: ANY directory:user:view, directory:user:edit)`,
  },
  'PUT /api/v2/scim/v2/users/:userId': {
    documented: { any: SCIM_WRITE_ANY },
    stricter: (request, org) => scimReplaceNeeds(request.body, org, params(request).userId),
    source: `${JS_SCIM} putScimV2User`,
  },
  'PATCH /api/v2/scim/v2/users/:userId': {
    documented: { any: SCIM_WRITE_ANY },
    // Stricter: each operation needs the permission of the attribute it touches.
    stricter: (request) => scimPatchNeeds(request.body),
    source: `${JS_SCIM} patchScimV2User`,
  },
  'DELETE /api/v2/scim/v2/users/:userId': {
    documented: { any: ['directory:user:delete'] },
    source: `${JS_SCIM} deleteScimV2User`,
  },

  'GET /api/v2/authorization/roles': {
    documented: { any: ['authorization:role:view'] },
    source: `${JS_AUTHZ} getAuthorizationRoles`,
  },
  'GET /api/v2/authorization/roles/:roleId': {
    documented: { any: ['authorization:role:view'] },
    source: `${JS_AUTHZ} getAuthorizationRole`,
  },
  'GET /api/v2/authorization/divisions': { documented: 'none', source: `${JS_AUTHZ} getAuthorizationDivisions` },
  'GET /api/v2/authorization/divisions/home': {
    documented: 'none',
    source: `${JS_AUTHZ} getAuthorizationDivisionsHome`,
  },
  'GET /api/v2/authorization/divisions/:divisionId': {
    documented: 'none',
    source: `${JS_AUTHZ} getAuthorizationDivision`,
  },
  'GET /api/v2/authorization/subjects/:subjectId': {
    documented: { any: ['authorization:grant:view'] },
    source: `${JS_AUTHZ} getAuthorizationSubject`,
  },
  'POST /api/v2/authorization/subjects/:subjectId/bulkadd': {
    documented: { all: ['authorization:grant:add'] },
    source: `${JS_AUTHZ} postAuthorizationSubjectBulkadd`,
  },
  'POST /api/v2/authorization/subjects/:subjectId/bulkremove': {
    documented: { all: ['authorization:grant:delete'] },
    source: `${JS_AUTHZ} postAuthorizationSubjectBulkremove`,
  },
  'POST /api/v2/authorization/subjects/:subjectId/bulkreplace': {
    documented: { all: ['authorization:grant:add', 'authorization:grant:delete'] },
    source: `${JS_AUTHZ} postAuthorizationSubjectBulkreplace`,
  },
  'POST /api/v2/authorization/subjects/:subjectId/divisions/:divisionId/roles/:roleId': {
    documented: { all: ['authorization:grant:add'] },
    source: `${JS_AUTHZ} postAuthorizationSubjectDivisionRole`,
  },
  'DELETE /api/v2/authorization/subjects/:subjectId/divisions/:divisionId/roles/:roleId': {
    documented: { all: ['authorization:grant:delete'] },
    source: `${JS_AUTHZ} deleteAuthorizationSubjectDivisionRole`,
  },
  'POST /api/v2/authorization/divisions/:divisionId/objects/:objectType': {
    // The SDK says NO; the Resource Center says moving users needs Directory > User > Edit: stricter.
    documented: 'none',
    stricter: (request) => (params(request).objectType === 'USER' ? ['directory:user:edit'] : []),
    source: `${JS_AUTHZ} postAuthorizationDivisionObject (NO); Resource Center ?p=187499 (USER: directory:user:edit)`,
  },

  'GET /api/v2/routing/skills': { documented: 'none', source: `${JAVA_ROUTING} getRoutingSkills` },
  'GET /api/v2/routing/languages': { documented: 'none', source: `${JAVA_ROUTING} getRoutingLanguages` },
  'GET /api/v2/routing/queues': {
    documented: { any: ['routing:queue:view'] },
    source: `${JAVA_ROUTING} getRoutingQueues`,
  },
  'GET /api/v2/routing/queues/:queueId/members': {
    documented: {
      any: ['routing:queue:view', 'routing:queue:edit', 'routing:queue:readonly', 'routing:queueMember:manage'],
    },
    source: `${JAVA_ROUTING} getRoutingQueueMembers`,
  },
  'POST /api/v2/routing/queues/:queueId/members': {
    documented: { any: ['routing:queue:edit', 'routing:queueMember:manage'] },
    source: `${JAVA_ROUTING} postRoutingQueueMembers`,
  },
  'GET /api/v2/users/:userId/routingskills': { documented: 'none', source: `${JAVA_USERS} getUserRoutingskills` },
  'GET /api/v2/users/:userId/routinglanguages': {
    documented: 'none',
    source: 'taken as getUserRoutingskills (its own entry NOT FOUND)',
  },
  'POST /api/v2/users/search': {
    documented: { any: ['directory:user:view'] },
    source: `${JAVA_USERS} postUsersSearch`,
  },
  'PATCH /api/v2/users/:userId': {
    documented: { any: ['admin', 'directory:user:edit', 'directory:organization:admin'] },
    source: `${JAVA_USERS} patchUser`,
  },
  // Both read users (and, expanded, their last logins) with NO permission, as the SDK docs say.
  'GET /api/v2/users': { documented: 'none', source: `${JS_USERS} getUsers` },
  'GET /api/v2/users/:userId': { documented: 'none', source: `${JS_USERS} getUser` },

  'GET /api/v2/license/definitions': {
    documented: { any: LICENSE_READ_ANY },
    source: `${JS_LICENSE} getLicenseDefinitions`,
  },
  'GET /api/v2/license/definitions/:licenseId': {
    documented: { any: LICENSE_READ_ANY },
    source: `${JS_LICENSE} getLicenseDefinition`,
  },
  'GET /api/v2/license/users': { documented: 'none', source: `${JS_LICENSE} getLicenseUsers` },
  'GET /api/v2/license/users/:userId': {
    documented: { any: LICENSE_READ_ANY },
    source: `${JS_LICENSE} getLicenseUser`,
  },
  'POST /api/v2/license/users': {
    documented: { any: LICENSE_READ_ANY },
    source: `${JS_LICENSE} postLicenseUsers`,
  },
  'POST /api/v2/license/infer': { documented: 'none', source: `${JS_LICENSE} postLicenseInfer` },

  'GET /api/v2/billing/reports/billableusage': {
    documented: { any: ['billing:subscription:read', 'billing:subscription:view'] },
    source: `${JS_BILLING} getBillingReportsBillableusage`,
  },
};

/**
 * The fixture's "Seasonal Provisioner" role: exactly what the product's calls need under the table above, the
 * least-privileged choice where a route accepts several (queue members: routing:queueMember:manage, not
 * routing:queue:edit). Also given to clients of state files written before permissions were emulated.
 */
export const PROVISIONER_ROLE_NAME = 'Seasonal Provisioner';
export const PROVISIONER_PERMISSIONS: readonly string[] = [
  'directory:user:add',
  'directory:user:edit',
  'directory:user:delete',
  'directory:user:view',
  'authorization:grant:view',
  'authorization:grant:add',
  'authorization:grant:delete',
  'authorization:role:view',
  'routing:skill:assign',
  'routing:language:assign',
  'routing:queue:view',
  'routing:queueMember:manage',
  'oauth:client:view',
];

/** The rule of a request's route, or undefined for routes outside the API (404s, /__emulator). */
export function ruleFor(method: string, routeUrl: string | undefined): RouteRule | undefined {
  if (!routeUrl) return undefined;
  const pattern = routeUrl.replace(/^\/orgs\/:orgId/, '');
  return ROUTE_PERMISSIONS[`${method === 'HEAD' ? 'GET' : method} ${pattern}`];
}
