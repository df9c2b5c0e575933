// Users logging in (the emulator's control: there is no API for it). Every login instant is kept with the licenses
// the user held then, so the Users API can expand dateLastLogin / lastTokenIssued and billing can count the period's
// named users even after a user lost its roles or was deleted. Real `dateLastLogin` covers username-and-password
// logins only (the User model's description), so it may miss SSO logins; the emulator sets it from every login.
import { PlatformError } from './errors';
import { licensesOfUser } from './licenses';
import type { OrgStore, StoredLogin, StoredUser } from './store';

/** The control's refusal codes (the emulator's own: logging in is not an API call). */
export const LOGIN_REFUSED_INACTIVE = 'login.user.inactive';
export const LOGIN_REFUSED_DELETED = 'login.user.deleted';

function instant(at: Date | string): string {
  const ms = at instanceof Date ? at.getTime() : /^\d{4}-\d{2}-\d{2}T/.test(at) ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`invalid login instant ${String(at)}: an ISO-8601 date-time is needed`);
  return new Date(ms).toISOString();
}

/**
 * Records a login of the user at `at` and returns the instant as stored (ISO-8601, milliseconds, UTC). A user
 * that was never in the org is an Error ("no user"); an inactive or deleted one cannot log in: a 409 and nothing
 * recorded.
 */
export function logIn(org: OrgStore, userId: string, at: Date | string): string {
  const user = org.users.get(userId);
  if (!user) throw new Error(`no user ${userId} in org ${org.id}`);
  const when = instant(at);
  if (user.state === 'deleted') throw new PlatformError(409, LOGIN_REFUSED_DELETED, 'A deleted user cannot log in.');
  if (user.state === 'inactive')
    throw new PlatformError(409, LOGIN_REFUSED_INACTIVE, 'An inactive user cannot log in.');
  const login: StoredLogin = { at: when, licenseIds: licensesOfUser(org, user) };
  const logins = (user.logins ??= []);
  logins.push(login);
  logins.sort((a, b) => a.at.localeCompare(b.at));
  return when;
}

/** The newest login instant, or undefined for a user who never logged in. */
export function lastLogin(user: StoredUser): string | undefined {
  return user.logins?.at(-1)?.at;
}

/** Every user's login instants (users without any are left out), for inspect(). */
export function loginsOfOrg(org: OrgStore): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const u of org.users.values()) if (u.logins?.length) out[u.id] = u.logins.map((l) => l.at);
  return out;
}
