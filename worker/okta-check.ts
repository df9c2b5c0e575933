// At start, one cheap Okta read per org: an expired or revoked token (or a refused service app) is one clear line
// now, naming the org and its credentials, instead of a surprise at the first hook or season end. The worker
// still starts: Genesys work goes on, and Okta work waits (the Okta-events workflows show why and retry).
import type { OrgConnection } from '../config/orgs';
import { isOktaApiError, OktaClient } from '../integrations/okta';

export async function checkOktaAccess(
  orgs: Iterable<OrgConnection>,
  log: (line: string) => void = (line) => console.error(line),
): Promise<number> {
  let refused = 0;
  await Promise.all(
    [...orgs].map(async (org) => {
      if (!org.okta) return;
      try {
        await new OktaClient(org.okta, { timeoutMs: 10_000 }).verifyAccess();
      } catch (err) {
        if (!isOktaApiError(err)) throw err;
        if (err.kind === 'Unauthorized') {
          refused += 1;
          log(`worker: org ${org.orgId}: ${err.message}`);
        } else log(`worker: org ${org.orgId}: could not check its Okta access now (${err.message}); carrying on`);
      }
    }),
  );
  return refused;
}
