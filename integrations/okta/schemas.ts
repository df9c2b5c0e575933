// Zod schemas for the Okta response bodies we read. z.object strips unknown keys instead of failing: Okta says
// new properties may appear at any time and null-valued ones may be omitted.
import { z } from 'zod';
import type { EventHookWrite } from '../../domain/okta-hook';

const optionalString = z.string().nullish();

export const userStatusSchema = z.enum([
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
  'DEPROVISIONED',
]);
export type OktaUserStatus = z.infer<typeof userStatusSchema>;

export const userSchema = z.object({
  id: z.string().min(1),
  status: userStatusSchema,
  /** Present only while an asynchronous lifecycle change runs. */
  transitioningToStatus: optionalString,
  profile: z.object({
    login: z.string(),
    email: optionalString,
    firstName: optionalString,
    lastName: optionalString,
    employeeNumber: optionalString,
  }),
});
export type OktaUser = z.infer<typeof userSchema>;

export const groupSchema = z.object({
  id: z.string().min(1),
  type: optionalString,
  profile: z.object({ name: z.string(), description: optionalString }),
});
export type OktaGroup = z.infer<typeof groupSchema>;

export const groupListSchema = z.array(groupSchema);
export const userListSchema = z.array(userSchema);

// Event hooks (SPEC schema EventHook). Lenient where Okta may grow: status and verificationStatus are read as
// strings, and authScheme.value is write-only, so it is never in an answer.
const eventHookHeaderSchema = z.object({ key: optionalString, value: optionalString }).nullable();

export const eventHookSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  /** ACTIVE or INACTIVE. */
  status: z.string(),
  /** VERIFIED or UNVERIFIED. */
  verificationStatus: optionalString,
  description: optionalString,
  events: z.object({
    type: optionalString,
    items: z.array(z.string()),
    filter: z.object({ type: optionalString, eventFilterMap: z.array(z.unknown()).nullish() }).nullish(),
  }),
  channel: z.object({
    type: optionalString,
    version: optionalString,
    config: z.object({
      uri: z.string(),
      method: optionalString,
      authScheme: z.object({ type: optionalString, key: optionalString }).nullish(),
      headers: z.array(eventHookHeaderSchema).nullish(),
    }),
  }),
});
export type OktaEventHook = z.infer<typeof eventHookSchema>;
export const eventHookListSchema = z.array(eventHookSchema);

/** The body of a create or replace (POST /api/v1/eventHooks, PUT …/{eventHookId}): the domain's write shape. */
export type OktaEventHookBody = EventHookWrite;

/** A System Log event, as much of it as the login sweep reads (the rest, PII included, is dropped by parsing). */
export const ssoEventSchema = z.object({
  published: z.iso.datetime({ offset: true }),
  eventType: z.string(),
  actor: z.object({ id: z.string(), type: z.string() }),
  outcome: z.object({ result: z.string() }),
  target: z
    .array(z.object({ id: z.string(), type: z.string() }))
    .nullable()
    .optional(),
});
export const ssoEventListSchema = z.array(ssoEventSchema);
