#!/usr/bin/env node
// Entry point of `npm start`, `npm test`, `npm run bench`, `npm run stack` and `npm run test:stack` on a fresh
// clone. Plain Node (no dependency yet): checks Node, installs the locked node modules when they are missing or
// stale, then hands over to the TypeScript script of the same name. Everything else (the Temporal CLI and server,
// PostgreSQL) the scripts install themselves.
'use strict';
const { spawnSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 3)) {
  console.error(`error: Node ${process.versions.node} is too old: install Node 20.3 or newer.`);
  process.exit(1);
}

const task = process.argv[2];
const scripts = {
  start: 'scripts/start.ts',
  test: 'scripts/test.ts',
  bench: 'scripts/bench.ts',
  stack: 'scripts/stack.ts',
  'test:stack': 'scripts/test-stack.ts',
};
if (!scripts[task]) {
  console.error(`error: unknown task "${task}" (expected one of ${Object.keys(scripts).join(', ')})`);
  process.exit(2);
}

function modulesAreCurrent() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (!fs.existsSync(installed) || !fs.existsSync(path.join(root, 'node_modules', '.bin', 'tsx'))) return false;
  return fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs;
}

if (!modulesAreCurrent()) {
  const started = Date.now();
  console.log('setup: installing node modules (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error('error: npm ci failed (see above); check your network access to the npm registry.');
    process.exit(1);
  }
  console.log(`setup: node modules installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

// `node --import tsx` rather than the tsx CLI: the CLI gives its child only ~30 ms after passing a signal on,
// which is too short for the scripts to stop the servers and workers they started.
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, scripts[task]), ...process.argv.slice(3)], {
  cwd: root,
  stdio: 'inherit',
});
// Pass Ctrl-C and termination on, and let the child clean up its own processes before we exit.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + 1 : 1));
});
