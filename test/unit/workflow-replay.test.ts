// Replays histories recorded from real runs against today's workflow code. A change that would break running
// agents (weeks-long workflows live through deploys) fails here with a non-determinism error.
//   test/histories/*.json    — the seasonalAgent workflow (and the catch-up), recorded by the integration tests
//   test/histories/plan<N>/  — seasonalAgent runs of Genesys call plan N (SeasonalAgentInput.genesysCalls)
//   test/histories/v1/*.json — the per-season agentLifecycle of earlier versions, still registered so that runs
//                              started before the upgrade finish (workflows/legacy/): they must keep replaying too
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { GENESYS_CALL_PLAN } from '../../workflows/agent/contract';
import { HISTORIES_DIR, planHistoryDirs, V1_HISTORIES_DIR } from '../support/histories';

type History = HistoryAndWorkflowId['history'] & {
  events: Array<{ workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }>;
};

function load(dir: string, prefix = ''): Array<{ workflowId: string; type: string; history: History }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => {
      // The JSON that `temporal workflow show --output json` writes; the worker converts it (eventIds as strings).
      const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as History;
      const type = history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '?';
      return { workflowId: `${prefix}${path.basename(file, '.json')}`, type, history };
    });
}

const histories = [
  ...load(HISTORIES_DIR),
  ...planHistoryDirs().flatMap((dir) => load(dir, `${path.basename(dir)}/`)),
  ...load(V1_HISTORIES_DIR, 'v1/'),
];
const ofType = (type: string) => histories.filter((h) => h.type === type).map((h) => h.workflowId);

describe('workflow replay', () => {
  it('has recorded histories of the seasonal agent workflow and of the v1 agentLifecycle to replay', () => {
    expect(ofType('seasonalAgent').length).toBeGreaterThanOrEqual(6);
    expect(ofType('agentLifecycle').length).toBeGreaterThanOrEqual(4);
    expect(ofType('agentLifecycle').every((id) => id.startsWith('v1/'))).toBe(true);
  });

  it('has runs of every Genesys call plan since the first, with queues joined and left', () => {
    for (let plan = 2; plan <= GENESYS_CALL_PLAN; plan++) {
      const ids = ofType('seasonalAgent').filter((id) => id.startsWith(`plan${plan}/`));
      expect({ plan, ids }).toEqual({ plan, ids: expect.arrayContaining([`plan${plan}/routing-mover`]) });
    }
  });

  it('replays every recorded history without non-determinism', async () => {
    const failures: string[] = [];
    const replayed: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowsPath: require.resolve('../../workflows'), replayName: 'recorded-histories' },
      histories.map(({ workflowId, history }) => ({ workflowId, history })),
    )) {
      replayed.push(result.workflowId);
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed.sort()).toEqual(histories.map((h) => h.workflowId).sort());
  });
});
