// Bounded concurrency for Temporal calls (starts, signals, queries, visibility reads): no Genesys budget involved.

export interface InParallelOptions {
  /**
   * Every item gets its turn even when some fail; the first failure is raised afterwards. Without it the first
   * failure is raised at once.
   */
  settle?: boolean;
  /** Called after each item, done or failed (an activity's heartbeat). */
  afterEach?: () => void;
}

/** Runs `fn` over items with at most `limit` in flight; results in the order of the items. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  options: InParallelOptions = {},
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (err) {
        if (!options.settle) throw err;
        errors.push(err);
      } finally {
        options.afterEach?.();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (errors.length > 0) throw errors[0];
  return results;
}
