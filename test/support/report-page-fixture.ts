// A realistic ReportPage for the HTML report's tests (test/unit/report-html.test.ts and
// test/integration/report-html-chromium.test.ts): two seasons of two orgs. The retail season has ended: 300
// agents, billing across a November/December period boundary, two agents who logged in before they were Active,
// dormant agents and leftovers. The support season is running in another time zone, with no billing configured.
// Built from loops so the figures stay consistent (the counts the tests assert are exported with it).
import type { ReportPage, SeasonPage } from '../../client/commands/support/report-page-model';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

export const RETAIL_PHASE_SAMPLES = 12;
export const RETAIL_LOGIN_DAYS = 10;
export const RETAIL_WAVE_MINUTES = 9;
export const RETAIL_BOUND_PER_MINUTE = 40;

function retailSeason(): SeasonPage {
  const start = Date.parse('2026-11-16T13:00:00Z'); // 08:00 in New York
  const end = Date.parse('2026-12-06T05:00:00Z');
  // Phases: ramp up, hold, then staged deprovisioning at the end.
  const phases = Array.from({ length: RETAIL_PHASE_SAMPLES }, (_, i) => {
    const at = start - 2 * HOUR + i * ((end - start + 4 * HOUR) / (RETAIL_PHASE_SAMPLES - 1));
    if (i === 0) return { at: iso(at), byPhase: { Provisioning: 120, Active: 60 } };
    if (i < 9) return { at: iso(at), byPhase: { Active: 298, NeedsAttention: i < 3 ? 2 : 0 } };
    if (i === 9) return { at: iso(at), byPhase: { Active: 150, Deprovisioning: 148 } };
    return { at: iso(at), byPhase: { Deprovisioning: 10, Deprovisioned: 290 } };
  });
  const perDay = Array.from({ length: RETAIL_LOGIN_DAYS }, (_, i) => ({
    day: iso(start + i * 24 * HOUR).slice(0, 10),
    logins: 240 + ((i * 37) % 50),
    firstLogins: i < 3 ? [180, 90, 28][i]! : 0,
  }));
  const perMinute = Array.from({ length: RETAIL_WAVE_MINUTES }, (_, i) => ({
    at: iso(start - 3 * HOUR + i * MINUTE),
    active: [12, 38, 40, 40, 39, 40, 40, 41, 10][i]!,
  }));
  return {
    orgId: 'retail-us',
    seasonId: 'retail-holiday-2026',
    startsAt: iso(start),
    endsAt: iso(end),
    timeZone: 'America/New_York',
    counts: {
      agents: 300,
      provisioned: 298,
      active: 0,
      needsAttention: 0,
      deprovisioned: 290,
      failed: 2,
      licensesHeld: 3,
    },
    phases,
    logins: {
      loggedIn: 298,
      readyBeforeFirstLogin: 296,
      loggedInFirst: [
        { oktaUserId: '00u1first0001', firstLogin: iso(start - 90 * MINUTE), activeAt: iso(start - 80 * MINUTE) },
        { oktaUserId: '00u1first0002', firstLogin: iso(start - 60 * MINUTE) },
      ],
      medianLeadMs: 2 * 24 * HOUR + 4 * HOUR,
      perDay,
      headline: '296 of 298 ready before their first login (median lead 2 d 4 h); 2 logged in first',
    },
    billing: {
      model: 'named',
      periodStartDay: 1,
      periods: [
        {
          start: '2026-11-01T04:00:00Z',
          end: '2026-12-01T05:00:00Z',
          billable: 298,
          exposed: 300,
          licenses: [
            { license: 'cloudCX2', billable: 250, exposed: 252 },
            { license: 'cloudCX3', billable: 48, exposed: 48 },
          ],
        },
        {
          start: '2026-12-01T05:00:00Z',
          end: '2027-01-01T05:00:00Z',
          billable: 210,
          exposed: 298,
          licenses: [{ license: 'cloudCX2', billable: 210, exposed: 298 }],
        },
      ],
      warnings: [
        'the season ends 2026-12-06 00:00, 5 days into a new billing period: ending on 2026-11-30 would save 210 named licenses',
      ],
    },
    wave: { boundPerMinute: RETAIL_BOUND_PER_MINUTE, requestsPerMinute: 300, perMinute },
    dormant: {
      afterDays: 3,
      agents: [
        { oktaUserId: '00u1dormant01', activeAt: iso(start - 3 * HOUR) },
        { oktaUserId: '00u1dormant02', activeAt: iso(start - 3 * HOUR + MINUTE) },
        { oktaUserId: '00u1dormant03' },
      ],
    },
    leftovers: {
      licenses: [
        {
          oktaUserId: '00u1left00001',
          genesysUserId: 'a1b2c3d4-0000-4000-8000-000000000001',
          why: 'deleteAfterDays: 30',
        },
        {
          oktaUserId: '00u1left00002',
          genesysUserId: 'a1b2c3d4-0000-4000-8000-000000000002',
          why: 'deleteAfterDays: 30',
        },
        { oktaUserId: '00u1left00003', genesysUserId: 'a1b2c3d4-0000-4000-8000-000000000003', why: 'delete failed' },
      ],
      queues: [],
    },
  };
}

function supportSeason(): SeasonPage {
  const start = Date.parse('2027-03-01T07:00:00Z'); // 08:00 in Berlin
  return {
    orgId: 'support-eu',
    seasonId: 'support-spring-2027',
    startsAt: iso(start),
    endsAt: '2027-04-30T16:00:00Z',
    timeZone: 'Europe/Berlin',
    counts: {
      agents: 40,
      provisioned: 40,
      active: 39,
      needsAttention: 1,
      deprovisioned: 0,
      failed: 0,
      licensesHeld: 40,
    },
    phases: [
      { at: iso(start - HOUR), byPhase: { Provisioning: 40 } },
      { at: iso(start), byPhase: { Active: 39, NeedsAttention: 1 } },
    ],
    logins: {
      loggedIn: 12,
      readyBeforeFirstLogin: 12,
      loggedInFirst: [],
      medianLeadMs: 55 * MINUTE,
      perDay: [{ day: '2027-03-01', logins: 12, firstLogins: 12 }],
      headline: '12 of 12 ready before their first login (median lead 55 min)',
    },
    wave: { boundPerMinute: 40, requestsPerMinute: 300, perMinute: [{ at: iso(start - HOUR), active: 40 }] },
    dormant: { afterDays: 3, agents: [] },
    leftovers: { licenses: [], queues: [] },
  };
}

export function reportPageFixture(): ReportPage {
  return { generatedAt: '2027-03-02T09:30:00Z', seasons: [retailSeason(), supportSeason()] };
}

/** A season that has not started: nothing sampled yet. */
export function emptySeason(): SeasonPage {
  return {
    orgId: 'retail-us',
    seasonId: 'retail-summer-2027',
    startsAt: '2027-06-01T12:00:00Z',
    endsAt: '2027-08-31T22:00:00Z',
    timeZone: 'America/New_York',
    counts: { agents: 0, provisioned: 0, active: 0, needsAttention: 0, deprovisioned: 0, failed: 0, licensesHeld: 0 },
    phases: [],
    logins: { loggedIn: 0, readyBeforeFirstLogin: 0, loggedInFirst: [], perDay: [], headline: 'no agent yet' },
    billing: { model: 'named', periodStartDay: 1, periods: [], warnings: [] },
    wave: { boundPerMinute: 40, requestsPerMinute: 300, perMinute: [] },
    dormant: { afterDays: 3, agents: [] },
    leftovers: { licenses: [], queues: [] },
  };
}
