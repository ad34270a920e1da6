import { defineRoute } from '@cloudact/shared';
import { createLevel } from '@cloudact/shared/hierarchy/levels/create';
import { CreateLevelBody, Level, OrgParams } from '../../../schemas.js';

export const createLevelRoute = defineRoute({
  method: 'POST', path: '/api/v1/hierarchy/{org_slug}/levels', auth: 'org', tags: ['hierarchy'],
  summary: 'Add a level (parent_level: a lower level, null only for level 1); a taken level or code → 409',
  params: OrgParams,
  body: CreateLevelBody,
  response: Level,
  successStatus: 201,
  async handler({ params, body, ctx }) {
    const { is_active, ...f } = body;
    return createLevel(ctx, {
      orgSlug: params.org_slug, isActive: is_active,
      fields: {
        ...f, parent_level: f.parent_level ?? (f.level === 1 ? null : f.level - 1), is_required: f.is_required ?? false, is_leaf: f.is_leaf ?? false,
        max_children: f.max_children ?? null, id_prefix: f.id_prefix ?? null, id_auto_generate: f.id_auto_generate ?? (f.id_prefix != null), display_order: f.display_order ?? f.level,
        icon: f.icon ?? null, color: f.color ?? null,
      },
    });
  },
});
