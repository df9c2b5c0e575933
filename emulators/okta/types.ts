// The emulator's own data model. It mirrors the shapes of Okta's Users/Groups API and System Log on purpose and
// shares no type with the clients that call it: a client bug must not be hidden by a shared definition.

export type UserStatus =
  'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'RECOVERY' | 'PASSWORD_EXPIRED' | 'LOCKED_OUT' | 'SUSPENDED' | 'DEPROVISIONED';

export interface EmuUserProfile {
  login: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  employeeNumber?: string;
  [extra: string]: unknown;
}

export interface EmuUser {
  id: string;
  status: UserStatus;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  type: { id: string };
  profile: EmuUserProfile;
}

export type GroupType = 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';

export interface EmuGroup {
  id: string;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  objectClass: string[];
  type: GroupType;
  profile: { name: string; description: string | null };
}

export interface LogActor {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
  detailEntry: null;
}

export interface LogTarget {
  id: string;
  type: 'User' | 'UserGroup' | 'AppInstance';
  alternateId: string;
  displayName: string;
  detailEntry: null;
}

/** A System Log event as Okta puts it in `data.events[]` of a hook delivery. */
export interface LogEvent {
  uuid: string;
  published: string;
  eventType: string;
  version: '0';
  displayMessage: string;
  severity: 'INFO';
  actor: LogActor;
  client: { ipAddress: string; device: string; zone: string; id: null; userAgent?: { rawUserAgent: string } };
  outcome: { result: 'SUCCESS'; reason: null };
  target: LogTarget[];
  transaction: { type: 'WEB'; id: string; detail: Record<string, never> };
  debugContext: { debugData: Record<string, string> };
  legacyEventType: string | null;
  authenticationContext: { authenticationStep: number; externalSessionId: string };
  securityContext: Record<string, never>;
}

/** The envelope of one event-hook POST. */
export interface HookDelivery {
  eventType: 'com.okta.event_hook';
  eventTypeVersion: '1.0';
  cloudEventsVersion: '0.1';
  source: string;
  eventId: string;
  eventTime: string;
  contentType: 'application/json';
  data: { events: LogEvent[] };
}

export interface HookConfig {
  url: string;
  /** e.g. `Authorization` (Okta's `channel.config.authScheme.key`). */
  authHeaderName: string;
  /** The shared secret Okta sends verbatim (`authScheme.value`). */
  authHeaderValue: string;
  /** Static custom headers (`channel.config.headers`). */
  headers?: Record<string, string>;
  /** Okta waits 3 s. */
  timeoutMs?: number;
}

export interface CreateUserInput {
  id?: string;
  status?: UserStatus;
  profile: {
    login: string;
    email?: string;
    firstName?: string | null;
    lastName?: string | null;
    employeeNumber?: string;
  };
  /** Okta's create-with-groups: one create event, then one membership event per group. */
  groupIds?: string[];
}

export interface CreateGroupInput {
  id?: string;
  name: string;
  description?: string | null;
  type?: GroupType;
}

/** An app instance in the org (the fixture's apps: the Genesys Cloud app that agents sign in to through Okta). */
export interface EmuApp {
  id: string;
  label: string;
}
