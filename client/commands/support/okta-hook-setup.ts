// `season setup`'s Okta part: make the org's event hook the product's (domain/okta-hook.ts decides what differs),
// then have Okta verify it against the running receiver.
//
// Okta never returns the hook's secret, so setup cannot compare it. When everything readable is right it changes
// nothing and only verifies; if that verification fails it writes the secret from the environment once and verifies
// again, so a rotated secret heals, while a second run with nothing changed makes no write at all.
import {
  compareHook,
  describeDifference,
  eventHookBody,
  findProductHook,
  HOOK_EVENT_TYPES,
  HOOK_NAME,
  type EventHookAsRead,
} from '../../../domain/okta-hook';
import { isOktaApiError } from '../../../integrations/okta';
import { isOktaHookVerificationError, type OktaClient } from '../../../integrations/okta/client';
import type { SetupHookEnv } from './setup-env';
import type { SetupStep } from './setup-steps';

function subjectOf(hook: EventHookAsRead | undefined): string {
  return hook ? `Okta event hook ${HOOK_NAME} (${hook.id})` : `Okta event hook ${HOOK_NAME}`;
}

function notAnswered(hook: EventHookAsRead, uri: string): SetupStep {
  return {
    area: 'okta',
    outcome: 'failed',
    subject: subjectOf(hook),
    detail: `the receiver did not answer Okta's verification at ${uri}`,
    todo: [
      'is the receiver running at OKTA_HOOK_URL, reachable from Okta, with the same OKTA_HOOK_SECRET (and OKTA_HOOK_AUTH_HEADER)?',
      'fix that, then run setup again',
    ],
  };
}

/** What Okta's refusal means for setup (by kind and status, never Okta's text). */
export function oktaFailure(err: unknown, subject = `Okta event hook ${HOOK_NAME}`): SetupStep {
  if (!isOktaApiError(err)) throw err;
  const todo =
    err.kind === 'Forbidden' || err.kind === 'Unauthorized'
      ? [
          'setup needs credentials that may manage event hooks: an API token of an admin who may, or the service app granted okta.eventHooks.manage (see orgs.yaml)',
        ]
      : undefined;
  return { area: 'okta', outcome: 'failed', subject, detail: err.message, ...(todo ? { todo } : {}) };
}

/** The steps a dry run would take, from the comparison alone (reads only). */
function planned(existing: EventHookAsRead | undefined, hook: SetupHookEnv): SetupStep[] {
  const comparison = compareHook(existing, hook);
  const subject = subjectOf(existing);
  const steps: SetupStep[] = [];
  if (comparison.steps.includes('create'))
    steps.push({
      area: 'okta',
      outcome: 'would create',
      subject,
      detail: `${hook.uri}, ${HOOK_EVENT_TYPES.length} event types`,
    });
  if (comparison.steps.includes('update'))
    steps.push({
      area: 'okta',
      outcome: 'would update',
      subject,
      detail: comparison.differences.map(describeDifference).join('; '),
    });
  if (existing && !comparison.steps.includes('update'))
    steps.push({
      area: 'okta',
      outcome: 'unchanged',
      subject,
      detail: `${hook.uri}, header ${hook.authHeaderName}, every event type, ${existing.status.toLowerCase()}, ${(existing.verificationStatus ?? 'UNVERIFIED').toLowerCase()}`,
    });
  if (comparison.steps.includes('activate')) steps.push({ area: 'okta', outcome: 'would activate', subject });
  // Setup always verifies: it is the only way to learn whether Okta's secret matches the receiver's.
  steps.push({ area: 'okta', outcome: 'would verify', subject, detail: `Okta calls ${hook.uri}` });
  return steps;
}

export async function setupOktaHook(client: OktaClient, hook: SetupHookEnv, dryRun: boolean): Promise<SetupStep[]> {
  const steps: SetupStep[] = [];
  try {
    const existing = findProductHook(await client.listEventHooks(), hook);
    if (dryRun) return planned(existing, hook);

    const comparison = compareHook(existing, hook);
    let current: EventHookAsRead;
    /** Whether this run wrote the secret: then a failed verification is not an old secret in Okta. */
    let secretWritten = false;
    if (!existing) {
      current = await client.createEventHook(eventHookBody(hook, hook.secret));
      secretWritten = true;
      steps.push({
        area: 'okta',
        outcome: 'created',
        subject: subjectOf(current),
        detail: `${hook.uri}, ${HOOK_EVENT_TYPES.length} event types, secret in header ${hook.authHeaderName}`,
      });
    } else if (comparison.steps.includes('update')) {
      current = await client.updateEventHook(existing.id, eventHookBody(hook, hook.secret, existing));
      secretWritten = true;
      steps.push({
        area: 'okta',
        outcome: 'updated',
        subject: subjectOf(current),
        detail: comparison.differences.map(describeDifference).join('; '),
      });
    } else {
      current = existing;
      steps.push({
        area: 'okta',
        outcome: 'unchanged',
        subject: subjectOf(current),
        detail: `${hook.uri}, header ${hook.authHeaderName}, every event type, ${existing.status.toLowerCase()}`,
      });
    }

    if (current.status !== 'ACTIVE') {
      current = await client.activateEventHook(current.id);
      steps.push({ area: 'okta', outcome: 'activated', subject: subjectOf(current) });
    }

    try {
      await client.verifyEventHook(current.id);
    } catch (err) {
      if (!isOktaHookVerificationError(err)) throw err;
      if (secretWritten) {
        steps.push(notAnswered(current, hook.uri));
        return steps;
      }
      // Okta may hold an older secret than the receiver (a rotation): write ours once, then ask again.
      current = await client.updateEventHook(current.id, eventHookBody(hook, hook.secret, current));
      steps.push({
        area: 'okta',
        outcome: 'updated',
        subject: subjectOf(current),
        detail:
          'verification failed with the secret Okta had: set it again from OKTA_HOOK_SECRET (Okta cannot show it)',
      });
      try {
        await client.verifyEventHook(current.id);
      } catch (again) {
        if (!isOktaHookVerificationError(again)) throw again;
        steps.push(notAnswered(current, hook.uri));
        return steps;
      }
    }
    steps.push({
      area: 'okta',
      outcome: 'verified',
      subject: subjectOf(current),
      detail: `the receiver answered Okta's verification at ${hook.uri}`,
    });
    return steps;
  } catch (err) {
    steps.push(oktaFailure(err));
    return steps;
  }
}
