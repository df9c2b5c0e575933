// `npm run bench -- [--scenario wave|sleepers|receiver] …`: the benchmarks. The wave (default) provisions and
// tears down a season per org at the orgs' request budgets and measures hook → Active (scripts/bench-wave.ts);
// `--scenario sleepers` the memory and visibility bench (scripts/bench-sleepers.ts); `--scenario receiver` the Okta
// hook receiver under load (scripts/bench-receiver.ts).
import { runMain, UserError } from '../platform/errors';
import { sleepersBench } from './bench-sleepers';
import { receiverBench } from './bench-receiver';
import { waveBench } from './bench-wave';

/** `--scenario wave|sleepers|receiver` (also `--scenario=…`); the wave stays the default so `npm run bench` is unchanged. */
function scenario(argv: string[]): string {
  const at = argv.indexOf('--scenario');
  const inline = argv.find((a) => a.startsWith('--scenario='));
  return inline ? inline.slice('--scenario='.length) : at >= 0 ? (argv[at + 1] ?? '') : 'wave';
}

const chosen = scenario(process.argv);
if (chosen === 'sleepers') runMain(() => sleepersBench(process.argv));
else if (chosen === 'receiver') runMain(() => receiverBench(process.argv));
else if (chosen === 'wave') runMain(() => waveBench(process.argv));
else
  runMain(async () => {
    throw new UserError(`unknown scenario "${chosen}" (use wave, sleepers or receiver)`);
  });
