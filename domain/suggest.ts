// "Did you mean …?" for names an admin typed: Okta group names rarely match Genesys role names exactly, so
// every "not found" the product reports comes with the closest existing names. Pure, no I/O.
import { distance } from 'fastest-levenshtein';

/** Case, blanks, hyphens and underscores are how hand-typed names most often differ from the real ones. */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[\s_\-.]+/g, ' ')
    .trim();
}

interface Scored {
  name: string;
  score: number;
}

/**
 * Up to `max` existing names close to `wanted`, best first. Same name but for case or spacing scores 0; then
 * edit distance on the normalized names, accepted up to a quarter of the longer name (so "Seasonal Agent"
 * finds "Seasonal Agents" but "Agent" does not find "Trainer"); a name containing the other (4+ characters)
 * is accepted too ("Holiday Overflow Queue" → "Holiday Overflow"). When some name differs only by case or
 * spacing, only such names are offered: that is certainly what was meant.
 */
export function closestNames(wanted: string, existing: readonly string[], max = 3): string[] {
  const w = normalizeName(wanted);
  const scored: Scored[] = [];
  for (const name of new Set(existing)) {
    if (name === wanted) continue;
    const n = normalizeName(name);
    if (n === w) {
      scored.push({ name, score: 0 });
      continue;
    }
    const d = distance(w, n);
    const longest = Math.max(w.length, n.length);
    const shortest = Math.min(w.length, n.length);
    const contains = shortest >= 4 && (w.includes(n) || n.includes(w));
    if (d <= Math.max(1, Math.floor(longest / 4)) || contains) scored.push({ name, score: 1 + d });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  const sameButSpelling = scored.filter((s) => s.score === 0);
  return (sameButSpelling.length > 0 ? sameButSpelling : scored).slice(0, max).map((s) => s.name);
}

/** ` — did you mean "A" or "B"?`, or '' when nothing is close. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => JSON.stringify(s));
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` — did you mean ${list}?`;
}
