// The Temporal server ignores a dynamic-config entry whose constraints are not one of the shapes it looks the
// setting up by: no error, no log line, the default stays. Our one-partition setting once carried `taskType:
// Activity` alone and every Genesys queue silently kept four partitions (the wave's tail ran at half the budget).
// This checks every entry of deploy/temporal/server/dynamicconfig.yaml against the server's lookup, and that the
// settings we rely on reach the queues they are meant for.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEPLOY_FILES } from '../../platform/temporal-server';
import { genesysTaskQueue, LIFECYCLE_TASK_QUEUE } from '../../workflows/messages';

type Kind = 'global' | 'namespace' | 'taskQueue';
type Constraints = Partial<Record<'namespace' | 'taskqueuename' | 'tasktype', string>>;
interface Entry {
  value: unknown;
  constraints?: Record<string, unknown>;
}

/** How the server declares each key we set (common/dynamicconfig/constants.go, server 1.29.1). */
const KIND: Record<string, Kind> = {
  'frontend.namespaceRPS.visibility': 'namespace',
  'system.forceSearchAttributesCacheRefreshOnRead': 'global',
  'frontend.enableUpdateWorkflowExecution': 'namespace',
  'matching.numTaskqueueReadPartitions': 'taskQueue',
  'matching.numTaskqueueWritePartitions': 'taskQueue',
};

/** The constraint sets the server tries, most specific first (common/dynamicconfig/setting_gen.go, `Get`). */
function precedence(kind: Kind, q: { namespace: string; taskQueue: string; taskType: string }): Constraints[] {
  if (kind === 'global') return [{}];
  if (kind === 'namespace') return [{ namespace: q.namespace }, {}];
  return [
    { namespace: q.namespace, taskqueuename: q.taskQueue, tasktype: q.taskType },
    { namespace: q.namespace, taskqueuename: q.taskQueue },
    { taskqueuename: q.taskQueue },
    { namespace: q.namespace },
    {},
  ];
}

const file = parse(readFileSync(path.resolve(__dirname, '../..', DEPLOY_FILES.dynamicConfig), 'utf8')) as Record<
  string,
  Entry[]
>;

/** Constraint keys are case-insensitive to the server (it lowercases them). */
function normalized(c: Record<string, unknown> | undefined): Constraints {
  return Object.fromEntries(Object.entries(c ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])) as Constraints;
}
const sameKeys = (a: Constraints, b: Constraints) => Object.keys(a).sort().join() === Object.keys(b).sort().join();
const equal = (a: Constraints, b: Constraints) =>
  sameKeys(a, b) && Object.entries(a).every(([k, v]) => b[k as keyof Constraints] === v);

/** The value the server would use for `key` on one queue: the first precedence step an entry matches exactly. */
function lookup(
  key: string,
  q: { namespace: string; taskQueue: string; taskType: string },
  entries: Entry[] = file[key] ?? [],
): unknown {
  for (const wanted of precedence(KIND[key]!, q)) {
    const hit = entries.find((e) => equal(normalized(e.constraints), wanted));
    if (hit) return hit.value;
  }
  return undefined;
}

describe('the Temporal server dynamic config (deploy/temporal/server/dynamicconfig.yaml)', () => {
  it.each(Object.keys(file))('%s: every entry has constraints the server looks the setting up by', (key) => {
    const kind = KIND[key];
    if (!kind) throw new Error(`${key}: add its kind (global, namespace or taskQueue) from the server's constants.go`);
    const shapes = precedence(kind, { namespace: 'n', taskQueue: 'q', taskType: 'Activity' });
    for (const entry of file[key]!) {
      const constraints = normalized(entry.constraints);
      expect(shapes.some((shape) => sameKeys(shape, constraints))).toBe(true);
    }
  });

  it.each([
    [genesysTaskQueue('retail_us'), 'Activity'],
    [genesysTaskQueue('outlet_ca'), 'Activity'],
    [LIFECYCLE_TASK_QUEUE, 'Workflow'],
  ])('gives %s (%s tasks) one partition to read and write', (taskQueue, taskType) => {
    const q = { namespace: 'default', taskQueue, taskType };
    expect(lookup('matching.numTaskqueueReadPartitions', q)).toBe(1);
    expect(lookup('matching.numTaskqueueWritePartitions', q)).toBe(1);
  });

  it('would catch the old mistake: a taskType constraint alone reaches no queue (the server keeps its default)', () => {
    const old: Entry[] = [{ value: 1, constraints: { taskType: 'Activity' } }];
    const q = { namespace: 'default', taskQueue: genesysTaskQueue('retail_us'), taskType: 'Activity' };
    expect(lookup('matching.numTaskqueueReadPartitions', q, old)).toBeUndefined();
  });
});
