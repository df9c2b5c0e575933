// What Temporal's server keeps about a namespace, read over its gRPC API with no data converter at all: exactly
// what someone with read access to the namespace (or its database) would see. Each answer is re-encoded to
// protobuf bytes for the leak scanner; payloads stay as stored (encrypted or not).
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Source } from './leak-scan';

const { workflowservice } = temporal.api;
type Execution = { workflowId: string; runId: string };

export interface RawNamespace {
  sources: Source[];
  histories: Array<Execution & { history: temporal.api.history.v1.IHistory }>;
  executions: Execution[];
}

async function listExecutions(connection: Connection, namespace: string): Promise<{ list: Source; all: Execution[] }> {
  const all: Execution[] = [];
  const pages: Buffer[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 200, nextPageToken });
    pages.push(Buffer.from(workflowservice.v1.ListWorkflowExecutionsResponse.encode(page).finish()));
    for (const e of page.executions ?? [])
      all.push({ workflowId: e.execution?.workflowId ?? '', runId: e.execution?.runId ?? '' });
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return { list: { name: 'visibility list (ids, search attributes, memo)', bytes: Buffer.concat(pages) }, all };
}

async function history(connection: Connection, namespace: string, execution: Execution) {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await connection.workflowService.getWorkflowExecutionHistory({
      namespace,
      execution,
      nextPageToken,
      maximumPageSize: 1000,
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return { events };
}

export async function readNamespaceRaw(connection: Connection, namespace: string): Promise<RawNamespace> {
  const { list, all } = await listExecutions(connection, namespace);
  const sources: Source[] = [
    list,
    { name: 'workflow ids', bytes: Buffer.from(all.map((e) => e.workflowId).join('\n')) },
  ];
  const histories: RawNamespace['histories'] = [];
  for (const execution of all) {
    const h = await history(connection, namespace, execution);
    histories.push({ ...execution, history: h });
    sources.push({
      name: `history of ${execution.workflowId}`,
      bytes: Buffer.from(temporal.api.history.v1.History.encode(h).finish()),
    });
    // Search attributes, memo, static summary/details, pending activities' last failures, as the Web UI reads them.
    const described = await connection.workflowService.describeWorkflowExecution({ namespace, execution });
    sources.push({
      name: `description of ${execution.workflowId}`,
      bytes: Buffer.from(workflowservice.v1.DescribeWorkflowExecutionResponse.encode(described).finish()),
    });
  }
  const schedules = await connection.workflowService.listSchedules({ namespace, maximumPageSize: 100 });
  sources.push({
    name: 'schedule list',
    bytes: Buffer.from(workflowservice.v1.ListSchedulesResponse.encode(schedules).finish()),
  });
  for (const s of schedules.schedules ?? []) {
    const described = await connection.workflowService.describeSchedule({ namespace, scheduleId: s.scheduleId });
    sources.push({
      name: `schedule ${s.scheduleId}`,
      bytes: Buffer.from(workflowservice.v1.DescribeScheduleResponse.encode(described).finish()),
    });
  }
  return { sources, histories, executions: all };
}

/** Every Failure message in a decoded history (events, causes, last failures), wherever it sits. */
export function failuresIn(
  value: unknown,
  out: temporal.api.failure.v1.IFailure[] = [],
): temporal.api.failure.v1.IFailure[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return out;
  if (Object.keys(value).some((k) => k.endsWith('FailureInfo'))) out.push(value as temporal.api.failure.v1.IFailure);
  for (const v of Object.values(value)) failuresIn(v, out);
  return out;
}
