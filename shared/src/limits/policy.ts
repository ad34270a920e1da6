import { join } from 'node:path';
import { z } from 'zod';
import { configsDir } from '../config.js';
import { readYamlFile } from '../yaml-file.js';

/** A route's class for rate limits: cost data, a mutation, or any other read. */
export type RateClass = 'read' | 'mutation' | 'costs';

const Budget = z.strictObject({ read: z.number().int().positive(), mutation: z.number().int().positive(), costs: z.number().int().positive() });
const PolicyZ = z.strictObject({
  window_seconds: z.literal(60, 'budgets are per minute'),
  root: Budget,
  plans: z.record(z.string(), Budget),
  default: Budget,
});
export type RatePolicy = z.output<typeof PolicyZ>;

const policies = new Map<string, RatePolicy>();

/**
 * configs/system/rate-limits.yml (or RATE_LIMITS_FILE: benchmarks point it at huge budgets),
 * validated on first use; a bad file fails the tests, not a request.
 */
export function ratePolicy(file = join(configsDir(), 'system/rate-limits.yml')): RatePolicy {
  let p = policies.get(file);
  if (!p) {
    p = PolicyZ.parse(readYamlFile(file));
    policies.set(file, p);
  }
  return p;
}

/** Requests per window for a caller: the root key, or an org on its plan. */
export function budgetFor(p: RatePolicy, caller: { kind: 'root' } | { kind: 'org'; plan: string | null }, cls: RateClass): number {
  if (caller.kind === 'root') return p.root[cls];
  return (caller.plan ? p.plans[caller.plan] : undefined)?.[cls] ?? p.default[cls];
}
