// `tsx scripts/build-workflow-bundle.ts [--out dist/workflow-bundle.js]`
// Bundles the workflow code once, at image build time. A worker started with `--bundle <file>` then skips webpack
// at every start (seconds of CPU and a few hundred MB of memory per replica), and every replica of one image runs
// byte-identical workflow code, which is what replay safety across a rolling deploy relies on.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { bundleWorkflowCode } from '@temporalio/worker';
import { runMain } from '../platform/errors';

async function main(): Promise<void> {
  const opts = new Command('build-workflow-bundle')
    .description('Prebuild the workflow bundle for `worker/main.ts --bundle <file>`')
    .option('--out <file>', 'where to write the bundle', 'dist/workflow-bundle.js')
    .parse()
    .opts<{ out: string }>();
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  const out = path.resolve(opts.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(
    `workflow bundle: ${out} (${(code.length / 1024).toFixed(0)} KiB in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

runMain(main);
