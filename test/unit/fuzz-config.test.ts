// Property-based fuzzing of the config loader (issue 16): random YAML, and the shipped orgs.yaml and season file
// mutated (unknown keys anywhere, deletions, type changes, huge numbers, control characters, deep nesting,
// duplicated keys). Whatever the text, the loader answers a valid config or problems that each name the file, a
// line of the file and a path, on one line, without a stack; an unknown key is never dropped silently.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import { ConfigError, formatProblem, parseOrgs, parseSeason, type ConfigProblem } from '../../config/load';
import { formatPath } from '../../config/schema-errors';
import { UserError } from '../../platform/errors';
import { fuzz, nastyString } from '../support/fuzz';

const CONFIG = path.resolve(__dirname, '../../config');
const ORGS_TEXT = readFileSync(path.join(CONFIG, 'orgs.yaml'), 'utf8');
const SEASON_TEXT = readFileSync(path.join(CONFIG, 'seasons/retail-holiday-2026.yaml'), 'utf8');
const SEASON_FILE = 'config/seasons/retail-holiday-2026.yaml';
const ORGS_FILE = 'config/orgs.yaml';

type YamlPath = Array<string | number>;
type Outcome = { problems: ConfigProblem[]; valid: boolean };

const { orgs: ORGS } = parseOrgs(ORGS_FILE, ORGS_TEXT);

const TARGETS = {
  season: {
    file: SEASON_FILE,
    text: SEASON_TEXT,
    load: (text: string): Outcome => {
      const r = parseSeason(SEASON_FILE, text, ORGS);
      return { problems: r.problems, valid: r.season !== undefined };
    },
    required: [
      /^(id|org|start|end|timeZone|mapping)$/,
      /^mapping\[\d+\]\.group$/,
      /^mapping\[\d+\]\.roles\[\d+\]\.(role|divisions)$/,
      /^mapping\[\d+\]\.(skills|languages)\[\d+\]\.(name|proficiency)$/,
    ],
  },
  orgs: {
    file: ORGS_FILE,
    text: ORGS_TEXT,
    load: (text: string): Outcome => {
      const r = parseOrgs(ORGS_FILE, text);
      return { problems: r.problems, valid: r.problems.length === 0 };
    },
    required: [
      /^orgs$/,
      /^orgs\[\d+\]\.(id|genesys)$/,
      /^orgs\[\d+\]\.genesys\.(clientId|clientSecretEnv)$/,
      /^orgs\[\d+\]\.okta\.(orgUrl|apiTokenEnv)$/,
    ],
  },
} as const;
type TargetName = keyof typeof TARGETS;

// Controls, format characters (bidi overrides, zero-width) and Unicode line breaks: any of them would split or
// garble the one-line message in a terminal.
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** What a message shows for text the admin wrote: JSON quoting, with what JSON leaves raw spelled \\u too. */
const shownText = (text: string): string =>
  JSON.stringify(text).replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });

/** The loader's promise for any text: problems or a config, never both, each problem well located. */
function expectWellFormed(file: string, text: string, outcome: Outcome): void {
  const lineCount = text.split(/\r\n|\r|\n/).length;
  if (outcome.valid) expect(outcome.problems).toEqual([]);
  else expect(outcome.problems.length).toBeGreaterThan(0);
  for (const p of outcome.problems) {
    expect(p.file).toBe(file);
    expect(Number.isInteger(p.line)).toBe(true);
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lineCount);
    expect(typeof p.path).toBe('string');
    expect(p.message).not.toBe('');
    const shown = formatProblem(p);
    expect(shown.startsWith(`${file}:${p.line}: `)).toBe(true);
    if (p.path !== '') expect(shown).toContain(`: ${p.path}: `);
    expect(shown).not.toMatch(CONTROL);
    expect(shown).not.toMatch(/\n\s+at |Error:|TypeError|RangeError/);
  }
  if (!outcome.valid) {
    const err = new ConfigError(outcome.problems);
    expect(err).toBeInstanceOf(UserError);
    for (const p of outcome.problems) expect(err.message).toContain(formatProblem(p));
  }
}

function load(target: TargetName, text: string): Outcome {
  const outcome = TARGETS[target].load(text);
  expectWellFormed(TARGETS[target].file, text, outcome);
  return outcome;
}

