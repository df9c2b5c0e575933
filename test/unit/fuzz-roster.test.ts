// Property-based fuzzing of the roster CSV (issue 16): random text, and generated rosters (columns in any order,
// names with commas, quotes, line breaks, unicode and control characters) mutated by unknown, missing and
// repeated columns, broken cells, extra cells, repeated rows, stray quotes, blank lines, CRLF and a BOM.
// Whatever the text: no exception; every problem names a line of the file on one printable line, never an email
// or a name; every data row is either accepted exactly as written or reported on its own line.
import fc from 'fast-check';
import { parseRoster, ROSTER_COLUMNS, type Roster } from '../../config/load-roster';
import { fuzz, nastyString } from '../support/fuzz';

type Column = (typeof ROSTER_COLUMNS)[number];
type Cells = Record<Column, string>;

/** Every login, email and name carries this marker, so a message that repeats one is easy to catch. */
const PII = 'pii';
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** Lines as an editor counts them: CRLF, a lone CR or LF each end one (the reader counts the same way). */
const lineCountOf = (text: string): number => text.split(/\r\n|\r|\n/).length;

/** CSV quoting as a spreadsheet writes it: quotes around a cell with a separator, quote or line break. */
const cellText = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

// Built once: the roster generator asks for them per row, and compiling a regex arbitrary each time is slow.
const ALNUM = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
const alnum = (min: number, max: number) =>
  fc.array(fc.constantFrom(...ALNUM), { minLength: min, maxLength: max }).map((c) => c.join(''));
const ID_PART = alnum(3, 20);
const LOCAL_PART = alnum(1, 12);
const EMPLOYEE_NUMBER = fc.oneof(fc.constant(''), alnum(1, 10));
/** Names may hold anything but must not start or end with blanks (the reader trims cells). */
const name = nastyString({ maxLength: 8 }).map((middle) => `P${PII}${middle}q`.slice(0, 100));
const groupName = fc.oneof(
  fc.constantFrom('Retail-Holiday-Agents', 'Retail-Holiday-Chat', '00g1a2b3c4d5e6f7g8h9'),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _&.-]{0,20}[A-Za-z0-9]$/),
);

/** A valid row; `i` makes ids and logins unique within the roster. */
const validCells = (i: number): fc.Arbitrary<Cells> =>
  fc.record({
    oktaUserId: ID_PART.map((s) => `00u${s}x${i}`),
    login: LOCAL_PART.map((s) => `${PII}${s}${i}@retail.example`),
    email: LOCAL_PART.map((s) => `${PII}.${s}@retail.example`),
    givenName: name,
    familyName: name,
    employeeNumber: EMPLOYEE_NUMBER,
    groups: fc
      .tuple(fc.array(groupName, { minLength: 1, maxLength: 3 }), fc.constantFrom(';', ' ; ', ';;'))
      .map(([groups, separator]) => groups.join(separator)),
  });

/** Values a broken export or a careless edit leaves in a cell. */
const badCell = fc.oneof(
  fc.constantFrom('', ' ', 'not-an-email', 'has space', 'x'.repeat(300), '00u', ';', ';;;', '\u0000', '=cmd|x'),
  nastyString({ maxLength: 6 }),
);

interface Spec {
  header: string[];
  rows: Array<{ cells: string[]; expected?: Cells }>;
}

