// Property-based fuzzing of the Genesys emulator's SCIM list filter (issue 16), over real loopback HTTP: fully
// random strings, and filters generated from the RFC 7644 grammar (attr op value with eq/ne/co/sw/ew/gt/lt/ge/le/pr,
// and/or/not, parentheses, value paths, quoted values with escapes, bare values). Every answer is either 400 with
// scimType invalidFilter, or exactly the users a small reference evaluator written here picks from the org — the
// emulator's documented subset: `eq` on id, userName, externalId, active, division, email, employeeNumber,
// manager (short or URN-qualified), and externalIds[authority eq .. and value eq ..].
import fc from 'fast-check';
import { startGenesysEmulator, type GenesysEmulator } from '../../emulators/genesys';
import { call, CORE, ENTERPRISE, getToken, newUserBody } from '../integration/genesys-emulator-helpers';
import { fuzzAsync } from '../support/fuzz';

const ORG = 'retail-us';
const GENESYS_USER = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
const PC_AUTHORITY = 'x-pc:scimv2:v1';

/** What the reference evaluator knows of a user (from what we created and the emulator's own state). */
interface KnownUser {
  id: string;
  userName: string;
  externalId?: string;
  active: boolean;
  division: string;
  emails: string[];
  employeeNumber?: string;
}

/** Users with the values filters trip over: case, quotes, a backslash, blanks, digits-only ids, an inactive one. */
const CREATED = [
  {
    userName: 'ann.seasonal@retail-us.example',
    externalId: '00uANN',
    division: 'Holiday Overflow',
    employeeNumber: 'S-1',
    email: 'ann.work@retail-us.example',
    active: true,
  },
  {
    userName: 'Bob.Seasonal@retail-us.example',
    externalId: '1000',
    division: 'E-Commerce',
    employeeNumber: '1000',
    email: 'bob@retail-us.example',
    active: false,
  },
  {
    userName: 'carla"q@retail-us.example',
    externalId: 'ext with space',
    division: 'Holiday Overflow',
    employeeNumber: '007',
    email: 'c@retail-us.example',
    active: true,
  },
  {
    userName: 'back\\slash@retail-us.example',
    externalId: 'a\\b',
    division: 'Retail Stores',
    employeeNumber: 'x"y',
    email: 'b\\s@retail-us.example',
    active: true,
  },
];

let emulator: GenesysEmulator;
let token: string;
let users: KnownUser[] = [];

beforeAll(async () => {
  // The filter's semantics only: no search lag (users are created and filtered at once; the lag has its own tests).
  emulator = await startGenesysEmulator({
    port: 0,
    rateLimitPerMinute: 1_000_000,
    searchLagMs: 0,
    newUserNotFoundMs: 0,
  });
  token = await getToken(emulator.url);
  const extra = new Map<string, { emails: string[]; employeeNumber?: string }>();
  for (const u of CREATED) {
    const res = await call<{ id: string }>(emulator.url, 'POST', '/api/v2/scim/v2/users', {
      token,
      contentType: 'application/scim+json',
      body: newUserBody(u.userName, {
        schemas: [CORE, ENTERPRISE, GENESYS_USER],
        externalId: u.externalId,
        active: u.active,
        emails: [{ value: u.email, type: 'work', primary: true }],
        [ENTERPRISE]: { division: u.division, employeeNumber: u.employeeNumber },
      }),
    });
    if (res.status !== 201) throw new Error(`create ${u.userName}: ${res.status} ${JSON.stringify(res.body)}`);
    extra.set(res.body.id, { emails: [u.email], employeeNumber: u.employeeNumber });
  }
  users = emulator
    .inspect(ORG)
    .users.filter((u) => !u.deleted)
    .map((u) => ({
      id: u.id,
      userName: u.userName,
      ...(u.externalId !== undefined ? { externalId: u.externalId } : {}),
      active: u.active,
      division: u.homeDivision.name,
      emails: extra.get(u.id)?.emails ?? [],
      ...(extra.get(u.id)?.employeeNumber !== undefined ? { employeeNumber: extra.get(u.id)!.employeeNumber } : {}),
    }));
  expect(users.length).toBeGreaterThanOrEqual(CREATED.length + 2);
  expect(users.some((u) => !u.active)).toBe(true);
});