/**
 * Whether the text the yaml library wrote from a mutated document parses again. It does not always (a plain
 * scalar beginning ":" and a line break, inside a flow map); the loader then reports the syntax error, which
 * `load` has checked is well located, and a property about one key's problem has nothing more to check.
 */
const readsBack = (text: string): boolean => parseDocument(text).errors.length === 0;

/** The problem at `at` or inside it (a replaced value may be reported at one of its own entries). */
function atOrBelow(problems: ConfigProblem[], at: YamlPath): ConfigProblem[] {
  const shown = formatPath(at);
  return problems.filter((p) => p.path === shown || p.path.startsWith(`${shown}.`) || p.path.startsWith(`${shown}[`));
}

// ---- sites of a parsed document ------------------------------------------------------------------------------

interface Sites {
  maps: YamlPath[];
  pairs: YamlPath[];
  leaves: YamlPath[];
}

function sitesOf(doc: Document): Sites {
  const sites: Sites = { maps: [], pairs: [], leaves: [] };
  const walk = (node: unknown, at: YamlPath): void => {
    if (isMap(node)) {
      sites.maps.push(at);
      for (const pair of node.items) {
        if (!isScalar(pair.key) || typeof pair.key.value !== 'string') continue;
        sites.pairs.push([...at, pair.key.value]);
        walk(pair.value, [...at, pair.key.value]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...at, i]));
    else if (isScalar(node)) sites.leaves.push(at);
  };
  walk(doc.contents, []);
  return sites;
}

const pick = <T>(items: T[], index: number): T | undefined => items[index % Math.max(1, items.length)];
const mapAt = (doc: Document, at: YamlPath): unknown => (at.length === 0 ? doc.contents : doc.getIn(at, true));

/** The line of the last key of the map at `at` (where an added key lands), found by position, not by name. */
function lineOfLastKey(text: string, at: YamlPath): number {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const map = mapAt(doc, at) as YAMLMap;
  const key = map.items[map.items.length - 1]!.key as Node;
  return lines.linePos(key.range![0]).line;
}

// ---- values and keys the generators use -----------------------------------------------------------------------

const hugeOrOddNumber = fc.constantFrom(
  1e308,
  -1e308,
  Infinity,
  -Infinity,
  NaN,
  2 ** 53 + 1,
  -0,
  0,
  -1,
  5e-324,
  Number.MAX_SAFE_INTEGER,
  0.5,
  3651,
  100_001,
);

const oddText = fc.oneof(
  nastyString({ maxLength: 12 }),
  fc.constantFrom('', ' ', 'yes', 'no', 'on', '~', 'null', 'true', '0x1F', '1e400', '.inf', '*', '2026-13-45 25:61'),
  fc.constantFrom('2026-02-30 08:00', '2027-03-14 02:30', '2026-11-16T08:00:00Z', 'Mars/Olympus', 'never', '00:00'),
  fc.string({ unit: 'binary', maxLength: 10 }),
);

/** Any value a careless edit may leave where a scalar was. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  hugeOrOddNumber,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  oddText,
  fc.array(fc.oneof(oddText, fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), oddText, { minKeys: 1, maxKeys: 3 }),
);

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

/** Keys that no schema allows: look-alikes of real keys, prototype names, unicode and control characters. */
const strangeKey: fc.Arbitrary<string | number | boolean | null> = fc.oneof(
  fc.constantFrom(...PROTO_KEYS),
  fc.constantFrom('homeDivison', 'Group', 'role ', ' id', 'divisions\u200b', 'ｉｄ', 'clientSecret', 'apiToken', '<<'),
  nastyString({ minLength: 1, maxLength: 10 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

/** How the loader (YAML → JS) names a key: numbers and booleans by their text, a null key as the empty string. */
const keyName = (key: string | number | boolean | null): string => (key === null ? '' : String(key));

// ---- mutations ------------------------------------------------------------------------------------------------

/** An edit that leaves well-formed YAML but may break the schema: delete a key, or change a value's type. */
type Background = { op: 'delete'; site: number } | { op: 'retype'; site: number; value: unknown };

const background: fc.Arbitrary<Background> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), site: fc.nat() }),
  fc.record({ op: fc.constant('retype' as const), site: fc.nat(), value: anyValue }),
);

function applyBackground(doc: Document, edit: Background): void {
  const sites = sitesOf(doc);
  if (edit.op === 'delete') {
    const at = pick(sites.pairs, edit.site);
    if (at) doc.deleteIn(at);
  } else {
    const at = pick(sites.leaves, edit.site);
    if (at) doc.setIn(at, doc.createNode(edit.value));
  }
}

