// `season doctor [<org>…] [--json]`: read-only go-live checks, one line each, exit 1 on any failure. Per org: the
// Genesys OAuth client's credentials and every permission the org's seasons make calls for (from the one
// permission table, named with the config key that needs it, before any write); the Okta credentials (type,
// scopes or token health), the seasons' Okta groups and the product's event hook (active, verified, event types);
// the hook receiver reachable at its public URL; the Temporal namespace, search attributes and workers polling
// each queue; clocks against Genesys and Okta, and the seasons' time zones.
import type { OrgConfig } from '../../config/types';
import { orgConnection } from '../../config/load';
import { UserError } from '../../platform/errors';
import type { CommandContext } from './context';
import { GenesysReads } from './support/genesys-reads';
import { checkPermissions } from './support/permission-check';
import { usesOfMapping, type PermissionUse } from '../../integrations/genesys/permissions';
import { oktaChecks } from './support/doctor-okta';
import { temporalChecks } from './support/doctor-temporal';
import { clockChecks } from './support/doctor-clock';
import { failed, passed, type Check } from './support/doctor-check';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs a group of checks; an unexpected error becomes one failed check rather than the end of the report. */
export async function guarded(org: string, name: string, run: () => Promise<Check[]>): Promise<Check[]> {
  try {
    return await run();
  } catch (err) {
    return [failed(org, name, errorText(err))];
  }
}

async function genesysChecks(ctx: CommandContext, org: OrgConfig): Promise<Check[]> {
  const connection = orgConnection(org, { env: ctx.env });
  const reads = new GenesysReads(org.id, connection.genesys);
  const seasons = [...ctx.config().seasons.values()].filter((s) => s.orgId === org.id);
  const uses = new Set<PermissionUse>(['users', 'checks']);
  for (const s of seasons) for (const u of usesOfMapping(s.mapping)) uses.add(u);
  const result = await checkPermissions(reads, uses);
  const checks = [passed(org.id, 'genesys.credentials', `OAuth client ${result.clientId} accepted`)];
  if (result.missing.length === 0)
    checks.push(
      passed(
        org.id,
        'genesys.permissions',
        `all ${result.needed} permissions the org's ${seasons.length} season(s) need are held`,
      ),
    );
  for (const m of result.missing)
    checks.push({
      ...failed(
        org.id,
        'genesys.permissions',
        `OAuth client ${result.clientId} lacks ${m.permission} (needed for ${m.neededFor}; ${m.operations.join(', ')})`,
      ),
      permission: m.permission,
      neededFor: m.neededFor,
    });
  return checks;
}

export async function doctorCommand(ctx: CommandContext, orgIds: string[]): Promise<number> {
  const config = ctx.config();
  const known = [...config.orgs.keys()];
  const unknown = orgIds.filter((id) => !config.orgs.has(id));
  if (unknown.length > 0)
    throw new UserError(`unknown org ${unknown.join(', ')} (orgs.yaml has ${known.join(', ') || 'none'})`);
  const orgs = (orgIds.length > 0 ? orgIds : known).map((id) => config.orgs.get(id)!);

  const checks: Check[] = [];
  for (const org of orgs) {
    checks.push(...(await guarded(org.id, 'genesys.credentials', () => genesysChecks(ctx, org))));
    checks.push(...(await guarded(org.id, 'okta', () => oktaChecks(ctx, org))));
    checks.push(...(await guarded(org.id, 'clock', () => clockChecks(ctx, org))));
  }
  checks.push(...(await guarded('', 'temporal', () => temporalChecks(ctx, orgs))));

  const failures = checks.filter((c) => !c.ok);
  ctx.out.json({ ok: failures.length === 0, checks });
  for (const c of checks) ctx.out.line(`${c.ok ? '✔' : '✘'} ${c.org ? `${c.org} ` : ''}${c.check}: ${c.detail}`);
  ctx.out.line(
    failures.length === 0
      ? `doctor: ${checks.length} checks passed`
      : `doctor: ${failures.length} of ${checks.length} checks failed`,
  );
  return failures.length === 0 ? 0 : 1;
}
