// SCIM list filters, limited to what Genesys documents: `eq` on id, userName, externalId, active, division,
// email, employeeNumber, manager, plus the externalIds[authority eq ".." and value eq ".."] complex filter.
// Parsing is done by scim2-parse-filter; anything outside that set is 400 invalidFilter (the sources never
// show co/sw/or/pr/top-level and, so the emulator refuses them rather than guess).
import { parse, type Compare, type Filter } from 'scim2-parse-filter';
import { ScimError } from '../errors';
import type { OrgStore, StoredUser } from '../store';
import { CORE_USER, ENTERPRISE_USER, GENESYS_USER, SCIM_EXTERNAL_ID_AUTHORITY } from './urns';

type Attribute = 'id' | 'username' | 'externalid' | 'active' | 'division' | 'email' | 'employeenumber' | 'manager';

const ATTRIBUTES: Record<string, Attribute> = {
  id: 'id',
  username: 'username',
  externalid: 'externalid',
  active: 'active',
  email: 'email',
  emails: 'email',
  'emails.value': 'email',
  division: 'division',
  employeenumber: 'employeenumber',
  manager: 'manager',
  'manager.value': 'manager',
};

type Comparison = { attribute: Attribute; value: string };
export type UserFilter =
  { kind: 'compare'; comparison: Comparison } | { kind: 'externalIds'; authority: string; value: string };

function attributeOf(attrPath: string): Attribute {
  const lower = attrPath.toLowerCase();
  // Full URN forms (core:2.0:User:userName, enterprise:2.0:User:division) name the same attributes.
  for (const urn of [CORE_USER, ENTERPRISE_USER]) {
    const prefix = `${urn.toLowerCase()}:`;
    if (lower.startsWith(prefix)) return attributeOf(attrPath.slice(prefix.length));
  }
  const attribute = ATTRIBUTES[lower];
  if (!attribute) throw new ScimError(400, 'invalidFilter', `Filtering on "${attrPath}" is not supported`);
  return attribute;
}

const isCompare = (f: Filter): f is Compare => 'attrPath' in f && 'compValue' in f;

function compareValue(f: Filter): string {
  if (!isCompare(f) || f.op !== 'eq')
    throw new ScimError(400, 'invalidFilter', `Operator "${f.op}" is not supported; only eq`);
  const v = f.compValue;
  if (v === null) throw new ScimError(400, 'invalidFilter', 'null is not a valid filter value');
  return String(v);
}

function toUserFilter(f: Filter): UserFilter {
  if (f.op === '[]') {
    if (
      f.attrPath.toLowerCase() !== `${GENESYS_USER}:externalIds`.toLowerCase() &&
      f.attrPath.toLowerCase() !== 'externalids'
    ) {
      throw new ScimError(400, 'invalidFilter', `Complex filters are only supported on ${GENESYS_USER}:externalIds`);
    }
    const inner = f.valFilter;
    if (inner.op !== 'and' || inner.filters.length !== 2)
      throw new ScimError(400, 'invalidFilter', 'externalIds filter must be [authority eq ".." and value eq ".."]');
    const parts = new Map<string, string>();
    for (const part of inner.filters) {
      if (!isCompare(part)) throw new ScimError(400, 'invalidFilter', 'externalIds filter supports eq only');
      parts.set(part.attrPath.toLowerCase(), compareValue(part));
    }
    const authority = parts.get('authority');
    const value = parts.get('value');
    if (authority === undefined || value === undefined)
      throw new ScimError(400, 'invalidFilter', 'externalIds filter needs authority and value');
    return { kind: 'externalIds', authority, value };
  }
  if (f.op === 'and' || f.op === 'or' || f.op === 'not')
    throw new ScimError(400, 'invalidFilter', `Logical operator "${f.op}" is not supported`);
  if (!isCompare(f)) throw new ScimError(400, 'invalidFilter', `Operator "${f.op}" is not supported; only eq`);
  const attribute = attributeOf(f.attrPath);
  return { kind: 'compare', comparison: { attribute, value: compareValue(f) } };
}

