// The HTML season report's charts, drawn as inline SVG strings: no chart library, no script and nothing loaded,
// so the page stays one self-contained file that a strict CSP allows. Two shapes cover the report: a stacked area
// (agents by phase over time) and bars with an optional highlighted part and reference line (logins per day with
// first logins; the provisioning wave against its bound). Colours come from the page's CSS classes.
import { coord, count, Markup, markup } from './report-text';

const WIDTH = 720;
const HEIGHT = 240;
const MARGIN = { left: 52, right: 16, top: 16, bottom: 36 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
/** At most this many x labels: more would overlap at 720 px. */
const MAX_X_LABELS = 7;
/** Half a label's width: a label centred closer than this to an edge would be cut off. */
const EDGE = 36;
/** Wider bars carry no more information and make one day look like a wall. */
const MAX_BAR_W = 56;

export interface AreaLayer {
  /** A CSS-safe key (class `area-<key>` colours the layer). */
  key: string;
  label: string;
  /** One value per sample. */
  values: number[];
}

export interface Bar {
  /** The x label (a day, a minute). */
  label: string;
  value: number;
  /** The highlighted share of `value`, drawn from the bottom (first logins). */
  part?: number;
  /** The tooltip a person sees when hovering the bar. */
  title: string;
}

/** A round axis top (300, not 500, for 298) so the tick labels read well; at least 1 so an all-zero chart draws. */
function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  const top = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * step).find((v) => v >= max) ?? 10 * step;
  return Math.max(1, Math.round(top * 1000) / 1000); // 1.2 × 10 is 12.000000000000002 otherwise
}

/** Math.max without spreading: a long season's samples would overflow the call stack. */
const maxOf = (values: number[]) => values.reduce((m, v) => (v > m ? v : m), 0);

const y = (value: number, max: number) => coord(MARGIN.top + PLOT_H - (value / max) * PLOT_H);

const hline = (cls: string, at: number) =>
  markup`<line class="${cls}" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${at}" y2="${at}"/>`;

const rect = (cls: string, x: number, top: number, w: number, bottom: number) =>
  markup`<rect class="${cls}" x="${x}" y="${top}" width="${w}" height="${coord(bottom - top)}"/>`;

function frame(label: string, body: Markup[]): Markup {
  const size = markup`viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}"`;
  return markup`<svg class="chart" role="img" aria-label="${label}" ${size}><title>${label}</title>${body}</svg>`;
}

function yAxis(max: number): Markup[] {
  return [0, max / 2, max].map((v) => {
    const at = y(v, max);
    const x = MARGIN.left - 6;
    return markup`${hline('grid', at)}<text class="tick" x="${x}" y="${at + 4}" text-anchor="end">${count(v)}</text>`;
  });
}

/** Evenly spaced x labels, the last always among them; labels near an edge are anchored inside the chart. */
function xLabels(labels: string[], xOf: (i: number) => number): Markup[] {
  const step = Math.max(1, Math.ceil(labels.length / MAX_X_LABELS));
  const picked = labels.map((_, i) => i).filter((i) => i % step === 0);
  const last = labels.length - 1;
  if (last > 0 && picked[picked.length - 1] !== last) {
    if (picked.length > 1) picked.pop(); // it would sit less than a step from the last one and overlap it
    picked.push(last);
  }
  const at = HEIGHT - MARGIN.bottom + 16;
  return picked.map((i) => {
    const x = coord(xOf(i));
    const anchor = x < MARGIN.left + EDGE ? 'start' : x > WIDTH - MARGIN.right - EDGE ? 'end' : 'middle';
    return markup`<text class="tick" x="${x}" y="${at}" text-anchor="${anchor}">${labels[i]}</text>`;
  });
}

/**
 * Stacked area over samples at `times` (ms; placed by time, by index when a time is unreadable). One `<path>` per
 * layer that is not zero throughout; a single sample is drawn as a flat band across the plot.
 */
export function stackedArea(o: { label: string; times: number[]; xLabels: string[]; layers: AreaLayer[] }): Markup {
  const n = o.times.length;
  const layers = o.layers.filter((l) => l.values.some((v) => v > 0));
  const totals = o.times.map((_, j) => layers.reduce((sum, l) => sum + (l.values[j] ?? 0), 0));
  const max = niceMax(maxOf(totals));
  const t0 = o.times[0] ?? 0;
  const span = (o.times[n - 1] ?? 0) - t0;
  const byTime = span > 0 && o.times.every((t) => Number.isFinite(t));
  // One sample is drawn at both edges so the area has a width; its label goes in the middle.
  const cols = n === 1 ? [0, 0] : o.times.map((_, j) => j);
  const xs =
    n === 1
      ? [MARGIN.left, MARGIN.left + PLOT_W]
      : cols.map((j) => coord(MARGIN.left + (byTime ? (o.times[j]! - t0) / span : j / (n - 1)) * PLOT_W));
  const labelX = (j: number) => (n === 1 ? MARGIN.left + PLOT_W / 2 : xs[j]!);
  let below = cols.map(() => 0);
  const paths = layers.map((layer) => {
    const above = cols.map((j, k) => below[k]! + (layer.values[j] ?? 0));
    const top = xs.map((x, k) => `${x},${y(above[k]!, max)}`);
    const bottom = xs.map((x, k) => `${x},${y(below[k]!, max)}`).reverse();
    below = above;
    const d = `M${top.join('L')}L${bottom.join('L')}Z`;
    const title = markup`<title>${layer.label}: peak ${count(maxOf(layer.values))}</title>`;
    return markup`<path class="area area-${layer.key}" data-phase="${layer.key}" d="${d}">${title}</path>`;
  });
  return frame(o.label, [...yAxis(max), ...paths, ...xLabels(o.xLabels, labelX)]);
}

/**
 * One `<rect class="bar">` per bar (class `over` too when above the line), a `<rect class="bar-part">` over it
 * where `part` > 0, and, when given, a dashed `<line class="bound">` at `line.value` (the axis grows to show it).
 */
export function barChart(o: { label: string; bars: Bar[]; line?: { value: number; label: string } }): Markup {
  const max = niceMax(maxOf([o.line?.value ?? 0, ...o.bars.map((b) => b.value)]));
  const band = PLOT_W / Math.max(1, o.bars.length);
  const gap = band > 4 ? band * 0.2 : 0;
  const width = Math.min(MAX_BAR_W, Math.max(0.5, band - gap));
  const xOf = (i: number) => MARGIN.left + band * i + band / 2;
  const floor = y(0, max);
  const bars = o.bars.map((bar, i) => {
    const x = coord(xOf(i) - width / 2);
    const cls = o.line && bar.value > o.line.value ? 'bar over' : 'bar';
    const part = Math.min(bar.part ?? 0, bar.value);
    const partRect = part > 0 && rect('bar-part', x, y(part, max), coord(width), floor);
    return markup`<g><title>${bar.title}</title>${rect(cls, x, y(bar.value, max), coord(width), floor)}${partRect}</g>`;
  });
  const line = o.line && [
    hline('bound', y(o.line.value, max)),
    markup`<text class="bound-label" x="${WIDTH - MARGIN.right}" y="${y(o.line.value, max) - 5}" text-anchor="end">${o.line.label}</text>`,
  ];
  const labels = xLabels(
    o.bars.map((b) => b.label),
    xOf,
  );
  return frame(o.label, [...yAxis(max), ...bars, ...(line || []), ...labels]);
}
