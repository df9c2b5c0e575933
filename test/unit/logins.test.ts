import { dormantAgents, mergeLogins, readiness } from '../../domain/logins';

const t = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

describe('mergeLogins', () => {
  it('keeps one login a minute (the earliest instant), oldest first, and says when nothing changed', () => {
    const first = mergeLogins(undefined, ['2026-12-02T10:00:40Z', '2026-12-02T10:00:05Z', '2026-12-01T09:00:00Z']);
    expect(first.changed).toBe(true);
    expect(first.record).toEqual({
      first: '2026-12-01T09:00:00.000Z',
      last: '2026-12-02T10:00:05.000Z',
      seen: ['2026-12-01T09:00:00.000Z', '2026-12-02T10:00:05.000Z'],
    });
    expect(mergeLogins(first.record, ['2026-12-02T10:00:30Z']).changed).toBe(false);
    expect(mergeLogins(first.record, ['not a date']).changed).toBe(false);
  });

  it('keeps the first login and the newest ones past the cap', () => {
    const logins = Array.from({ length: 10 }, (_, i) =>
      new Date(t('2026-12-01T00:00:00Z') + i * 3600_000).toISOString(),
    );
    const { record } = mergeLogins(undefined, logins, 4);
    expect(record.seen).toEqual([logins[0], logins[7], logins[8], logins[9]]);
    expect(record.first).toBe(logins[0]);
  });
});

describe('readiness', () => {
  it('counts who was Active before their first login, names who logged in first, and gives the median lead', () => {
    const r = readiness([
      { oktaUserId: 'a', activeAt: t('2026-12-01T00:00:00Z'), firstLogin: t('2026-12-03T04:00:00Z') },
      { oktaUserId: 'b', activeAt: t('2026-12-01T00:00:00Z'), firstLogin: t('2026-12-02T00:00:00Z') },
      { oktaUserId: 'c', activeAt: t('2026-12-01T00:00:00Z'), firstLogin: t('2026-12-05T00:00:00Z') },
      { oktaUserId: 'late', activeAt: t('2026-12-02T00:00:00Z'), firstLogin: t('2026-12-01T23:00:00Z') },
      { oktaUserId: 'never-active', firstLogin: t('2026-12-01T20:00:00Z') },
      { oktaUserId: 'waiting', activeAt: t('2026-12-01T00:00:00Z') },
    ]);
    expect(r).toMatchObject({
      agents: 6,
      loggedIn: 5,
      ready: 4,
      neverLoggedIn: 1,
      medianLeadMs: 2 * DAY + 4 * 3600_000,
    });
    expect(r.loggedInFirst.map((m) => m.oktaUserId)).toEqual(['never-active', 'late']);
    expect(r.headline).toBe('4 of 6 ready before their first login (median lead 2 d 4 h); 2 logged in first');
  });

  it('says so when nobody has logged in yet', () => {
    expect(readiness([{ oktaUserId: 'a', activeAt: 1 }]).headline).toBe(
      '1 of 1 ready before their first login; no agent has logged in yet',
    );
  });
});

describe('dormantAgents', () => {
  const start = t('2026-12-01T00:00:00Z');
  const agents = [
    { oktaUserId: 'dormant', phase: 'Active', activeAt: start },
    { oktaUserId: 'logged-in', phase: 'Active', activeAt: start, firstLogin: start + DAY },
    { oktaUserId: 'parked', phase: 'NeedsAttention' },
  ];

  it('are Active agents with no login N days after the season started', () => {
    expect(dormantAgents(agents, start, 7 * DAY, start + 7 * DAY).map((a) => a.oktaUserId)).toEqual(['dormant']);
    expect(dormantAgents(agents, start, 7 * DAY, start + 7 * DAY - 1)).toEqual([]);
  });
});
