import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import type { Tenant } from '../../orgs/identity.js';
import type { Level } from '../levels/fields.js';
import { levelState } from '../levels/state.js';
import { decideAndWrite, type WriteStore } from '../write.js';
import { checkSet, transition, type Content, type Problem, type Transition } from './model.js';
import { ensureEntitiesLock, entitiesWriteCommitted, lastVersions, readCurrent, writeEntities, type EntitiesWrite, type EntityRow } from './store.js';

/** What an entity write decides on: the current versions, the levels in force and both lock counters, read in parallel (one round-trip deep). */
export interface HierarchyState {
  entities: EntityRow[];
  counter: number | null;
  levels: Level[];
  levelsCounter: number;
  last: Map<string, number>;
}

export async function hierarchyState(ctx: Pick<Ctx, 'warehouse'>, t: Tenant): Promise<HierarchyState> {
  const [cur, lv, last] = await Promise.all([readCurrent(ctx.warehouse, t), levelState(ctx, t), lastVersions(ctx.warehouse, t)]);
  return { entities: cur.entities, counter: cur.counter, levels: lv.levels, levelsCounter: lv.counter ?? -1, last };
}

function entityStore(ctx: Pick<Ctx, 'warehouse' | 'clock'>, t: Tenant): WriteStore<HierarchyState, EntitiesWrite> {
  return {
    read: () => hierarchyState(ctx, t),
    ensureLock: () => ensureEntitiesLock(ctx.warehouse, t, ctx.clock()),
    write: (w) => writeEntities(ctx.warehouse, t, w),
    committed: (token) => entitiesWriteCommitted(ctx.warehouse, t, token),
  };
}

/** A problem of a single-entity write as the one 422 envelope: the field named in `detail` and in `details.fields`. */
export function invalid(problems: readonly Problem[], fieldName: (field: string) => string = (f) => f): ValidationError {
  const fields: Record<string, string[]> = {};
  for (const p of problems) (fields[`body.${fieldName(p.field)}`] ??= []).push(p.message);
  return new ValidationError(problems.map((p) => `${fieldName(p.field)}: ${p.message}`).join('; '), fields);
}

export interface Decision<R> {
  desired: Content[];
  result: (t: Transition, state: HierarchyState) => R;
}

/**
 * Every entity write: build the desired set from the state, check the whole set, and write the
 * difference as one conditional statement (decideAndWrite re-decides on a fresh state when
 * another write got in first). `decide` throws for refusals (404, 409); set problems are 422.
 */
export async function writeHierarchy<R>(ctx: Ctx, t: Tenant, actor: string, decide: (state: HierarchyState) => Decision<R>, options: { fieldName?: (field: string) => string; onProblems?: (p: Problem[]) => Error } = {}): Promise<R> {
  return decideAndWrite(ctx, t, entityStore(ctx, t), (state) => {
    const d = decide(state);
    const { problems, derived } = checkSet(state.levels, d.desired, state.entities);
    if (problems.length) throw options.onProblems ? options.onProblems(problems) : invalid(problems, options.fieldName);
    const tr = transition(t, state.entities, d.desired, derived, state.last, actor, ctx.clock());
    const result = d.result(tr, state);
    if (!tr.close.length && !tr.insert.length) return { write: null, result };
    return { write: { close: tr.close, insert: tr.insert, actor, levelsCounter: state.levelsCounter }, result };
  });
}
