// The shape of an Okta event-hook delivery, as far as the receiver relies on it. Lenient where real deliveries
// omit or null fields (CRU's capture has `client: {ipChain: []}`, no `request`); strict on what dedupe and
// ordering need (eventId, uuid, published). An event of ours without a User target is ignored later, not
// rejected here: Okta never retries a 4xx, so one odd event must not cost the whole batch.
import { z } from 'zod';

const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO-8601 instant');

export const hookTargetSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  alternateId: z.string().nullish(),
  displayName: z.string().nullish(),
});

export const hookEventSchema = z.object({
  uuid: z.string().min(1).max(100),
  published: isoInstant,
  eventType: z.string().min(1).max(200),
  actor: z.object({ id: z.string().nullish(), type: z.string().nullish() }).nullish(),
  outcome: z.object({ result: z.string().nullish() }).nullish(),
  target: z.array(hookTargetSchema).nullish(),
});
export type HookEvent = z.infer<typeof hookEventSchema>;

export const hookDeliverySchema = z.object({
  eventType: z.literal('com.okta.event_hook'),
  eventId: z.string().min(1).max(100),
  eventTime: isoInstant.nullish(),
  source: z.string().nullish(),
  data: z.object({ events: z.array(hookEventSchema) }),
});
export type HookDelivery = z.infer<typeof hookDeliverySchema>;
