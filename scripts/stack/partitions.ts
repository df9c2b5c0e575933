// How many partitions the Temporal server actually ran a task queue with, read from its own Prometheus metrics.
// The one-partition setting (deploy/temporal/server/dynamicconfig.yaml) is silently ignored when its constraints
// do not match the server's lookup; this checks it end to end on the real server.

/** Prometheus label values carry only letters, digits and underscores: the server's reporter replaces the rest. */
const labelValue = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');

/** The distinct partitions the server loaded for `taskQueue`'s `taskType` tasks, from a /metrics text. */
export function partitionsInMetrics(metrics: string, taskQueue: string, taskType: 'Activity' | 'Workflow'): string[] {
  const queue = `taskqueue="${labelValue(taskQueue)}"`;
  const type = `task_type="${taskType}"`;
  const partitions = new Set<string>();
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('task_queue_started{') || !line.includes(queue) || !line.includes(type)) continue;
    const partition = /partition="([^"]*)"/.exec(line)?.[1];
    if (partition !== undefined) partitions.add(partition);
  }
  return [...partitions].sort();
}

export async function queuePartitions(
  metricsUrl: string,
  taskQueue: string,
  taskType: 'Activity' | 'Workflow',
): Promise<string[]> {
  const res = await fetch(metricsUrl);
  if (!res.ok) throw new Error(`the Temporal server's metrics answered ${res.status} at ${metricsUrl}`);
  return partitionsInMetrics(await res.text(), taskQueue, taskType);
}
