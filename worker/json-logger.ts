// Structured logs: one JSON object per line (time, level, message, and the SDK's metadata such as workflowId,
// activityType, taskQueue). Workflow ids carry only org, season and Okta user id, so no PII reaches the logs.
import { DefaultLogger, LogEntry, LogLevel } from '@temporalio/worker';

function write(entry: LogEntry): void {
  const line = {
    time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(),
    level: entry.level,
    message: entry.message,
    ...(entry.meta ?? {}),
  };
  process.stdout.write(`${JSON.stringify(line, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
}

export function jsonLogger(level: LogLevel): DefaultLogger {
  return new DefaultLogger(level, write);
}
