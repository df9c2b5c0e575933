// Doctor's Temporal checks: the namespace exists, the custom search attributes are registered with their types,
// and workers poll every queue the product uses (the lifecycle queue, the Okta-events queue, one Genesys queue per
// org). Reads only.
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../../domain/search-attributes';
import type { OrgConfig } from '../../../config/types';
import { OKTA_EVENTS_TASK_QUEUE } from '../../../workflows/okta-events/contract';
import { genesysTaskQueue, LIFECYCLE_TASK_QUEUE } from '../../../workflows/messages';
import type { CommandContext } from '../context';
import { failed, passed, type Check } from './doctor-check';

const { TaskQueueType, IndexedValueType } = temporal.api.enums.v1;

const INDEXED_NAMES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

export async function temporalChecks(ctx: CommandContext, orgs: OrgConfig[]): Promise<Check[]> {
  const { client, namespace } = await ctx.temporal();
  const checks: Check[] = [];
  try {
    await client.workflowService.describeNamespace({ namespace });
    checks.push(passed('', 'temporal.namespace', `namespace ${namespace} exists`));
  } catch (err) {
    checks.push(
      failed('', 'temporal.namespace', `namespace ${namespace}: ${err instanceof Error ? err.message : String(err)}`),
    );
    return checks;
  }

  const listed = await client.connection.operatorService.listSearchAttributes({ namespace });
  const custom = listed.customAttributes ?? {};
  const wrong = SEARCH_ATTRIBUTES.filter((sa) => custom[sa.name] !== INDEXED_NAMES[sa.cliType]);
  checks.push(
    wrong.length === 0
      ? passed('', 'temporal.searchAttributes', `${SEARCH_ATTRIBUTES.length} search attributes registered`)
      : failed(
          '',
          'temporal.searchAttributes',
          `missing or of another type: ${wrong.map((sa) => `${sa.name} (${sa.cliType})`).join(', ')}; run \`season setup <org>\``,
        ),
  );

  const queues: Array<{ name: string; type: temporal.api.enums.v1.TaskQueueType; what: string }> = [
    { name: LIFECYCLE_TASK_QUEUE, type: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, what: 'agent workflows' },
    { name: OKTA_EVENTS_TASK_QUEUE, type: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, what: 'Okta-events workflows' },
    ...orgs.map((o) => ({
      name: genesysTaskQueue(o.id),
      type: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      what: `org ${o.id}'s Genesys activities`,
    })),
  ];
  for (const q of queues) {
    const described = await client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: q.name },
      taskQueueType: q.type,
    });
    const pollers = described.pollers?.length ?? 0;
    checks.push(
      pollers > 0
        ? passed('', 'temporal.workers', `${pollers} poller(s) on ${q.name} (${q.what})`)
        : failed('', 'temporal.workers', `no worker polls ${q.name} (${q.what}): start the worker (npm run worker)`),
    );
  }
  return checks;
}
