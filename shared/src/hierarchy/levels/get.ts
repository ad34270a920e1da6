import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { tenantOf } from '../../orgs/identity.js';
import type { Level } from './fields.js';
import { levelState } from './state.js';

export async function getLevel(ctx: Ctx, input: { orgSlug: string; level: number }): Promise<Level> {
  const t = await tenantOf(ctx, input.orgSlug);
  const { levels } = await levelState(ctx, t);
  const found = levels.find((l) => l.level === input.level);
  if (!found) throw new NotFoundError(`Level ${input.level} does not exist`, { level: input.level });
  return found;
}
