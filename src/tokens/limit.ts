// Bounded concurrency for per-user work (sign-ins share one browser; too many at once starve it).

/** Run `fn` over `items` with at most `limit` in flight; results keep input order. Rejects on the first failure after all started work settles. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let firstError: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !firstError) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (error) {
        // Keep the first failure; stop starting new work but let in-flight work finish cleanly.
        firstError ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (firstError) throw firstError.error;
  return results;
}
