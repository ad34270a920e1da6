import { relative } from 'node:path';

/**
 * The check's per-process state, in a module with no heavy imports so that the vitest hooks can
 * read it without loading the checker in test files that never open a warehouse.
 */

let pending: Error[] = [];

/** A rejection (or a check that could not run) waiting for the test hooks to fail the test. */
export function addPending(err: Error): void {
  pending.push(err);
}

/** Rejections since the last call: the test hooks fail the test with them. */
export function takePending(): Error[] {
  const out = pending;
  pending = [];
  return out;
}

let probing = false;

export function isProbing(): boolean {
  return probing;
}

/**
 * Runs `fn` with every statement treated as a guard test's deliberate mistake: rejected ones
 * still throw, but are not the suite's rejections (not reported, not failing the test).
 */
export async function expectRejections<T>(fn: () => Promise<T>): Promise<T> {
  probing = true;
  try {
    return await fn();
  } finally {
    probing = false;
  }
}

/** Test workers export their pid here, so the processes they spawn can say whose they are. */
export const PARENT_ENV = 'ZETASQL_PARENT';

/** The spawning worker's pid, in a process a test spawned; undefined in the worker itself. */
export function spawnedBy(): string | undefined {
  const parent = process.env[PARENT_ENV];
  return parent && parent !== String(process.pid) ? parent : undefined;
}

let origin: () => string = () => `process ${process.argv.slice(1).map((a) => relative(process.cwd(), a) || a).join(' ')}`;

/** Who is sending statements now (the current test, in a vitest worker). */
export function setOrigin(fn: () => string): void {
  origin = fn;
}

export function currentOrigin(): string {
  return origin();
}
