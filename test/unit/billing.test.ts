import {
  billedLicenses,
  boundaryWarnings,
  periodContaining,
  periodsBetween,
  periodUsage,
  peakExposure,
  type AgentTimeline,
  type BillingConfig,
} from '../../domain/billing';

const named: BillingConfig = { model: 'named', periodStartDay: 15, timeZone: 'UTC' };
const t = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('billing periods', () => {
  it('run from the contract day at midnight in the billing time zone, not the calendar month', () => {
    expect(periodContaining(named, t('2027-01-16T08:00:00Z'))).toEqual({
      start: t('2027-01-15T00:00:00Z'),
      end: t('2027-02-15T00:00:00Z'),
    });
    expect(periodContaining(named, t('2027-01-14T23:59:59Z')).start).toBe(t('2026-12-15T00:00:00Z'));
    const ny: BillingConfig = { ...named, timeZone: 'America/New_York' };
    // Midnight in New York is 05:00 UTC in January (EST) and 04:00 UTC in July (EDT).
    expect(periodContaining(ny, t('2027-01-15T04:59:00Z')).start).toBe(t('2026-12-15T05:00:00Z'));
    expect(periodContaining(ny, t('2027-01-15T05:00:00Z')).start).toBe(t('2027-01-15T05:00:00Z'));
    expect(periodContaining(ny, t('2027-07-20T00:00:00Z')).start).toBe(t('2027-07-15T04:00:00Z'));
  });

  it('lists every period a span touches, across a year end', () => {
    const periods = periodsBetween(named, t('2026-11-20T00:00:00Z'), t('2027-01-15T00:00:00Z'));
    expect(periods.map((p) => new Date(p.start).toISOString().slice(0, 10))).toEqual([
      '2026-11-15',
      '2026-12-15',
      '2027-01-15',
    ]);
    expect(periodsBetween(named, t('2026-12-20T00:00:00Z'), t('2026-12-21T00:00:00Z'))).toHaveLength(1);
  });
});

describe('periodUsage', () => {
  const periods = periodsBetween(named, t('2026-12-20T00:00:00Z'), t('2027-01-20T00:00:00Z'));
  const agent = (id: string, over: Partial<AgentTimeline>): AgentTimeline => ({
    oktaUserId: id,
    logins: [],
    licenses: ['cloudCX1', 'communicate'],
    ...over,
  });

  it('bills who logged in during a period, and counts as exposed whoever could', () => {
    const usage = periodUsage(
      [
        agent('a', { accessFrom: t('2026-12-01T00:00:00Z'), logins: [t('2026-12-20T10:00:00Z')] }),
        agent('b', {
          accessFrom: t('2026-12-01T00:00:00Z'),
          accessUntil: t('2027-01-16T00:00:00Z'),
          logins: [t('2027-01-15T09:00:00Z')],
          licenses: ['communicate', 'cloudCX2', 'cloudCX1'],
        }),
        agent('c', { accessFrom: t('2026-12-01T00:00:00Z'), accessUntil: t('2027-01-10T00:00:00Z') }),
        agent('never', {}),
      ],
      periods,
    );
    expect(usage.map(({ billable, exposed }) => ({ billable, exposed }))).toEqual([
      { billable: 1, exposed: 3 },
      { billable: 1, exposed: 2 },
    ]);
    expect(usage[1]!.licenses).toEqual([
      { license: 'cloudCX1', billable: 0, exposed: 1 },
      { license: 'cloudCX2', billable: 1, exposed: 1 },
    ]);
  });

  it('bills a login even when the access times are unknown', () => {
    const [p] = periodUsage([agent('a', { logins: [t('2026-12-20T10:00:00Z')] })], periods);
    expect(p).toMatchObject({ billable: 1, exposed: 1 });
  });
});

describe('billedLicenses', () => {
  it('bills the highest license held, and keeps licenses it cannot rank', () => {
    expect(billedLicenses(['communicate', 'cloudCX3', 'cloudCX1'])).toEqual(['cloudCX3']);
    expect(billedLicenses(['communicate'])).toEqual(['communicate']);
    expect(billedLicenses(['wem-addon', 'cloudCX1', 'wem-addon'])).toEqual(['cloudCX1', 'wem-addon']);
    expect(billedLicenses([])).toEqual([]);
  });
});

describe('peakExposure (concurrent model)', () => {
  it('is the most users able to log in at once, ignoring peaks under 30 minutes', () => {
    const from = t('2026-12-01T00:00:00Z');
    const to = t('2026-12-02T00:00:00Z');
    const at = (h: number) => from + h * HOUR;
    const agents: AgentTimeline[] = [
      { oktaUserId: 'a', accessFrom: at(1), accessUntil: at(10), logins: [], licenses: [] },
      { oktaUserId: 'b', accessFrom: at(2), accessUntil: at(9), logins: [], licenses: [] },
      // Overlaps the other two for 20 minutes only: not a billed peak of 3.
      { oktaUserId: 'c', accessFrom: at(3), accessUntil: at(3) + 20 * 60_000, logins: [], licenses: [] },
    ];
    expect(peakExposure(agents, from, to, to)).toBe(2);
    agents[2]!.accessUntil = at(4);
    expect(peakExposure(agents, from, to, to)).toBe(3);
    expect(peakExposure([], from, to, to)).toBe(0);
  });
});

describe('boundaryWarnings', () => {
  const season = {
    seasonId: 'holiday',
    startsAt: t('2026-11-20T00:00:00Z'),
    endsAt: t('2027-01-16T08:00:00Z'),
    agents: 300,
    teardownMs: 2 * 60_000,
    accessAfterEndMs: 0,
  };

  it('warns of an end just inside a new period, with the saving and the time to end by', () => {
    const [w, ...rest] = boundaryWarnings(named, season);
    expect(rest).toEqual([]);
    expect(w).toMatchObject({
      kind: 'end-inside-period',
      boundary: '2027-01-15T00:00:00.000Z',
      avoidBy: '2027-01-14T23:00:00.000Z',
      licenses: 300,
    });
    expect(w!.message).toBe(
      'season holiday ends Jan 16 08:00 (its users able to log in until Jan 16 08:02), 1 d 8 h into the period from ' +
        'Jan 15: up to 300 named licenses for that period; end by Jan 14 23:00 to avoid it',
    );
  });

  it('counts the grace during which users stay active, and says nothing of an end well inside a period', () => {
    const grace = boundaryWarnings(named, {
      ...season,
      endsAt: t('2027-01-14T20:00:00Z'),
      accessAfterEndMs: 12 * HOUR,
    });
    expect(grace[0]).toMatchObject({ kind: 'end-inside-period', avoidBy: '2027-01-14T11:00:00.000Z' });
    expect(boundaryWarnings(named, { ...season, endsAt: t('2027-02-05T00:00:00Z') })).toEqual([]);
    expect(boundaryWarnings(named, { ...season, endsAt: t('2027-01-10T00:00:00Z') })).toEqual([]);
  });

  it('warns of a start in the last week before a boundary', () => {
    const w = boundaryWarnings(named, {
      ...season,
      startsAt: t('2026-12-12T09:00:00Z'),
      endsAt: t('2027-01-05T00:00:00Z'),
    });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ kind: 'start-before-boundary', avoidBy: '2026-12-15T00:00:00.000Z' });
    expect(w[0]!.message).toContain('starts Dec 12 09:00, 2 d 15 h before the period from Dec 15');
  });

  it('has nothing to say under the concurrent model', () => {
    expect(boundaryWarnings({ ...named, model: 'concurrent' }, season)).toEqual([]);
  });
});
