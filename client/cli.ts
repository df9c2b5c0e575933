// `npm run season -- <command>`: the season admin's CLI. Seasons are code (config/*.yaml); commands check them
// against the live org (preflight, plan), start and steer the agents' lifecycle workflows (start, extend,
// end-now, offboard, retry) and prove the state of a season (status, report, audit). See client/README.md.
import { Command, InvalidArgumentError, Option } from 'commander';
import { NamespaceNotFoundError, ServiceError } from '@temporalio/client';
import { runMain, UserError } from '../platform/errors';
import type { AgentPhase } from '../workflows/messages';
import { auditCommand } from './commands/audit';
import { doctorCommand } from './commands/doctor';
import { registerCatchUpCommand } from './commands/catch-up';
import { CommandContext, createContext } from './commands/context';
import { endNowCommand } from './commands/end-now';
import { extendCommand } from './commands/extend';
import { offboardCommand } from './commands/offboard';
import { planCommand } from './commands/plan';
import { preflightCommand } from './commands/preflight';
import { reportCommand } from './commands/report';
import { migrateCommand } from './commands/migrate';
import { retryCommand } from './commands/retry';
import { setupCommand } from './commands/setup';
import { startCommand } from './commands/start';
import { statusCommand } from './commands/status';
import { PHASES } from '../operations/visibility';

