import type { Ctx } from '../../context/index.js';
import { tenantOf } from '../../orgs/identity.js';
import type { Level } from './fields.js';
import { levelState } from './state.js';

export interface LevelsList { org_slug: string; levels: Level[]; total: number; max_depth: number }

/** The org's levels (the configured defaults until its first level write), level 1 first. */
export async function listLevels(ctx: Ctx, input: { orgSlug: string; includeInactive?: boolean }): Promise<LevelsList> {
  const t = await tenantOf(ctx, input.orgSlug);
  const { levels } = await levelState(ctx, t);
  const shown = levels.filter((l) => input.includeInactive || l.is_active).sort((a, b) => a.level - b.level);
  const active = levels.filter((l) => l.is_active);
  return { org_slug: input.orgSlug, levels: shown, total: shown.length, max_depth: active.length ? Math.max(...active.map((l) => l.level)) : 0 };
}
