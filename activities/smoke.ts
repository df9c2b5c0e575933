import { Context } from '@temporalio/activity';

export interface SmokeActivities {
  describeWorker(): Promise<string>;
}

export const smokeActivities: SmokeActivities = {
  async describeWorker() {
    return `task queue ${Context.current().info.taskQueue}`;
  },
};
