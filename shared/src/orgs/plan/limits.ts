import { join } from 'node:path';
import { z } from 'zod';
import { configsDir } from '../../config.js';
import { readYamlFile } from '../../yaml-file.js';

export const PLAN_NAMES = ['FREE', 'STARTER', 'PROFESSIONAL', 'SCALE', 'ENTERPRISE'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

const Limits = z.strictObject({
  daily_limit: z.number().int().positive(),
  monthly_limit: z.number().int().positive(),
  concurrent_limit: z.number().int().positive(),
  seat_limit: z.number().int().positive(),
  providers_limit: z.number().int().positive(),
});
export type PlanLimits = z.infer<typeof Limits>;

let plans: Record<PlanName, PlanLimits> | undefined;

/** Plan limits from configs/subscriptions/plans.yml, validated once. */
export function planLimits(plan: PlanName): PlanLimits {
  plans ??= z.object({ plans: z.record(z.enum(PLAN_NAMES), Limits) })
    .parse(readYamlFile(join(configsDir(), 'subscriptions/plans.yml'))).plans as Record<PlanName, PlanLimits>;
  const limits = plans[plan];
  if (!limits) throw new Error(`plans.yml has no plan ${plan}`);
  return limits;
}
