import { join } from 'node:path';
import { z } from 'zod';
import type { Ctx } from '../../context/index.js';
import { configsDir } from '../../config.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import { contentOf, type Content } from './model.js';
import { writeHierarchy } from './state.js';
import { readYamlFile } from '../../yaml-file.js';

const SampleZ = z.strictObject({
  entities: z.array(z.strictObject({
    entity_id: z.string(), entity_name: z.string(), level: z.number().int(), level_code: z.string(), parent_id: z.string().nullable(),
    owner_name: z.string().nullable(), owner_email: z.string().nullable(), metadata: z.record(z.string(), z.unknown()).nullable(), sort_order: z.number().int().nullable(),
  })).min(1),
});

let cached: Content[] | undefined;
/** The sample entities (configs/system/hierarchy-sample.yml). */
export function sampleEntities(): Content[] {
  return (cached ??= SampleZ.parse(readYamlFile(join(configsDir(), 'system/hierarchy-sample.yml'))).entities
    .map((e) => ({ ...e, owner_id: null, description: null, is_active: true })));
}

export interface SeedResult { success: boolean; skipped: boolean; created_count: number; updated_count: number; unchanged_count: number; message: string }

/**
 * Writes the 20 sample entities. Without force only into an org with no current entities (else
 * nothing happens: `skipped`). With force the samples' ids get the sample's content as new
 * versions and the org's other entities stay: history is never wiped (the original deleted every
 * row first). One conditional statement either way; the levels must have the default codes.
 */
export async function seedEntities(ctx: Ctx, input: { orgSlug: string; force?: boolean }): Promise<SeedResult> {
  const t = await tenantOf(ctx, input.orgSlug);
  const actor = actorOf(ctx);
  const sample = sampleEntities();
  const out = await writeHierarchy(ctx, t, actor, (state) => {
    if (state.entities.length && !input.force) return { desired: state.entities.map(contentOf), result: () => null };
    const ids = new Set(sample.map((s) => s.entity_id));
    return { desired: [...state.entities.filter((e) => !ids.has(e.entity_id)).map(contentOf), ...sample], result: (tr) => tr };
  });
  if (!out) return { success: true, skipped: true, created_count: 0, updated_count: 0, unchanged_count: 0, message: 'The org has entities already; nothing seeded (force=true writes the sample over the sample ids, keeping history)' };
  if (out.creates.length || out.updates.length) await auditAfter(ctx, { orgSlug: t.orgSlug, orgId: t.orgId, action: 'HIERARCHY_SEED', resourceType: 'hierarchy', details: { created: out.creates.map((c) => c.entity_id), updated: out.updates.map((c) => c.entity_id), force: input.force ?? false } });
  return { success: true, skipped: false, created_count: out.creates.length, updated_count: out.updates.length, unchanged_count: out.unchanged.filter((id) => sample.some((s) => s.entity_id === id)).length, message: `${out.creates.length} created, ${out.updates.length} updated` };
}
