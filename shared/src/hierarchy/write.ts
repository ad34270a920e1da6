import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context/index.js';
import { ConflictError } from '../errors.js';
import type { Tenant } from '../orgs/identity.js';

/** How often a write re-reads and re-decides after another write of the org got in first. */
export const ATTEMPTS = 12;

export interface WriteStore<S, W> {
  /** The tenant's state with its lock counter (null: no lock row yet). */
  read(): Promise<S & { counter: number | null }>;
  ensureLock(): Promise<void>;
  /** The one statement; 0 = the counter had moved. */
  write(w: W & { expected: number; writeToken: string; now: Date }): Promise<number>;
  /** After an error: whether the statement committed anyway (its token is on the lock row). */
  committed(writeToken: string): Promise<boolean>;
}

/**
 * Read, decide, write once, conditionally (lock-merge.ts). When another write of the tenant got
 * in between, the decision is taken again on the fresh state (so a create of an id another
 * request just created is refused as a duplicate, and an update applies to the version that is
 * now current). A write whose answer was lost is read back: its token on the lock row says it
 * committed. `decide` returns null for a write that changes nothing.
 */
export async function decideAndWrite<S, W, R>(ctx: Pick<Ctx, 'clock'>, _tenant: Tenant, store: WriteStore<S, W>, decide: (state: S) => { write: W | null; result: R }): Promise<R> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let state = await store.read();
    if (state.counter === null) {
      await store.ensureLock();
      state = await store.read();
      if (state.counter === null) throw new Error('the lock row is missing right after it was inserted');
    }
    const { write, result } = decide(state);
    if (!write) return result;
    const writeToken = randomUUID();
    let affected: number;
    try {
      affected = await store.write({ ...write, expected: state.counter, writeToken, now: ctx.clock() });
    } catch (err) {
      if (await store.committed(writeToken).catch(() => false)) return result;
      throw err;
    }
    if (affected > 0) return result;
  }
  throw new ConflictError('The hierarchy was changed by other requests while this one was decided; try again', { reason: 'CONCURRENT_CHANGES' }, { retryAfterSeconds: 1 });
}
