import type { Ctx } from '../../context/index.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import { decideAndWrite } from '../write.js';
import { defaultLevels } from './defaults.js';
import { levelProblem, type Level } from './fields.js';
import { levelStore, levelsWriteFor, levelState } from './state.js';
import type { LevelsList } from './list.js';
import { randomUUID } from 'node:crypto';

/**
 * Stores the default levels: all of them when the org has none stored yet, else each default
 * whose level number and code are both free (a deleted default comes back; a changed one stays
 * as changed). Idempotent: a second call finds nothing to add and writes nothing.
 */
export async function seedLevels(ctx: Ctx, input: { orgSlug: string }): Promise<LevelsList & { created: number }> {
  const t = await tenantOf(ctx, input.orgSlug);
  const actor = actorOf(ctx);
  const created = await decideAndWrite(ctx, t, levelStore(ctx, t), (state) => {
    if (!state.stored) return { write: levelsWriteFor(t, state, state.levels, actor, ctx.clock()), result: state.levels.length };
    const now = ctx.clock().toISOString();
    const missing: Level[] = defaultLevels()
      .filter((d) => !state.levels.some((l) => l.level === d.level || l.level_code === d.level_code))
      .map((d) => ({ ...d, metadata_schema: d.metadata_schema ?? null, id: randomUUID(), org_slug: t.orgSlug, is_active: true, created_at: now, created_by: actor, updated_at: now, updated_by: actor }));
    const desired = [...state.levels, ...missing];
    if (!missing.length || levelProblem(desired)) return { write: null, result: 0 };
    return { write: levelsWriteFor(t, state, desired, actor, ctx.clock()), result: missing.length };
  });
  if (created) await auditAfter(ctx, { orgSlug: t.orgSlug, orgId: t.orgId, action: 'HIERARCHY_LEVELS_SEED', resourceType: 'hierarchy_level', details: { created } });
  const { levels } = await levelState(ctx, t);
  const active = levels.filter((l) => l.is_active).sort((a, b) => a.level - b.level);
  return { org_slug: input.orgSlug, levels: active, total: active.length, max_depth: active.length ? Math.max(...active.map((l) => l.level)) : 0, created };
}
