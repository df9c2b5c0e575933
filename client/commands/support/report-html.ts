// `season report --format html`: the figures of report-page-model.ts as one page a person opens from disk or an
// e-mail. Self-contained on purpose: inline CSS, inline SVG charts, no script and no URL, with a CSP that refuses
// any load, so the page shows the same offline and cannot call out. Every text goes through the `markup` tag
// (report-text.ts), which escapes it. Each season's parts carry a fixed `data-testid` inside a section marked with
// `data-season`, so a test (or a person's script) finds them without depending on the layout.
import type { AgentPhase } from '../../../workflows/messages';
import type { ReportPage, SeasonPage } from './report-page-model';
import { barChart, stackedArea } from './report-svg';
import { REPORT_CSS } from './report-style';
import { Clock, clock, count, Markup, markup } from './report-text';
import { humanDuration, plural } from './table';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Stacking order, bottom up, as an agent moves through its life; a Record so a new phase fails the type check. */
const PHASE_LABELS: Record<AgentPhase, string> = {
  Provisioning: 'Provisioning',
  Active: 'Active',
  Suspended: 'Suspended',
  NeedsAttention: 'Needs attention',
  Deprovisioning: 'Deprovisioning',
  Deprovisioned: 'Deprovisioned',
};

const COUNT_LABELS: Array<[keyof SeasonPage['counts'], string]> = [
  ['agents', 'Agents'],
  ['provisioned', 'Provisioned'],
  ['active', 'Active'],
  ['needsAttention', 'Needs attention'],
  ['deprovisioned', 'Deprovisioned'],
  ['failed', 'Failed'],
  ['licensesHeld', 'Licenses held'],
];

export function renderReportHtml(page: ReportPage): string {
  const anchors = seasonAnchors(page.seasons);
  const ids = page.seasons.map((s) => s.seasonId).join(', ');
  const nav =
    page.seasons.length > 1 &&
    markup`<nav><ul>${page.seasons.map(
      (s, i) => markup`<li><a href="#${anchors[i]}">${s.seasonId}</a> <span class="meta">(org ${s.orgId})</span></li>`,
    )}</ul></nav>`;
  const seasons = page.seasons.length
    ? page.seasons.map((s, i) => seasonSection(s, anchors[i]!, page.generatedAt))
    : markup`<p class="none" data-testid="no-seasons">No seasons in this report.</p>`;
  return markup`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Season report${ids && ` — ${ids}`}</title>
<style>${new Markup(REPORT_CSS)}</style>
</head>
<body>
<header>
<h1>Season report</h1>
<p class="meta" data-testid="generated-at">Generated ${clock('UTC').dateTime(page.generatedAt)}</p>
${nav}
</header>
<main>
${seasons}
</main>
</body>
</html>
`.text;
}

