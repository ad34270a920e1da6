/** The digests (issue 20): a scheduled cost summary sent to channels. */
export const SUMMARY_TYPES = ['daily', 'weekly', 'monthly'] as const;
export type SummaryType = (typeof SUMMARY_TYPES)[number];

/**
 * Sections a digest can carry. The later web app sends cost_summary, top_services and anomalies;
 * the original's defaults were total_cost, wow_comparison, top_providers, top_services and
 * budget_status, and its preview knew cost_overview and cost_trend: all of them render.
 */
export const SECTIONS = ['cost_summary', 'cost_overview', 'total_cost', 'wow_comparison', 'top_services', 'top_providers', 'cost_trend', 'anomalies', 'budget_status'] as const;
export type Section = (typeof SECTIONS)[number];
export const DEFAULT_SECTIONS: readonly Section[] = ['total_cost', 'wow_comparison', 'top_providers', 'top_services', 'budget_status'];

export interface Summary {
  summary_id: string;
  org_slug: string;
  name: string;
  description: string | null;
  summary_type: SummaryType;
  is_active: boolean;
  schedule_cron: string;
  schedule_timezone: string;
  notify_channel_ids: string[];
  include_sections: Section[];
  top_n_items: number;
  /** Null: the org's currency. */
  currency_display: string | null;
  provider_filter: string[];
  service_filter: string[];
  hierarchy_entity_id: string | null;
  last_sent_at: string | null;
  next_scheduled_at: string | null;
  /** The event id of the last scheduled send (its claim's token). */
  last_send_id: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** What a create or update may set (the route's body, already shape-checked). */
export type SummaryInput = Partial<Pick<Summary, 'name' | 'description' | 'summary_type' | 'is_active' | 'schedule_cron' | 'schedule_timezone' | 'notify_channel_ids' | 'include_sections' | 'top_n_items' | 'currency_display' | 'provider_filter' | 'service_filter' | 'hierarchy_entity_id'>> & {
  /** The original's `hierarchy_filter` ({entity_id}); hierarchy_entity_id wins. */
  hierarchy_filter?: Record<string, string> | null;
};

/** The cron a type gets when none is given: 08:00 local, daily / Mondays / the 1st. */
export const DEFAULT_CRON: Record<SummaryType, string> = { daily: '0 8 * * *', weekly: '0 8 * * 1', monthly: '0 8 1 * *' };
