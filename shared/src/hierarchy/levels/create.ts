import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import { decideAndWrite } from '../write.js';
import { levelProblem, type Level, type LevelFields } from './fields.js';
import { levelStore, levelsWriteFor } from './state.js';

export function levelInvalid(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, { [`body.${field}`]: [message] });
}

/** Adds a level (the defaults are stored with it when they were not yet). A taken level number or code is 409. */
export async function createLevel(ctx: Ctx, input: { orgSlug: string; fields: LevelFields; isActive?: boolean }): Promise<Level> {
  const t = await tenantOf(ctx, input.orgSlug);
  const actor = actorOf(ctx);
  const level = await decideAndWrite(ctx, t, levelStore(ctx, t), (state) => {
    const now = ctx.clock().toISOString();
    if (state.levels.some((l) => l.level === input.fields.level)) throw new ConflictError(`Level ${input.fields.level} exists already`, { field: 'level' });
    if (state.levels.some((l) => l.level_code === input.fields.level_code)) throw new ConflictError(`Level code ${input.fields.level_code} exists already`, { field: 'level_code' });
    const created: Level = {
      ...input.fields, metadata_schema: input.fields.metadata_schema ?? null, id: randomUUID(), org_slug: t.orgSlug, is_active: input.isActive ?? true,
      created_at: now, created_by: actor, updated_at: now, updated_by: actor,
    };
    const desired = [...state.levels, created];
    const problem = levelProblem(desired);
    if (problem) throw levelInvalid(problem.field, problem.message);
    return { write: levelsWriteFor(t, state, desired, actor, ctx.clock()), result: created };
  });
  await auditAfter(ctx, { orgSlug: t.orgSlug, orgId: t.orgId, action: 'HIERARCHY_LEVEL_CREATE', resourceType: 'hierarchy_level', resourceId: String(level.level), details: { after: level } });
  return level;
}
