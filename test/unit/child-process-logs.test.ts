// A child's stdout and stderr share one log file: whichever stream ends first must not end the file, or the other
// stream's last words (a crash's stack trace, written after stdout closed) hit a closed file and take the parent
// down with ERR_STREAM_WRITE_AFTER_END instead of leaving the log path to read.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTsProcess } from '../../scripts/demo/processes';

describe('child process logs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'child-logs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what the child writes to stderr after its stdout has closed', async () => {
    const script = path.join(dir, 'stdout-first.ts');
    writeFileSync(
      script,
      [
        "import { closeSync } from 'node:fs';",
        "process.stdout.write('first words\\n', () => {",
        '  closeSync(1);',
        "  setTimeout(() => { process.stderr.write('last words\\n'); process.exitCode = 3; }, 200);",
        '});',
      ].join('\n'),
    );
    const proc = startTsProcess('stdout-first', script, [], {}, dir);
    await new Promise((resolve) => proc.child.once('close', resolve));
    await proc.stop();
    expect(proc.child.exitCode).toBe(3);
    // The file's last write lands just after the child's close.
    let log = '';
    for (let i = 0; i < 40 && !log.includes('last words'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      log = readFileSync(proc.logFile, 'utf8');
    }
    expect(log).toContain('first words');
    expect(log).toContain('last words');
  });
});
