// Pure planning: one delivery's events → what to do per Okta user. No I/O, so dedupe, ordering and season
// matching are unit-tested without Okta or Temporal.
//
// Events are triggers, not state: Okta delivers at least once, unordered and batched, so the receiver only says
// whom to look at and why; the person's Okta-events workflow reads their CURRENT status and groups from Okta (an
// activity, with retries) and sends the groups with asOf = the newest event's `published`; the agent ignores
// anything older than what it already applied. That makes the order of events within and across deliveries
// irrelevant, and a duplicate cost one extra read at most.
import { computeEntitlements } from '../domain/entitlements';
// The event types live with the hook's spec (HOOK_EVENT_TYPES), so `season setup` subscribes the hook to what is
// acted on here.
import {
  MEMBERSHIP_ADD,
  MEMBERSHIP_REMOVE,
  USER_CREATED,
  USER_DEACTIVATED,
  USER_SUSPENDED,
  USER_UNSUSPENDED,
} from '../domain/okta-hook';
import type { SeasonConfig } from '../config/types';
import { isOktaId } from '../integrations/okta';
import type { HookEvent } from './delivery-schema';

/** Events after which Okta's status of the person is read and told to their agent (offboard, suspend, resume). */
const LIFECYCLE_EVENTS = [USER_DEACTIVATED, USER_SUSPENDED, USER_UNSUSPENDED];

export type IgnoredReason =
  'duplicate' | 'unknown-event-type' | 'outside-seasons' | 'no-user-target' | 'not-successful';

export interface UserWork {
  oktaUserId: string;
  /** The events this work covers: remembered as done once it succeeds. */
  uuids: string[];
  /** Seasons whose mapping names a group of a membership event: signal (or start) these. */
  namedSeasonIds: string[];
  /** A create event was seen: start the user in any active season whose groups they are already in. */
  checkAllSeasons: boolean;
  /** Newest `published` among the membership/create events: the asOf of the groups sent. */
  groupsAsOf?: string;
  /** A deactivate, suspend or unsuspend was seen: Okta's status decides offboard, suspend or resume. */
  lifecycle: boolean;
}

export interface DeliveryPlan {
  work: UserWork[];
  ignored: Array<{ uuid: string; reason: IgnoredReason; eventType: string }>;
}

/** The user the event is about; an id that is not an Okta id (odd characters, wrong length) names nobody. */
function userTarget(event: HookEvent): string | undefined {
  const id = event.target?.find((t) => t.type === 'User')?.id;
  return id !== undefined && isOktaId(id) ? id : undefined;
}

function groupTarget(event: HookEvent): { id: string; name?: string } | undefined {
  const t = event.target?.find((x) => x.type === 'UserGroup');
  return t ? { id: t.id, ...(t.displayName ? { name: t.displayName } : {}) } : undefined;
}

/** Seasons whose mapping has a rule for this group (by id, or by the name the event carried). */
export function seasonsForGroup(group: { id: string; name?: string }, seasons: SeasonConfig[]): SeasonConfig[] {
  return seasons.filter((s) => computeEntitlements(s.mapping, [group]).matchedGroups.length > 0);
}

/** Oldest first by `published`; ties broken by uuid so the order is the same on every run. */
export function orderByPublished(events: HookEvent[]): HookEvent[] {
  return [...events].sort((a, b) => Date.parse(a.published) - Date.parse(b.published) || a.uuid.localeCompare(b.uuid));
}

export function planDelivery(
  events: HookEvent[],
  seasons: SeasonConfig[],
  alreadyDone: (uuid: string) => boolean = () => false,
): DeliveryPlan {
  const byUser = new Map<string, UserWork>();
  const ignored: DeliveryPlan['ignored'] = [];
  const seenHere = new Set<string>();
  const workFor = (oktaUserId: string): UserWork => {
    let w = byUser.get(oktaUserId);
    if (!w) {
      w = { oktaUserId, uuids: [], namedSeasonIds: [], checkAllSeasons: false, lifecycle: false };
      byUser.set(oktaUserId, w);
    }
    return w;
  };
  const ignore = (event: HookEvent, reason: IgnoredReason) =>
    ignored.push({ uuid: event.uuid, reason, eventType: event.eventType });
  const noteGroupsEvent = (w: UserWork, event: HookEvent) => {
    w.uuids.push(event.uuid);
    // Sorted input: the last one seen is the newest.
    w.groupsAsOf = event.published;
  };

  for (const event of orderByPublished(events)) {
    if (seenHere.has(event.uuid) || alreadyDone(event.uuid)) {
      ignore(event, 'duplicate');
      continue;
    }
    seenHere.add(event.uuid);
    const known = [MEMBERSHIP_ADD, MEMBERSHIP_REMOVE, USER_CREATED, ...LIFECYCLE_EVENTS].includes(event.eventType);
    if (!known) {
      ignore(event, 'unknown-event-type');
      continue;
    }
    // A failed operation (outcome FAILURE/DENY) changed nothing.
    const result = event.outcome?.result;
    if (result && result !== 'SUCCESS') {
      ignore(event, 'not-successful');
      continue;
    }
    const oktaUserId = userTarget(event);
    if (!oktaUserId) {
      ignore(event, 'no-user-target');
      continue;
    }
    if (seasons.length === 0) {
      ignore(event, 'outside-seasons');
      continue;
    }

    switch (event.eventType) {
      case MEMBERSHIP_ADD:
      case MEMBERSHIP_REMOVE: {
        const group = groupTarget(event);
        const matching = group ? seasonsForGroup(group, seasons) : [];
        if (matching.length === 0) {
          ignore(event, 'outside-seasons');
          break;
        }
        const w = workFor(oktaUserId);
        for (const s of matching) if (!w.namedSeasonIds.includes(s.id)) w.namedSeasonIds.push(s.id);
        noteGroupsEvent(w, event);
        break;
      }
      case USER_CREATED: {
        const w = workFor(oktaUserId);
        w.checkAllSeasons = true;
        noteGroupsEvent(w, event);
        break;
      }
      default: {
        const w = workFor(oktaUserId);
        w.uuids.push(event.uuid);
        w.lifecycle = true;
      }
    }
  }
  return { work: [...byUser.values()], ignored };
}