function mutated(target: TargetName, edits: Background[]): Document {
  const doc = parseDocument(TARGETS[target].text);
  for (const edit of edits) applyBackground(doc, edit);
  return doc;
}

const targetName = fc.constantFrom<TargetName>('season', 'orgs');

describe('config loader fuzz', () => {
  it('the shipped files load as they are (the base of the mutations)', () => {
    expect(load('season', SEASON_TEXT).valid).toBe(true);
    expect(load('orgs', ORGS_TEXT).valid).toBe(true);
  });

  it('random text (fully random, and built from YAML punctuation) → a config or located problems (800 cases)', () => {
    const yamlish = fc
      .array(
        fc.oneof(
          fc.constantFrom(': ', '- ', '\n', '\n  ', '\n    ', '[', ']', '{', '}', ', ', '"', "'", '#', '&a ', '*a'),
          fc.constantFrom('? ', '!!str ', '!!map ', '|\n  ', '>-\n  ', '---\n', '...\n', '%YAML 1.2\n', '<<: ', '\t'),
          fc.constantFrom('id', 'org', 'mapping', 'group', 'roles', 'orgs', 'genesys', '__proto__', 'x', '1e999'),
          nastyString({ maxLength: 3 }),
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join(''));
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), yamlish);
    fuzz(
      'config: random text',
      fc.property(targetName, text, (target, t) => {
        load(target, t);
      }),
      {
        numRuns: 800,
        examples: [
          ['season', ''],
          ['season', '# only a comment\n'],
          ['season', '---\n'],
          ['orgs', '~\n'],
          ['season', '[]'],
          // Found by this fuzz: an alias to no anchor threw a ReferenceError out of the loader.
          ['season', '*a'],
          ['orgs', 'orgs:\n  - id: x\n    genesys: *g\n'],
          // Found by this fuzz: a NUL in a key printed raw into the one-line message.
          ['season', '\u0000: '],
        ],
      },
    );
  });

  it('an unknown key added to any map, after other edits, is reported by name, line and path (300 cases)', () => {
    fuzz(
      'config: unknown key inserted',
      fc.property(
        targetName,
        fc.array(background, { maxLength: 2 }),
        fc.nat(),
        strangeKey,
        anyValue,
        (target, edits, site, key, value) => {
          const original = sitesOf(parseDocument(TARGETS[target].text)).maps;
          const doc = mutated(target, edits);
          // Only maps of the original file: a map an edit put where text belongs is reported as a wrong type.
          const at = original.filter((p) => isMap(mapAt(doc, p)))[site % original.length];
          if (!at) return;
          const map = mapAt(doc, at) as YAMLMap;
          if (map.items.some((p) => isScalar(p.key) && keyName(p.key.value as never) === keyName(key))) return;
          map.add(doc.createPair(key, value));
          const text = String(doc);
          const { problems } = load(target, text);
          if (!readsBack(text)) return;
          const named = problems.filter((p) => p.message.includes(`unknown key ${shownText(keyName(key))}`));
          expect(named).toEqual([expect.objectContaining({ line: lineOfLastKey(text, at) })]);
          // The path is the map's, then the key: as written when printable, else with \\u escapes.
          const exact = formatPath([...at, keyName(key)]);
          if (!CONTROL.test(exact)) expect(named[0]!.path).toBe(exact);
          else if (at.length > 0) expect(named[0]!.path.startsWith(`${formatPath(at)}.`)).toBe(true);
        },
      ),
      {
        numRuns: 300,
        examples: [
          ['season', [], 0, '__proto__', { x: 1 }],
          ['season', [], 1, 'constructor', 1],
          ['orgs', [], 3, 'clientSecret', 'hunter2'],
          // Found by this fuzz: keys that YAML reads as a number or null were reported on the file's first line.
          ['season', [], 0, 0, { ' ': '' }],
          ['season', [], 2, null, 1],
        ],
      },
    );
  });

  it('a required key deleted, after other edits, is reported at its path (300 cases)', () => {
    fuzz(
      'config: required key deleted',
      fc.property(targetName, fc.array(background, { maxLength: 2 }), fc.nat(), (target, edits, site) => {
        const doc = mutated(target, edits);
        const at = pick(sitesOf(doc).pairs, site);
        if (!at) return;
        doc.deleteIn(at);
        const text = String(doc);
        const { problems, valid } = load(target, text);
        if (!readsBack(text)) return;
        const shown = formatPath(at);
        if (!TARGETS[target].required.some((r) => r.test(shown))) return;
        expect(valid).toBe(false);
        // Usually "is required"; a field with its own message (an URL, a date) says what it must be instead.
        expect(problems).toContainEqual(expect.objectContaining({ path: shown }));
      }),
      { numRuns: 300 },
    );
  });

  it('values of any type, size or alphabet → a config or located problems; a map where a value belongs is named (400 cases)', () => {
    fuzz(
      'config: values retyped',
      fc.property(
        targetName,
        fc.array(background, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.integer(), { minKeys: 1, maxKeys: 2 }),
        (target, edits, site, aMap) => {
          const original = sitesOf(parseDocument(TARGETS[target].text)).leaves;
          const doc = mutated(target, edits);
          // Only values of the original file: inside a list an edit put where text belongs, the list is reported.
          const at = original.filter((p) => isScalar(doc.getIn(p, true)))[site % original.length];
          if (!at) {
            load(target, String(doc));
            return;
          }
          doc.setIn(at, doc.createNode(aMap));
          const text = String(doc);
          const { problems, valid } = load(target, text);
          expect(valid).toBe(false);
          if (!readsBack(text)) return;
          expect(atOrBelow(problems, at).length).toBeGreaterThan(0);
        },
      ),
      {
        numRuns: 400,
        examples: [
          // Found by this fuzz: the yaml library wrote a value of ":\n\ufffd" in a flow map as a plain scalar it
          // cannot read back; the loader rightly answered a syntax error on that line, not a problem at `org`.
          [
            'season',
            [
              { op: 'retype', site: 1302095779, value: { ' ': ':\n\ufffd' } },
              { op: 'delete', site: 0 },
            ],
            0,
            { ' ': 0 },
          ],
        ],
      },
    );
  });

  it('deep nesting (up to 5000 levels) where a value belongs → a located problem, no stack overflow (40 cases)', () => {
    fuzz(
      'config: deep nesting',
      fc.property(
        targetName,
        fc.nat(),
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom('list', 'map'),
        (target, site, depth, kind) => {
          const doc = parseDocument(TARGETS[target].text);
          const at = pick(sitesOf(doc).leaves, site)!;
          doc.setIn(at, doc.createNode('DEEP_PLACEHOLDER'));
          const deep =
            kind === 'list'
              ? `${'['.repeat(depth)}${']'.repeat(depth)}`
              : `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
          const text = String(doc).replace('DEEP_PLACEHOLDER', deep);
          const { problems, valid } = load(target, text);
          expect(valid).toBe(false);
          expect(problems.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a key written twice in one map → a YAML error on one of its two lines (200 cases)', () => {
    fuzz(
      'config: duplicated key',
      fc.property(targetName, fc.nat(), fc.boolean(), (target, site, sameValue) => {
        const { text } = TARGETS[target];
        const lines = new LineCounter();
        const doc = parseDocument(text, { lineCounter: lines });
        // Block pairs on one line (`key: value`), so the line can be copied as it is.
        const oneLine = sitesOf(doc)
          .pairs.map((at) => {
            const parent = mapAt(doc, at.slice(0, -1)) as YAMLMap;
            const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === at[at.length - 1])!;
            const key = pair.key as Node;
            const value = pair.value as Node | null;
            if (parent.flow || !value?.range || !isScalar(value)) return undefined;
            const line = lines.linePos(key.range![0]).line;
            return lines.linePos(value.range[1]).line === line ? line : undefined;
          })
          .filter((l): l is number => l !== undefined);
        const line = pick(oneLine, site)!;
        const all = text.split('\n');
        // A pair that opens a list item (`- role: x`) is copied as a second key of that item, not a new item.
        const original = all[line - 1]!.replace(/^(\s*)- /, '$1  ');
        const copy = sameValue ? original : original.replace(/:\s.*$/, ': other');
        all.splice(line, 0, copy);
        const { problems } = load(target, all.join('\n'));
        const duplicate = problems.filter((p) => /^not valid YAML: .*unique/.test(p.message));
        expect(duplicate.length).toBeGreaterThan(0);
        expect([line, line + 1]).toContain(duplicate[0]!.line);
      }),
      { numRuns: 200 },
    );
  });
});
