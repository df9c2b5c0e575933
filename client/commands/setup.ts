// `season setup <org> [--dry-run]`: the go-live setup of an org, idempotent. In Okta, the product's event hook
// (created, brought in line, activated, and verified by Okta against the running receiver); in Temporal, the
// namespace and the search attributes (or, on Temporal Cloud, exactly what to do by hand). One line per step;
// run it again and it changes nothing and says so. Exit 1 when a step failed.
//
// The receiver's URL and secret come from the environment only (OKTA_HOOK_URL, OKTA_HOOK_SECRET,
// OKTA_HOOK_AUTH_HEADER), the same variables the receiver reads.
import { orgConnection } from '../../config/load';
import type { OktaConnection } from '../../config/orgs';
import type { OrgConfig } from '../../config/types';
import { closestNames, didYouMean } from '../../domain/suggest';
import { OktaClient } from '../../integrations/okta/client';
import { OKTA_SETUP_SCOPES } from '../../integrations/okta/oauth';
import { UserError } from '../../platform/errors';
import type { CommandContext } from './context';
import { setupHookEnv } from './support/setup-env';
import { setupOktaHook } from './support/okta-hook-setup';
import { formatStep, isChange, summaryLine, type SetupStep } from './support/setup-steps';
import { setupTemporal } from './support/temporal-setup';

export interface SetupOptions {
  dryRun?: boolean;
}

/** Okta's verification waits up to 3 s for the receiver and retries once: leave the call room for both. */
const OKTA_TIMEOUT_MS = 30_000;

function findOrg(ctx: CommandContext, orgId: string): OrgConfig {
  const orgs = ctx.config().orgs;
  const org = orgs.get(orgId);
  if (org) return org;
  const known = [...orgs.keys()];
  throw new UserError(
    `no org "${orgId}" in orgs.yaml${didYouMean(closestNames(orgId, known))}` +
      (known.length > 0 ? ` (known: ${known.join(', ')})` : ''),
  );
}

/** The org's Okta credentials, as every command reads them (orgs.yaml names the variables). */
function oktaOf(ctx: CommandContext, org: OrgConfig): OktaConnection {
  if (!org.okta)
    throw new UserError(
      `org ${org.id} has no okta section in orgs.yaml: setup registers the Okta event hook, so it needs the org's Okta connection`,
    );
  // Setup never calls Genesys, but orgConnection reads the org's Genesys secret too: without it, a stand-in.
  const secretEnv = org.genesys.clientSecretEnv;
  const env = ctx.env[secretEnv]?.trim() ? ctx.env : { ...ctx.env, [secretEnv]: 'unused-by-setup' };
  return orgConnection(org, { env, requireOkta: true }).okta!;
}

export async function setupCommand(ctx: CommandContext, orgId: string, options: SetupOptions = {}): Promise<number> {
  const dryRun = options.dryRun === true;
  // Everything a person must fix before setup can start is checked first, as one clear error.
  const org = findOrg(ctx, orgId);
  const hook = setupHookEnv(ctx.env);
  const okta = new OktaClient(oktaOf(ctx, org), { scopes: OKTA_SETUP_SCOPES, timeoutMs: OKTA_TIMEOUT_MS });

  const steps: SetupStep[] = [...(await setupOktaHook(okta, hook, dryRun)), ...(await setupTemporal(ctx, dryRun))];
  const ok = !steps.some((s) => s.outcome === 'failed');

  ctx.out.json({
    org: org.id,
    dryRun,
    ok,
    changed: steps.some(isChange),
    hook: { uri: hook.uri, authHeaderName: hook.authHeaderName },
    steps,
  });
  ctx.out.line(`setup ${org.id}${dryRun ? ' (dry run)' : ''}`);
  for (const step of steps) for (const line of formatStep(step)) ctx.out.line(line);
  ctx.out.line(summaryLine(org.id, steps, dryRun));
  return ok ? 0 : 1;
}
