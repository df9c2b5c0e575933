// Okta's cursor paging: the `after` cursor is opaque to clients (here, the id of the last item served) and the
// next page is announced only through a `Link: <…>; rel="next"` header; no `next` means the end of the list.
import { validationFailed } from './errors';

export interface Page<T> {
  items: T[];
  /** Link header values (one `self`, and `next` when more remain), sent as separate `link` headers like Okta. */
  links: string[];
}

export function paginate<T>(
  all: T[],
  cursorOf: (item: T) => string,
  opts: { baseUrl: string; path: string; query: Record<string, string | undefined>; limit: number; after?: string },
): Page<T> {
  let start = 0;
  if (opts.after !== undefined) {
    const index = all.findIndex((item) => cursorOf(item) === opts.after);
    if (index < 0) throw validationFailed('after', 'the cursor does not match any item');
    start = index + 1;
  }
  const items = all.slice(start, start + opts.limit);
  const links = [`<${urlWith(opts, { after: opts.after })}>; rel="self"`];
  if (start + opts.limit < all.length && items.length > 0) {
    links.push(`<${urlWith(opts, { after: cursorOf(items[items.length - 1]!) })}>; rel="next"`);
  }
  return { items, links };
}

function urlWith(
  opts: { baseUrl: string; path: string; query: Record<string, string | undefined>; limit: number },
  extra: { after?: string },
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query))
    if (v !== undefined && k !== 'after' && k !== 'limit') params.set(k, v);
  params.set('limit', String(opts.limit));
  if (extra.after !== undefined) params.set('after', extra.after);
  return `${opts.baseUrl}${opts.path}?${params.toString()}`;
}
