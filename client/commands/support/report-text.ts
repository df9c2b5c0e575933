// Text for the HTML season report (report-html.ts): escaping, numbers and times. Escaping is done by the `markup`
// tag, not by each caller: every interpolated value is escaped unless it is already Markup built by the tag, so a
// forgotten escape cannot happen and an Okta id holding `<script>` stays text. Only ids and numbers come in, but
// the page is opened in a browser, so nothing is trusted.

/** HTML (or inline SVG) the `markup` tag built: its text is safe to insert as is. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Part = Markup | string | number | boolean | null | undefined | readonly Part[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element text and in a quoted attribute value alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function partText(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return '';
  if (part instanceof Markup) return part.text;
  if (Array.isArray(part)) return part.map(partText).join('');
  return escapeHtml(String(part));
}

/**
 * Template tag: the literal parts are markup, every `${value}` is escaped (arrays are joined, nullish and booleans
 * dropped, so `${cond && markup`…`}` works). Not named `html`: Prettier would reformat such templates as HTML and
 * put its indentation into the page.
 */
export function markup(strings: TemplateStringsArray, ...values: Part[]): Markup {
  let out = strings[0]!;
  values.forEach((value, i) => (out += partText(value) + strings[i + 1]!));
  return new Markup(out);
}

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "1,234"; a missing or broken figure reads "–" rather than "NaN". */
export function count(n: number | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? INTEGER.format(n) : '–';
}

/** SVG coordinates with one decimal: short markup, no "12.000000001". */
export function coord(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Formats ISO instants in one IANA time zone, the season's, as "2026-11-16 08:00 EST". */
export interface Clock {
  /** The zone actually used (UTC when the season's zone is unknown to this runtime). */
  zone: string;
  dateTime(iso: string | undefined): string;
  /** "08:00", for axis labels where the day is given elsewhere. */
  time(iso: string | undefined): string;
}

export function clock(timeZone: string): Clock {
  // Intl throws a RangeError on an unknown zone: fall back to UTC (and say so) rather than lose the whole page.
  let zone = timeZone;
  let parts: Intl.DateTimeFormat;
  try {
    parts = formatter(timeZone);
  } catch {
    zone = 'UTC';
    parts = formatter('UTC');
  }
  const pieces = (iso: string | undefined): Record<string, string> | undefined => {
    const at = iso === undefined ? NaN : Date.parse(iso);
    if (Number.isNaN(at)) return undefined;
    return Object.fromEntries(parts.formatToParts(at).map((p) => [p.type, p.value]));
  };
  return {
    zone,
    dateTime(iso) {
      const p = pieces(iso);
      return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}` : (iso ?? '–');
    },
    time(iso) {
      const p = pieces(iso);
      return p ? `${p.hour}:${p.minute}` : (iso ?? '–');
    },
  };
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  // Parts, not a locale's layout: the same "YYYY-MM-DD HH:mm" whatever the machine's locale.
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
}
