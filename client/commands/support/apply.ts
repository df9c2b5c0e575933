// Sends one message to many agents in parallel and sums up: how many took it, which failed and why.
import type { CommandContext } from '../context';
import { inParallel } from '../../../operations/concurrency';
import { progress } from './progress';
import type { Target } from './targets';

export interface ApplyResult<R> {
  done: Array<{ oktaUserId: string; result: R }>;
  failed: Array<{ oktaUserId: string; error: string }>;
}

export async function applyToTargets<R>(
  ctx: CommandContext,
  targets: Target[],
  label: string,
  send: (t: Target) => Promise<R>,
): Promise<ApplyResult<R>> {
  const result: ApplyResult<R> = { done: [], failed: [] };
  const bar = progress(ctx.out, targets.length, label);
  await inParallel(targets, 32, async (t) => {
    try {
      result.done.push({ oktaUserId: t.oktaUserId, result: await send(t) });
    } catch (err) {
      result.failed.push({ oktaUserId: t.oktaUserId, error: err instanceof Error ? err.message : String(err) });
    } finally {
      bar.tick();
    }
  });
  bar.stop();
  result.done.sort((a, b) => a.oktaUserId.localeCompare(b.oktaUserId));
  result.failed.sort((a, b) => a.oktaUserId.localeCompare(b.oktaUserId));
  return result;
}

/** The common ending of bulk commands: one summary line, each failure, exit 1 if any failed. */
export function finish<R>(
  ctx: CommandContext,
  summary: string,
  result: ApplyResult<R>,
  ended: string[],
  json: Record<string, unknown>,
): number {
  ctx.out.json({ ...json, done: result.done, failed: result.failed, alreadyEnded: ended });
  ctx.out.line(summary);
  if (ended.length > 0) ctx.out.line(`  already ended (nothing to do): ${ended.join(', ')}`);
  for (const f of result.failed) ctx.out.line(`  failed ${f.oktaUserId}: ${f.error}`);
  return result.failed.length > 0 ? 1 : 0;
}
