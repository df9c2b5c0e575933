// The roster CSV that `plan` and `start` take: one seasonal agent per row. Every bad row is reported with its
// line number, all at once. Messages never repeat an email or a name (they end up in terminals and CI logs);
// they name the column and, at most, the Okta user id.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { computeEntitlements } from '../domain/entitlements';
import type { OktaGroupRef } from '../domain/mapping';
import { closestNames, didYouMean } from '../domain/suggest';
import type { AgentIdentity } from '../domain/agent';
import { printable } from './printable';
import type { SeasonConfig } from './types';

/** The documented columns, in the documented order. */
export const ROSTER_COLUMNS = [
  'oktaUserId',
  'login',
  'email',
  'givenName',
  'familyName',
  'employeeNumber',
  'groups',
] as const;
const OPTIONAL_COLUMNS = new Set<string>(['employeeNumber']);
/** Okta group names are separated by semicolons within the groups cell (commas separate CSV cells). */
export const GROUP_SEPARATOR = ';';

export interface RosterRow {
  /** Line in the file (1 is the header). */
  line: number;
  agent: AgentIdentity;
  /** Okta group names (or 00g… ids) as written. */
  groups: string[];
}

export interface RosterProblem {
  line: number;
  message: string;
}

export interface Roster {
  file: string;
  rows: RosterRow[];
  problems: RosterProblem[];
}

const rowSchema = z.strictObject({
  oktaUserId: z
    .string()
    .regex(/^[A-Za-z0-9]{3,64}$/, 'must be an Okta user id (letters and digits, like 00u1a2b3c4D5e6F7g8h9)'),
  login: z.string().min(1, 'must not be empty').max(256, 'is too long').regex(/^\S+$/, 'must not contain blanks'),
  email: z.email({ error: 'is not a valid email address' }),
  givenName: z.string().min(1, 'must not be empty').max(100, 'is too long (100 characters at most)'),
  familyName: z.string().min(1, 'must not be empty').max(100, 'is too long (100 characters at most)'),
  employeeNumber: z.string().max(64, 'is too long (64 characters at most)').optional(),
  groups: z
    .array(z.string())
    .min(1, `must name at least one Okta group (several are separated by "${GROUP_SEPARATOR}")`),
});

interface ParsedRecord {
  record: string[];
  /** Bytes of the text read once the record (and its line break) was: where the record ends. */
  info: { bytes: number };
}

/**
 * Line numbers as an editor shows them (CR LF, a lone CR and a lone LF each end one line), from byte offsets.
 * csv-parse's own `lines` counts CR LF inside a quoted cell as two and drifts on mixed line endings.
 */
class LineIndex {
  /** Byte offsets just past each line break, ascending. */
  private readonly breakEnds: number[] = [];

  constructor(readonly bytes: Buffer) {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) this.breakEnds.push(i + 1);
    }
  }

  /** The line holding the byte at `offset`. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.breakEnds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.breakEnds[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }

  /** The last line of a record that ends (line break included) at `end`. */
  lineOfRecordEnding(end: number): number {
    let last = end - 1;
    if (this.bytes[last] === 0x0a) {
      last--;
      if (this.bytes[last] === 0x0d) last--;
    } else if (this.bytes[last] === 0x0d) last--;
    return this.lineAt(Math.max(0, last));
  }
}

function readRecords(text: string): { records: Array<{ record: string[]; line: number }>; problem?: RosterProblem } {
  const lines = new LineIndex(Buffer.from(text, 'utf8'));
  try {
    const records = parse(text, {
      info: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as ParsedRecord[];
    return { records: records.map((r) => ({ record: r.record, line: lines.lineOfRecordEnding(r.info.bytes) })) };
  } catch (err) {
    const at = (err as { bytes?: unknown }).bytes;
    const line = typeof at === 'number' ? lines.lineAt(Math.min(at, Math.max(0, lines.bytes.length - 1))) : 1;
    // csv-parse quotes the offending cell ("value is ..."): it may be an email or a name, so it is cut off; its
    // "at line N" is its own count, which can disagree with the line reported.
    const reason =
      err instanceof Error
        ? err.message
            .replace(/^Invalid .*?: /, '')
            .replace(/, value is [\s\S]*$/, '')
            .replace(/ at line \d+/, '')
            .split(':')[0]!
        : 'unreadable CSV';
    return { records: [], problem: { line, message: `not valid CSV (${printable(reason)})` } };
  }
}

function checkHeader(header: string[]): { problems: RosterProblem[]; index: Map<string, number> } {
  const problems: RosterProblem[] = [];
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (!(ROSTER_COLUMNS as readonly string[]).includes(name)) {
      problems.push({
        line: 1,
        message: `unknown column "${printable(name)}"${didYouMean(closestNames(name, ROSTER_COLUMNS, 1))} (columns: ${ROSTER_COLUMNS.join(', ')})`,
      });
    } else if (index.has(name)) {
      problems.push({ line: 1, message: `column "${printable(name)}" appears twice` });
    } else index.set(name, i);
  });
  for (const col of ROSTER_COLUMNS) {
    if (!OPTIONAL_COLUMNS.has(col) && !index.has(col))
      problems.push({ line: 1, message: `missing column "${col}" (columns: ${ROSTER_COLUMNS.join(', ')})` });
  }
  return { problems, index };
}

