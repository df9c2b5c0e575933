// The HTML season report as a person sees it: written to a file and opened from disk (file://) in Debian's
// Chromium. The page must load nothing but itself (every request is recorded and any other is refused), log no
// error, show each season's figures and draw its charts; a screenshot is taken for a person to look at. It uses no
// Temporal server (the integration project's global setup starts one anyway): it is here because it drives a
// real browser, which the unit project never does.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { renderReportHtml } from '../../client/commands/support/report-html';
import type { ReportPage } from '../../client/commands/support/report-page-model';
import { launchChromium } from '../support/browser';
import { RETAIL_LOGIN_DAYS, RETAIL_WAVE_MINUTES, reportPageFixture } from '../support/report-page-fixture';

// The browser globals the page functions below use: the project compiles without the DOM lib (Node code only).
declare const document: {
  querySelectorAll(selector: string): { length: number };
  createElement(tag: 'img'): { src: string };
  body: { append(node: unknown): void };
};
declare function getComputedStyle(element: unknown): { fill: string };

let browser: Browser | undefined;
let dir = '';

interface Opened {
  page: Page;
  /** Every request the page started, those its CSP then blocked included. */
  requests: string[];
  /** The requests that got past the page's own CSP to the network stack (this test's router refuses them). */
  routed: string[];
  /** Failed requests as "url: reason" ("csp" when the page's policy blocked one). */
  failed: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
}

/** Writes the report to a file and opens it, refusing every request but the file's own. */
async function open(report: ReportPage, name: string): Promise<Opened> {
  const file = path.join(dir, `${name}.html`);
  writeFileSync(file, renderReportHtml(report));
  const url = pathToFileURL(file).href;
  const context = await browser!.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const requests: string[] = [];
  const routed: string[] = [];
  const failed: string[] = [];
  const errors: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  page.on('requestfailed', (req) => failed.push(`${req.url()}: ${req.failure()?.errorText}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  await context.route('**/*', (route) => {
    routed.push(route.request().url());
    return route.request().url() === url ? route.continue() : route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, routed, failed, errors };
}

const season = (page: Page, id: string): Locator => page.locator(`section[data-season="${id}"]`);

beforeAll(async () => {
  browser = await launchChromium(); // first: a missing Chromium fails here, before anything is written
  dir = mkdtempSync(path.join(tmpdir(), 'report-html-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('HTML season report in Chromium', () => {
  it('opens from disk with no request but its own and no error, and shows every figure', async () => {
    const { page, requests, routed, failed, errors } = await open(reportPageFixture(), 'report');
    const retail = season(page, 'retail-holiday-2026');
    const support = season(page, 'support-spring-2027');
    await retail.waitFor();

    await expectText(retail.getByTestId('login-headline'), /^296 of 298 ready before their first login/);
    await expectText(support.getByTestId('login-headline'), /^12 of 12 ready before their first login/);
    expect(await retail.getByTestId('logged-in-first').locator('li').allTextContents()).toEqual([
      expect.stringContaining('00u1first0001'),
      expect.stringContaining('00u1first0002'),
    ]);
    await expectText(retail.getByTestId('count-agents'), /300/);

    // Billing: one row per period, shown in New York time across the DST change; the EU org has none.
    const rows = retail.getByTestId('billing-table').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    await expectText(rows.first().locator('td').first(), '2026-11-01 00:00 EDT – 2026-12-01 00:00 EST');
    await expectText(support.getByTestId('billing-not-configured'), /Billing is not configured/);

    // Charts: real SVG elements the browser laid out, with one shape per phase, day and minute.
    for (const testId of ['phases-chart', 'logins-chart', 'wave-chart']) {
      const svg = retail.getByTestId(testId).locator('svg');
      expect(await svg.evaluate((el) => el.namespaceURI)).toBe('http://www.w3.org/2000/svg');
      const box = await svg.boundingBox();
      expect(box && box.width > 300 && box.height > 100).toBe(true);
    }
    const phasePaths = retail.getByTestId('phases-chart').locator('path.area');
    expect(await phasePaths.evaluateAll((els) => els.map((el) => el.getAttribute('data-phase')))).toEqual([
      'Provisioning',
      'Active',
      'NeedsAttention',
      'Deprovisioning',
      'Deprovisioned',
    ]);
    expect(await retail.getByTestId('logins-chart').locator('rect.bar').count()).toBe(RETAIL_LOGIN_DAYS);
    expect(await retail.getByTestId('logins-chart').locator('rect.bar-part').count()).toBe(3);
    expect(await retail.getByTestId('wave-chart').locator('rect.bar').count()).toBe(RETAIL_WAVE_MINUTES);
    expect(await retail.getByTestId('wave-chart').locator('rect.bar.over').count()).toBe(1);
    expect(await retail.getByTestId('wave-chart').locator('line.bound').count()).toBe(1);
    expect(await support.getByTestId('phases-chart').locator('path.area').count()).toBe(3);
    expect(await support.getByTestId('wave-chart').locator('rect.bar').count()).toBe(1);
    // The CSS applied (inline style allowed by the CSP): areas are filled with their phase's colour.
    const fill = await phasePaths.nth(1).evaluate((el) => getComputedStyle(el).fill);
    expect(fill).toBe('rgb(58, 157, 93)');

    expect(await retail.getByTestId('dormant-list').locator('li').allTextContents()).toEqual([
      expect.stringContaining('00u1dormant01'),
      expect.stringContaining('00u1dormant02'),
      '00u1dormant03',
    ]);
    expect(await retail.getByTestId('leftover-licenses').locator('li').count()).toBe(3);
    await expectText(retail.getByTestId('leftover-queues'), 'none');
    await expectText(support.getByTestId('dormant-list'), 'none');

    const png = path.join(dir, 'report.png');
    await page.screenshot({ path: png, fullPage: true });
    expect(statSync(png).size).toBeGreaterThan(10_000);
    expect(readFileSync(png).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a'); // the PNG signature

    const self = pathToFileURL(path.join(dir, 'report.html')).href;
    expect(requests).toEqual([self]);
    expect(routed).toEqual([self]);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows an id holding markup as text, runs no script, and its CSP refuses a load even if one were added', async () => {
    const report = reportPageFixture();
    const nasty = '<script>document.title="pwned"</script><img src="http://127.0.0.1:9/x.png">';
    report.seasons[0]!.dormant.agents.push({ oktaUserId: nasty });
    const { page, routed, failed, errors } = await open(report, 'nasty');
    const dormant = season(page, 'retail-holiday-2026').getByTestId('dormant-list').locator('li');
    await expectText(dormant.last(), nasty);
    expect(await page.evaluate(() => document.querySelectorAll('script, img').length)).toBe(0);
    expect(await page.title()).toMatch(/^Season report/);
    expect(errors).toEqual([]);

    // The page's own policy, not only this test's router, stops an external image.
    const refused = Promise.all([
      page.waitForEvent('requestfailed', { predicate: (req) => req.url().includes('injected') }),
      page.waitForEvent('console', { predicate: (msg) => msg.text().includes('Content Security Policy') }),
    ]);
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = 'http://127.0.0.1:9/injected.png';
      document.body.append(img);
    });
    await refused;
    expect(failed).toEqual(['http://127.0.0.1:9/injected.png: csp']);
    expect(routed.filter((u) => u.includes('injected'))).toEqual([]); // stopped in the page, before the network
    expect(errors.join('\n')).toMatch(/injected\.png.*Content Security Policy directive: "img-src data:"/);
  });
});

async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  const text = ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  if (typeof expected === 'string') expect(text).toBe(expected);
  else expect(text).toMatch(expected);
}
