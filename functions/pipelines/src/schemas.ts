import { z } from 'zod';
import { OrgSlug } from '@cloudact/shared/orgs/schemas';

/** Path parameters, bodies and answers of the pipelines function (registry, admission, run history). */
export const OrgParams = z.strictObject({ org_slug: OrgSlug });
const PipelineIdZ = z.string().regex(/^[a-z][a-z0-9_]{1,99}$/, 'pipeline_id is lower-case letters, digits and _ (e.g. openai_usage_cost)');
export const PipelineParams = z.strictObject({ pipeline_id: PipelineIdZ });
const RunId = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'a pipeline_logging_id');
export const RunParams = z.strictObject({ org_slug: OrgSlug, pipeline_logging_id: RunId });

const Timestamp = z.iso.datetime().describe('ISO 8601, UTC');
const Day = z.iso.date();

// ---- registry ----
export const RegistryPipeline = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  provider: z.string(),
  domain: z.string(),
  pipeline: z.string(),
  required_integration: z.string().nullable().describe('The credential provider it needs (GCP_SA, OPENAI ...); null for none'),
  schedule: z.string().nullable(),
  enabled: z.boolean(),
  default_timeout_seconds: z.number().int(),
});
export const RegistryQuery = z.strictObject({
  provider: z.string().min(1).max(64).optional().describe('Only this provider\'s pipelines (gcp, openai ...)'),
  enabled_only: z.stringbool().default(true).describe('Only enabled pipelines (default true; holds with provider too)'),
});
export const RegistryResponse = z.strictObject({ success: z.boolean(), pipelines: z.array(RegistryPipeline), total: z.number().int() });

// ---- admission and completion ----
export const ValidateBody = z.strictObject({
  pipeline_id: PipelineIdZ,
  include_credentials: z.literal(false, { error: 'include_credentials must be false: decrypted credentials never leave this API through an org key' }).optional(),
});
export const QuotaView = z.strictObject({
  pipelines_run_today: z.number().int(),
  pipelines_run_month: z.number().int(),
  concurrent_pipelines_running: z.number().int(),
  daily_limit: z.number().int(),
  monthly_limit: z.number().int(),
  concurrent_limit: z.number().int(),
  remaining_today: z.number().int(),
  remaining_month: z.number().int(),
});
export const RefusalCode = z.enum(['PIPELINE_NOT_FOUND', 'PIPELINE_DISABLED', 'SUBSCRIPTION_INACTIVE', 'QUOTA_EXCEEDED', 'INTEGRATION_NOT_CONFIGURED']);
export const ValidateResponse = z.strictObject({
  valid: z.boolean(),
  org_slug: z.string(),
  org_dataset_id: z.string(),
  pipeline_id: z.string(),
  pipeline_config: RegistryPipeline.nullable(),
  subscription: z.strictObject({
    plan_name: z.string(),
    status: z.string(),
    trial_end_date: Day.nullable(),
    subscription_end_date: Day.nullable(),
  }).nullable(),
  quota: QuotaView.nullable(),
  reservation_id: z.string().nullable().describe('Send it back on completion (POST /api/v1/validator/complete/{org}?reservation_id=)'),
  reservation_date: Day.nullable().describe('The org\'s local day the run counts on'),
  lease_expires_at: Timestamp.nullable().describe('Until then the run holds a concurrent slot, unless completed'),
  error: z.string().optional(),
  error_code: RefusalCode.optional(),
  quota_limit: z.enum(['daily', 'monthly', 'concurrent']).optional().describe('With QUOTA_EXCEEDED: which limit was reached'),
  retry_after_seconds: z.number().int().optional().describe('With QUOTA_EXCEEDED: to the org\'s next local midnight (daily), month start (monthly) or the next lease to end (concurrent)'),
});
export const CompleteQuery = z.strictObject({
  pipeline_status: z.enum(['SUCCESS', 'FAILED'], { error: 'pipeline_status must be SUCCESS or FAILED' }),
  reservation_id: z.string().uuid('reservation_id is the id validate answered').optional(),
  pipeline_logging_id: RunId.optional(),
});
export const CompleteResponse = z.strictObject({
  success: z.boolean(),
  org_slug: z.string(),
  pipeline_status: z.enum(['SUCCESS', 'FAILED']),
  message: z.string(),
  reservation_id: z.string().nullable(),
  released: z.boolean().describe('True when this call released the slot; false when the reservation was already completed (nothing changed)'),
});

