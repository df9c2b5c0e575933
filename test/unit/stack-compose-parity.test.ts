// docker-compose.yml and `npm run stack` (scripts/stack/) must run the Temporal server the same way: one server
// config file, one dynamic config file, one schema script, one namespace job, and the same variable names. This
// fails when either side drifts (a renamed variable, a second config, a schema step the other lacks).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEPLOY_FILES } from '../../platform/temporal-server';
import { schemaVariables, serverVariables, type ServerPorts } from '../../scripts/stack/server-env';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  entrypoint?: string[];
  environment?: Record<string, string | number | null>;
  volumes?: string[];
  healthcheck?: unknown;
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const service = (name: string): Service => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};

/** host path (relative to the repo) → container path, for `./host:/container[:ro]` mounts. */
function mounts(s: Service): Map<string, string> {
  return new Map(
    (s.volumes ?? [])
      .filter((v) => v.startsWith('./'))
      .map((v) => {
        const [host, container] = v.split(':');
        return [path.normalize(host!), container!] as [string, string];
      }),
  );
}

/** Runs `script`: its entrypoint names the container path where the repo's file is mounted. */
function runs(s: Service, file: string): boolean {
  const target = mounts(s).get(path.normalize(file));
  return target !== undefined && (s.entrypoint ?? []).includes(target);
}

// Variables each shared file reads, and which of them it has no default for.
const serverConfig = read(DEPLOY_FILES.serverConfig);
const templateReads = (text: string) => [...text.matchAll(/env "([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1]!);
const requiredInTemplate = (text: string) =>
  [...text.matchAll(/\{\{\s*env "([A-Z][A-Z0-9_]*)"\s*\}\}/g)].map((m) => m[1]!);
const shellReads = (text: string) => [...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!);
const requiredInShell = (text: string) => [...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::\?[^}]*)?\}/g)].map((m) => m[1]!);
const startScript = read(DEPLOY_FILES.startServer);
const schemaScript = read(DEPLOY_FILES.setupSchema);
const serverReads = new Set([...templateReads(serverConfig), ...shellReads(startScript)]);
const schemaReads = new Set(shellReads(schemaScript));

const ports: ServerPorts = {
  frontendGrpc: 27233,
  frontendHttp: 27243,
  frontendMembership: 26933,
  historyGrpc: 27234,
  historyMembership: 26934,
  matchingGrpc: 27235,
  matchingMembership: 26935,
  workerGrpc: 27239,
  workerMembership: 26939,
  prometheus: 28000,
};
const db = { pg: { host: '127.0.0.1', port: 25432, user: 'temporal' }, password: 'not-a-secret' };
const stackServer = serverVariables(db, { server: '/cache/temporal-server' }, ports, ROOT);
const stackSchema = schemaVariables(db, { sqlTool: '/cache/temporal-sql-tool', schemaDir: '/cache/schema' });
const composeServer = service('temporal').environment ?? {};
const composeSchema = service('temporal-schema').environment ?? {};

/** What the server renders, for the two template forms the file may use (anything else fails the test). */
function render(text: string, env: Record<string, string | number | null>): unknown {
  const value = (name: string) => (env[name] === undefined || env[name] === null ? '' : String(env[name]));
  const rendered = text
    .replace(
      /\{\{\s*default "([^"]*)" \(env "([A-Z0-9_]+)"\)\s*\}\}/g,
      (_m, d: string, name: string) => value(name) || d,
    )
    .replace(/\{\{\s*env "([A-Z0-9_]+)"\s*\}\}/g, (_m, name: string) => value(name));
  expect(rendered).not.toContain('{{');
  return parse(rendered);
}

