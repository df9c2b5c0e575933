// Zod schemas for the Okta response bodies we read. z.object strips unknown keys instead of failing: Okta says
// new properties may appear at any time and null-valued ones may be omitted.
import { z } from 'zod';

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