/** Element ids from the season ids (already slug-like), made unique: two orgs may both run "holiday-2026". */
function seasonAnchors(seasons: SeasonPage[]): string[] {
  const seen = new Map<string, number>();
  return seasons.map((s) => {
    const base = `season-${s.seasonId.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

function seasonStatus(s: SeasonPage, now: string): string {
  const at = Date.parse(now);
  if (at < Date.parse(s.startsAt)) return 'not started';
  if (at >= Date.parse(s.endsAt)) return 'ended';
  return 'running';
}

function seasonSection(s: SeasonPage, anchor: string, generatedAt: string): Markup {
  const c = clock(s.timeZone);
  const zone = c.zone === s.timeZone ? `times in ${c.zone}` : `time zone ${s.timeZone} unknown here: times in UTC`;
  const counts = COUNT_LABELS.map(
    ([key, label]) => markup`<div data-testid="count-${key}"><dt>${label}</dt><dd>${count(s.counts[key])}</dd></div>`,
  );
  return markup`<section class="season" id="${anchor}" data-season="${s.seasonId}" data-org="${s.orgId}">
<h2>${s.seasonId} <span class="status" data-testid="status">${seasonStatus(s, generatedAt)}</span></h2>
<p class="meta" data-testid="period">org <code>${s.orgId}</code> · ${c.dateTime(s.startsAt)} – ${c.dateTime(s.endsAt)} · ${zone}</p>
<dl class="counts" data-testid="counts">${counts}</dl>
${phasesPart(s, c)}
${loginsPart(s, c)}
${billingPart(s, c)}
${wavePart(s, c)}
${dormantPart(s, c)}
${leftoversPart(s)}
</section>
`;
}

/** A list, or "none" in its place (same test id) so an empty list reads as a finding, not a gap. */
function list(testId: string, items: Markup[]): Markup {
  return items.length
    ? markup`<ul data-testid="${testId}">${items.map((item) => markup`<li>${item}</li>`)}</ul>`
    : markup`<p class="none" data-testid="${testId}">none</p>`;
}

/** A chart with its caption and legend, or "no samples yet" while the season has produced none. */
function figure(testId: string, caption: string, chart: Markup | false, legend: Markup[]): Markup {
  const body = chart || markup`<p class="none">no samples yet</p>`;
  const key = chart && markup`<ul class="legend">${legend}</ul>`;
  return markup`<figure data-testid="${testId}">${body}<figcaption>${caption}${key}</figcaption></figure>`;
}

const swatch = (cls: string, label: string) => markup`<li><span class="swatch ${cls}"></span>${label}</li>`;

function phasesPart(s: SeasonPage, c: Clock): Markup {
  const known = Object.keys(PHASE_LABELS) as AgentPhase[];
  // A phase this page does not know yet (a newer worker) still counts, as "Other", rather than vanish.
  const other = s.phases.map(({ byPhase }) =>
    Object.entries(byPhase).reduce((sum, [k, v]) => (k in PHASE_LABELS ? sum : sum + (v ?? 0)), 0),
  );
  const layers = [
    ...known.map((key) => ({ key, label: PHASE_LABELS[key], values: s.phases.map((p) => p.byPhase[key] ?? 0) })),
    { key: 'Other', label: 'Other', values: other },
  ];
  const chart =
    s.phases.length > 0 &&
    stackedArea({
      label: `Agents by phase over season ${s.seasonId}`,
      times: s.phases.map((p) => Date.parse(p.at)),
      xLabels: s.phases.map((p) => c.dateTime(p.at).slice(5, 16)),
      layers,
    });
  const legend = layers.filter((l) => l.values.some((v) => v > 0)).map((l) => swatch(`area-${l.key}`, l.label));
  const caption = `Agents in each phase, ${plural(s.phases.length, 'sample')} (${c.zone}). `;
  return markup`<h3>Agents by phase</h3>
${figure('phases-chart', caption, chart, legend)}`;
}

function loginsPart(s: SeasonPage, c: Clock): Markup {
  const l = s.logins;
  const first = l.loggedInFirst.map((a) => {
    const active = a.activeAt ? `Active ${c.dateTime(a.activeAt)}` : 'not Active yet';
    return markup`<code>${a.oktaUserId}</code> first login ${c.dateTime(a.firstLogin)}; ${active}`;
  });
  const chart =
    l.perDay.length > 0 &&
    barChart({
      label: `Logins per day in season ${s.seasonId}`,
      bars: l.perDay.map((d) => ({
        label: /^\d{4}-\d\d-\d\d$/.test(d.day) ? d.day.slice(5) : d.day,
        value: d.logins,
        part: d.firstLogins,
        title: `${d.day}: ${plural(d.logins, 'login')}, ${plural(d.firstLogins, 'first login')}`,
      })),
    });
  const lead = l.medianLeadMs === undefined ? '–' : humanDuration(l.medianLeadMs);
  const legend = [swatch('bar', 'logins'), swatch('bar-part', 'first logins')];
  return markup`<h3>Logins</h3>
<p class="headline" data-testid="login-headline">${l.headline}</p>
<p data-testid="login-figures">Logged in: ${count(l.loggedIn)} · ready before their first login: ${count(l.readyBeforeFirstLogin)} · median lead: ${lead}</p>
<h4>Logged in before they were Active</h4>
${list('logged-in-first', first)}
${figure('logins-chart', `Logins per day (${c.zone}), first logins highlighted. `, chart, legend)}`;
}

function billingPart(s: SeasonPage, c: Clock): Markup {
  const b = s.billing;
  if (!b)
    return markup`<h3>Billing</h3>
<p class="none" data-testid="billing-not-configured">Billing is not configured for org ${s.orgId} (no <code>billing</code> in its config).</p>`;
  const licenses = (p: (typeof b.periods)[number]) =>
    p.licenses.length
      ? markup`<ul class="licenses">${p.licenses.map(
          (x) => markup`<li><code>${x.license}</code>: billable ${count(x.billable)}, exposed ${count(x.exposed)}</li>`,
        )}</ul>`
      : markup`<span class="none">none</span>`;
  const rows = b.periods.map(
    (p) =>
      markup`<tr><td>${c.dateTime(p.start)} – ${c.dateTime(p.end)}</td><td class="num">${count(p.billable)}</td><td class="num">${count(p.exposed)}</td><td>${licenses(p)}</td></tr>`,
  );
  const head = markup`<tr><th>Period (${c.zone})</th><th>Billable (logged in)</th><th>Exposed (could log in)</th><th>Licenses</th></tr>`;
  const table = rows.length
    ? markup`<table data-testid="billing-table"><thead>${head}</thead><tbody>${rows}</tbody></table>`
    : markup`<p class="none" data-testid="billing-table">no billing period yet</p>`;
  return markup`<h3>Billing</h3>
<p data-testid="billing-model">Model: ${b.model} · periods start on day ${count(b.periodStartDay)} of the month</p>
${table}
<h4>Warnings</h4>
<div class="warnings">${list(
    'billing-warnings',
    b.warnings.map((w) => markup`${w}`),
  )}</div>`;
}

function wavePart(s: SeasonPage, c: Clock): Markup {
  const w = s.wave;
  const peak = w.perMinute.reduce((m, p) => Math.max(m, p.active), 0);
  const over = w.perMinute.filter((p) => p.active > w.boundPerMinute).length;
  const chart =
    w.perMinute.length > 0 &&
    barChart({
      label: `Agents Active per minute in season ${s.seasonId}`,
      bars: w.perMinute.map((p) => ({
        label: c.time(p.at),
        value: p.active,
        title: `${c.dateTime(p.at)}: ${plural(p.active, 'agent')} Active`,
      })),
      line: { value: w.boundPerMinute, label: `bound ${count(w.boundPerMinute)}/min` },
    });
  const overNote = over > 0 && ` Above the bound in ${plural(over, 'minute')}.`;
  const legend = [swatch('bar', 'Active per minute'), swatch('bound', 'bound')];
  return markup`<h3>Provisioning wave</h3>
<p data-testid="wave-summary">Peak ${count(peak)} agents Active per minute; the budget of ${count(w.requestsPerMinute)} requests per minute allows ${count(w.boundPerMinute)} per minute.${overNote}</p>
${figure('wave-chart', `Agents that became Active per minute (${c.zone}) against the bound (dashed). `, chart, legend)}`;
}

function dormantPart(s: SeasonPage, c: Clock): Markup {
  const d = s.dormant;
  const agents = d.agents.map(
    (a) => markup`<code>${a.oktaUserId}</code>${a.activeAt && ` Active since ${c.dateTime(a.activeAt)}`}`,
  );
  return markup`<h3>Dormant agents</h3>
<p class="meta" data-testid="dormant-summary">Active, and no login ${plural(d.afterDays, 'day')} after the season started: ${count(d.agents.length)}.</p>
${list('dormant-list', agents)}`;
}

function leftoversPart(s: SeasonPage): Markup {
  const { licenses, queues } = s.leftovers;
  const held = licenses.map(
    (l) => markup`<code>${l.oktaUserId}</code> → Genesys <code>${l.genesysUserId}</code>: ${l.why}`,
  );
  const queued = queues.map((q) => markup`<code>${q.oktaUserId}</code> → Genesys <code>${q.genesysUserId}</code>`);
  return markup`<h3>Leftovers</h3>
<h4>Licenses still held</h4>
${list('leftover-licenses', held)}
<h4>Still in a queue</h4>
${list('leftover-queues', queued)}`;
}
