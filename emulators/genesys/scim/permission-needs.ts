// Which permissions a SCIM user write needs, part by part of its body. The SDK docs give each SCIM write one
// "ANY" list (directory:user:*, authorization:grant:*, routing:skill:assign, routing:language:assign, ...); the
// emulator reads it strictly: each part of the body needs its own permission, as the platform's per-user routes
// do (PUT /users/{id}/routingskills/bulk needs routing:skill:assign, PUT /users/{id}/roles authorization:grant:add).
// The bodies are read loosely here (before validation): a malformed body still gets its 400 from the route.
import type { OrgStore } from '../store';
import { ENTERPRISE_USER, GENESYS_USER } from './urns';

const SKILL = 'routing:skill:assign';
const LANGUAGE = 'routing:language:assign';
const GRANT_ADD = 'authorization:grant:add';
const GRANT_DELETE = 'authorization:grant:delete';
const EDIT = 'directory:user:edit';
const SET_PASSWORD = 'directory:user:setPassword';

type Json = Record<string, unknown>;

const asObject = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const nonEmpty = (v: unknown): boolean => Array.isArray(v) && v.length > 0;

/** Skills, languages and roles a body assigns (create and replace). */
function assignedParts(body: Json): string[] {
  const genesys = asObject(body[GENESYS_USER]);
  const needs: string[] = [];
  if (nonEmpty(genesys?.routingSkills)) needs.push(SKILL);
  if (nonEmpty(genesys?.routingLanguages)) needs.push(LANGUAGE);
  if (nonEmpty(body.roles)) needs.push(GRANT_ADD);
  return needs;
}

/** POST: creating the user needs directory:user:add, and each assigned part its assign permission. */
export function scimCreateNeeds(rawBody: unknown): string[] {
  const body = asObject(rawBody);
  return ['directory:user:add', ...(body ? assignedParts(body) : [])];
}

/**
 * PUT replaces the whole user: directory:user:edit, the assigned parts, and grant:delete when the user holds a
 * grant (a PUT replaces the role set: an absent `roles` strips every role), skill/language assign when it
 * holds skills/languages the PUT would take away.
 */
export function scimReplaceNeeds(rawBody: unknown, org: OrgStore, userId: string): string[] {
  const body = asObject(rawBody) ?? {};
  const needs = [EDIT, ...assignedParts(body)];
  const user = org.liveUser(userId);
  if (user && user.grants.length > 0) needs.push(GRANT_DELETE);
  if (user && user.routingSkills.length > 0) needs.push(SKILL);
  if (user && user.routingLanguages.length > 0) needs.push(LANGUAGE);
  if (typeof body.password === 'string') needs.push(SET_PASSWORD);
  return needs;
}

/** What one attribute (a top-level name, or one of the Genesys extension's) needs when a PATCH op touches it. */
function attributeNeeds(attribute: string, op: string): string[] {
  switch (attribute.toLowerCase()) {
    case 'routingskills':
      return [SKILL];
    case 'routinglanguages':
      return [LANGUAGE];
    case 'roles':
      if (op === 'add') return [GRANT_ADD];
      if (op === 'remove') return [GRANT_DELETE];
      return [GRANT_ADD, GRANT_DELETE];
    case 'password':
      return [SET_PASSWORD];
    default:
      return [EDIT];
  }
}

/** The attribute a PATCH path names: `roles[value eq "x"]` → roles, `urn:…:genesys…:User:routingSkills` → routingSkills. */
function pathAttribute(path: string): { attribute: string; extension?: string } {
  for (const urn of [GENESYS_USER, ENTERPRISE_USER]) {
    if (path.toLowerCase() === urn.toLowerCase()) return { attribute: '', extension: urn };
    if (path.toLowerCase().startsWith(`${urn.toLowerCase()}:`)) path = path.slice(urn.length + 1);
  }
  return { attribute: path.split(/[.[\s]/)[0] };
}

function valueNeeds(value: unknown, op: string, extension?: string): string[] {
  const object = asObject(value);
  if (!object) return [EDIT];
  return Object.entries(object).flatMap(([key, inner]) => {
    if (extension === GENESYS_USER) return attributeNeeds(key, op);
    if (extension === ENTERPRISE_USER || key === ENTERPRISE_USER) return [EDIT];
    if (key === GENESYS_USER) return valueNeeds(inner, op, GENESYS_USER);
    return attributeNeeds(key, op);
  });
}

/** PATCH: each operation needs what the attribute it touches needs (core attributes: directory:user:edit). */
export function scimPatchNeeds(rawBody: unknown): string[] {
  const operations = asObject(rawBody)?.Operations;
  if (!Array.isArray(operations)) return [EDIT];
  return operations.flatMap((raw) => {
    const operation = asObject(raw) ?? {};
    const op = typeof operation.op === 'string' ? operation.op.toLowerCase() : 'replace';
    if (typeof operation.path !== 'string' || operation.path === '') return valueNeeds(operation.value, op);
    const { attribute, extension } = pathAttribute(operation.path);
    if (extension) return valueNeeds(operation.value, op, extension);
    return attributeNeeds(attribute, op);
  });
}
