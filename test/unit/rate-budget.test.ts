// The share of an org's Genesys budget the workers' queue may spend (domain/rate-budget.ts).
import { queueRequestsPerMinute } from '../../domain/rate-budget';
import { activitiesPerSecond } from '../../worker/workers';

describe('queueRequestsPerMinute', () => {
  it("keeps 3% for the server limiter's burst and 3 calls a minute for calls outside the queue", () => {
    expect(queueRequestsPerMinute(300)).toBe(288); // 12 free: a restarted server's burst (5), a token, a catalog read
    expect(queueRequestsPerMinute(80)).toBeCloseTo(74.6); // a small budget keeps more than 3%: the calls are fixed
    expect(queueRequestsPerMinute(1000)).toBe(967);
  });

  it('never spends less than half a tiny budget', () => {
    expect(queueRequestsPerMinute(4)).toBe(2);
  });

  it('is what the workers give the server as the task queue rate limit', () => {
    expect(activitiesPerSecond(300)).toBeCloseTo(4.8);
  });
});
