import type { Ctx } from '../../context/index.js';
import { listForOrg, type KeyMetadata } from './store.js';

/** Metadata of an org's keys, newest first; never the key or its hash. */
export async function listKeys(ctx: Pick<Ctx, 'warehouse' | 'clock'>, input: { orgSlug: string }): Promise<KeyMetadata[]> {
  return listForOrg(ctx.warehouse, input.orgSlug, ctx.clock());
}
