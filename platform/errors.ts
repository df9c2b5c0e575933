/**
 * An error the user can fix (missing tool, wrong flag, bad file). Entry points print only its message,
 * in one line, and exit non-zero: no stack trace for a user error.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Runs an entry point: user errors become one clear line, anything else keeps its stack for a bug report. */
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof UserError) {
        console.error(`error: ${err.message}`);
      } else {
        console.error(err);
      }
      process.exitCode = 1;
    },
  );
}
