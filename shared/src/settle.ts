/**
 * Like Promise.all, but rejects only once every promise has settled. Promise.all rejects at the
 * first failure while sibling writes are still in flight; a rollback started then can run
 * before those writes land (and on BigQuery they still commit), leaving rows it meant to undo.
 */
export async function allSettledOrThrow<T extends readonly unknown[] | []>(values: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(values);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