afterAll(async () => {
  await emulator.close();
});

/** GET /users?filter=… → 'invalidFilter' or the ids of the users listed. */
async function list(filter: string): Promise<'invalidFilter' | string[]> {
  const res = await call<{ Resources?: Array<{ id: string }>; scimType?: string; status?: string }>(
    emulator.url,
    'GET',
    `/api/v2/scim/v2/users?filter=${encodeURIComponent(filter)}`,
    { token },
  );
  if (res.status === 400) {
    expect(res.body).toMatchObject({ scimType: 'invalidFilter', status: '400' });
    return 'invalidFilter';
  }
  expect(res.status).toBe(200);
  return (res.body.Resources ?? []).map((u) => u.id).sort();
}

// ---- the grammar and the reference evaluator -------------------------------------------------------------------

type Value =
  { kind: 'string'; v: string } | { kind: 'number'; v: number } | { kind: 'bool'; v: boolean } | { kind: 'null' };
type Ast =
  | { t: 'cmp'; attr: string; op: string; value: Value }
  | { t: 'pr'; attr: string; op: string }
  | { t: 'logic'; op: string; items: Ast[] }
  | { t: 'not'; op: string; item: Ast }
  | { t: 'paren'; item: Ast }
  | { t: 'path'; attr: string; inner: Ast };

/** Attribute → what it reads of a user (undefined: not filterable in the emulator). */
const ATTRIBUTES: Record<string, ((u: KnownUser, v: string) => boolean) | undefined> = {
  id: (u, v) => u.id === v,
  username: (u, v) => u.userName.toLowerCase() === v.toLowerCase(),
  externalid: (u, v) => u.externalId === v,
  active: (u, v) => u.active === (v === 'true'),
  division: (u, v) => u.division === v,
  email: (u, v) => [u.userName, ...u.emails].some((e) => e.toLowerCase() === v.toLowerCase()),
  emails: (u, v) => [u.userName, ...u.emails].some((e) => e.toLowerCase() === v.toLowerCase()),
  'emails.value': (u, v) => [u.userName, ...u.emails].some((e) => e.toLowerCase() === v.toLowerCase()),
  employeenumber: (u, v) => u.employeeNumber === v,
  manager: () => false,
  'manager.value': () => false,
};

function attributeReader(attr: string): ((u: KnownUser, v: string) => boolean) | undefined {
  let lower = attr.toLowerCase();
  for (const urn of [CORE, ENTERPRISE])
    if (lower.startsWith(`${urn.toLowerCase()}:`)) lower = lower.slice(urn.length + 1);
  return Object.hasOwn(ATTRIBUTES, lower) ? ATTRIBUTES[lower] : undefined;
}

const valueText = (value: Value): string | undefined =>
  value.kind === 'null' ? undefined : value.kind === 'string' ? value.v : String(value.v);

/** The reference: the ids the filter selects, or 'invalidFilter'. */
function evaluate(ast: Ast): 'invalidFilter' | string[] {
  while (ast.t === 'paren') ast = ast.item;
  let keep: (u: KnownUser) => boolean;
  if (ast.t === 'cmp' && ast.op.toLowerCase() === 'eq') {
    const read = attributeReader(ast.attr);
    const v = valueText(ast.value);
    if (!read || v === undefined) return 'invalidFilter';
    if (read === ATTRIBUTES.active && v !== 'true' && v !== 'false') return 'invalidFilter';
    keep = (u) => read(u, v);
  } else if (
    ast.t === 'path' &&
    ['externalids', `${GENESYS_USER}:externalids`.toLowerCase()].includes(ast.attr.toLowerCase())
  ) {
    let inner = ast.inner;
    while (inner.t === 'paren') inner = inner.item;
    if (inner.t !== 'logic' || inner.op.toLowerCase() !== 'and' || inner.items.length !== 2) return 'invalidFilter';
    const parts = new Map<string, string>();
    for (const part of inner.items) {
      if (part.t !== 'cmp' || part.op.toLowerCase() !== 'eq') return 'invalidFilter';
      const v = valueText(part.value);
      if (v === undefined) return 'invalidFilter';
      parts.set(part.attr.toLowerCase(), v);
    }
    const authority = parts.get('authority');
    const value = parts.get('value');
    if (authority === undefined || value === undefined) return 'invalidFilter';
    // Only the PureCloud authority exists in this org: it mirrors externalId.
    keep = (u) => authority === PC_AUTHORITY && u.externalId === value;
  } else return 'invalidFilter';
  return users
    .filter(keep)
    .map((u) => u.id)
    .sort();
}

