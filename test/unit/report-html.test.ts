// The HTML season report as a string: escaping, no external load, an empty season, and the figures in their
// places. test/integration/report-html-chromium.test.ts opens the same fixture in a real browser.
import { renderReportHtml } from '../../client/commands/support/report-html';
import type { ReportPage, SeasonPage } from '../../client/commands/support/report-page-model';
import { emptySeason, reportPageFixture } from '../support/report-page-fixture';

const NASTY = '<script>alert(1)</script>';

/** The markup of one season's section. */
function section(out: string, seasonId: string): string {
  const start = out.indexOf(`data-season="${seasonId}"`);
  expect(start).toBeGreaterThan(-1);
  return out.slice(start, out.indexOf('</section>', start));
}

/** The markup of the element carrying `data-testid`, up to its closing tag. */
function part(html: string, testId: string): string {
  const at = html.indexOf(`data-testid="${testId}"`);
  expect(at).toBeGreaterThan(-1);
  const open = html.lastIndexOf('<', at);
  const tag = /^<(\w+)/.exec(html.slice(open))![1]!;
  return html.slice(open, html.indexOf(`</${tag}>`, at) + tag.length + 3);
}

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

function page(...seasons: SeasonPage[]): ReportPage {
  return { generatedAt: '2027-03-02T09:30:00Z', seasons };
}

