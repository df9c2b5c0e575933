// A child process's stdout and stderr, appended to one log file.
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/**
 * Neither stream may end the file: stderr often writes last (a crash's stack trace, after stdout closed), and a
 * write after the end would take the parent down with ERR_STREAM_WRITE_AFTER_END instead of leaving the log to
 * read. The child's 'close' (both streams done) ends it.
 */
export function appendChildOutput(child: ChildProcess, logFile: string): void {
  const out = createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  child.once('close', () => out.end());
}