function rowObject(record: string[], index: Map<string, number>): Record<string, unknown> {
  const cell = (name: string) => record[index.get(name) ?? -1] ?? '';
  const out: Record<string, unknown> = {};
  for (const col of ROSTER_COLUMNS) {
    if (!index.has(col)) continue;
    if (col === 'groups') {
      out.groups = cell(col)
        .split(GROUP_SEPARATOR)
        .map((g) => g.trim())
        .filter((g) => g !== '');
    } else if (col === 'employeeNumber') {
      if (cell(col) !== '') out.employeeNumber = cell(col);
    } else out[col] = cell(col);
  }
  return out;
}

/** Parses a roster; `file` is only used in messages. Rows with problems are left out of `rows`. */
export function parseRoster(text: string, file: string): Roster {
  const { records, problem } = readRecords(text);
  if (problem) return { file, rows: [], problems: [problem] };
  if (records.length === 0)
    return {
      file,
      rows: [],
      problems: [{ line: 1, message: `the roster is empty (expected a header line: ${ROSTER_COLUMNS.join(',')})` }],
    };
  const { problems, index } = checkHeader(records[0]!.record);
  if (problems.length > 0) return { file, rows: [], problems };

  const rows: RosterRow[] = [];
  const firstLineOf = { id: new Map<string, number>(), login: new Map<string, number>() };
  for (const { record, line } of records.slice(1)) {
    if (record.length !== index.size) {
      problems.push({
        line,
        message: `has ${record.length} cells, the header has ${index.size} (a comma inside a value needs "quotes")`,
      });
      continue;
    }
    const parsed = rowSchema.safeParse(rowObject(record, index));
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ line, message: `${String(issue.path[0] ?? 'row')} ${issue.message}` });
      continue;
    }
    const r = parsed.data;
    const login = r.login.toLowerCase();
    const sameId = firstLineOf.id.get(r.oktaUserId);
    const sameLogin = firstLineOf.login.get(login);
    if (sameId !== undefined)
      problems.push({ line, message: `oktaUserId ${r.oktaUserId} already appears on line ${sameId}` });
    if (sameLogin !== undefined) problems.push({ line, message: `login already appears on line ${sameLogin}` });
    if (sameId !== undefined || sameLogin !== undefined) continue;
    firstLineOf.id.set(r.oktaUserId, line);
    firstLineOf.login.set(login, line);
    const agent: AgentIdentity = {
      oktaUserId: r.oktaUserId,
      login: r.login,
      email: r.email,
      givenName: r.givenName,
      familyName: r.familyName,
    };
    if (r.employeeNumber !== undefined) agent.employeeNumber = r.employeeNumber;
    rows.push({ line, agent, groups: [...new Set(r.groups)] });
  }
  return { file, rows, problems: problems.sort((a, b) => a.line - b.line) };
}

/** A roster cell names a group by name, or by id when it looks like an Okta group id. */
export function groupRefFromRoster(value: string): OktaGroupRef {
  return /^00g[A-Za-z0-9]{10,}$/.test(value) ? { id: value } : { id: value, name: value };
}

/**
 * Rows whose groups the season does not map would start a workflow that ends at once: report them as bad rows.
 * `refs` resolves roster group cells to Okta groups (names → ids through Okta, when available).
 */
export function checkRosterAgainstSeason(
  roster: Roster,
  season: SeasonConfig,
  refs: (groups: string[]) => OktaGroupRef[] = (groups) => groups.map(groupRefFromRoster),
): RosterProblem[] {
  const mapped = season.mapping.rules.map((r) => r.group);
  const problems: RosterProblem[] = [];
  for (const row of roster.rows) {
    if (computeEntitlements(season.mapping, refs(row.groups)).matchedGroups.length > 0) continue;
    const hints = row.groups.map((g) => closestNames(g, mapped, 1)[0]).filter((g): g is string => g !== undefined);
    problems.push({
      line: row.line,
      message:
        `none of its groups (${row.groups.map((g) => JSON.stringify(g)).join(', ')}) is mapped by season ${season.id}` +
        (hints.length > 0 ? didYouMean([...new Set(hints)]) : ` (mapped: ${mapped.join(', ')})`),
    });
  }
  return problems;
}

export function formatRosterProblem(file: string, p: RosterProblem): string {
  return `${file}:${p.line}: ${p.message}`;
}
