// Replays histories recorded from real runs against today's workflow code. A change that would break running
// agents (weeks-long workflows live through deploys) fails here with a non-determinism error.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from '../support/histories';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

describe('workflow replay', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it('replays every recorded history without non-determinism', async () => {
    const histories = files.map((file) => ({
      workflowId: path.basename(file, '.json'),
      // The JSON that `temporal workflow show --output json` writes; the worker converts it (eventIds as strings).
      history: JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as HistoryAndWorkflowId['history'],
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowsPath: require.resolve('../../workflows'), replayName: 'recorded-histories' },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