const spaces = fc.constantFrom(' ', '  ', '\t');
const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((up) => [...word].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

const attrName = fc
  .oneof(
    fc.constantFrom('id', 'userName', 'externalId', 'active', 'division', 'email', 'emails', 'emails.value'),
    fc.constantFrom('employeeNumber', 'manager', 'manager.value', 'displayName', 'name.givenName', 'title', 'groups'),
    fc.constantFrom(`${CORE}:userName`, `${ENTERPRISE}:division`, `${ENTERPRISE}:employeeNumber`, `${CORE}:title`),
  )
  .chain((a) => fc.oneof(fc.constant(a), anyCase(a)));

/** Values that hit (the users' own, in any case) and values that miss, with quotes, backslashes and unicode. */
const knownText = fc.constantFrom(
  ...CREATED.flatMap((u) => [u.userName, u.externalId, u.division, u.employeeNumber, u.email]),
  'dana.permanent@retail-us.example',
  'perm-0001',
  'Home',
  'true',
  'false',
  PC_AUTHORITY,
);
const textValue = fc.oneof(
  knownText,
  knownText.chain(anyCase),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('"', '\\', '\\"', '\u0000', 'a\nb', '😀', ''),
);
const value: fc.Arbitrary<Value> = fc.oneof(
  { weight: 5, arbitrary: textValue.map((v) => ({ kind: 'string' as const, v })) },
  fc.nat({ max: 99999 }).map((v) => ({ kind: 'number' as const, v })),
  fc.boolean().map((v) => ({ kind: 'bool' as const, v })),
  fc.constant({ kind: 'null' as const }),
);

const { ast } = fc.letrec<{ ast: Ast; cmp: Ast }>((tie) => ({
  cmp: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant('cmp' as const),
        attr: attrName,
        op: fc.constantFrom('eq', 'eq', 'eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le').chain(anyCase),
        value,
      }),
    },
    fc.record({ t: fc.constant('pr' as const), attr: attrName, op: anyCase('pr') }),
  ),
  ast: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: tie('cmp') },
    fc.record({
      t: fc.constant('logic' as const),
      op: fc.constantFrom('and', 'or').chain(anyCase),
      items: fc.array(tie('ast'), { minLength: 2, maxLength: 3 }),
    }),
    fc.record({ t: fc.constant('not' as const), op: anyCase('not'), item: tie('ast') }),
    fc.record({ t: fc.constant('paren' as const), item: tie('ast') }),
    fc.record({
      t: fc.constant('path' as const),
      attr: fc.constantFrom('externalIds', `${GENESYS_USER}:externalIds`, 'emails', 'EXTERNALIDS'),
      inner: fc.oneof(
        fc.tuple(textValue, textValue, fc.boolean()).map(([authority, v, swap]): Ast => {
          const a: Ast = { t: 'cmp', attr: 'authority', op: 'eq', value: { kind: 'string', v: authority } };
          const b: Ast = { t: 'cmp', attr: 'value', op: 'eq', value: { kind: 'string', v } };
          return { t: 'logic', op: 'and', items: swap ? [b, a] : [a, b] };
        }),
        tie('ast'),
      ),
    }),
  ),
}));

