// The body of POST /api/v1/eventHooks and PUT /api/v1/eventHooks/{id}, checked as SPEC's EventHook schema says:
// channel.type HTTP, channel.version 1.0.0, authScheme.type HEADER, events.type EVENT_TYPE, event types that are
// event-hook eligible (at most 300 per hook: reference sheet §2), and an HTTPS endpoint (createEventHook: "Your
// external service must use a valid HTTPS endpoint"; §1.1). Read-only fields (id, status, verificationStatus,
// created, createdBy, lastUpdated, config.method, _links) are ignored when sent, as a server does with them.
import { z } from 'zod';
import { validationFailed } from './errors';
import { type EventHookInput, isEventHookEligible } from './event-hook-model';

/** Deliberate deviation: plain http:// is taken for these hosts only, so a local receiver can be registered. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why Okta would refuse this endpoint, or undefined when it is acceptable. */
export function endpointProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute https:// URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'only HTTPS endpoints are accepted (the emulator also takes http:// on 127.0.0.1, localhost or [::1])';
}

const uri = z.string().superRefine((value, ctx) => {
  const problem = endpointProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const eventType = z.string().superRefine((value, ctx) => {
  if (!isEventHookEligible(value))
    ctx.addIssue({ code: 'custom', message: `${value} is not an event type eligible for event hooks` });
});

const authScheme = z.object({
  type: z.literal('HEADER', { error: 'only HEADER is supported' }),
  key: z.string().min(1, 'the header name must not be empty'),
  // Write-only: Okta never returns it, so a replace cannot "keep" it — every create and replace sends it.
  value: z.string({ error: 'required (the secret is write-only: send it on every create and replace)' }),
});

const eventHookBody = z.object({
  name: z.string().min(1, 'must not be empty'),
  description: z.string().nullish(),
  events: z.object({
    type: z.literal('EVENT_TYPE', { error: 'only EVENT_TYPE is supported' }),
    items: z
      .array(eventType)
      .min(1, 'subscribe to at least one event type')
      .max(300, 'at most 300 event types per hook'),
    filter: z.record(z.string(), z.unknown()).nullish(),
  }),
  channel: z.object({
    type: z.literal('HTTP', { error: 'only HTTP is supported' }),
    version: z.literal('1.0.0', { error: 'only 1.0.0 is supported' }),
    config: z.object({
      uri,
      headers: z.array(z.object({ key: z.string().min(1), value: z.string() }).nullable()).nullish(),
      authScheme: authScheme.nullish(),
    }),
  }),
});

/** The writable fields of a create or replace, or 400 E0000001 "Api validation failed: eventHook" with every cause. */
export function parseEventHookBody(body: unknown): EventHookInput {
  const parsed = eventHookBody.safeParse(body);
  if (!parsed.success) {
    const causes = parsed.error.issues.map(
      (i) => `${i.path.length > 0 ? i.path.join('.') : 'eventHook'}: ${i.message}`,
    );
    throw validationFailed('eventHook', causes);
  }
  const { name, description, events, channel } = parsed.data;
  const scheme = channel.config.authScheme;
  return {
    name,
    description: description ?? null,
    events: { items: [...events.items], filter: events.filter ?? null },
    channel: {
      uri: channel.config.uri,
      headers: (channel.config.headers ?? []).filter((h) => h !== null),
      auth: scheme ? { key: scheme.key, value: scheme.value } : null,
    },
  };
}
