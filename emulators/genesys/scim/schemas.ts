// Request bodies of the SCIM user endpoints, validated with zod. Wire names follow the Genesys SDK models
// (ScimV2CreateUser / ScimV2User / ScimV2PatchRequest). Unknown top-level attributes and unknown schema URNs
// are rejected rather than ignored: the stricter choice, so the service never relies on Genesys ignoring them.
import { z } from 'zod';
import { ScimError } from '../errors';
import { ENTERPRISE_USER, GENESYS_USER, PATCH_OP, USER_SCHEMAS } from './urns';

const PHONE_TYPES = [
  'work',
  'work2',
  'work3',
  'work4',
  'home',
  'mobile',
  'other',
  'microsoftteams',
  'zoomphone',
  'eightbyeight',
  'ringcentral',
] as const;

// Sub-objects drop unknown keys: the field-mapping page says extra sub-attributes are tolerated but ignored.
const proficiency = z.object({ name: z.string().min(1), proficiency: z.number().min(0).max(5) });
const email = z.object({
  value: z.string().min(1),
  type: z.enum(['work', 'other']).optional(),
  primary: z.boolean().optional(),
});
const phone = z.object({
  value: z.string().min(1),
  type: z.enum(PHONE_TYPES).optional(),
  primary: z.boolean().optional(),
});

const enterpriseExtension = z.strictObject({
  division: z.string().min(1).nullish(),
  department: z.string().nullish(),
  manager: z.object({ value: z.string().min(1), $ref: z.string().optional() }).nullish(),
  employeeNumber: z.string().nullish(),
  dateHire: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}/, 'dateHire must be YYYY-MM-DD')
    .nullish(),
});

const genesysExtension = z.strictObject({
  routingSkills: z.array(proficiency).max(50).nullish(),
  routingLanguages: z.array(proficiency).max(50).nullish(),
  externalIds: z.array(z.object({ authority: z.string().min(1), value: z.string().min(1) })).nullish(),
});

export const scimUserBody = z.strictObject({
  schemas: z.array(z.string()).optional(),
  // Read-only attributes a client may echo back from a GET (PUT round trips); checked or ignored, never stored.
  id: z.string().optional(),
  meta: z.unknown().optional(),
  groups: z.unknown().optional(),
  userName: z.string({ error: 'userName is required' }).min(1, 'userName must not be empty'),
  displayName: z.string({ error: 'displayName is required' }).min(1, 'displayName must not be empty'),
  active: z.boolean().optional(),
  password: z.string().optional(),
  title: z.string().nullish(),
  externalId: z.string().min(1).nullish(),
  emails: z.array(email).nullish(),
  phoneNumbers: z.array(phone).nullish(),
  roles: z.array(z.object({ value: z.string().min(1) })).nullish(),
  [ENTERPRISE_USER]: enterpriseExtension.nullish(),
  [GENESYS_USER]: genesysExtension.nullish(),
});

export type ScimUserBody = z.infer<typeof scimUserBody>;

export const scimPatchBody = z.strictObject({
  schemas: z.array(z.string()).min(1, 'schemas is required'),
  Operations: z
    .array(
      z.object({
        op: z.string(),
        path: z.string().min(1).optional(),
        value: z.unknown().optional(),
      }),
    )
    .min(1, 'Operations must not be empty'),
});

export type ScimPatchBody = z.infer<typeof scimPatchBody>;

function toScimError(error: z.ZodError): ScimError {
  const unknownKeys = error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
  const unknownUrns = unknownKeys.filter((k) => k.startsWith('urn:'));
  if (unknownUrns.length > 0)
    return new ScimError(400, 'invalidValue', `Unknown schema extension: ${unknownUrns.join(', ')}`);
  if (unknownKeys.length > 0)
    return new ScimError(400, 'invalidSyntax', `Unknown attribute(s): ${unknownKeys.join(', ')}`);
  const detail = error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  return new ScimError(400, 'invalidValue', detail);
}

/** RFC 7643: a resource lists the schemas it uses; every URN must be known and every extension present listed. */
function checkUserSchemas(body: ScimUserBody): void {
  if (body.schemas === undefined) return;
  const known = new Set<string>(USER_SCHEMAS);
  const unknown = body.schemas.filter((s) => !known.has(s));
  if (unknown.length > 0) throw new ScimError(400, 'invalidValue', `Unknown schema URN(s): ${unknown.join(', ')}`);
  if (!body.schemas.includes(USER_SCHEMAS[0]))
    throw new ScimError(400, 'invalidValue', `schemas must include ${USER_SCHEMAS[0]}`);
  for (const ext of [ENTERPRISE_USER, GENESYS_USER] as const) {
    if (body[ext] && !body.schemas.includes(ext))
      throw new ScimError(400, 'invalidValue', `Attribute ${ext} is present but not listed in schemas`);
  }
}

export function parseUserBody(raw: unknown): ScimUserBody {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ScimError(400, 'invalidSyntax', 'The request body must be a JSON object');
  const parsed = scimUserBody.safeParse(raw);
  if (!parsed.success) throw toScimError(parsed.error);
  checkUserSchemas(parsed.data);
  return parsed.data;
}

export type PatchOperation = { op: 'add' | 'replace' | 'remove'; path?: string; value?: unknown };

export function parsePatchBody(raw: unknown): PatchOperation[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ScimError(400, 'invalidSyntax', 'The request body must be a JSON object');
  const parsed = scimPatchBody.safeParse(raw);
  if (!parsed.success) throw toScimError(parsed.error);
  const unknown = parsed.data.schemas.filter((s) => s !== PATCH_OP);
  if (unknown.length > 0 || !parsed.data.schemas.includes(PATCH_OP)) {
    throw new ScimError(
      400,
      'invalidValue',
      `schemas must be ["${PATCH_OP}"]${unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''}`,
    );
  }
  return parsed.data.Operations.map((o, index) => {
    // Entra sends capitalised ops ("Replace"); RFC 7644 says op names are case-insensitive.
    const op = o.op.toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw new ScimError(400, 'invalidSyntax', `Operations[${index}].op "${o.op}" is not add, replace or remove`);
    if (op === 'remove' && !o.path) throw new ScimError(400, 'noTarget', `Operations[${index}]: remove needs a path`);
    if (op !== 'remove' && o.value === undefined)
      throw new ScimError(400, 'invalidValue', `Operations[${index}]: ${op} needs a value`);
    return { op, path: o.path, value: o.value };
  });
}
