// `attributes` / `excludedAttributes` on SCIM reads. id, userName, active and meta are always returned
// (Genesys documents this). Also decides whether a list page carries the "expensive" secondary attributes,
// which Genesys warns make pages above 25 return 429.
import type { JsonObject } from './render';
import { CORE_USER, ENTERPRISE_USER, GENESYS_USER } from './urns';

const ALWAYS = ['schemas', 'id', 'username', 'active', 'meta'];
const EXTENSIONS = [ENTERPRISE_USER, GENESYS_USER];
const EXPENSIVE = [
  'externalid',
  'roles',
  `${GENESYS_USER}:routinglanguages`.toLowerCase(),
  `${GENESYS_USER}:routingskills`.toLowerCase(),
];

/** A query value may be repeated (?a=x&a=y) or comma-separated (?a=x,y). */
export function listParam(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** Lower-cased canonical name: core URN prefix removed, extension sub-attributes as `urn:sub`. */
function canonical(name: string): string {
  const lower = name.toLowerCase();
  const core = `${CORE_USER.toLowerCase()}:`;
  if (lower.startsWith(core)) return lower.slice(core.length);
  // Genesys extension attributes may also be named bare (routingSkills) in some clients; map them.
  if (lower === 'routingskills' || lower === 'routinglanguages' || lower === 'externalids')
    return `${GENESYS_USER.toLowerCase()}:${lower}`;
  return lower;
}

function selected(key: string, names: string[]): boolean {
  return names.includes(key.toLowerCase());
}

function projectExtension(ext: string, value: unknown, keep: (name: string) => boolean): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (keep(`${ext.toLowerCase()}:${k.toLowerCase()}`)) out[k] = v;
  return out;
}

export function project(
  resource: JsonObject,
  attributes: string[] | undefined,
  excluded: string[] | undefined,
): JsonObject {
  if (!attributes && !excluded) return resource;
  const out: JsonObject = {};
  if (attributes) {
    const names = attributes.map(canonical);
    for (const [key, value] of Object.entries(resource)) {
      if (selected(key, ALWAYS) || selected(key, names)) out[key] = value;
      else if (EXTENSIONS.includes(key)) {
        const subs = names.filter((n) => n.startsWith(`${key.toLowerCase()}:`));
        if (subs.length > 0) out[key] = projectExtension(key, value, (n) => subs.includes(n));
      }
    }
    return out;
  }
  const names = (excluded ?? []).map(canonical);
  for (const [key, value] of Object.entries(resource)) {
    if (selected(key, ALWAYS)) out[key] = value;
    else if (selected(key, names)) continue;
    else if (EXTENSIONS.includes(key)) out[key] = projectExtension(key, value, (n) => !names.includes(n));
    else out[key] = value;
  }
  return out;
}

/** Whether a page projected this way still carries any of the attributes Genesys calls expensive. */
export function carriesExpensiveAttributes(attributes: string[] | undefined, excluded: string[] | undefined): boolean {
  if (attributes) {
    const names = attributes.map(canonical);
    return names.some((n) => EXPENSIVE.includes(n) || n === GENESYS_USER.toLowerCase());
  }
  const names = (excluded ?? []).map(canonical);
  const genesysExcluded = names.includes(GENESYS_USER.toLowerCase());
  return EXPENSIVE.some((e) => !(names.includes(e) || (genesysExcluded && e.startsWith(GENESYS_USER.toLowerCase()))));
}
