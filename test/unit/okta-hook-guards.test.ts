// The receiver's guards: constant-time secret check, bounded dedupe memory, per-address request limit, and
// which seasons count as active.
import type { SeasonConfig } from '../../config/types';
import { headerMatches } from '../../platform/header-auth';
import { activeSeasons, requestsPerMinuteFromEnv } from '../../receiver/main';
import { RequestLimiter } from '../../receiver/request-limiter';
import { SeenSet } from '../../receiver/seen-set';

describe('headerMatches', () => {
  it('accepts only the exact value, once', () => {
    expect(headerMatches('s3cret-value', 's3cret-value')).toBe(true);
    expect(headerMatches('s3cret-valuE', 's3cret-value')).toBe(false);
    expect(headerMatches('s3cret', 's3cret-value')).toBe(false);
    expect(headerMatches('', 's3cret-value')).toBe(false);
    expect(headerMatches(undefined, 's3cret-value')).toBe(false);
    expect(headerMatches(['s3cret-value', 's3cret-value'], 's3cret-value')).toBe(false);
  });
});

describe('SeenSet', () => {
  it('forgets the least recently seen id first', () => {
    const seen = new SeenSet(3);
    for (const id of ['a', 'b', 'c']) seen.add(id);
    expect(seen.has('a')).toBe(true); // refreshes a
    seen.add('d');
    expect(seen.has('b')).toBe(false);
    expect(['a', 'c', 'd'].every((id) => seen.has(id))).toBe(true);
    expect(seen.size).toBe(3);
  });

  it('refuses a useless capacity', () => {
    expect(() => new SeenSet(0)).toThrow('capacity');
  });
});

describe('RequestLimiter', () => {
  it('allows perMinute requests per address per window, then says how long to wait', () => {
    let now = 1_000_000;
    const limiter = new RequestLimiter(2, () => now);
    expect([limiter.take('1.2.3.4'), limiter.take('1.2.3.4')]).toEqual([0, 0]);
    now += 15_000;
    expect(limiter.take('1.2.3.4')).toBe(45_000);
    expect(limiter.take('5.6.7.8')).toBe(0);
    now += 45_000;
    expect(limiter.take('1.2.3.4')).toBe(0);
  });
});

describe('HOOK_REQUESTS_PER_MINUTE', () => {
  it('defaults far above a busy org, takes a whole number, refuses anything else with a clear error', () => {
    expect(requestsPerMinuteFromEnv({})).toBe(6000);
    expect(requestsPerMinuteFromEnv({ HOOK_REQUESTS_PER_MINUTE: ' ' })).toBe(6000);
    expect(requestsPerMinuteFromEnv({ HOOK_REQUESTS_PER_MINUTE: '12000' })).toBe(12000);
    for (const bad of ['0', '-5', '1.5', 'lots', '1e400'])
      expect(() => requestsPerMinuteFromEnv({ HOOK_REQUESTS_PER_MINUTE: bad })).toThrow(
        `HOOK_REQUESTS_PER_MINUTE must be a whole number of requests of at least 1, not "${bad}"`,
      );
  });
});

describe('activeSeasons', () => {
  const season = (id: string, startsAt: string, endsAt: string, groups: string[] = [id], orgId = 'retail-us') =>
    ({
      id,
      orgId,
      startsAt,
      endsAt,
      mapping: { rules: groups.map((group) => ({ group, roles: [] })) },
    }) as unknown as SeasonConfig;

  it('keeps every season that has not ended, so a hire before the start is provisioned just in time', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    const all = [
      season('past', '2025-11-01T00:00:00Z', '2026-01-01T00:00:00Z'),
      season('now', '2026-11-16T13:00:00Z', '2027-01-12T01:00:00Z'),
      season('later', '2027-06-01T00:00:00Z', '2027-08-01T00:00:00Z'),
    ];
    expect(activeSeasons(all, now).map((s) => s.id)).toEqual(['now', 'later']);
  });

  it('holds a season that has not started while a running season of its org maps the same group, until that one ends', () => {
    const all = [
      season('holiday-2026', '2026-11-16T13:00:00Z', '2027-01-12T01:00:00Z', [
        'Retail-Holiday-Agents',
        'Retail-Holiday-Chat',
      ]),
      season('holiday-2027', '2027-11-15T13:00:00Z', '2028-01-11T01:00:00Z', ['Retail-Holiday-Agents']),
      season('summer-2027', '2027-06-01T00:00:00Z', '2027-08-01T00:00:00Z', ['Retail-Summer-Agents']),
      season('outlet-2027', '2027-11-15T13:00:00Z', '2028-01-11T01:00:00Z', ['Retail-Holiday-Agents'], 'outlet-eu'),
    ];
    expect(activeSeasons(all, Date.parse('2026-12-01T00:00:00Z')).map((s) => s.id)).toEqual([
      'holiday-2026',
      'summer-2027',
      'outlet-2027',
    ]);
    expect(activeSeasons(all, Date.parse('2027-01-12T01:00:00Z')).map((s) => s.id)).toEqual([
      'holiday-2027',
      'summer-2027',
      'outlet-2027',
    ]);
  });
});
