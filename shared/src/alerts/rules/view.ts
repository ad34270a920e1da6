import type { Rule } from './fields.js';

export function ruleView(r: Rule, stats?: { last_triggered_at: string; trigger_count_today: number }) {
  return { ...r, last_triggered_at: stats?.last_triggered_at ?? null, trigger_count_today: stats?.trigger_count_today ?? 0 };
}
export type RuleView = ReturnType<typeof ruleView>;
