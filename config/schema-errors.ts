// zod issues → sentences an admin understands ("unknown key "homeDivison" — did you mean "homeDivision"?"),
// each with the path of the offending value. The loader adds the file and line.
import { z } from 'zod';
import { closestNames, didYouMean } from '../domain/suggest';

export type ConfigPath = ReadonlyArray<string | number>;

export interface PathProblem {
  path: ConfigPath;
  message: string;
}

/** `mapping[0].roles[1].divisions`, as people read paths. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(top level)' : out;
}

/** Peels wrappers (optional, default, preprocess, refine) to reach the schema that describes the value. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable)
      s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.out as z.ZodType;
    else return s;
  }
}

/** The keys an object at `path` may have, for "did you mean" on an unknown key. */
function allowedKeysAt(root: z.ZodType, path: ConfigPath): string[] {
  let s = unwrap(root);
  for (const part of path) {
    if (typeof part === 'number' && s instanceof z.ZodArray) s = unwrap(s.element as z.ZodType);
    else if (typeof part === 'string' && s instanceof z.ZodObject) {
      const next = (s.shape as Record<string, z.ZodType>)[part];
      if (!next) return [];
      s = unwrap(next);
    } else return [];
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape as Record<string, z.ZodType>) : [];
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a set of keys';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}

const EXPECTED_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a set of keys',
  date: 'a date',
};

/** zod's own messages start like this; ours (set in the schema) are kept as they are. */
function isZodDefaultMessage(message: string): boolean {
  return /^(Invalid|Too (small|big)|Unrecognized)/.test(message);
}

function tooSmall(issue: z.core.$ZodIssueTooSmall): string {
  const min = Number(issue.minimum);
  if (issue.origin === 'array') return `must list at least ${min} item${min === 1 ? '' : 's'}`;
  if (issue.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
  return issue.inclusive ? `must be at least ${min}` : `must be more than ${min}`;
}

function tooBig(issue: z.core.$ZodIssueTooBig): string {
  const max = Number(issue.maximum);
  if (issue.origin === 'array') return `must list at most ${max} items`;
  if (issue.origin === 'string') return `must be at most ${max} characters`;
  return issue.inclusive ? `must be at most ${max}` : `must be less than ${max}`;
}

/** One issue may become several problems (one per unknown key), each pointing at its own line. */
export function issueToProblems(issue: z.core.$ZodIssue, root: z.ZodType): PathProblem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(root, path);
    return issue.keys.map((key) => ({ path: [...path, key], message: unknownKeyMessage(key, allowed) }));
  }
  if (!isZodDefaultMessage(issue.message)) return [{ path, message: issue.message }];
  switch (issue.code) {
    case 'invalid_type':
      if (!('input' in issue) || issue.input === undefined) return [{ path, message: 'is required' }];
      return [
        {
          path,
          message: `must be ${EXPECTED_WORDS[issue.expected] ?? issue.expected}, but is ${describeValue(issue.input)}`,
        },
      ];
    case 'too_small':
      return [{ path, message: tooSmall(issue) }];
    case 'too_big':
      return [{ path, message: tooBig(issue) }];
    case 'invalid_value':
      return [{ path, message: `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}` }];
    default:
      return [{ path, message: issue.message }];
  }
}

function unknownKeyMessage(key: string, allowed: string[]): string {
  if (/secret|token|password/i.test(key) && !/Env$/.test(key)) {
    return `unknown key ${JSON.stringify(key)}: secrets never go in config files; put it in an environment variable and give that variable's name (e.g. clientSecretEnv / apiTokenEnv)`;
  }
  const hint = didYouMean(closestNames(key, allowed, 1));
  const list = allowed.length > 0 && hint === '' ? ` (allowed here: ${allowed.join(', ')})` : '';
  return `unknown key ${JSON.stringify(key)}${hint}${list}`;
}

export function issuesToProblems(error: z.ZodError, root: z.ZodType): PathProblem[] {
  return error.issues.flatMap((issue) => issueToProblems(issue, root));
}
