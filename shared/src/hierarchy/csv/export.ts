import type { Ctx } from '../../context/index.js';
import { tenantOf } from '../../orgs/identity.js';
import { readCurrent } from '../entities/store.js';
import { toCsv } from './format.js';

/** The current entities as the import reads them back (level by level, parents first). */
export async function exportHierarchy(ctx: Ctx, input: { orgSlug: string }): Promise<{ csv: string; filename: string }> {
  const t = await tenantOf(ctx, input.orgSlug);
  const { entities } = await readCurrent(ctx.warehouse, t);
  const csv = toCsv(entities.map((e) => ({
    entity_id: e.entity_id, entity_name: e.entity_name, level: String(e.level), level_code: e.level_code, parent_id: e.parent_id ?? '', owner_name: e.owner_name ?? '',
    owner_email: e.owner_email ?? '', description: e.description ?? '', metadata: e.metadata === null ? '' : JSON.stringify(e.metadata), sort_order: e.sort_order === null ? '' : String(e.sort_order),
  })));
  return { csv, filename: `${input.orgSlug}_hierarchy_${ctx.clock().toISOString().slice(0, 10)}.csv` };
}