interface GlobalOptions {
  config: string;
  json?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** "10", "10%" or "0.1" → 0.1. */
function fraction(value: string): number {
  const n = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a percentage such as 10 or 10%');
  return value.endsWith('%') || n > 1 ? n / 100 : n;
}

/** Temporal's own refusals (unknown namespace, search attributes not registered) are setup problems, not bugs. */
function explain(err: unknown): unknown {
  if (err instanceof NamespaceNotFoundError) return new UserError(`Temporal: ${err.message} (set TEMPORAL_NAMESPACE)`);
  if (err instanceof ServiceError) {
    const hint = /SeasonId|SeasonPhases|AgentPhase|OrgId|SeasonEndsAt/.test(err.message)
      ? ' (are the search attributes registered? `npm run temporal` registers them)'
      : '';
    return new UserError(`Temporal: ${err.message}${hint}`);
  }
  return err;
}

function action<A extends unknown[]>(program: Command, run: (ctx: CommandContext, ...args: A) => Promise<number>) {
  return async (...args: A): Promise<void> => {
    const globals = program.opts<GlobalOptions>();
    const ctx = createContext({ configDir: globals.config, json: globals.json === true });
    try {
      process.exitCode = await run(ctx, ...args);
    } catch (err) {
      throw explain(err);
    } finally {
      await ctx.close();
    }
  };
}

const phaseOption = () => new Option('--phase <phase>', 'only agents in this phase').choices(PHASES as string[]);
const breakerOptions = (cmd: Command) =>
  cmd
    .option('--yes', 'confirm a mass offboarding without asking (scripts)')
    .option('--threshold <percent>', "ask for confirmation above this share of the season's agents", fraction, 0.1);

export function buildProgram(): Command {
  const program = new Command('season')
    .description(
      'Seasonal agents from Okta into Genesys Cloud, as code: preflight, plan, start, steer and audit a season.',
    )
    .option('--config <dir>', 'config directory (orgs.yaml, seasons/*.yaml)', 'config')
    .option('--json', 'print one JSON document on stdout (for scripts)')
    .showHelpAfterError('(add --help for usage)');

  program
    .command('setup')
    .description(
      'go-live setup of an org, idempotent: the Okta event hook (verified against the receiver), the Temporal namespace and search attributes',
    )
    .argument('<org>', 'org id (orgs.yaml)')
    .option('--dry-run', 'show what would be done; read only')
    .action(action(program, (ctx, org: string, o: { dryRun?: boolean }) => setupCommand(ctx, org, o)));

  program
    .command('preflight')
    .description("check every mapped role, division and Okta group against the season's org (read-only)")
    .argument('<season>', 'season id')
    .action(action(program, (ctx, season: string) => preflightCommand(ctx, season)));

  program
    .command('plan')
    .description('dry run of a wave: per agent what start would do, totals, and the time at the org budget')
    .argument('<season>', 'season id')
    .option(
      '--roster <file>',
      'roster CSV (columns: oktaUserId,login,email,givenName,familyName,employeeNumber,groups)',
    )
    .option('--from-okta', "the current members of the season's Okta groups")
    .option('--rate <perMinute>', "the plan's own Genesys reads per minute (default: the org budget)", positiveInt)
    .action(
      action(program, (ctx, season: string, o: { roster?: string; fromOkta?: boolean; rate?: number }) =>
        planCommand(ctx, season, o),
      ),
    );

  program
    .command('start')
    .description('start one lifecycle workflow per agent (idempotent; refuses while preflight fails)')
    .argument('<season>', 'season id')
    .option('--roster <file>', 'roster CSV (see plan)')
    .option('--from-okta', "the current members of the season's Okta groups")
    .option('--partial', 'start the valid rows even if some rows are bad')
    .option('--concurrency <n>', 'workflow starts in flight', positiveInt, 32)
    .action(
      action(
        program,
        (ctx, season: string, o: { roster?: string; fromOkta?: boolean; partial?: boolean; concurrency: number }) =>
          startCommand(ctx, season, o),
      ),
    );

  program
    .command('status')
    .description('agents per phase, agents needing attention and why, time to the season end, Web UI link')
    .argument('<season>', 'season id')
    .option('--limit <n>', 'agents needing attention to list', positiveInt, 20)
    .action(action(program, (ctx, season: string, o: { limit: number }) => statusCommand(ctx, season, o)));

  program
    .command('extend')
    .description("move the season's end for agents (default: every running agent of the season)")
    .argument('<season>', 'season id')
    .argument('[agents...]', 'Okta user ids')
    .option('--to <when>', 'new end: "2027-01-18 20:00" in the season time zone, or an ISO instant')
    .option('--by <duration>', 'move each end by 7d, 12h, 90m or 2w')
    .action(
      action(program, (ctx, season: string, agents: string[], o: { to?: string; by?: string }) =>
        extendCommand(ctx, season, agents, o),
      ),
    );

  breakerOptions(
    program
      .command('end-now')
      .description('end the season now for these agents (or --all): teardown follows the deprovision policy')
      .argument('<season>', 'season id')
      .argument('[agents...]', 'Okta user ids')
      .option('--all', 'every running agent of the season'),
  ).action(
    action(program, (ctx, season: string, agents: string[], o: { all?: boolean; yes?: boolean; threshold: number }) =>
      endNowCommand(ctx, season, agents, o),
    ),
  );

  breakerOptions(
    program
      .command('offboard')
      .description('offboard agents early, with a reason (or --all / --phase / --dormant)')
      .argument('<season>', 'season id')
      .argument('[agents...]', 'Okta user ids')
      .option('--all', 'every running agent of the season')
      .addOption(phaseOption())
      .option('--dormant', "agents Active with no login the season's dormantAfterDays after its start")
      .option('--reason <text>', 'kept in the agent history (default: offboarded by an operator, or why dormant)')
      .option('--wait', 'wait for each outcome (deprovisioned, or needs attention)'),
  ).action(
    action(
      program,
      (
        ctx,
        season: string,
        agents: string[],
        o: {
          all?: boolean;
          dormant?: boolean;
          phase?: AgentPhase;
          reason?: string;
          yes?: boolean;
          threshold: number;
          wait?: boolean;
        },
      ) => offboardCommand(ctx, season, agents, o),
    ),
  );

  program
    .command('retry')
    .description('retry agents in NeedsAttention after fixing the cause (default: all of them)')
    .argument('<season>', 'season id')
    .argument('[agents...]', 'Okta user ids')
    .action(action(program, (ctx, season: string, agents: string[]) => retryCommand(ctx, season, agents)));

  program
    .command('report')
    .description(
      'per org and season: provisioned, active, deprovisioned, failed, licenses still held, logins, billing periods',
    )
    .argument('[seasons...]', 'season ids (default: every season in the config)')
    .addOption(
      new Option('--format <format>', 'output format (html: one self-contained page)')
        .choices(['table', 'csv', 'json', 'html'])
        .default('table'),
    )
    .option('--out <file>', 'with --format html: where to write the page', undefined)
    .action(
      action(program, (ctx, seasons: string[], o: { format: string; out?: string }) => reportCommand(ctx, seasons, o)),
    );

  program
    .command('audit')
    .description('compare Genesys with the workflows and the mapping; list drift; --fix repairs through the workflows')
    .argument('<season>', 'season id')
    .option('--fix', 'repair: reconcile grants through running workflows, start workflows for members without one')
    .action(action(program, (ctx, season: string, o: { fix?: boolean }) => auditCommand(ctx, season, o)));

  registerCatchUpCommand(program, action);

  program
    .command('migrate')
    .description(
      "move the season's agents from the per-season workflows of earlier versions to one workflow per person",
    )
    .argument('<season>', 'season id')
    .action(action(program, (ctx, season: string) => migrateCommand(ctx, season)));

  program
    .command('doctor')
    .description(
      'go-live checks, read-only: Genesys credentials and permissions, Okta scopes, groups and event hook, the receiver, Temporal, clocks',
    )
    .argument('[orgs...]', 'org ids (default: every org in orgs.yaml)')
    .action(action(program, (ctx, orgs: string[]) => doctorCommand(ctx, orgs)));

  return program;
}

if (require.main === module) {
  runMain(async () => {
    await buildProgram().parseAsync(process.argv);
  });
}
