// Builds System Log events shaped like the reference sheet's delivery examples (§1.5–1.6): targets carry only
// id/type/alternateId/displayName, the UserGroup target's alternateId is "unknown", and displayName is the
// group's name at event time.
import { newRequestId, newUuid } from './ids';
import type { EmuApp, EmuGroup, EmuUser, LogActor, LogEvent, LogTarget } from './types';

export type EmittedEventType =
  | 'user.lifecycle.create'
  | 'user.lifecycle.activate'
  | 'user.lifecycle.deactivate'
  | 'user.lifecycle.suspend'
  | 'user.lifecycle.unsuspend'
  | 'group.user_membership.add'
  | 'group.user_membership.remove';

const DESCRIPTIONS: Record<EmittedEventType, { displayMessage: string; legacyEventType: string | null }> = {
  'user.lifecycle.create': {
    displayMessage: 'Create okta user',
    legacyEventType: 'core.user.config.user_creation.success',
  },
  'user.lifecycle.activate': {
    displayMessage: 'Activate Okta user',
    legacyEventType: 'core.user.config.user_activated',
  },
  'user.lifecycle.deactivate': {
    displayMessage: 'Deactivate Okta User',
    legacyEventType: 'core.user.config.user_deactivated',
  },
  // The sheet gives no legacy type for these two; Okta allows null.
  'user.lifecycle.suspend': { displayMessage: 'Suspend Okta user', legacyEventType: null },
  'user.lifecycle.unsuspend': { displayMessage: 'Unsuspend Okta user', legacyEventType: null },
  'group.user_membership.add': {
    displayMessage: 'Add user to group membership',
    legacyEventType: 'core.user_group_member.user_add',
  },
  'group.user_membership.remove': {
    displayMessage: 'Remove user from group membership',
    legacyEventType: 'core.user_group_member.user_remove',
  },
};

export function actorFor(user: EmuUser): LogActor {
  return {
    id: user.id,
    type: 'User',
    alternateId: user.profile.login,
    displayName: displayName(user),
    detailEntry: null,
  };
}

function displayName(user: EmuUser): string {
  return [user.profile.firstName, user.profile.lastName].filter((p) => p).join(' ') || user.profile.login;
}

function userTarget(user: EmuUser): LogTarget {
  return {
    id: user.id,
    type: 'User',
    alternateId: user.profile.login,
    displayName: displayName(user),
    detailEntry: null,
  };
}

function groupTarget(group: EmuGroup): LogTarget {
  return {
    id: group.id,
    type: 'UserGroup',
    alternateId: 'unknown',
    displayName: group.profile.name,
    detailEntry: null,
  };
}

export interface EventContext {
  published: string;
  actor: LogActor;
  requestUri: string;
  /** The hooks the event is meant for; Okta lists them in debugData (reference sheet §2: not proof of delivery). */
  hookIds: string[];
}

export function buildEvent(type: EmittedEventType, ctx: EventContext, user: EmuUser, group?: EmuGroup): LogEvent {
  const requestId = newRequestId();
  const { displayMessage, legacyEventType } = DESCRIPTIONS[type];
  return {
    uuid: newUuid(),
    published: ctx.published,
    eventType: type,
    version: '0',
    displayMessage,
    severity: 'INFO',
    actor: ctx.actor,
    client: { ipAddress: '203.0.113.10', device: 'Computer', zone: 'null', id: null },
    outcome: { result: 'SUCCESS', reason: null },
    target: group ? [userTarget(user), groupTarget(group)] : [userTarget(user)],
    transaction: { type: 'WEB', id: requestId, detail: {} },
    debugContext: {
      debugData: {
        requestId,
        requestUri: ctx.requestUri,
        ...(ctx.hookIds.length > 0 ? { targetEventHookIds: ctx.hookIds.join(',') } : {}),
      },
    },
    legacyEventType,
    authenticationContext: { authenticationStep: 0, externalSessionId: 'trsEmulator' },
    securityContext: {},
  };
}

/**
 * A user signing in to an app through Okta (`user.authentication.sso`, legacy `app.auth.sso`): the actor is the
 * user, the one target the AppInstance. The System Log API has it; event hooks do not (not hook-eligible).
 */
export function buildSsoEvent(user: EmuUser, app: EmuApp, published: string): LogEvent {
  const requestId = newRequestId();
  return {
    uuid: newUuid(),
    published,
    eventType: 'user.authentication.sso',
    version: '0',
    displayMessage: 'User single sign on to app',
    severity: 'INFO',
    actor: actorFor(user),
    client: { ipAddress: '203.0.113.20', device: 'Computer', zone: 'null', id: null },
    outcome: { result: 'SUCCESS', reason: null },
    target: [{ id: app.id, type: 'AppInstance', alternateId: app.label, displayName: app.label, detailEntry: null }],
    transaction: { type: 'WEB', id: requestId, detail: {} },
    debugContext: { debugData: { requestId, requestUri: `/app/${app.id}/sso/saml` } },
    legacyEventType: 'app.auth.sso',
    authenticationContext: { authenticationStep: 0, externalSessionId: 'trsEmulator' },
    securityContext: {},
  };
}
