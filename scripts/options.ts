// Option parsers the scripts' commanders share: a value that is not what the flag takes is a clear error at once,
// never a NaN that runs on.
import { InvalidArgumentError } from 'commander';

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}
