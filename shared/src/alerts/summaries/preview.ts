import type { Ctx } from '../../context/index.js';
import { alertScope } from '../scope.js';
import { buildDigest } from './content.js';
import { summaryOrThrow } from './read.js';

/** POST .../summaries/{id}/preview: what the digest would say now, nothing sent or recorded (anomalies detected, not recorded). */
export async function previewSummary(ctx: Ctx, input: { orgSlug: string; summaryId: string }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const s = await summaryOrThrow(ctx, scope.tenant, input.summaryId);
  const digest = await buildDigest(ctx, scope, s, { record: false });
  return { success: true, summary_id: s.summary_id, summary_name: s.name, next_scheduled_at: s.next_scheduled_at, preview: digest };
}
