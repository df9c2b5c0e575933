// Which Genesys user a userName means. SCIM matches userName case-insensitively, so a search can return several
// users (say `Ann.Lee` and `ann.lee`, one of them inactive). The lifecycle workflow adopts the user this picks,
// and the CLI's plan and audit predict with the same rule.

/** Among the users whose userName equals `userName` but for case: an exact active match, then an active one, then the first. */
export function bestUserNameMatch<U extends { userName: string; active: boolean }>(
  users: readonly U[],
  userName: string,
): U | undefined {
  const wanted = userName.toLowerCase();
  const matches = users.filter((u) => u.userName.toLowerCase() === wanted);
  return matches.find((u) => u.userName === userName && u.active) ?? matches.find((u) => u.active) ?? matches[0];
}
