// A TestWorkflowEnvironment on Temporal's time-skipping test server, without any download: the server is the Java
// SDK's test server from Maven Central, prepared once into the cache by platform/time-skipping-server.ts.
// `npm test` prepares it before jest and passes TEMPORAL_TEST_SERVER_PATH; a bare `npx jest` prepares it here.
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { ensureTimeSkippingServer } from '../../platform/time-skipping-server';

/** Expected in these tests (a workflow-only worker), not worth a line in the test output. */
const EXPECTED_NOTICES = /^No activities registered/;

/** SDK logs at WARN and above, less the expected notices. Jest gives each test file its own Runtime. */
function quietRuntime(): void {
  const sink = new DefaultLogger('WARN');
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        if (!EXPECTED_NOTICES.test(entry.message)) sink.log(entry.level, entry.message, entry.meta);
      }),
      // The SDK core warns that the test server does not advertise newer capabilities: true, and not ours to fix.
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
    });
  } catch {
    // Already installed in this test file.
  }
}

/** The launcher (or native binary) taking the port as its argument. Seconds the first time on a machine. */
export async function timeSkippingServerPath(): Promise<string> {
  return (await ensureTimeSkippingServer()).path;
}

/**
 * Starts a time-skipping test server of its own (a JVM, about 1 s) and connects to it. Call in `beforeAll` and
 * `await env.teardown()` in `afterAll`. The SDK waits at most 5 s (not configurable) for the server to answer,
 * so a start slowed down by a busy machine is tried once more.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const executable = { type: 'existing-path' as const, path: await timeSkippingServerPath() };
  try {
    return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
  } catch (err) {
    if (!/did not start within/.test(String(err))) throw err;
    return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
  }
}

const INDEXED: Partial<Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType>> = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** The test server implements adding search attributes, not listing them. */
export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const searchAttributes = Object.fromEntries(SEARCH_ATTRIBUTES.map((sa) => [sa.name, INDEXED[sa.type]!]));
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
}
