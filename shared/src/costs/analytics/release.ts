import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type pl from 'nodejs-polars';

/**
 * Polars frames live outside V8's heap: V8 sees a few bytes per frame, so it has no reason to
 * collect them, and an instance's RSS would climb request after request. Two measures:
 *
 * 1. `releaseFrames` drops every column of a frame in place as soon as a view is done with it,
 *    so its buffers go back at once unless a lazy plan still shares them.
 * 2. Lazy plans (each `withColumns`/`filter` builds one) still hold their inputs until V8
 *    finalizes them. Once the released frames add up to enough cells, a full collection is
 *    asked for after the answer has gone (a macrotask, unref'd), never on the request path.
 */
const GC_AFTER_CELLS = 2_000_000;
/** Bytes Polars wrote into Node buffers (an export's text): V8 does not count them either. */
const GC_AFTER_BYTES = 64 * 1024 * 1024;
let releasedCells = 0;
let releasedBytes = 0;
let scheduled = false;
let collect: (() => void) | null | undefined;

export function releaseFrames(...frames: (pl.DataFrame | undefined)[]): void {
  for (const df of frames) {
    if (!df) continue;
    const native = (df as unknown as { _df: { dropInPlace(name: string): void } })._df;
    releasedCells += df.height * df.width;
    for (const name of df.columns) native.dropInPlace(name);
  }
  if (releasedCells >= GC_AFTER_CELLS) scheduleCollection();
}

/**
 * Buffers Polars filled (an export's encoded text, a Parquet chunk) that have been handed on:
 * once they add up to GC_AFTER_BYTES, a collection is asked for as for frames.
 */
export function releaseBytes(n: number): void {
  releasedBytes += n;
  if (releasedBytes >= GC_AFTER_BYTES) scheduleCollection();
}

function scheduleCollection(): void {
  if (scheduled) return;
  const gc = collector();
  if (!gc) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    releasedCells = 0;
    releasedBytes = 0;
    gc();
  }, 0).unref();
}

/** `global.gc` when the process was started with --expose-gc; otherwise V8's, exposed once. */
function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return (collect = exposed);
  try {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  } catch {
    collect = null;
  }
  return collect;
}
