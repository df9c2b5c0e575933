// The permission part of preflight and doctor: what the OAuth client's roles give, against what the season's
// calls need (integrations/genesys/permissions.ts). Reads only: the client's record and each of its roles.
import {
  missingPermissions,
  permissionsOf,
  requiredPermissions,
  USE_CONFIG_KEYS,
  type PermissionUse,
} from '../../../integrations/genesys/permissions';
import type { GenesysReads } from './genesys-reads';

export interface PermissionCheck {
  clientId: string;
  /** How many permissions were needed. */
  needed: number;
  /** Each missing permission with the config keys that need it, in words. */
  missing: Array<{ permission: string; neededFor: string; operations: string[] }>;
}

export async function checkPermissions(reads: GenesysReads, uses: Iterable<PermissionUse>): Promise<PermissionCheck> {
  const needed = requiredPermissions(uses);
  const held = await reads.clientPermissions();
  if ('unreadable' in held) {
    // The client cannot even read its own roles: name what that read needs; the rest cannot be judged.
    const forRead = permissionsOf(held.unreadable);
    return {
      clientId: held.clientId,
      needed: needed.length,
      missing: forRead.map((permission) => ({
        permission,
        neededFor: USE_CONFIG_KEYS.checks,
        operations: [held.unreadable],
      })),
    };
  }
  return {
    clientId: held.clientId,
    needed: needed.length,
    missing: missingPermissions(held.permissions, needed).map((p) => ({
      permission: p.permission,
      neededFor: p.uses.map((u) => USE_CONFIG_KEYS[u]).join('; '),
      operations: p.operations,
    })),
  };
}
