import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * The request a warehouse call runs for, without widening the Warehouse interface: the router
 * wraps each request in `withWarehouseContext({ requestId }, ...)` and the BigQuery adapter names
 * its jobs after it, so a job found in INFORMATION_SCHEMA.JOBS leads to its request log line and
 * back (`job_id LIKE 'ca_<request id>_%'`).
 */
export interface WarehouseContext {
  requestId: string;
  /** Epoch ms by which the caller must have its answer; a job never gets a timeout past it. */
  deadlineAt?: number;
}

interface ContextState extends WarehouseContext {
  jobs: number;
}

const storage = new AsyncLocalStorage<ContextState>();
let unscopedJobs = 0;

export function withWarehouseContext<T>(context: WarehouseContext, fn: () => T): T {
  return storage.run({ ...context, jobs: 0 }, fn);
}

export function currentWarehouseContext(): WarehouseContext | undefined {
  return storage.getStore();
}

/**
 * `ca_<request id>_<n>_<random>`: n counts the request's jobs in the order they were started;
 * the random tail keeps two instances (or a retried request) from ever sharing an id, which is
 * what lets a 409 on creation mean "our own earlier attempt got through".
 */
export function nextJobId(): string {
  const state = storage.getStore();
  const n = state ? ++state.jobs : ++unscopedJobs;
  const request = state ? sanitise(state.requestId, 128) : 'none';
  return `ca_${request}_${n}_${randomBytes(6).toString('hex')}`;
}

/** The request id as a BigQuery label value (lowercase letters, digits, `_` and `-`, ≤ 63 chars). */
export function requestLabel(): Record<string, string> {
  const state = storage.getStore();
  return state ? { ca_request_id: sanitise(state.requestId, 63).toLowerCase() } : {};
}

/** Job ids take letters, digits, `_` and `-` only. */
function sanitise(id: string, max: number): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, max) || 'none';
}