// ---- run history ----
const StatusFilter = z.string().regex(/^[A-Za-z_]{1,32}$/, 'a status such as SUCCESS, FAILED, RUNNING').transform((s) => s.toUpperCase());
const Limit = (max: number, dflt: number) => z.coerce.number().int().min(1, `limit is 1 to ${max}`).max(max, `limit is 1 to ${max}`).default(dflt);
const Offset = z.coerce.number().int().min(0, 'offset is 0 or more').max(100_000, 'offset is at most 100000').default(0);
export const RunsQuery = z.strictObject({
  status_filter: StatusFilter.optional(),
  pipeline_id: z.string().min(1).max(200).optional().describe('Substring of the pipeline id (% and _ are literal)'),
  trigger_type: z.string().min(1).max(64).optional(),
  trigger_by: z.string().min(1).max(200).optional().describe('Substring of who triggered it (% and _ are literal)'),
  start_date: Day.optional().describe('Runs started on or after this UTC day (default: 30 days ago)'),
  end_date: Day.optional().describe('Runs started on or before this UTC day (default: today)'),
  limit: Limit(100, 20),
  offset: Offset,
});
export const Run = z.strictObject({
  pipeline_logging_id: z.string(),
  pipeline_id: z.string(),
  status: z.string(),
  trigger_type: z.string().nullable(),
  trigger_by: z.string().nullable(),
  start_time: Timestamp,
  end_time: Timestamp.nullable(),
  duration_ms: z.number().int().nullable(),
  run_date: Day.nullable(),
  error_message: z.string().nullable(),
  parameters: z.unknown().nullable(),
});
export const RunsResponse = z.strictObject({ runs: z.array(Run), total: z.number().int(), limit: z.number().int(), offset: z.number().int(), start_date: Day, end_date: Day });
export const Step = z.strictObject({
  step_logging_id: z.string(),
  pipeline_logging_id: z.string(),
  step_name: z.string(),
  step_type: z.string(),
  step_index: z.number().int(),
  status: z.string().describe('The final row\'s status; RUNNING while the run may still write it, LOST when the run ended without it'),
  start_time: Timestamp,
  end_time: Timestamp.nullable(),
  duration_ms: z.number().int().nullable(),
  rows_processed: z.number().int().nullable(),
  error_message: z.string().nullable(),
  metadata: z.unknown().nullable(),
});
export const DqResult = z.strictObject({
  dq_result_id: z.string(),
  pipeline_logging_id: z.string(),
  target_table: z.string(),
  dq_config_id: z.string(),
  executed_at: Timestamp,
  expectations_passed: z.number().int(),
  expectations_failed: z.number().int(),
  failed_expectations: z.unknown().nullable(),
  overall_status: z.string(),
  ingestion_date: Day,
});
export const RunDetailResponse = Run.extend({ run_metadata: z.unknown().nullable(), steps: z.array(Step), dq_results: z.array(DqResult) });
export const StepsQuery = z.strictObject({ status_filter: StatusFilter.optional(), limit: Limit(500, 100), offset: Offset });
export const StepsResponse = z.strictObject({ pipeline_logging_id: z.string(), steps: z.array(Step), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });
export const DqResponse = z.strictObject({ pipeline_logging_id: z.string(), dq_results: z.array(DqResult), total: z.number().int() });
export const DownloadQuery = z.strictObject({ format: z.enum(['json', 'csv'], { error: 'format is json or csv' }).default('json') });
export const StatusResponse = z.strictObject({
  org_slug: z.string(),
  date: Day.describe('Today in the org\'s timezone'),
  timezone: z.string(),
  pipelines: z.array(z.strictObject({
    pipeline_id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    last_run: Run.nullable(),
    last_status: z.string().nullable(),
    ran_today: z.boolean(),
    succeeded_today: z.boolean(),
    runs_today: z.number().int(),
  })),
});
export const RetryResponse = z.strictObject({
  success: z.boolean(),
  org_slug: z.string(),
  retried_pipeline_logging_id: z.string(),
  pipeline_id: z.string(),
  new_pipeline_logging_id: z.string().nullable().describe('The pipeline service\'s id of the new run'),
  message: z.string(),
});
