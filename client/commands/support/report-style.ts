// The HTML season report's stylesheet, inlined in the page's <style> (the CSP allows inline styles and nothing
// else). System fonts only: a web font would be an external load. Each phase's colour is one class that colours
// both the chart's area (`fill`) and the legend's swatch (`background`), so the two cannot drift apart.
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6472; --line: #d8dde5; --accent: #1f5fbf; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1040px; padding: 24px; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 0 0 4px; }
h3 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h4 { font-size: 14px; margin: 12px 0 4px; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.meta, figcaption, .none { color: var(--muted); }
.none { font-style: italic; margin: 4px 0; }
nav ul { padding-left: 20px; }
section.season { border-top: 3px solid var(--accent); margin-top: 32px; padding-top: 16px; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; background: #eef2f8; font-size: 12px; }
.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 8px; margin: 12px 0; }
.counts div { border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.counts dt { color: var(--muted); font-size: 12px; }
.counts dd { margin: 0; font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.headline { font-size: 16px; font-weight: 600; }
figure { margin: 8px 0; }
svg.chart { max-width: 100%; height: auto; display: block; }
.grid { stroke: var(--line); stroke-width: 1; }
.tick, .bound-label { font-size: 11px; fill: var(--muted); }
.bound-label { fill: #b3261e; }
.bar { fill: #8fb3e8; }
.bar.over { fill: #e8a08f; }
.bar-part { fill: #1f5fbf; }
.bound { stroke: #b3261e; stroke-width: 2; stroke-dasharray: 6 4; }
.legend { list-style: none; padding: 0; margin: 4px 0 0; display: flex; flex-wrap: wrap; gap: 12px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px;
  vertical-align: -1px; }
.swatch.bar { background: #8fb3e8; }
.swatch.bar-part { background: #1f5fbf; }
.swatch.bound { background: #b3261e; }
.area-Provisioning { fill: #f2c14e; background: #f2c14e; }
.area-Active { fill: #3a9d5d; background: #3a9d5d; }
.area-Suspended { fill: #9b7fd1; background: #9b7fd1; }
.area-NeedsAttention { fill: #d9534f; background: #d9534f; }
.area-Deprovisioning { fill: #6fa8dc; background: #6fa8dc; }
.area-Deprovisioned { fill: #a7adb7; background: #a7adb7; }
.area-Other { fill: #444c58; background: #444c58; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
ul.licenses { margin: 0; padding-left: 16px; }
.warnings li { color: #8a4b00; }
@media print { body { padding: 0; } section.season { break-before: page; } }
`;
