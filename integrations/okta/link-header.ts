// RFC 8288 Link headers as Okta sends them: one `link` header per relation, or several joined by commas (what
// Node does with repeated headers). Okta says to follow `rel="next"` and never to build page URLs by hand.

/** The URL of the `next` relation, if any. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(', ') : header;
  // <uri> followed by `; name=value` params, where a quoted value may itself hold commas or semicolons.
  const linkPattern = /<([^>]*)>((?:\s*;\s*[^;,=\s]+\s*(?:=\s*(?:"(?:[^"\\]|\\.)*"|[^;,]*))?)*)/g;
  for (const match of text.matchAll(linkPattern)) {
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes('next')) return match[1];
  }
  return undefined;
}