/** Renders the AST; `and`/`or`/`not` operands are parenthesised so the text means what the AST says. */
function render(a: Ast, sp: string): string {
  switch (a.t) {
    case 'cmp': {
      const v = a.value;
      const text = v.kind === 'string' ? JSON.stringify(v.v) : v.kind === 'null' ? 'null' : String(v.v);
      return `${a.attr}${sp}${a.op}${sp}${text}`;
    }
    case 'pr':
      return `${a.attr}${sp}${a.op}`;
    case 'logic':
      return a.items.map((i) => `(${render(i, sp)})`).join(`${sp}${a.op}${sp}`);
    case 'not':
      return `${a.op}${sp}(${render(a.item, sp)})`;
    case 'paren':
      return `(${render(a.item, sp)})`;
    case 'path':
      return `${a.attr}[${render(a.inner, sp)}]`;
  }
}

describe('Genesys emulator SCIM filter fuzz', () => {
  it('grammar-generated filters → 400 invalidFilter or exactly the reference evaluator’s users (400 cases)', async () => {
    await fuzzAsync(
      'scim: grammar filters',
      fc.asyncProperty(ast, spaces, async (a, sp) => {
        expect(await list(render(a, sp))).toEqual(evaluate(a));
      }),
      {
        numRuns: 400,
        examples: [
          // Found by this fuzz: the parser library mis-decoded JSON escapes, so a value of one backslash was 400
          // and a userName holding a backslash (what the client's JSON quoting sends) matched nobody.
          [
            {
              t: 'path',
              attr: 'externalIds',
              inner: {
                t: 'logic',
                op: 'and',
                items: [
                  { t: 'cmp', attr: 'authority', op: 'eq', value: { kind: 'string', v: '\\' } },
                  { t: 'cmp', attr: 'value', op: 'eq', value: { kind: 'string', v: 'ann.seasonal@retail-us.example' } },
                ],
              },
            },
            ' ',
          ],
          [
            { t: 'cmp', attr: 'userName', op: 'eq', value: { kind: 'string', v: 'BACK\\slash@retail-us.example' } },
            ' ',
          ],
          [{ t: 'cmp', attr: 'employeeNumber', op: 'eq', value: { kind: 'string', v: 'x"y' } }, ' '],
        ],
      },
    );
  });

  it('bare (unquoted) values, as Genesys documents them → the users whose value is that text (150 cases)', async () => {
    const word = fc
      .stringMatching(/^[A-Za-z][A-Za-z0-9@._-]{0,12}$/)
      .filter((w) => !/^(true|false|null|not|and|or)$/i.test(w));
    const bare = fc.oneof(
      fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
      fc.constantFrom(
        ...CREATED.map((u) => u.userName).filter((n) => /^[A-Za-z][\w@.-]*$/.test(n)),
        'Holiday Overflow',
        'Retail Stores',
      ),
    );
    const attr = fc
      .constantFrom('userName', 'division', 'email', 'externalId', 'employeeNumber')
      .chain((a) => fc.oneof(fc.constant(a), anyCase(a)));
    await fuzzAsync(
      'scim: bare values',
      fc.asyncProperty(attr, anyCase('eq'), bare, async (at, op, v) => {
        const expected = evaluate({ t: 'cmp', attr: at, op, value: { kind: 'string', v } });
        expect(await list(`${at} ${op} ${v}`)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('fully random strings → 400 invalidFilter or a 200 list, never another answer (400 cases)', async () => {
    const filterish = fc
      .array(
        fc.oneof(
          fc.constantFrom(' ', 'eq', 'ne', 'pr', 'and', 'or', 'not', '(', ')', '[', ']', '"', '\\', '.', ':'),
          fc.constantFrom('userName', 'active', 'externalIds', 'true', 'null', '1e3', '-1', '"x"', PC_AUTHORITY),
          fc.string({ maxLength: 3 }),
        ),
        { maxLength: 12 },
      )
      .map((p) => p.join(''));
    await fuzzAsync(
      'scim: random strings',
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), filterish), async (f) => {
        const result = await list(f);
        if (result === 'invalidFilter') return;
        // Whatever it read, it lists only users of the org, never a deleted one; an empty filter lists active ones.
        const known = new Set(users.map((u) => u.id));
        for (const id of result) expect(known.has(id)).toBe(true);
        if (f.trim() === '')
          expect(result).toEqual(
            users
              .filter((u) => u.active)
              .map((u) => u.id)
              .sort(),
          );
      }),
      { numRuns: 400 },
    );
  });
});
