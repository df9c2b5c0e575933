// The environment the stack gives deploy/temporal/'s scripts and server config: the same variable names
// docker-compose.yml sets for its `temporal-schema` and `temporal` services (test/unit/stack-compose-parity.test.ts
// fails when they drift apart).
import path from 'node:path';
import type { PostgresCluster } from '../../platform/postgres';
import { DEPLOY_FILES, type TemporalServerBinaries } from '../../platform/temporal-server';

export interface ServerPorts {
  frontendGrpc: number;
  frontendHttp: number;
  frontendMembership: number;
  historyGrpc: number;
  historyMembership: number;
  matchingGrpc: number;
  matchingMembership: number;
  workerGrpc: number;
  workerMembership: number;
  prometheus: number;
}

interface Database {
  pg: Pick<PostgresCluster, 'host' | 'port' | 'user'>;
  password: string;
}

/** Where the database is and who connects: read by setup-schema.sh and server/seasonal.yaml alike. */
function databaseVariables({ pg, password }: Database): Record<string, string> {
  return {
    POSTGRES_SEEDS: pg.host,
    DB_PORT: String(pg.port),
    POSTGRES_USER: pg.user,
    POSTGRES_PWD: password,
    DBNAME: 'temporal',
    VISIBILITY_DBNAME: 'temporal_visibility',
  };
}

/** What the stack sets for deploy/temporal/setup-schema.sh beyond the database: the SQL tool and schema it built. */
export function schemaVariables(db: Database, binaries: Pick<TemporalServerBinaries, 'sqlTool' | 'schemaDir'>) {
  return { ...databaseVariables(db), TEMPORAL_SQL_TOOL: binaries.sqlTool, TEMPORAL_SCHEMA_DIR: binaries.schemaDir };
}

export function schemaEnvironment(o: Database & { binaries: TemporalServerBinaries }): NodeJS.ProcessEnv {
  return { ...process.env, ...schemaVariables(o, o.binaries) };
}

/** What start-server.sh and server/seasonal.yaml read, for a server on loopback with the given ports. */
export function serverVariables(
  db: Database,
  binaries: Pick<TemporalServerBinaries, 'server'>,
  ports: ServerPorts,
  root: string,
): Record<string, string> {
  return {
    ...databaseVariables(db),
    TEMPORAL_SERVER: binaries.server,
    TEMPORAL_CONFIG_DIR: path.join(root, DEPLOY_FILES.serverConfigDir),
    DYNAMIC_CONFIG_FILE_PATH: path.join(root, DEPLOY_FILES.dynamicConfig),
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    LOG_LEVEL: 'warn',
    FRONTEND_GRPC_PORT: String(ports.frontendGrpc),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.historyGrpc),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matchingGrpc),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.workerGrpc),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    PROMETHEUS_PORT: String(ports.prometheus),
  };
}

export function serverEnvironment(
  o: Database & { binaries: TemporalServerBinaries; ports: ServerPorts; root: string },
): NodeJS.ProcessEnv {
  return { ...process.env, ...serverVariables(o, o.binaries, o.ports, o.root) };
}
