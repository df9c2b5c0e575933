// The activity of the test-only smoke workflow (test/support/workflows/smoke.ts).
import { Context } from '@temporalio/activity';

export interface SmokeActivities {
  describeWorker(): Promise<string>;
}

export const smokeActivities: SmokeActivities = {
  async describeWorker() {
    return `task queue ${Context.current().info.taskQueue}`;
  },
};
