// The bench's hook → Active figure: how long an agent waits from Okta's event-hook delivery to being Active in
// Genesys when the budget does not throttle. It runs the production shape `npm start` runs (the receiver and the
// worker as processes of their own, payloads encrypted, the Okta and Genesys emulators over HTTP): HR puts N people
// in the season's agents group, Okta delivers the events in batches of 25, all at once, and each agent's time is
// from the start of those deliveries to the AgentPhase=Active upsert in its workflow history (server time).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDemoStack, type DemoStack } from './demo/stack';
import { DEFAULT_NEW_USER_NOT_FOUND_MS } from '../emulators/genesys';
import { analyseHistory } from './bench-history';
import { agentStateQuery, seasonalAgentWorkflowId } from '../workflows/agent/contract';
import { DEMO_ORG } from './demo/season-config';
import { timestampMs } from '../platform/durations';
import { percentile } from './bench-stats';
import { latencyPartsUntil, type LatencyParts } from './bench-latency-parts';

/** A budget no 50-agent wave comes near: the figure is the pipeline's latency, not the rate limit's pacing. */
const UNTHROTTLED_RPM = 30_000;
const AGENTS_GROUP = 'Retail-Holiday-Agents';

export interface HookToActive {
  agents: number;
  rpm: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The part of it before the agent's workflow started: the receiver, Temporal, the Okta-events workflow's reads. */
  toWorkflowStartP50Ms: number;
  /** Genesys's lag after a create (Authorization and queue calls 404 this long); 0 when measured without it. */
  genesysNewUserNotFoundMs: number;
  /** Medians, per agent, of where its time from its workflow's start to Active went (scripts/bench-latency-parts.ts). */
  partsP50Ms: LatencyParts;
  /** The median of ALONE_SAMPLES people added one at a time, each after the last was Active. */
  aloneP50Ms: number;
}

const ALONE_SAMPLES = 5;

/**
 * `withApiLag`: the emulator's production-faithful lags (a new user's Authorization and queue calls 404 for 2 s),
 * or none, which shows the pipeline's own latency.
 */
export async function measureHookToActive(agents: number, withApiLag: boolean): Promise<HookToActive> {
  const work = mkdtempSync(path.join(tmpdir(), 'bench-hook-'));
  const seasonId = 'bench-hook-to-active';
  const now = Date.now();
  const stack = await startDemoStack({
    dataDir: work,
    runDir: work,
    seasonId,
    rpm: UNTHROTTLED_RPM,
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 86_400_000).toISOString(),
    log: () => undefined,
    ...(withApiLag ? {} : { genesysLags: { newUserNotFoundMs: 0, searchLagMs: 0 } }),
  });
  try {
    const newPeople = (count: number, from: number) =>
      Array.from({ length: count }, (_, k) => {
        const login = `hook.bench${from + k}@retail.example.com`;
        return stack.okta.admin.createUser({
          profile: { login, email: login, firstName: 'Hook', lastName: `Bench ${from + k}` },
        }).id;
      });
    // The burst: everybody's events delivered at once.
    const burst = await hookToActive(stack, newPeople(agents, 0));
    // Then one person at a time, on the same warm stack: the pipeline's latency when nothing else is going on.
    const alone: number[] = [];
    for (let i = 0; i < ALONE_SAMPLES; i++) alone.push(...(await hookToActive(stack, newPeople(1, agents + i))).waits);
    alone.sort((a, b) => a - b);
    const { waits, toStart, parts } = burst;
    return {
      agents,
      rpm: UNTHROTTLED_RPM,
      p50Ms: percentile(waits, 50),
      p95Ms: percentile(waits, 95),
      maxMs: waits[waits.length - 1]!,
      toWorkflowStartP50Ms: percentile(toStart, 50),
      genesysNewUserNotFoundMs: withApiLag ? DEFAULT_NEW_USER_NOT_FOUND_MS : 0,
      partsP50Ms: medianParts(parts),
      aloneP50Ms: percentile(alone, 50),
    };
  } finally {
    await stack.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Puts `people` in the agents' group, delivers Okta's events at once and waits until every one is Active. */
async function hookToActive(
  stack: DemoStack,
  people: string[],
): Promise<{ waits: number[]; toStart: number[]; parts: LatencyParts[] }> {
  stack.okta.admin.clearOutbox();
  for (const id of people) stack.okta.admin.addUserToGroup(id, AGENTS_GROUP);
  const deliveredAt = Date.now();
  const report = await stack.okta.deliverPending({ batchSize: 25, concurrent: true, retry: true });
  if (report.failedUuids.length > 0) throw new Error(`${report.failedUuids.length} hook events were not accepted`);
  const deadline = Date.now() + 5 * 60_000;
  for (const id of people) {
    const handle = stack.client.workflow.getHandle(seasonalAgentWorkflowId(DEMO_ORG, id));
    for (;;) {
      const phase = await handle.query(agentStateQuery).then(
        (s) => s.phase,
        () => 'not started',
      );
      if (phase === 'Active') break;
      if (Date.now() > deadline) throw new Error(`a hook-started agent is still ${phase} after 5 minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const waits: number[] = [];
  const toStart: number[] = [];
  const parts: LatencyParts[] = [];
  for (const id of people) {
    const history = await stack.client.workflow.getHandle(seasonalAgentWorkflowId(DEMO_ORG, id)).fetchHistory();
    const activeAtMs = analyseHistory(history).activeAtMs!;
    waits.push(activeAtMs - deliveredAt);
    toStart.push(timestampMs(history.events![0]!.eventTime) - deliveredAt);
    parts.push(latencyPartsUntil(history, activeAtMs));
  }
  waits.sort((a, b) => a - b);
  toStart.sort((a, b) => a - b);
  return { waits, toStart, parts };
}

function medianParts(all: LatencyParts[]): LatencyParts {
  const median = (pick: (p: LatencyParts) => number) =>
    percentile(
      all.map(pick).sort((a, b) => a - b),
      50,
    );
  return {
    workflowTaskWaitMs: median((p) => p.workflowTaskWaitMs),
    workflowTaskRunMs: median((p) => p.workflowTaskRunMs),
    activityWaitMs: median((p) => p.activityWaitMs),
    activityRunMs: median((p) => p.activityRunMs),
    failedAttempts: median((p) => p.failedAttempts),
  };
}
