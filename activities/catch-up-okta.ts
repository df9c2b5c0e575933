// The Okta half of the catch-up: who is in the season's groups now, and the start input of a member the hooks
// missed. Okta reads only (they are not Genesys calls, so one activity may page through a whole group).
import type { SeasonConfig } from '../config/types';
import type { SeasonMember, SeasonMembers } from '../domain/catch-up';
import type { OktaGroupRef } from '../domain/mapping';
import {
  agentIdentityOf,
  isOktaApiError,
  isStoppedInOkta,
  stoppedReason,
  type OktaClient,
  type OktaGroup,
  type OktaUser,
} from '../integrations/okta';
import type { NameResolution } from '../domain/agent';
import { seasonalAgentInput } from '../operations/seasonal-agent';
import type { SeasonalAgentInput } from '../workflows/agent/contract';

export interface OktaCallOptions {
  signal?: AbortSignal;
  /** Called after each page-sized step, so a long read keeps its activity heartbeat. */
  progress?: () => void;
}

/**
 * A mapping entry is a group name or a 00g… id (the workflow's rule matching accepts either), so both are
 * tried: the name first, as mappings mostly name groups. Null when Okta has neither.
 */
async function findSeasonGroup(
  okta: OktaClient,
  ref: string,
  signal: AbortSignal | undefined,
): Promise<OktaGroup | null> {
  const byName = await okta.findGroupByName(ref, { signal });
  if (byName) return byName;
  try {
    return await okta.getGroup(ref, { signal });
  } catch (err) {
    if (isOktaApiError(err, 'NotFound')) return null;
    throw err;
  }
}

export async function readSeasonMembers(
  okta: OktaClient,
  season: SeasonConfig,
  opts: OktaCallOptions = {},
): Promise<SeasonMembers> {
  const asOf = new Date().toISOString();
  const groups = new Map<string, OktaGroupRef>();
  const missingGroups: string[] = [];
  for (const rule of season.mapping.rules) {
    const group = await findSeasonGroup(okta, rule.group, opts.signal);
    if (group) groups.set(group.id, { id: group.id, name: group.profile.name });
    else missingGroups.push(rule.group);
    opts.progress?.();
  }

  const members = new Map<string, SeasonMember>();
  for (const group of groups.values()) {
    let users: OktaUser[];
    try {
      users = await okta.listGroupMembers(group.id, { signal: opts.signal });
    } catch (err) {
      // Deleted between the lookup and the listing: its members are unknown, like a group never found.
      if (!isOktaApiError(err, 'NotFound')) throw err;
      missingGroups.push(group.name ?? group.id);
      continue;
    }
    for (const user of users) {
      const member = members.get(user.id) ?? { oktaUserId: user.id, groupIds: [] };
      member.groupIds.push(group.id);
      // Suspension is reversible (the agent is suspended, not offboarded); deprovisioning is not.
      if (user.status === 'SUSPENDED') member.suspended = true;
      else if (isStoppedInOkta(user.status)) member.stopped = stoppedReason(user.status);
      members.set(user.id, member);
    }
    opts.progress?.();
  }
  return { asOf, groups: [...groups.values()], missingGroups, members: [...members.values()] };
}

/**
 * The lifecycle input of a member the hooks missed, from the user's profile read now; null when the user has
 * left Okta or been stopped since the member read.
 */
export async function startInputFor(
  okta: OktaClient,
  season: SeasonConfig,
  member: { oktaUserId: string; groups: OktaGroupRef[]; asOf: string },
  resolved: NameResolution | undefined,
  signal?: AbortSignal,
): Promise<SeasonalAgentInput | null> {
  let user: OktaUser;
  try {
    user = await okta.getUser(member.oktaUserId, { signal });
  } catch (err) {
    if (isOktaApiError(err, 'NotFound')) return null;
    throw err;
  }
  if (isStoppedInOkta(user.status)) return null;
  return seasonalAgentInput(season, agentIdentityOf(user), member.groups, member.asOf, resolved);
}
