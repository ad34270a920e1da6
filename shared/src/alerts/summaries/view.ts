import type { Summary } from './fields.js';

/** A digest as answered: the stored fields plus the original's `hierarchy_filter` spelling. */
export function summaryView(s: Summary) {
  return { ...s, hierarchy_filter: s.hierarchy_entity_id ? { entity_id: s.hierarchy_entity_id } : null };
}
export type SummaryView = ReturnType<typeof summaryView>;
