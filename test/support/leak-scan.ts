// The secrets/PII scanner: looks for known values (needles) in raw bytes (sources: log files, protobuf-encoded
// histories, metrics text). A hit names the needle and the source, and shows the surroundings with the value itself
// blanked out, so a failing test says where the leak is without printing the secret once more.
import { Buffer } from 'node:buffer';

export interface Needle {
  /** What it is, e.g. "agent 2 email" or "Genesys client secret". */
  name: string;
  value: string;
}

export interface Source {
  /** Where the bytes come from, e.g. "worker log" or "history agent/retail-us/00u…". */
  name: string;
  bytes: Buffer;
}

export interface Hit {
  needle: string;
  source: string;
  /** Up to 60 characters either side, the value replaced by <<needle name>>. */
  around: string;
}

/**
 * The forms a value takes on the way out: as is, and URL-encoded (a login in a query string, `@` → `%40`).
 * JSON and protobuf keep plain ASCII as is; matching ignores case (a login lower-cased by an API still counts).
 */
function forms(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value)])].map((v) => v.toLowerCase());
}

export function scan(sources: Source[], needles: Needle[]): Hit[] {
  const hits: Hit[] = [];
  for (const source of sources) {
    // latin1 maps each byte to one character: offsets stay byte offsets and no sequence is lost to UTF-8 errors.
    const text = source.bytes.toString('latin1').toLowerCase();
    for (const needle of needles) {
      for (const form of forms(Buffer.from(needle.value, 'utf8').toString('latin1'))) {
        const at = text.indexOf(form);
        if (at < 0) continue;
        const around = text
          .slice(Math.max(0, at - 60), at + form.length + 60)
          .split(form)
          .join(`<<${needle.name}>>`)
          .replace(/[^\x20-\x7e]/g, '.');
        hits.push({ needle: needle.name, source: source.name, around });
        break;
      }
    }
  }
  return hits;
}

export function totalBytes(sources: Source[]): number {
  return sources.reduce((sum, s) => sum + s.bytes.length, 0);
}

/**
 * Starts recording what this process writes to stdout and stderr (still written through): in-process emulators and
 * helpers print there. Call the returned function to stop and get it.
 */
export function captureOwnOutput(): () => string {
  const seen: string[] = [];
  const restore = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      seen.push(Buffer.from(chunk).toString('utf8'));
      return write(chunk, ...rest);
    }) as typeof stream.write;
    return () => (stream.write = write);
  });
  return () => {
    restore.forEach((r) => r());
    return seen.join('');
  };
}
