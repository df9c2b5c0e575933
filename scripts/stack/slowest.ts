// The agents that ended the provisioning wave, read from their histories: when each became Active and where its
// time went (scripts/bench-latency-parts.ts). A wave short of its bound is a tail of slow agents; this says whether
// they waited on workflow tasks, on their activities' queue and retries, or on the calls themselves.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { seasonalAgentWorkflowId } from '../../workflows/agent/contract';
import { analyseHistory, phaseOf, type History } from '../bench-history';
import { latencyPartsUntil, type LatencyParts } from '../bench-latency-parts';
import { timestampMs } from '../../platform/durations';

export interface SlowAgent {
  oktaUserId: string;
  /** Seconds from the wave's start: the agent's workflow started, and it became Active. */
  startedAfterS: number;
  activeAfterS: number;
  parts: LatencyParts;
  /** Its history until Active: each event's type, seconds into the wave, and the activity and attempt it concerns. */
  events: string[];
}

export async function slowestAgents(
  client: Client,
  orgId: string,
  oktaUserIds: string[],
  waveStartedAt: number,
  count = 5,
): Promise<SlowAgent[]> {
  const agents: SlowAgent[] = [];
  for (const oktaUserId of oktaUserIds) {
    const history = await client.workflow.getHandle(seasonalAgentWorkflowId(orgId, oktaUserId)).fetchHistory();
    const activeAtMs = analyseHistory(history).activeAtMs;
    // Agents the demo parks in NeedsAttention on purpose (Active only after the admin's fix) did not end the wave.
    const parked = history.events!.some((e) => phaseOf(e) === 'NeedsAttention');
    if (activeAtMs === undefined || parked) continue;
    agents.push({
      oktaUserId,
      startedAfterS: (timestampMs(history.events![0]!.eventTime) - waveStartedAt) / 1000,
      activeAfterS: (activeAtMs - waveStartedAt) / 1000,
      parts: latencyPartsUntil(history, activeAtMs),
      events: timelineUntil(history, activeAtMs, waveStartedAt),
    });
  }
  return agents.sort((a, b) => b.activeAfterS - a.activeAfterS).slice(0, count);
}

export function describeSlowAgent(a: SlowAgent): string {
  const p = a.parts;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return `${a.oktaUserId}: started ${a.startedAfterS.toFixed(1)} s into the wave, Active at ${a.activeAfterS.toFixed(1)} s; workflow tasks waited ${s(p.workflowTaskWaitMs)} and ran ${s(p.workflowTaskRunMs)}, activities waited ${s(p.activityWaitMs)} (queue, retries) and ran ${s(p.activityRunMs)}, ${p.failedAttempts} failed attempts`;
}

function timelineUntil(history: History, untilMs: number, waveStartedAt: number): string[] {
  const names = new Map<string, string>();
  const lines: string[] = [];
  for (const e of history.events ?? []) {
    const at = timestampMs(e.eventTime);
    if (at > untilMs) break;
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) names.set(String(e.eventId), scheduled.activityType?.name ?? '?');
    const ref =
      e.activityTaskStartedEventAttributes?.scheduledEventId ??
      e.activityTaskCompletedEventAttributes?.scheduledEventId ??
      e.activityTaskFailedEventAttributes?.scheduledEventId ??
      e.activityTaskTimedOutEventAttributes?.scheduledEventId;
    const activity = scheduled ? names.get(String(e.eventId)) : ref != null ? names.get(String(ref)) : undefined;
    const attempt = e.activityTaskStartedEventAttributes?.attempt;
    const type = (temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? '?').replace('EVENT_TYPE_', '');
    lines.push(
      `${((at - waveStartedAt) / 1000).toFixed(1)} s ${type}${activity ? ` ${activity}` : ''}${attempt && attempt > 1 ? ` attempt ${attempt}` : ''}`,
    );
  }
  return lines;
}
