// Doctor's Okta checks for one org: the credentials (an SSWS token's health, or a service app's scopes, each asked
// for alone so a missing one is named), the seasons' Okta groups, the product's event hook (found, ACTIVE,
// VERIFIED, every event type the receiver needs, no filter) and the receiver answering a verification at its public
// URL with the hook secret, as Okta would call it. Reads only.
import { randomBytes } from 'node:crypto';
import { orgConnection } from '../../../config/load';
import type { OrgConfig } from '../../../config/types';
import { compareHook, describeDifference, findProductHook, HOOK_NAME } from '../../../domain/okta-hook';
import { isOktaApiError, OktaClient, OKTA_SCOPES } from '../../../integrations/okta';
import { OKTA_LOGS_SCOPES, OKTA_SETUP_SCOPES, OktaTokenSource } from '../../../integrations/okta/oauth';
import type { OktaConnection } from '../../../config/orgs';
import type { CommandContext } from '../context';
import { failed, passed, type Check } from './doctor-check';
import { hookAuthHeaderName, hookUri } from './setup-env';
import { OktaReads } from './okta-reads';

const TIMEOUT_MS = 10_000;

async function credentialChecks(org: string, okta: OktaConnection, readsLogins: boolean): Promise<Check[]> {
  if (okta.apiToken !== undefined) {
    await OktaClient.fromConnection(okta).verifyAccess();
    return [
      passed(
        org,
        'okta.credentials',
        `API token (SSWS) accepted; it expires after 30 days unused and dies with its admin: a service app is recommended`,
      ),
    ];
  }
  const app = okta.oauth!;
  const missing: string[] = [];
  // okta.logs.read only where the org names its Genesys app (okta.genesysAppId): the login sweep reads SSO events.
  for (const scope of [...OKTA_SCOPES, ...OKTA_SETUP_SCOPES, ...(readsLogins ? OKTA_LOGS_SCOPES : [])]) {
    try {
      await new OktaTokenSource(okta.orgUrl, app, `service app ${app.clientId}`, TIMEOUT_MS, [scope]).token();
    } catch (err) {
      // invalid_scope: the app was not granted this scope; anything else is the app's credentials as a whole.
      if (isOktaApiError(err) && err.errorCode === 'invalid_scope') missing.push(scope);
      else throw err;
    }
  }
  return missing.length === 0
    ? [passed(org, 'okta.credentials', `service app ${app.clientId}: every scope granted`)]
    : missing.map((s) =>
        failed(
          org,
          'okta.credentials',
          `service app ${app.clientId} lacks the scope ${s}: grant it in Okta${
            (OKTA_LOGS_SCOPES as readonly string[]).includes(s) ? ' (okta.genesysAppId reads the SSO events)' : ''
          }`,
        ),
      );
}

async function groupChecks(ctx: CommandContext, org: OrgConfig, okta: OktaConnection): Promise<Check[]> {
  const reads = new OktaReads(okta);
  const checks: Check[] = [];
  for (const season of [...ctx.config().seasons.values()].filter((s) => s.orgId === org.id)) {
    const { found } = await reads.seasonGroups(season.mapping);
    const absent = season.mapping.rules.map((r) => r.group).filter((g) => !found.has(g));
    checks.push(
      absent.length === 0
        ? passed(org.id, 'okta.groups', `season ${season.id}: ${found.size} Okta group(s) found`)
        : failed(org.id, 'okta.groups', `season ${season.id}: Okta has no group ${absent.join(', ')}`),
    );
  }
  return checks;
}

/** The receiver's side as setup reads it; the secret may be missing (doctor then says so). */
interface HookEnv {
  uri: string;
  authHeaderName: string;
  secret?: string;
}

function readHookEnv(env: NodeJS.ProcessEnv): HookEnv {
  const secret = env.OKTA_HOOK_SECRET?.trim();
  return {
    uri: hookUri(env.OKTA_HOOK_URL),
    authHeaderName: hookAuthHeaderName(env),
    ...(secret ? { secret } : {}),
  };
}

async function hookCheck(org: string, okta: OktaConnection, hook: HookEnv | undefined): Promise<Check> {
  const client = OktaClient.fromConnection(okta, { scopes: OKTA_SETUP_SCOPES });
  const hooks = await client.listEventHooks();
  const desired = { uri: hook?.uri ?? '', authHeaderName: hook?.authHeaderName ?? '' };
  const found = hook ? findProductHook(hooks, desired) : hooks.find((h) => h.name === HOOK_NAME);
  if (!found) return failed(org, 'okta.hook', `no event hook "${HOOK_NAME}" in Okta: run \`season setup ${org}\``);
  if (!hook) return failed(org, 'okta.hook', `hook ${found.id} found, but OKTA_HOOK_URL is not set to compare it`);
  const { steps, differences } = compareHook(found, desired);
  if (steps.length === 0)
    return passed(org, 'okta.hook', `hook ${found.id} ACTIVE, VERIFIED, every event type the receiver needs`);
  const problems = [
    ...differences.map(describeDifference),
    ...(found.status !== 'ACTIVE' ? [`status ${found.status}`] : []),
    ...(found.verificationStatus !== 'VERIFIED' ? [`${found.verificationStatus ?? 'not'} verified`] : []),
  ];
  return failed(org, 'okta.hook', `hook ${found.id}: ${problems.join('; ')}: run \`season setup ${org}\``);
}

/** Calls the receiver as Okta's verification does: a GET with a challenge and the auth header. */
async function receiverCheck(org: string, hook: HookEnv): Promise<Check> {
  if (!hook.secret)
    return failed(org, 'receiver', 'OKTA_HOOK_SECRET is not set: cannot call the receiver as Okta does');
  const challenge = randomBytes(16).toString('base64url');
  let response: Response;
  try {
    response = await fetch(hook.uri, {
      headers: { 'x-okta-verification-challenge': challenge, [hook.authHeaderName]: hook.secret },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    return failed(org, 'receiver', `${hook.uri} unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const body = (await response.json().catch(() => undefined)) as { verification?: unknown } | undefined;
  if (response.status === 200 && body?.verification === challenge)
    return passed(org, 'receiver', `${hook.uri} answers Okta's verification with the hook secret`);
  return failed(
    org,
    'receiver',
    `${hook.uri} answered ${response.status}${response.status === 401 ? ' (the secret differs from OKTA_HOOK_SECRET)' : ''}, not the verification`,
  );
}

export async function oktaChecks(ctx: CommandContext, org: OrgConfig): Promise<Check[]> {
  if (!org.okta) return [passed(org.id, 'okta', 'no okta section in orgs.yaml: Okta is not used for this org')];
  const okta = orgConnection(org, { env: ctx.env }).okta;
  if (!okta)
    return [
      failed(
        org.id,
        'okta.credentials',
        `no Okta credentials in the environment (${org.okta.apiTokenEnv ?? org.okta.oauth?.privateKeyEnv ?? 'oauth.privateKeyFile'})`,
      ),
    ];
  const checks = await credentialChecks(org.id, okta, org.okta?.genesysAppId !== undefined);
  if (checks.some((c) => !c.ok)) return checks;
  checks.push(...(await groupChecks(ctx, org, okta)));
  let hook: HookEnv | undefined;
  let hookProblem: string | undefined;
  try {
    hook = readHookEnv(ctx.env);
  } catch (err) {
    hookProblem = err instanceof Error ? err.message : String(err);
  }
  checks.push(await hookCheck(org.id, okta, hook));
  checks.push(hook ? await receiverCheck(org.id, hook) : failed(org.id, 'receiver', hookProblem!));
  return checks;
}