type Mutation =
  | { op: 'unknownColumn'; at: number; column: string }
  | { op: 'dropColumn'; at: number }
  | { op: 'repeatColumn'; at: number }
  | { op: 'badCell'; row: number; at: number; value: string }
  | { op: 'extraCell'; row: number; value: string }
  | { op: 'repeatRow'; row: number }
  | { op: 'strayQuote'; row: number; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    op: fc.constant('unknownColumn' as const),
    at: fc.nat(),
    column: fc.oneof(
      fc.constantFrom('group', 'firstName', 'Email', '__proto__', 'constructor'),
      nastyString({ minLength: 1, maxLength: 8 }),
    ),
  }),
  fc.record({ op: fc.constant('dropColumn' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('repeatColumn' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('badCell' as const), row: fc.nat(), at: fc.nat(), value: badCell }),
  fc.record({ op: fc.constant('extraCell' as const), row: fc.nat(), value: badCell }),
  fc.record({ op: fc.constant('repeatRow' as const), row: fc.nat() }),
  fc.record({ op: fc.constant('strayQuote' as const), row: fc.nat(), at: fc.nat() }),
);

function applyMutation(spec: Spec, m: Mutation): void {
  const width = spec.header.length;
  const row = 'row' in m ? spec.rows[m.row % Math.max(1, spec.rows.length)] : undefined;
  switch (m.op) {
    case 'unknownColumn':
      if ((ROSTER_COLUMNS as readonly string[]).includes(m.column.trim())) return;
      spec.header.splice(m.at % (width + 1), 0, m.column);
      for (const r of spec.rows) r.cells.splice(m.at % (width + 1), 0, 'extra');
      return;
    case 'dropColumn':
      spec.header.splice(m.at % width, 1);
      for (const r of spec.rows) r.cells.splice(m.at % width, 1);
      return;
    case 'repeatColumn':
      spec.header.push(spec.header[m.at % width]!);
      for (const r of spec.rows) r.cells.push(r.cells[m.at % width]!);
      return;
    case 'badCell':
      if (!row) return;
      row.cells[m.at % row.cells.length] = m.value;
      delete row.expected;
      return;
    case 'extraCell':
      if (!row) return;
      row.cells.push(m.value);
      delete row.expected;
      return;
    case 'repeatRow':
      if (row) spec.rows.push({ cells: [...row.cells] });
      return;
    case 'strayQuote':
      if (!row) return;
      row.cells[m.at % row.cells.length] = `x"${row.cells[m.at % row.cells.length]}`;
      delete row.expected;
      return;
  }
}

/** The text of the roster, and the line each data row ends on (where the reader reports it). */
function render(spec: Spec, style: { crlf: boolean; bom: boolean; blankAfter: number[]; quoteAll: boolean }) {
  const eol = style.crlf ? '\r\n' : '\n';
  // A stray quote must stay raw to break the CSV; every other cell is quoted as a spreadsheet would.
  const cell = (v: string) => (v.startsWith('x"') ? v : style.quoteAll ? `"${v.replace(/"/g, '""')}"` : cellText(v));
  let text = (style.bom ? '\ufeff' : '') + spec.header.map(cell).join(',') + eol;
  const lines: number[] = [];
  spec.rows.forEach((r, i) => {
    text += r.cells.map(cell).join(',');
    lines.push(lineCountOf(text));
    text += eol;
    if (style.blankAfter.includes(i)) text += eol;
  });
  return { text, lines };
}

function expectWellFormed(text: string, roster: Roster): void {
  const lineCount = lineCountOf(text);
  for (const p of roster.problems) {
    expect(Number.isInteger(p.line)).toBe(true);
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lineCount);
    expect(p.message).not.toBe('');
    expect(p.message).not.toMatch(CONTROL);
    expect(p.message).not.toMatch(/\n\s+at |Error:/);
    // Messages go to terminals and CI logs: never a login, an email or a name.
    expect(p.message.toLowerCase()).not.toContain(PII);
  }
  for (const r of roster.rows) expect(r.line).toBeGreaterThanOrEqual(2);
}

const HEADER_FIRST_LINE = 1;

