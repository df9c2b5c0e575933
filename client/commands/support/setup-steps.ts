// What `season setup` reports: one fact per step, the same in the human lines and in --json. A step's subject and
// detail carry ids, URLs, header names, namespace and attribute names only: never a secret, an email or a name.

/** Done now, found right, or left for a person; `would …` in a dry run; `failed` makes the exit code 1. */
export type StepOutcome =
  | 'created'
  | 'updated'
  | 'activated'
  | 'verified'
  | 'registered'
  | 'unchanged'
  | 'left'
  | 'failed'
  | `would ${'create' | 'update' | 'activate' | 'verify' | 'register'}`;

export interface SetupStep {
  area: 'okta' | 'temporal';
  outcome: StepOutcome;
  /** What the step is about, e.g. "Okta event hook seasonal-agent-provisioner (who…)". */
  subject: string;
  detail?: string;
  /** For `left` and `failed`: what a person should do. */
  todo?: string[];
}

/** Outcomes that changed something in Okta or Temporal (verification changes nothing a person configured). */
const CHANGES: ReadonlySet<StepOutcome> = new Set(['created', 'updated', 'activated', 'registered']);

export function isChange(step: SetupStep): boolean {
  return CHANGES.has(step.outcome);
}

const WIDTH = 'would activate'.length;

export function formatStep(step: SetupStep): string[] {
  const head = `  ${step.outcome.padEnd(WIDTH)}  ${step.subject}${step.detail ? `: ${step.detail}` : ''}`;
  return [head, ...(step.todo ?? []).map((t) => `  ${' '.repeat(WIDTH)}    ${t}`)];
}

export function summaryLine(orgId: string, steps: SetupStep[], dryRun: boolean): string {
  const failed = steps.filter((s) => s.outcome === 'failed').length;
  const left = steps.filter((s) => s.outcome === 'left').length;
  const changed = steps.filter(isChange).length;
  const planned = steps.filter((s) => s.outcome.startsWith('would ')).length;
  const parts: string[] = [];
  if (dryRun) parts.push(planned === 0 ? 'nothing to change' : `${planned} to do (dry run: nothing changed)`);
  else parts.push(changed === 0 ? 'nothing changed' : `${changed} changed`);
  if (left > 0) parts.push(`${left} left to do by hand`);
  if (failed > 0) parts.push(`${failed} failed`);
  return `setup ${orgId}: ${parts.join(', ')}`;
}