describe('docker-compose.yml and npm run stack run Temporal from the same files', () => {
  it('start the server with the same config folder, config file and start script', () => {
    expect(runs(service('temporal'), DEPLOY_FILES.startServer)).toBe(true);
    const mountedAt = mounts(service('temporal')).get(path.normalize(DEPLOY_FILES.serverConfigDir));
    // start-server.sh's default config folder is where compose mounts ours; the stack points it at the repo's.
    expect(startScript).toContain(`\${TEMPORAL_CONFIG_DIR:-${mountedAt}}`);
    expect(stackServer.TEMPORAL_CONFIG_DIR).toBe(path.join(ROOT, DEPLOY_FILES.serverConfigDir));
    expect(startScript).toContain(`--env ${DEPLOY_FILES.serverConfigEnv}`);
    expect(path.join(DEPLOY_FILES.serverConfigDir, `${DEPLOY_FILES.serverConfigEnv}.yaml`)).toBe(
      DEPLOY_FILES.serverConfig,
    );
    expect(serverConfig.split('\n', 1)[0]).toBe('# enable-template');
  });

  it('give the server the same dynamic config file', () => {
    const mountedAt = mounts(service('temporal')).get(path.normalize(DEPLOY_FILES.serverConfigDir));
    const relative = path.relative(DEPLOY_FILES.serverConfigDir, DEPLOY_FILES.dynamicConfig);
    expect(relative.startsWith('..')).toBe(false);
    expect(composeServer.DYNAMIC_CONFIG_FILE_PATH).toBe(`${mountedAt}/${relative}`);
    expect(stackServer.DYNAMIC_CONFIG_FILE_PATH).toBe(path.join(ROOT, DEPLOY_FILES.dynamicConfig));
    expect(serverConfig).toMatch(/filepath: "\{\{ env "DYNAMIC_CONFIG_FILE_PATH" \}\}"/);
    expect(Object.keys(parse(read(DEPLOY_FILES.dynamicConfig)) as object).length).toBeGreaterThan(0);
  });

  it('set up the schema with the same script: postgres12, setup-schema -v 0.0, update-schema per store', () => {
    expect(runs(service('temporal-schema'), DEPLOY_FILES.setupSchema)).toBe(true);
    expect(schemaScript).toContain('--plugin postgres12');
    expect(schemaScript).toContain('setup-schema -v 0.0');
    expect(schemaScript).toContain('update-schema -d');
    expect(schemaScript).toContain('/postgresql/v12');
    expect(schemaScript).toMatch(/setup "\$\{DBNAME:-temporal\}" "\$\{schema\}\/temporal\/versioned"/);
    expect(schemaScript).toMatch(
      /setup "\$\{VISIBILITY_DBNAME:-temporal_visibility\}" "\$\{schema\}\/visibility\/versioned"/,
    );
  });

  it('create the namespace and search attributes with the same job', () => {
    expect(runs(service('temporal-search-attributes'), DEPLOY_FILES.namespaceAndSearchAttributes)).toBe(true);
    expect(read(DEPLOY_FILES.namespaceAndSearchAttributes)).toContain('operator namespace create');
  });

  it('name only variables the shared files read, and give every one they require', () => {
    for (const [who, env, reads] of [
      ['compose temporal', Object.keys(composeServer), serverReads],
      ['stack server', Object.keys(stackServer), serverReads],
      ['compose temporal-schema', Object.keys(composeSchema), schemaReads],
      ['stack schema', Object.keys(stackSchema), schemaReads],
    ] as const)
      expect({ who, unread: env.filter((name) => !reads.has(name)) }).toEqual({ who, unread: [] });
    for (const name of requiredInTemplate(serverConfig)) {
      expect({ name, compose: name in composeServer }).toEqual({ name, compose: true });
      expect({ name, stack: name in stackServer }).toEqual({ name, stack: true });
    }
    for (const name of requiredInShell(schemaScript)) {
      expect({ name, compose: name in composeSchema }).toEqual({ name, compose: true });
      expect({ name, stack: name in stackSchema }).toEqual({ name, stack: true });
    }
  });

  it('point the server and the schema job at the same databases, under the same names on both sides', () => {
    const database = ['POSTGRES_SEEDS', 'DB_PORT', 'POSTGRES_USER', 'POSTGRES_PWD', 'DBNAME', 'VISIBILITY_DBNAME'];
    for (const env of [composeServer, composeSchema, stackServer, stackSchema])
      expect(
        Object.keys(env)
          .filter((k) => database.includes(k))
          .sort(),
      ).toEqual([...database].sort());
    expect(composeServer.DBNAME).toBe(stackServer.DBNAME);
    expect(composeServer.VISIBILITY_DBNAME).toBe(stackServer.VISIBILITY_DBNAME);
  });

  it('renders to a PostgreSQL server config on both sides, on the ports each side gives', () => {
    type Rendered = {
      persistence: { datastores: Record<string, { sql: { pluginName: string; databaseName: string } }> };
      services: { frontend: { rpc: { grpcPort: number; bindOnIP: string } } };
    };
    const stack = render(serverConfig, stackServer) as Rendered;
    const docker = render(serverConfig, composeServer) as Rendered;
    for (const r of [stack, docker]) {
      expect(Object.values(r.persistence.datastores).map((d) => d.sql.pluginName)).toEqual([
        'postgres12',
        'postgres12',
      ]);
      expect(Object.values(r.persistence.datastores).map((d) => d.sql.databaseName)).toEqual([
        'temporal',
        'temporal_visibility',
      ]);
    }
    expect(stack.services.frontend.rpc).toMatchObject({ grpcPort: ports.frontendGrpc, bindOnIP: '127.0.0.1' });
    // Compose publishes 7233 and health-checks the HTTP API on 7243: the defaults the config falls back to.
    expect(docker.services.frontend.rpc).toMatchObject({ grpcPort: 7233, bindOnIP: '0.0.0.0' });
    expect(JSON.stringify(service('temporal').healthcheck ?? '')).toContain('127.0.0.1:7243');
  });
});