/** Genesys documents unquoted values (`userName eq a@b.c`); IdPs send quoted ones. Accept both. */
function quoteBareValue(filter: string): string | undefined {
  const m = /^\s*([A-Za-z0-9_.:$-]+)\s+(eq)\s+(.+?)\s*$/i.exec(filter);
  if (!m || m[3].startsWith('"') || m[3].includes('[')) return undefined;
  return `${m[1]} ${m[2]} ${JSON.stringify(m[3])}`;
}

/**
 * scim2-parse-filter doubles every backslash not followed by a quote before JSON-decoding a quoted value, so
 * `"a\\b"` read as a\\b and `"\\"` failed to parse. Quoted values are JSON strings (RFC 7644 §3.4.2.2): they
 * are decoded here and handed to the library as placeholders ("$q<n>"), which carry no backslash. Every quoted
 * string of the text is replaced, so a placeholder can only be ours.
 */
const QUOTED = /"(?:[^"\\]|\\[\s\S])*"/g;
const PLACEHOLDER = /^\$q(\d+)$/;

function parseQuoted(filter: string): Filter {
  const values: string[] = [];
  const text = filter.replace(QUOTED, (literal) => {
    let value: unknown;
    try {
      value = JSON.parse(literal);
    } catch {
      throw new ScimError(400, 'invalidFilter', 'Invalid filter: a quoted value is not a valid JSON string');
    }
    values.push(value as string);
    return `"$q${values.length - 1}"`;
  });
  const ast = parse(text);
  restoreQuoted(ast, values);
  return ast;
}

function restoreQuoted(f: Filter, values: string[]): void {
  const node = f as Partial<{ compValue: unknown; filters: Filter[]; filter: Filter; valFilter: Filter }>;
  if (typeof node.compValue === 'string') {
    const m = PLACEHOLDER.exec(node.compValue);
    if (m) node.compValue = values[Number(m[1])];
  }
  for (const child of [...(node.filters ?? []), node.filter, node.valFilter]) if (child) restoreQuoted(child, values);
}

export function parseUserFilter(filter: string): UserFilter {
  let ast: Filter;
  try {
    ast = parseQuoted(filter);
  } catch (first) {
    if (first instanceof ScimError) throw first;
    const quoted = quoteBareValue(filter);
    if (!quoted) throw new ScimError(400, 'invalidFilter', `Invalid filter: ${(first as Error).message}`);
    try {
      ast = parseQuoted(quoted);
    } catch (second) {
      if (second instanceof ScimError) throw second;
      throw new ScimError(400, 'invalidFilter', `Invalid filter: ${(second as Error).message}`);
    }
  }
  return toUserFilter(ast);
}

export function matchesUserFilter(org: OrgStore, user: StoredUser, f: UserFilter): boolean {
  if (f.kind === 'externalIds') {
    if (f.authority === SCIM_EXTERNAL_ID_AUTHORITY) return user.externalId === f.value;
    return user.externalIds.some((x) => x.authority === f.authority && x.value === f.value);
  }
  const { attribute, value } = f.comparison;
  switch (attribute) {
    case 'id':
      return user.id === value;
    case 'username':
      return user.userName.toLowerCase() === value.toLowerCase();
    case 'externalid':
      return user.externalId === value;
    case 'active':
      if (value !== 'true' && value !== 'false')
        throw new ScimError(400, 'invalidFilter', 'active must be compared with true or false');
      return (user.state === 'active') === (value === 'true');
    case 'division':
      return org.divisionById(user.homeDivisionId)?.name === value;
    case 'email':
      return (
        user.userName.toLowerCase() === value.toLowerCase() ||
        user.emails.some((e) => e.value.toLowerCase() === value.toLowerCase())
      );
    case 'employeenumber':
      return user.employeeNumber === value;
    case 'manager':
      return user.managerId === value;
  }
}
