// Zod schemas for every Genesys response body we read. Wire names follow shared/reference/genesys-cloud-api.md
// (Python SDK attribute maps). z.object strips unknown keys instead of failing: the real API adds fields over
// time. Optional fields accept null too, because Genesys serialises absent values either way.
import { z } from 'zod';

export const SCIM_CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_GENESYS_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
export const SCIM_PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const optionalString = z.string().nullish();

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: optionalString,
  expires_in: z.number().positive(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** Genesys extension `routingSkills` / `routingLanguages` entries: a name and a proficiency 0–5. */
const proficiencySchema = z.object({ name: z.string(), proficiency: z.number() });

export const scimUserSchema = z.object({
  id: z.string().min(1),
  userName: z.string(),
  active: z.boolean(),
  externalId: optionalString,
  [SCIM_ENTERPRISE_USER_SCHEMA]: z
    .object({
      division: optionalString,
      employeeNumber: optionalString,
    })
    .nullish(),
  [SCIM_GENESYS_USER_SCHEMA]: z
    .object({
      routingSkills: z.array(proficiencySchema).nullish(),
      routingLanguages: z.array(proficiencySchema).nullish(),
    })
    .nullish(),
});
export type ScimUser = z.infer<typeof scimUserSchema>;

/** Note the capital-R `Resources` (RFC 7644); it may be absent when nothing matched. */
export const scimListResponseSchema = z.object({
  totalResults: z.number().int().nonnegative(),
  startIndex: z.number().int().nullish(),
  itemsPerPage: z.number().int().nullish(),
  Resources: z.array(scimUserSchema).nullish(),
});
export type ScimListResponse = z.infer<typeof scimListResponseSchema>;

const idRefSchema = z.object({ id: z.string().min(1) });

/** AuthzGrant: subjectId tells whether the grant is the user's own or inherited from a group. */
export const authzGrantSchema = z.object({
  subjectId: z.string().min(1),
  role: idRefSchema,
  division: idRefSchema,
  /** When the grant was made (ISO-8601); the audit tells a grant made after the agent's start from an older one. */
  grantMadeAt: z.string().nullish(),
});

/** AuthzSubject. Its `name` is the user's name (PII), so it is deliberately not part of the schema. */
export const authzSubjectSchema = z.object({
  id: optionalString,
  grants: z.array(authzGrantSchema).nullish(),
});
export type AuthzSubject = z.infer<typeof authzSubjectSchema>;

const namedEntitySchema = z.object({ id: z.string().min(1), name: z.string() });

/** Classic Genesys listing (entities + paging fields), shared by roles and divisions. */
function entityListingSchema<T extends z.ZodType>(entity: T) {
  return z.object({
    entities: z.array(entity).nullish(),
    pageSize: z.number().int().nullish(),
    pageNumber: z.number().int().nullish(),
    total: z.number().int().nullish(),
    pageCount: z.number().int().nullish(),
  });
}

/** `default`: Genesys gives the role to every new user. */
export const rolesPageSchema = entityListingSchema(namedEntitySchema.extend({ default: z.boolean().nullish() }));
export const divisionsPageSchema = entityListingSchema(
  namedEntitySchema.extend({ homeDivision: z.boolean().nullish() }),
);
/** Routing skills, languages and queues: classic listings of named entities. */
export const routingPageSchema = entityListingSchema(namedEntitySchema);
/** QueueMember: `id` is the member's user id. Names are PII and not read. */
export const queueMembersPageSchema = entityListingSchema(z.object({ id: z.string().min(1) }));
export type RolesPage = z.infer<typeof rolesPageSchema>;
/** OAuthClient: the roles (each in a division, or `*` for all) the client credentials act with. */
export const oauthClientSchema = z.object({
  id: z.string().min(1),
  name: optionalString,
  roleDivisions: z.array(z.object({ roleId: z.string().min(1), divisionId: z.string().min(1) })).nullish(),
});
/** DomainOrganizationRole: its permissions as strings and as policies (domain, entity, actions). */
export const roleSchema = z.object({
  id: z.string().min(1),
  name: optionalString,
  permissions: z.array(z.string()).nullish(),
  permissionPolicies: z
    .array(z.object({ domain: z.string(), entityName: z.string(), actionSet: z.array(z.string()).nullish() }))
    .nullish(),
});
export type DivisionsPage = z.infer<typeof divisionsPageSchema>;

/**
 * The platform Users API's User, as far as finding and restoring a deleted user needs it. `name` (PII) is not read;
 * `email`/`username` are read only to match the userName asked for.
 */
export const platformUserSchema = z.object({
  id: z.string().min(1),
  email: optionalString,
  username: optionalString,
  state: z.string(),
  version: z.number().int(),
  division: z.object({ id: z.string().min(1), name: optionalString }).nullish(),
});
export type PlatformUser = z.infer<typeof platformUserSchema>;

/** UsersSearchResponse of POST /api/v2/users/search. */
export const usersSearchResponseSchema = z.object({
  total: z.number().int().nullish(),
  pageCount: z.number().int().nullish(),
  results: z.array(platformUserSchema).nullish(),
});

/**
 * A page of GET /api/v2/users with `expand=dateLastLogin,lasttokenissued`: only ids and the two login fields are read
 * (names and emails are PII). Either field is absent for a user who never logged in; expands are "best effort".
 */
export const userLoginsPageSchema = entityListingSchema(
  z.object({
    id: z.string().min(1),
    dateLastLogin: optionalString,
    lastTokenIssued: z.object({ dateIssued: optionalString }).nullish(),
  }),
);

/**
 * POST /api/v2/license/users answers an object of objects (swagger), keyed by user id. Each value is read as the
 * LicenseUser of GET /api/v2/license/users/{userId} (licenses as LicenseDefinitions) or, as the paged
 * UserLicenses has it, licenses as bare ids: only the ids are kept.
 */
export const licenseUsersBatchSchema = z.record(
  z.string(),
  z.object({ licenses: z.array(z.union([z.string(), z.object({ id: z.string().min(1) })])).nullish() }),
);

/** POST /api/v2/license/infer: a JSON array of license ids. */
export const licenseIdsSchema = z.array(z.string());

/**
 * One schema for the three error shapes we may meet: platform ErrorBody (`message`, `code`, numeric `status`),
 * SCIM ScimError (`detail`, `scimType`, string `status`) and OAuth errors (`error`, `error_description`).
 * Parsed leniently: an unreadable error body only costs us detail, never the status.
 */
export const errorBodySchema = z.object({
  message: optionalString,
  code: optionalString,
  status: z.union([z.number(), z.string()]).nullish(),
  scimType: optionalString,
  detail: optionalString,
  error: optionalString,
  error_description: optionalString,
  entityId: optionalString,
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
