// Schema URNs Genesys uses on SCIM users, and the immutable externalIds authority it derives from externalId.
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GENESYS_USER = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const USER_SCHEMAS = [CORE_USER, ENTERPRISE_USER, GENESYS_USER] as const;

/** Genesys mirrors externalId into externalIds under this authority, read-only. */
export const SCIM_EXTERNAL_ID_AUTHORITY = 'x-pc:scimv2:v1';
