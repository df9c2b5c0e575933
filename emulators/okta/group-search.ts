// The parts of Okta's group query language a provisioning client uses: `search` with eq/sw/co on profile.name,
// profile.description, id and type, joined by `and`/`or` (no parentheses); `q` as a case-insensitive name prefix
// with exact matches first; `filter` on id and type. String values compare case-insensitively, as Okta's do.
import { OktaProblem, validationFailed } from './errors';
import type { EmuGroup } from './types';

type Predicate = (g: EmuGroup) => boolean;

const PROPERTIES: Record<string, (g: EmuGroup) => string | null> = {
  'profile.name': (g) => g.profile.name,
  'profile.description': (g) => g.profile.description,
  id: (g) => g.id,
  type: (g) => g.type,
};

const CLAUSE = /^\s*([A-Za-z.]+)\s+(eq|sw|co)\s+"((?:[^"\\]|\\.)*)"\s*/;

function invalidSearch(detail: string): OktaProblem {
  return new OktaProblem(400, 'E0000031', 'Invalid search criteria.', [detail]);
}

function clause(property: string, op: string, raw: string, allowed: readonly string[]): Predicate {
  const read = PROPERTIES[property];
  if (!read || !allowed.includes(property)) throw invalidSearch(`unsupported property: ${property}`);
  if (op === 'co' && !property.startsWith('profile.'))
    throw invalidSearch('co is only supported on profile.name and profile.description');
  const value = raw.replace(/\\(.)/g, '$1').toLowerCase();
  return (g) => {
    const actual = read(g)?.toLowerCase();
    if (actual === undefined) return false;
    if (op === 'eq') return actual === value;
    if (op === 'sw') return actual.startsWith(value);
    return actual.includes(value);
  };
}

/** Parses `a eq "x" and b sw "y" or c co "z"`; `and` binds tighter than `or`. */
export function parseExpression(expression: string, allowed: readonly string[] = Object.keys(PROPERTIES)): Predicate {
  let rest = expression;
  const anyOf: Predicate[][] = [[]];
  for (;;) {
    const m = CLAUSE.exec(rest);
    if (!m) throw invalidSearch(`cannot parse: ${expression}`);
    anyOf[anyOf.length - 1]!.push(clause(m[1]!, m[2]!, m[3]!, allowed));
    rest = rest.slice(m[0].length);
    if (rest.trim() === '') break;
    const joiner = /^(and|or)\s+/i.exec(rest);
    if (!joiner) throw invalidSearch(`cannot parse: ${expression}`);
    if (joiner[1]!.toLowerCase() === 'or') anyOf.push([]);
    rest = rest.slice(joiner[0].length);
  }
  return (g) => anyOf.some((all) => all.every((p) => p(g)));
}

export function searchGroups(groups: EmuGroup[], search: string): EmuGroup[] {
  return groups.filter(parseExpression(search));
}

export function filterGroups(groups: EmuGroup[], filter: string): EmuGroup[] {
  return groups.filter(parseExpression(filter, ['id', 'type']));
}

/** `q`: name prefix, exact matches first, capped (Okta's default cap for `q` is 300), never paged. */
export function queryGroups(groups: EmuGroup[], q: string, limit = 300): EmuGroup[] {
  const needle = q.toLowerCase();
  const hits = groups.filter((g) => g.profile.name.toLowerCase().startsWith(needle));
  const exact = hits.filter((g) => g.profile.name.toLowerCase() === needle);
  const prefix = hits.filter((g) => g.profile.name.toLowerCase() !== needle);
  return [...exact, ...prefix].slice(0, limit);
}

export function parseLimit(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw validationFailed('limit');
  return Math.min(n, max);
}
