// The event hook's receiver side as `season setup` reads it: from the environment only (the same variables the
// receiver reads, so one secret store feeds both), never from flags or files, where a secret would end up in shell
// history or a repository. Doctor reads the same variables with these functions, the secret optional (it then says
// so); setup writes them into Okta, so a missing secret is an error here. Messages name the variable, never the
// secret.
import { DEFAULT_HOOK_AUTH_HEADER } from '../../../domain/okta-hook';
import { UserError } from '../../../platform/errors';

export interface SetupHookEnv {
  /** The receiver's public URL, as Okta will call it (normalized, so setup and doctor compare it alike). */
  uri: string;
  /** The auth header Okta sends, and its value (the secret). */
  authHeaderName: string;
  secret: string;
}

/** Okta calls only HTTPS URLs; plain HTTP is allowed for a receiver on this machine (the emulator, a tunnel's end). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, spaces only inside: anything else could not travel in a header. */
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

export function hookUri(raw: string | undefined): string {
  const name = 'OKTA_HOOK_URL';
  if (raw === undefined || raw.trim() === '')
    throw new UserError(
      `environment variable ${name} is not set: it must hold the receiver's public URL, e.g. https://provisioner.example.com/okta/events`,
    );
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UserError(`${name} is not a URL: write it like https://provisioner.example.com/okta/events`);
  }
  if (url.username !== '' || url.password !== '')
    throw new UserError(`${name} must not carry credentials: the secret goes in OKTA_HOOK_SECRET`);
  if (url.hash !== '') throw new UserError(`${name} must not have a #fragment: Okta calls the URL as it is`);
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname))
    throw new UserError(
      `${name} must be an https:// URL: Okta calls only HTTPS (plain http is accepted for 127.0.0.1, localhost and ::1 only)`,
    );
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UserError(`${name} must be an https:// URL, not ${url.protocol}`);
  return url.toString();
}

export function setupHookEnv(env: NodeJS.ProcessEnv): SetupHookEnv {
  const uri = hookUri(env.OKTA_HOOK_URL);

  const rawSecret = env.OKTA_HOOK_SECRET;
  if (rawSecret === undefined || rawSecret.trim() === '')
    throw new UserError(
      "environment variable OKTA_HOOK_SECRET is not set: it must hold the event hook's auth header value, the same as the receiver's",
    );
  // Trimmed as the receiver trims it, so both sides hold the same value.
  const secret = rawSecret.trim();
  if (!HEADER_VALUE.test(secret))
    throw new UserError('OKTA_HOOK_SECRET can hold only visible ASCII characters and spaces (it travels in a header)');

  return { uri, authHeaderName: hookAuthHeaderName(env), secret };
}

/** OKTA_HOOK_AUTH_HEADER, or the receiver's default. */
export function hookAuthHeaderName(env: NodeJS.ProcessEnv): string {
  const rawHeader = env.OKTA_HOOK_AUTH_HEADER;
  if (rawHeader !== undefined && rawHeader.trim() === '')
    throw new UserError(
      `OKTA_HOOK_AUTH_HEADER is empty: set it to the header name the receiver checks, or unset it (default ${DEFAULT_HOOK_AUTH_HEADER})`,
    );
  const authHeaderName = rawHeader?.trim() ?? DEFAULT_HOOK_AUTH_HEADER;
  if (!HEADER_NAME.test(authHeaderName))
    throw new UserError(`OKTA_HOOK_AUTH_HEADER "${authHeaderName}" is not an HTTP header name`);
  return authHeaderName;
}
