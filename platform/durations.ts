// Durations and protobuf timestamps as the Temporal APIs speak them, without the SDK's internal helpers
// (`@temporalio/common/lib/...` is not a public API and may change in any release).
import type { Duration } from '@temporalio/common';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  msec: 1,
  msecs: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
  y: 31_557_600_000,
  yr: 31_557_600_000,
  yrs: 31_557_600_000,
  year: 31_557_600_000,
  years: 31_557_600_000,
};

/**
 * A Temporal `Duration` (milliseconds, or a string in the `ms` package's format such as `5m`, `15 minutes`,
 * `1.5h`) in milliseconds, the way the SDK reads it. Throws a TypeError on anything else.
 */
export function durationMs(value: Duration | string): number {
  if (typeof value === 'number') return value;
  const match = /^(-?(?:\d+)?\.?\d+) *([a-z]+)?$/i.exec(value);
  const factor = match ? UNIT_MS[(match[2] ?? 'ms').toLowerCase()] : undefined;
  if (!match || factor === undefined || value.length > 100) throw new TypeError(`Invalid duration string: '${value}'`);
  return parseFloat(match[1]!) * factor;
}

/** A protobuf `google.protobuf.Timestamp` or `Duration` (seconds may be a Long) in milliseconds. */
export function timestampMs(
  ts: { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined,
): number {
  if (!ts) throw new TypeError(`Expected a timestamp, got ${String(ts)}`);
  return Number(ts.seconds ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000);
}
