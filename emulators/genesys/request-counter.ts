// Request counts per org, OAuth client, endpoint (method + route pattern) and status, for tests and reports
// (e.g. "how many API calls did a season cost", "how many 429s did the workers see").
import type { RequestCountEntry, RequestCounts } from './types';

type FaultCounter = keyof RequestCounts['faults'];

const emptyFaults = (): RequestCounts['faults'] => ({
  injected5xx: 0,
  forced429: 0,
  rateLimited429: 0,
  outage503: 0,
  droppedAfterCommit: 0,
});

export class RequestCounter {
  private readonly entries = new Map<string, RequestCountEntry>();
  private faults = emptyFaults();

  record(orgId: string, clientId: string, endpoint: string, status: number): void {
    const key = JSON.stringify([orgId, clientId, endpoint, status]);
    const entry = this.entries.get(key);
    if (entry) entry.count += 1;
    else this.entries.set(key, { orgId, clientId, endpoint, status, count: 1 });
  }

  recordFault(kind: FaultCounter): void {
    this.faults[kind] += 1;
  }

  snapshot(): RequestCounts {
    const entries = [...this.entries.values()].map((e) => ({ ...e }));
    const totals: RequestCounts['totals'] = { requests: 0, byStatus: {}, byEndpoint: {}, byOrg: {} };
    for (const e of entries) {
      totals.requests += e.count;
      totals.byStatus[e.status] = (totals.byStatus[e.status] ?? 0) + e.count;
      const perEndpoint = (totals.byEndpoint[e.endpoint] ??= {});
      perEndpoint[e.status] = (perEndpoint[e.status] ?? 0) + e.count;
      totals.byOrg[e.orgId] = (totals.byOrg[e.orgId] ?? 0) + e.count;
    }
    return { entries, totals, faults: { ...this.faults } };
  }

  reset(): void {
    this.entries.clear();
    this.faults = emptyFaults();
  }
}