describe('roster CSV fuzz', () => {
  // Counterexamples the fuzz found, kept whatever the seed.
  it('regression: a stray quote is reported without the cell it is in (it may be a login or a name)', () => {
    const roster = parseRoster(`${ROSTER_COLUMNS.join(',')}\n00u1abc,jane"pii@x.example,a@b.example,J,D,,G`, 'r.csv');
    expect(roster.problems).toEqual([{ line: 2, message: 'not valid CSV (a quote is found on field 1)' }]);
  });

  it('regression: a CR LF inside a quoted cell counts as one line, so later rows keep their editor line', () => {
    const header = 'oktaUserId,login,email,givenName,familyName,groups';
    const text = `${header}\n00uaaa1,a1@x.example,a@x.example,"A\r\nb",B,G\n00uaaa2,a2@x.example,a@x.example,A,B,G\r\n\n00u3,,,A,B,G`;
    const roster = parseRoster(text, 'r.csv');
    expect(roster.rows.map((r) => r.line)).toEqual([3, 4]);
    expect([...new Set(roster.problems.map((p) => p.line))]).toEqual([6]);
  });

  it('regression: a control character in a column name is shown escaped, on one line', () => {
    const roster = parseRoster(`${ROSTER_COLUMNS.join(',')},\u0000x\u001b[2J`, 'r.csv');
    expect(roster.problems).toEqual([
      { line: 1, message: expect.stringContaining('unknown column "\\u0000x\\u001b[2J"') },
    ]);
  });

  it('random text (fully random, and built from CSV punctuation) → rows or problems on lines of the file (1000 cases)', () => {
    const csvish = fc
      .array(
        fc.oneof(
          fc.constantFrom(',', '"', '""', '\n', '\r\n', '\r', ';', ' ', '\t', '\ufeff', ROSTER_COLUMNS.join(',')),
          fc.constantFrom(...ROSTER_COLUMNS),
          nastyString({ maxLength: 4 }),
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join(''));
    fuzz(
      'roster: random text',
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), csvish), (text) => {
        const roster = parseRoster(text, 'r.csv');
        expectWellFormed(text, roster);
      }),
      { numRuns: 1000, examples: [[''], ['\ufeff'], ['\n\n'], [`${ROSTER_COLUMNS.join(',')}\n`]] },
    );
  });

  it('generated rosters, mutated → every row accepted as written or reported on its line (500 cases)', () => {
    // Columns in any order, with or without the optional employeeNumber.
    const header = fc.boolean().chain((withEmployee) => {
      const columns = ROSTER_COLUMNS.filter((c) => withEmployee || c !== 'employeeNumber');
      return fc.shuffledSubarray(columns, { minLength: columns.length, maxLength: columns.length });
    });
    const roster = fc.tuple(
      header,
      fc.integer({ min: 0, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => validCells(i)))),
    );
    const style = fc.record({
      crlf: fc.boolean(),
      bom: fc.boolean(),
      blankAfter: fc.array(fc.nat({ max: 6 }), { maxLength: 2 }),
      quoteAll: fc.boolean(),
    });
    fuzz(
      'roster: generated and mutated',
      fc.property(roster, fc.array(mutation, { maxLength: 2 }), style, ([header, rows], mutations, how) => {
        const spec: Spec = {
          header: [...header],
          rows: rows.map((cells) => ({ cells: header.map((c) => cells[c]), expected: cells })),
        };
        for (const m of mutations) applyMutation(spec, m);
        const { text, lines } = render(spec, how);
        const result = parseRoster(text, 'r.csv');
        expectWellFormed(text, result);

        const csvBroken = result.problems.filter((p) => p.message.startsWith('not valid CSV'));
        if (csvBroken.length > 0) {
          // The reader stopped: one problem for the file, nothing accepted.
          expect(result.problems).toHaveLength(1);
          expect(result.rows).toEqual([]);
          return;
        }
        const headerProblems = result.problems.filter((p) => p.line === HEADER_FIRST_LINE);
        // Every column of the final header that is not a roster column is named (after the other edits).
        // (Checked by exact text for names without blanks or controls at the ends, which the reader would trim.)
        for (const column of spec.header) {
          const known = (ROSTER_COLUMNS as readonly string[]).includes(column.trim());
          if (known || column !== column.trim() || CONTROL.test(column)) continue;
          expect(headerProblems.map((p) => p.message)).toContainEqual(
            expect.stringContaining(`unknown column "${column}"`),
          );
        }
        if (headerProblems.length > 0) {
          expect(result.rows).toEqual([]);
          return;
        }
        // Nothing lost: each data row is either a row equal to what was written, or a problem on its line.
        spec.rows.forEach((r, i) => {
          const line = lines[i]!;
          const accepted = result.rows.filter((row) => row.line === line);
          const reported = result.problems.filter((p) => p.line === line);
          expect(accepted.length + Math.min(1, reported.length)).toBe(1);
          if (
            r.expected &&
            accepted.length === 1 &&
            spec.rows.slice(0, i).every((o) => o.cells.join() !== r.cells.join())
          ) {
            const e = r.expected;
            expect(accepted[0]!.agent).toEqual({
              oktaUserId: e.oktaUserId,
              login: e.login,
              email: e.email,
              givenName: e.givenName,
              familyName: e.familyName,
              ...(spec.header.includes('employeeNumber') && e.employeeNumber !== ''
                ? { employeeNumber: e.employeeNumber }
                : {}),
            });
            expect(accepted[0]!.groups).toEqual([
              ...new Set(
                e.groups
                  .split(';')
                  .map((g) => g.trim())
                  .filter((g) => g !== ''),
              ),
            ]);
          }
        });
        expect(result.rows.length + new Set(result.problems.map((p) => p.line)).size).toBe(spec.rows.length);
      }),
      { numRuns: 500 },
    );
  });
});
