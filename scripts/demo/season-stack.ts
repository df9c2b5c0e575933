// What playing a season needs from a stack: a Temporal client, the config and environment the season CLI runs
// with, and the emulators' controls. `npm start` passes its in-process emulators (DemoStack); `npm run stack`
// passes emulators running as processes of their own, driven over their /__emulator/* HTTP controls, so every
// control may answer later (a promise) — the season's steps await each one.
import type { Client } from '@temporalio/client';
import type { OrgInspection } from '../../emulators/genesys';
import type {
  CreateUserInput,
  DeliverOptions,
  DeliveryReport,
  EmuGroup,
  EmuUser,
  OktaEmulatorInspection,
  VerificationResult,
} from '../../emulators/okta';

type Awaitable<T> = T | Promise<T>;

export interface SeasonGenesys {
  url: string;
  inspect(orgId: string): Awaitable<OrgInspection>;
  addRole(orgId: string, name: string): Awaitable<unknown>;
  addRouting(orgId: string, kind: 'skill' | 'language' | 'queue', name: string): Awaitable<unknown>;
  /** The user logs in at `at` (ISO-8601): Genesys's dateLastLogin and lastTokenIssued show it. */
  logIn(orgId: string, userId: string, at: string): Awaitable<unknown>;
}

export interface SeasonOkta {
  url: string;
  admin: {
    createUser(input: CreateUserInput): Awaitable<EmuUser>;
    addUserToGroup(userId: string, group: string): Awaitable<unknown>;
    deactivateUser(userId: string): Awaitable<void>;
    /** By id or exact name. */
    getGroup(group: string): Awaitable<EmuGroup>;
    clearOutbox(): Awaitable<unknown>;
    /** The user signs in to the app through Okta: a user.authentication.sso event in the System Log. */
    ssoLogin(userId: string, appId: string, at: string): Awaitable<unknown>;
  };
  /** The id of the Genesys Cloud app in the Okta org (orgs.yaml okta.genesysAppId). */
  genesysAppId(): Awaitable<string>;
  deliverPending(opts?: DeliverOptions): Promise<DeliveryReport>;
  verifyHook(): Promise<VerificationResult>;
  inspect(): Awaitable<OktaEmulatorInspection>;
}

export interface SeasonStack {
  client: Client;
  configDir: string;
  childEnv: NodeJS.ProcessEnv;
  genesys: SeasonGenesys;
  okta: SeasonOkta;
}
