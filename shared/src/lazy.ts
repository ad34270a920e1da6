/**
 * A value made on first use and shared afterwards. Google's client libraries cost 50-300 ms of
 * cold start each to load, so a function loads one only when a request first needs it. A failed
 * load is forgotten, so the next request tries again instead of failing forever.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
