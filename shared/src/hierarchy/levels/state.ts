import type { Ctx } from '../../context/index.js';
import type { InsertRow } from '../../warehouse/dml.js';
import type { Tenant } from '../../orgs/identity.js';
import type { WriteStore } from '../write.js';
import { defaultLevels } from './defaults.js';
import type { Level, LevelFields } from './fields.js';
import { ensureLevelsLock, levelRow, levelsWriteCommitted, readLevels, writeLevels, type LevelsWrite } from './store.js';

/**
 * The levels an org works with: its stored rows once any level write happened (the lock counter
 * is above 0), else the configured defaults (configs/system/hierarchy.yml) as if stored. The
 * first write stores the defaults with its own change, in the same MERGE (`levelsWriteFor`).
 */
export interface LevelState {
  levels: Level[];
  /** False: these are the defaults, not yet stored. */
  stored: boolean;
  counter: number | null;
}

const DEFAULT_ID = 'default-level-';

function asLevel(t: Tenant, f: LevelFields): Level {
  return { ...f, metadata_schema: f.metadata_schema ?? null, id: `${DEFAULT_ID}${f.level}`, org_slug: t.orgSlug, is_active: true, created_at: null, created_by: null, updated_at: null, updated_by: null };
}

export async function levelState(ctx: Pick<Ctx, 'warehouse'>, t: Tenant): Promise<LevelState> {
  const s = await readLevels(ctx.warehouse, t);
  const stored = (s.counter ?? 0) > 0;
  return { levels: stored ? s.levels : defaultLevels().map((f) => asLevel(t, f)), stored, counter: s.counter };
}

export const activeLevels = (levels: readonly Level[]): Level[] => levels.filter((l) => l.is_active).sort((a, b) => a.level - b.level);

/** The store's read/write pair for decideAndWrite. */
export function levelStore(ctx: Pick<Ctx, 'warehouse' | 'clock'>, t: Tenant): WriteStore<LevelState, LevelsWrite> {
  return {
    read: () => levelState(ctx, t),
    ensureLock: () => ensureLevelsLock(ctx.warehouse, t, ctx.clock()),
    write: (w) => writeLevels(ctx.warehouse, t, w),
    committed: (token) => levelsWriteCommitted(ctx.warehouse, t, token),
  };
}

/**
 * The write that turns `state` into `desired` (whole level lists, matched by id): when the
 * defaults are not yet stored every desired level is inserted (the defaults with it: that is
 * their materialisation, idempotent because it is conditional on the lock counter like every
 * write); otherwise only what changed.
 */
export function levelsWriteFor(t: Tenant, state: LevelState, desired: readonly Level[], actor: string, now: Date): LevelsWrite {
  const row = (l: Level): InsertRow => levelRow(t, { ...l, id: l.id.startsWith(DEFAULT_ID) ? undefined : l.id }, actor, now);
  if (!state.stored) return { insert: desired.map((l) => levelRow(t, { ...l, id: undefined, created_at: null, created_by: null }, actor, now)) };
  const before = new Map(state.levels.map((l) => [l.id, l]));
  const after = new Set(desired.map((l) => l.id));
  const insert = desired.filter((l) => !before.has(l.id)).map(row);
  const replace = desired.filter((l) => before.has(l.id) && JSON.stringify(before.get(l.id)) !== JSON.stringify(l)).map(row);
  const remove = state.levels.filter((l) => !after.has(l.id)).map((l) => l.id);
  return { insert, replace, remove };
}