describe('renderReportHtml', () => {
  it('keeps ids and texts as text: nothing from the data becomes markup', () => {
    const s = emptySeason();
    s.seasonId = `x"><img src=x onerror=alert(1)>`;
    s.orgId = NASTY;
    s.logins.headline = `a & b ${NASTY}`;
    s.logins.loggedInFirst = [{ oktaUserId: NASTY, firstLogin: '2027-06-01T12:00:00Z' }];
    s.dormant.agents = [{ oktaUserId: `'${NASTY}'` }];
    s.leftovers.licenses = [{ oktaUserId: NASTY, genesysUserId: NASTY, why: NASTY }];
    s.leftovers.queues = [{ oktaUserId: NASTY, genesysUserId: NASTY }];
    s.billing!.warnings = [NASTY];
    s.billing!.periods = [
      { start: NASTY, end: NASTY, billable: 1, exposed: 1, licenses: [{ license: NASTY, billable: 1, exposed: 1 }] },
    ];
    s.phases = [{ at: NASTY, byPhase: { Active: 1 } }];
    s.logins.perDay = [{ day: NASTY, logins: 1, firstLogins: 1 }];
    s.wave.perMinute = [{ at: NASTY, active: 1 }];
    const out = renderReportHtml(page(s));

    expect(out).not.toMatch(/<script/i);
    expect(out).not.toMatch(/<img/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('a &amp; b');
    expect(out).toContain('data-season="x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    // The element id is a slug of the season id, never the raw id.
    expect(out).toMatch(/id="season-x-img-src-x-onerror-alert-1-"/);
  });

  it('loads nothing: no URL, no script, no stylesheet link, and a CSP that refuses every load', () => {
    const out = renderReportHtml(reportPageFixture());
    for (const external of [/src\s*=\s*["']?\s*(https?:)?\/\//i, /href\s*=\s*["']?\s*(https?:)?\/\//i, /url\(/i])
      expect(out).not.toMatch(external);
    expect(out).not.toMatch(/https?:/i);
    expect(out).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(out).not.toMatch(/@import/i);
    expect(out).toMatch(
      /^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy"/,
    );
    expect(out).toContain('default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:');
    // Every link is a fragment of the page itself.
    for (const [, href] of out.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^#season-/);
  });

  it('renders a season that has not started: empty charts and lists read as such', () => {
    const out = renderReportHtml(page(emptySeason()));
    const s = section(out, 'retail-summer-2027');
    expect(part(s, 'status')).toContain('not started');
    expect(s).not.toContain('<svg');
    expect(occurrences(s, 'no samples yet')).toBe(3);
    for (const id of ['logged-in-first', 'dormant-list', 'leftover-licenses', 'leftover-queues', 'billing-warnings'])
      expect(part(s, id)).toMatch(/>none<\/p>$/);
    expect(part(s, 'billing-table')).toContain('no billing period yet');
    expect(part(s, 'login-figures')).toContain('median lead: –');
    expect(out).not.toMatch(/NaN|undefined|Infinity|\[object/);
  });

  it('renders a report without seasons', () => {
    const out = renderReportHtml(page());
    expect(out).toContain('No seasons in this report.');
    expect(out).toContain('<title>Season report</title>');
  });

  it('puts the figures where a person looks for them', () => {
    const out = renderReportHtml(reportPageFixture());
    const retail = section(out, 'retail-holiday-2026');
    expect(part(retail, 'count-agents')).toContain('<dd>300</dd>');
    expect(part(retail, 'count-licensesHeld')).toContain('<dd>3</dd>');
    expect(part(retail, 'status')).toContain('ended');
    expect(part(retail, 'period')).toContain('2026-11-16 08:00 EST – 2026-12-06 00:00 EST');
    expect(part(retail, 'login-headline')).toContain('296 of 298 ready before their first login');
    expect(part(retail, 'login-figures')).toContain('median lead: 2 d 4 h');
    const first = part(retail, 'logged-in-first');
    expect(occurrences(first, '<li>')).toBe(2);
    expect(first).toContain('<code>00u1first0001</code> first login 2026-11-16 06:30 EST; Active 2026-11-16 06:40 EST');
    expect(first).toContain('not Active yet');

    // Charts: one area per phase that occurs, one bar per day and minute, first logins and the bound drawn.
    const phases = part(retail, 'phases-chart');
    expect([...phases.matchAll(/data-phase="(\w+)"/g)].map((m) => m[1])).toEqual([
      'Provisioning',
      'Active',
      'NeedsAttention',
      'Deprovisioning',
      'Deprovisioned',
    ]);
    const logins = part(retail, 'logins-chart');
    expect(occurrences(logins, 'class="bar"')).toBe(10);
    expect(occurrences(logins, 'class="bar-part"')).toBe(3);
    const wave = part(retail, 'wave-chart');
    expect(occurrences(wave, '<rect class="bar')).toBe(9);
    expect(occurrences(wave, 'class="bar over"')).toBe(1);
    expect(occurrences(wave, 'class="bound"')).toBe(1);
    expect(wave).toContain('bound 40/min');
    expect(part(retail, 'wave-summary')).toContain('Above the bound in 1 minute.');

    // Billing in the season's time zone, across the DST change at the period boundary.
    const billing = part(retail, 'billing-table');
    expect(occurrences(billing, '<tr>')).toBe(3);
    expect(billing).toContain('2026-11-01 00:00 EDT – 2026-12-01 00:00 EST');
    expect(billing).toContain('<code>cloudCX3</code>: billable 48, exposed 48');
    expect(part(retail, 'billing-warnings')).toContain('would save 210 named licenses');

    expect(occurrences(part(retail, 'dormant-list'), '<li>')).toBe(3);
    expect(part(retail, 'dormant-list')).toContain('<code>00u1dormant01</code> Active since 2026-11-16 05:00 EST');
    expect(part(retail, 'dormant-summary')).toContain('3 days after the season started: 3.');
    expect(occurrences(part(retail, 'leftover-licenses'), '<li>')).toBe(3);
    expect(part(retail, 'leftover-queues')).toContain('>none</p>');

    const support = section(out, 'support-spring-2027');
    expect(part(support, 'status')).toContain('running');
    expect(part(support, 'period')).toContain('2027-03-01 08:00 GMT+1');
    expect(part(support, 'billing-not-configured')).toContain('Billing is not configured for org support-eu');
    expect(support).not.toContain('data-testid="billing-table"');
  });

  it('draws an unknown phase as "Other", and an unknown time zone in UTC, saying so', () => {
    const s = emptySeason();
    s.timeZone = 'Mars/Olympus_Mons';
    s.phases = [
      { at: '2027-06-01T12:00:00Z', byPhase: { Active: 3, HandedOver: 2 } as SeasonPage['phases'][number]['byPhase'] },
    ];
    const out = renderReportHtml(page(s));
    expect(part(out, 'period')).toContain('2027-06-01 12:00 UTC');
    expect(part(out, 'period')).toContain('time zone Mars/Olympus_Mons unknown here: times in UTC');
    expect([...part(out, 'phases-chart').matchAll(/data-phase="(\w+)"/g)].map((m) => m[1])).toEqual([
      'Active',
      'Other',
    ]);
  });

  it('gives two seasons with the same id distinct anchors', () => {
    const a = emptySeason();
    const b = { ...emptySeason(), orgId: 'retail-ca' };
    const out = renderReportHtml(page(a, b));
    expect(out).toContain('id="season-retail-summer-2027"');
    expect(out).toContain('id="season-retail-summer-2027-2"');
    expect(out).toContain('href="#season-retail-summer-2027-2"');
  });
});
