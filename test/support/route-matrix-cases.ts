import { createLocalGateway, type LocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { hashOrgApiKey } from '@cloudact/shared/orgs/keys/format';
import { functionTables } from '../../scripts/function-tables.js';
import { startProviderStandIns, type ProviderStandIns } from '../../functions/integrations/test/support/providers.js';
import { startPipelineServiceStandIn } from '../../functions/pipelines/test/support/pipeline-service.js';
import { seedPipelineRuns } from '@cloudact/shared/pipelines/seed/seed';
import { recordTwoAnomalies } from './anomaly-records.js';
import { testDeps, TEST_ROOT_KEY } from '../../shared/test/support/deps.js';
import { bootstrap, onboard, onboardBody, settableClock } from '../../shared/test/support/orgs.js';

/**
 * The happy-path matrix's world and its cases (test/route-matrix.test.ts): one gateway over every
 * function on one in-memory DuckDB, seeded the way a customer's org looks after a month of use,
 * and for every route of every route table one request that must succeed on it.
 */

/** `main` holds the seeded data every read looks at; `spare` takes the key-retiring and destructive calls. */
export type OrgName = 'main' | 'spare';

export const ORGS: Readonly<Record<OrgName, string>> = { main: 'matrix_co', spare: 'matrix_spare' };
/** 20:00 UTC on 20 March 2026 is already 21 March in Kolkata: "today" differs between the org and UTC. */
export const NOW = '2026-03-20T20:00:00Z';
/** The seeded ledger: the 30 local days up to the org's today. */
export const RANGE = { start_date: '2026-02-20', end_date: '2026-03-21' } as const;

export const CREDENTIALS = {
  openai: 'sk-proj-matrixopenai0000000001',
  anthropic: 'sk-ant-api03-matrixanthropic01',
} as const;

export interface World {
  gateway: LocalGateway;
  deps: Awaited<ReturnType<typeof testDeps>>;
  providers: ProviderStandIns;
  time: ReturnType<typeof settableClock>;
  /** Each org's current key: a case that retires a key (rotate, regenerate) stores the new one. */
  keys: Record<OrgName, string>;
  /** Ids made while seeding or by earlier cases (plan ids, key hashes), for later cases' paths. */
  ids: Record<string, string>;
  close(): Promise<void>;
}

/** How a case authenticates: `root` sends the root key, `org` the key of the case's org, `public` nothing. */
export type CaseAuth = 'root' | 'org' | 'public';

export interface HappyCase {
  auth: CaseAuth;
  /** The org of `{org_slug}` and of the org key (default `main`). */
  org?: OrgName;
  /** Path parameters other than org_slug. */
  params?: (w: World) => Record<string, string>;
  query?: Record<string, string> | ((w: World) => Record<string, string>);
  body?: unknown | ((w: World) => unknown);
  /** For reads of the seeded world: true when the answer shows what was seeded (not an empty world). */
  seeded?: (body: Body) => boolean;
  /** Reads what the answer made (an id, a new key) into the world for later cases. */
  then?: (body: unknown, w: World) => void | Promise<void>;
}

/** An answer, read loosely: the matrix checks it against its route's schema before any `seeded` looks at it. */
type Body = Record<string, any>;
const id = (name: string) => (w: World) => {
  const v = w.ids[name];
  if (!v) throw new Error(`world.ids.${name} is not set: the case that makes it did not succeed`);
  return v;
};

/**
 * Builds the world: bootstrap; `main` (INR, Asia/Kolkata, SCALE) with a valid OpenAI key and a
 * GCP service account checked against the local provider stand-ins (so its default LLM pricing is
 * seeded), an LLM subscription, ChatGPT enabled with its catalog plans and an active TEAM plan, and
 * 30 days of costs seeded from those prices and plans; `spare` (USD, UTC) with nothing in it.
 */
export async function buildWorld(): Promise<World> {
  const providers = await startProviderStandIns();
  providers.accepted.add(CREDENTIALS.openai);
  providers.accepted.add(CREDENTIALS.anthropic);
  const pipelineService = await startPipelineServiceStandIn();
  const time = settableClock(Date.parse(NOW));
  const deps = await testDeps({ ...providers.env(), ...pipelineService.env(), AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock });
  await bootstrap(deps);
  const [main, spare] = await Promise.all([
    onboard(deps, ORGS.main, { subscription_plan: 'SCALE', default_currency: 'INR', default_timezone: 'Asia/Kolkata' }),
    onboard(deps, ORGS.spare, { subscription_plan: 'STARTER' }),
  ]);
  const gateway = createLocalGateway(functionTables, deps);
  const w: World = { gateway, deps, providers, time, keys: { main: main.api_key, spare: spare.api_key }, ids: {}, close: async () => { await providers.close(); await pipelineService.close(); } };

  const seed = async (method: string, path: string, body: unknown): Promise<Body> => {
    const { status, body: answer } = await send(w, { method, path, headers: { 'x-api-key': w.keys.main }, body });
    if (status < 200 || status > 299) throw new Error(`seeding ${method} ${path} answered ${status}: ${JSON.stringify(answer)}`);
    return answer as Body;
  };
  const integrations = `/api/v1/integrations/${ORGS.main}`;
  const saas = `/api/v1/subscriptions/${ORGS.main}`;
  await Promise.all([
    seed('POST', `${integrations}/openai/setup`, { credential: CREDENTIALS.openai, credential_name: 'OpenAI prod' }),
    seed('POST', `${integrations}/gcp/setup`, { credential: providers.serviceAccount().json, credential_name: 'billing export' }),
    seed('POST', `${saas}/providers/chatgpt_plus/enable`, { seed_plans: true }),
  ]);
  await seed('POST', `${integrations}/openai/subscriptions`, { plan_name: 'TIER_MATRIX', quantity: 2, unit_price: '20.00' });
  const team = await seed('POST', `${saas}/providers/chatgpt_plus/plans`, { plan_name: 'team', pricing_model: 'PER_SEAT', unit_price: '25.00', seats: 10, currency: 'USD', start_date: '2026-02-01' });
  w.ids.team = (team.plan as Body).subscription_id as string;
  // A webhook channel (never delivered to) for the rotate-secret case.
  w.ids.webhookChannel = (await seed('POST', `/api/v1/notifications/${ORGS.main}/channels`, { channel_type: 'webhook', name: 'Matrix webhook', webhook_url: 'https://hooks.example.com/matrix' })).channel_id as string;
  await seedCosts(deps, { orgSlug: ORGS.main, days: 30, rowsPerDay: 120, seed: 17, end: RANGE.end_date });
  await seedPipelineRuns({ ...deps, actor: { kind: 'system', name: 'matrix' } }, { orgSlug: ORGS.main, days: 7 });
  return w;
}

/** One request through the local gateway; the body is JSON when the answer says so, else its text. */
export async function send(w: World, r: { method: string; path: string; headers?: Record<string, string>; body?: unknown }) {
  const res = await w.gateway.fetch(new Request(`http://gw${r.path}`, {
    method: r.method,
    headers: { ...(r.body === undefined ? {} : { 'content-type': 'application/json' }), ...r.headers },
    ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }),
  }));
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const body: unknown = /json/.test(type) && text ? JSON.parse(text) : text;
  return { status: res.status, type, text, body, headers: res.headers };
}

export function authHeaders(auth: CaseAuth, w: World, org: OrgName): Record<string, string> {
  if (auth === 'root') return { 'x-ca-root-key': TEST_ROOT_KEY };
  if (auth === 'org') return { 'x-api-key': w.keys[org] };
  return {};
}

const provider = (p: string) => () => ({ provider: p });
/** A run the pipeline seed writes for `main` (seed/seed.ts ids: seed-{org}-{local day}-{pipeline}-{n}). */
const MATRIX_RUN = `seed-${ORGS.main}-2026-03-20-gcp_billing-0`;
const rows = (b: Body) => Array.isArray(b.data) && b.data.length > 0;
const costs = (extra: Record<string, string> = {}, seeded: (b: Body) => boolean = rows): HappyCase => ({ auth: 'org', query: { ...RANGE, ...extra }, seeded });

/**
 * One happy case per route, keyed `METHOD path` as the route tables spell it, run in this order:
 * reads of the seeded world first, then the mutations (each on something of its own or on
 * `spare`), then the ones that retire keys or delete, last. A route missing here fails the matrix
 * by name; a case for a route that no table has fails it too.
 */
export const happyCases: Readonly<Record<string, HappyCase>> = {
  // ---- bootstrap: not destructive (the destructive flags are covered in functions/bootstrap/test) ----
  'POST /api/v1/admin/bootstrap': { auth: 'root', body: { sync_schema: true } },
  'GET /api/v1/admin/bootstrap/status': { auth: 'root', query: { force_refresh: 'false' }, seeded: (b) => b.status === 'SYNCED' && b.tables_missing.length === 0 },

  // ---- locale and i18n ----
  'GET /api/v1/i18n/currencies': { auth: 'public' },
  'GET /api/v1/i18n/timezones': { auth: 'public' },
  'GET /api/v1/organizations/{org_slug}/locale': { auth: 'org' },

  // ---- costs, on the seeded ledger ----
  'GET /api/v1/costs/{org_slug}': costs({ limit: '50' }),
  'GET /api/v1/costs/{org_slug}/summary': costs({}, (b) => b.summary.total_cost > 0 && b.summary.providers.length === 3),
  'GET /api/v1/costs/{org_slug}/by-provider': costs(),
  'GET /api/v1/costs/{org_slug}/by-service': costs(),
  'GET /api/v1/costs/{org_slug}/cloud': costs(),
  'GET /api/v1/costs/{org_slug}/trend': costs({ granularity: 'weekly' }),
  'GET /api/v1/costs/{org_slug}/trend-granular': { auth: 'org', query: { days: '30' }, seeded: (b) => rows(b) && b.summary.available_filters.departments.length > 0 },
  'GET /api/v1/costs/{org_slug}/llm': costs(),
  'GET /api/v1/costs/{org_slug}/genai': costs(),
  'GET /api/v1/costs/{org_slug}/saas-subscriptions': costs(),
  'GET /api/v1/costs/{org_slug}/subscriptions': costs(),
  'GET /api/v1/costs/{org_slug}/total': costs({}, (b) => b.summary.cloud.total_cost > 0 && b.summary.llm.total_cost > 0 && b.summary.saas.total_cost > 0),
  'GET /api/v1/costs/{org_slug}/pivot': costs({ rows: 'ProviderName', columns: 'month' }),
  'GET /api/v1/costs/{org_slug}/export': costs({ format: 'csv' }, () => true),
  'GET /api/v1/costs/{org_slug}/by-hierarchy': costs({}, (b) => b.summary.total_cost > 0 && b.summary.level_code !== null),
  'GET /api/v1/costs/{org_slug}/export/metadata': { auth: 'org' },
  'GET /api/v1/costs/{org_slug}/cache/stats': { auth: 'org' },

  // ---- integrations: credentials, pricing, LLM subscriptions (reads) ----
  'GET /api/v1/integrations/{org_slug}': { auth: 'org', seeded: (b) => b.integrations.OPENAI?.status === 'VALID' && b.providers_configured.length === 2 },
  'GET /api/v1/integrations/{org_slug}/{provider}': { auth: 'org', params: provider('openai') },
  'GET /api/v1/integrations/{org_slug}/{provider}/pricing': { auth: 'org', params: provider('openai'), seeded: (b) => b.count > 0 },
  'GET /api/v1/integrations/{org_slug}/{provider}/pricing/{model_id}': { auth: 'org', params: () => ({ provider: 'openai', model_id: 'gpt-4o' }) },
  'GET /api/v1/integrations/{org_slug}/{provider}/pricing/{model_id}/history': { auth: 'org', params: () => ({ provider: 'openai', model_id: 'gpt-4o' }) },
  'GET /api/v1/integrations/{org_slug}/{provider}/subscriptions': { auth: 'org', params: provider('openai') },
  'GET /api/v1/integrations/{org_slug}/{provider}/subscriptions/{plan_name}': { auth: 'org', params: () => ({ provider: 'openai', plan_name: 'TIER_MATRIX' }) },

  // ---- SaaS subscriptions (reads) ----
  'GET /api/v1/subscriptions/{org_slug}/providers': { auth: 'org' },
  'GET /api/v1/subscriptions/{org_slug}/providers/{provider}/available-plans': { auth: 'org', params: provider('chatgpt_plus') },
  'GET /api/v1/subscriptions/{org_slug}/providers/{provider}/plans': { auth: 'org', params: provider('chatgpt_plus'), seeded: (b) => b.plans.some((p: Body) => p.plan_name === 'TEAM' && p.status === 'active') },
  'GET /api/v1/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}/history': { auth: 'org', params: (w) => ({ provider: 'chatgpt_plus', subscription_id: id('team')(w) }) },
  'GET /api/v1/subscriptions/{org_slug}/all-plans': { auth: 'org' },

  // ---- onboard and admin (reads) ----
  'GET /api/v1/organizations/{org_slug}/api-key': { auth: 'org' },
  'GET /api/v1/organizations/{org_slug}/subscription': { auth: 'org' },
  'GET /api/v1/organizations/{org_slug}/quota': { auth: 'org' },
  'GET /api/v1/admin/organizations/{org_slug}': { auth: 'root' },
  'GET /api/v1/admin/audit-logs/{org_slug}': { auth: 'root', query: { limit: '20' } },
  'GET /api/v1/admin/dev/api-key/{org_slug}': { auth: 'root' },

  // ---- pipelines: the registry (public) ----
  'GET /api/v1/validator/pipelines': { auth: 'public', seeded: (b) => b.total >= 8 },
  'GET /api/v1/validator/pipelines/{pipeline_id}': { auth: 'public', params: () => ({ pipeline_id: 'openai_usage_cost' }) },

  // ---- pipelines: run history, on the seeded runs (one a day per pipeline; this one is from the 20th, local) ----
  'GET /api/v1/pipelines/{org_slug}/runs': { auth: 'org', seeded: (b) => b.total > 0 && b.runs.length > 0 },
  'GET /api/v1/pipelines/{org_slug}/runs/{pipeline_logging_id}': { auth: 'org', params: () => ({ pipeline_logging_id: MATRIX_RUN }), seeded: (b) => b.steps.length > 0 },
  'GET /api/v1/pipelines/{org_slug}/runs/{pipeline_logging_id}/steps': { auth: 'org', params: () => ({ pipeline_logging_id: MATRIX_RUN }), seeded: (b) => b.total > 0 },
  'GET /api/v1/pipelines/{org_slug}/runs/{pipeline_logging_id}/dq-results': { auth: 'org', params: () => ({ pipeline_logging_id: MATRIX_RUN }) },
  'GET /api/v1/pipelines/{org_slug}/runs/{pipeline_logging_id}/download': { auth: 'org', params: () => ({ pipeline_logging_id: MATRIX_RUN }), query: { format: 'csv' } },
  'GET /api/v1/pipelines/status/{org_slug}': { auth: 'org', seeded: (b) => b.pipelines.some((p: Body) => p.last_run !== null) },

  // ---- mutations, each on something of its own ----
  'POST /api/v1/organizations/dryrun': { auth: 'root', body: onboardBody('matrix_dry', { default_currency: 'EUR', default_timezone: 'Europe/Berlin' }) },
  'POST /api/v1/organizations/onboard': { auth: 'root', body: onboardBody('matrix_new', { default_currency: 'GBP', default_timezone: 'Europe/London' }) },
  'PUT /api/v1/organizations/{org_slug}/locale': { auth: 'org', org: 'spare', body: { default_currency: 'EUR', default_timezone: 'Europe/Paris' } },
  'PUT /api/v1/organizations/{org_slug}/subscription': { auth: 'root', org: 'spare', body: { plan_name: 'PROFESSIONAL', daily_limit: 50_000 } },
  'POST /api/v1/admin/api-keys': {
    auth: 'root',
    body: { org_slug: ORGS.main, scopes: ['read'], description: 'matrix dashboard' },
    then: (body, w) => { w.ids.issuedKeyHash = hashOrgApiKey((body as Body).api_key as string); },
  },
  'DELETE /api/v1/admin/api-keys/{key_hash}': { auth: 'root', params: (w) => ({ key_hash: id('issuedKeyHash')(w) }) },
  'POST /api/v1/admin/exchange-rates': { auth: 'root', body: { rates: [{ date: '2026-03-18', currency: 'INR', units_per_eur: '95.25' }, { date: '2026-03-18', currency: 'USD', units_per_eur: '1.0875' }] } },
  'POST /api/v1/costs/{org_slug}/cache/invalidate': { auth: 'org' },
  // An export job: started, then (in `then`) polled until done, for the status and download cases.
  'POST /api/v1/costs/{org_slug}/exports': {
    auth: 'org', body: { format: 'csv', ...RANGE, columns: ['ServiceName', 'EffectiveCost'] },
    then: async (b, w) => {
      w.ids.exportId = (b as Body).export_id as string;
      for (let i = 0; i < 400; i++) {
        const s = await send(w, { method: 'GET', path: `/api/v1/costs/${ORGS.main}/exports/${w.ids.exportId}`, headers: { 'x-api-key': w.keys.main } });
        const job = s.body as Body;
        if (job.status === 'DONE') { w.ids.exportToken = new URL(job.download_url as string, 'http://gw').searchParams.get('token')!; return; }
        if (job.status !== 'RUNNING') throw new Error(`the matrix export ended ${JSON.stringify(job)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  },
  'GET /api/v1/costs/{org_slug}/exports/{export_id}': { auth: 'org', params: (w) => ({ export_id: id('exportId')(w) }), seeded: (b) => b.status === 'DONE' && b.rows > 0 && b.files.length === 1 },
  'GET /api/v1/costs/{org_slug}/exports/{export_id}/download': { auth: 'public', params: (w) => ({ export_id: id('exportId')(w) }), query: (w) => ({ token: id('exportToken')(w) }) },

  'POST /api/v1/integrations/{org_slug}/{provider}/validate': { auth: 'org', params: provider('openai') },
  'PUT /api/v1/integrations/{org_slug}/{provider}': { auth: 'org', params: provider('openai'), body: { credential_name: 'OpenAI production', metadata: { team: 'platform' } } },
  'POST /api/v1/integrations/{org_slug}/{provider}/setup': { auth: 'org', params: provider('anthropic'), body: { credential: CREDENTIALS.anthropic, credential_name: 'Anthropic prod' } },
  'DELETE /api/v1/integrations/{org_slug}/{provider}': { auth: 'org', params: provider('anthropic') },
  'POST /api/v1/integrations/{org_slug}/{provider}/pricing': { auth: 'org', params: provider('openai'), body: { model_id: 'matrix-model', model_name: 'Matrix model', input_price_per_1k: '0.0012', output_price_per_1k: '0.0048', effective_date: '2026-03-01' } },
  'PUT /api/v1/integrations/{org_slug}/{provider}/pricing/{model_id}': { auth: 'org', params: () => ({ provider: 'openai', model_id: 'matrix-model' }), body: { notes: 'negotiated', output_price_per_1k: '0.0040' } },
  'PATCH /api/v1/integrations/{org_slug}/{provider}/pricing': { auth: 'org', params: provider('openai'), body: { updates: [{ model_id: 'gpt-4o', notes: 'bulk edit' }, { model_id: 'matrix-model', is_enabled: true }] } },
  'DELETE /api/v1/integrations/{org_slug}/{provider}/pricing/{model_id}': { auth: 'org', params: () => ({ provider: 'openai', model_id: 'matrix-model' }) },
  'POST /api/v1/integrations/{org_slug}/{provider}/pricing/reset': { auth: 'org', params: provider('openai') },
  'POST /api/v1/integrations/{org_slug}/{provider}/subscriptions': { auth: 'org', params: provider('openai'), body: { plan_name: 'MATRIX_EXTRA', quantity: 1, unit_price: '5.00' } },
  'PUT /api/v1/integrations/{org_slug}/{provider}/subscriptions/{plan_name}': { auth: 'org', params: () => ({ provider: 'openai', plan_name: 'MATRIX_EXTRA' }), body: { quantity: 3 } },
  'DELETE /api/v1/integrations/{org_slug}/{provider}/subscriptions/{plan_name}': { auth: 'org', params: () => ({ provider: 'openai', plan_name: 'MATRIX_EXTRA' }) },
  'POST /api/v1/integrations/{org_slug}/{provider}/subscriptions/reset': { auth: 'org', params: provider('openai') },

  // ---- GenAI pricing (issue 21): seed (root), read, add, override, remove, on `main` ----
  'POST /api/v1/genai/{org_slug}/pricing/seed-defaults': { auth: 'root', seeded: (b) => b.total > 0 },
  'GET /api/v1/genai/{org_slug}/pricing': { auth: 'org', query: { limit: '50' }, seeded: (b) => b.payg.length > 0 && b.commitment.length > 0 && b.infrastructure.length > 0 },
  'GET /api/v1/genai/{org_slug}/pricing/{flow}': { auth: 'org', params: () => ({ flow: 'commitment' }), query: { provider: 'azure_openai' }, seeded: (b) => b.count > 0 },
  'POST /api/v1/genai/{org_slug}/pricing/{flow}': { auth: 'org', params: () => ({ flow: 'payg' }), body: { provider: 'deepseek', model: 'matrix-chat', input_per_1m: '0.30', output_per_1m: '0.50' }, seeded: (b) => typeof b.pricing_id === 'string' },
  'PUT /api/v1/genai/{org_slug}/pricing/{flow}/{identifier}/override': { auth: 'org', params: () => ({ flow: 'payg', identifier: 'matrix-chat' }), query: { provider: 'deepseek', region: 'global' }, body: { override_value: '0.25', override_output_value: '0.45', notes: 'matrix' }, seeded: (b) => b.is_override === true },
  'DELETE /api/v1/genai/{org_slug}/pricing/{flow}/{identifier}/override': { auth: 'org', params: () => ({ flow: 'payg', identifier: 'matrix-chat' }), query: { provider: 'deepseek' }, seeded: (b) => b.is_override === false },
  'DELETE /api/v1/genai/{org_slug}/pricing/{flow}/{identifier}': { auth: 'org', params: () => ({ flow: 'payg', identifier: 'matrix-chat' }), query: { provider: 'deepseek', region: 'global' } },

  'GET /api/v1/genai/{org_slug}/usage': costs({ limit: '100' }, (b) => rows(b) && b.summary.total_tokens > 0),
  'GET /api/v1/genai/{org_slug}/costs': costs({ limit: '100' }, (b) => rows(b) && b.summary.total_cost > 0 && b.data.every((r: Body) => r.currency === 'INR')),
  'GET /api/v1/genai/{org_slug}/costs/summary': costs({ include_models: 'true' }, (b) => b.data.total_cost > 0 && b.data.by_model.length > 0),

  // ---- chat settings (issue 21) on `main`, whose OpenAI credential is VALID ----
  'GET /api/v1/chat-settings/{org_slug}/providers': { auth: 'org', seeded: (b) => b.providers.find((p: Body) => p.provider === 'OPENAI')?.has_credential === true && b.providers.every((p: Body) => p.models.length > 0) },
  'POST /api/v1/chat-settings/{org_slug}/validate-key': { auth: 'org', body: { provider: 'OPENAI', model_id: 'gpt-4o' }, seeded: (b) => b.valid === true },
  'POST /api/v1/chat-settings/{org_slug}': {
    auth: 'org', body: { provider: 'OPENAI', model_id: 'gpt-4o', temperature: 0.3 },
    then: (body, w) => { w.ids.chatSetting = (body as Body).setting_id as string; },
  },
  'GET /api/v1/chat-settings/{org_slug}': { auth: 'org', seeded: (b) => b !== null && b.model_id === 'gpt-4o' },
  'PUT /api/v1/chat-settings/{org_slug}/{setting_id}': { auth: 'org', params: (w) => ({ setting_id: id('chatSetting')(w) }), body: { max_tokens: 8192 } },
  'DELETE /api/v1/chat-settings/{org_slug}/{setting_id}': { auth: 'org', params: (w) => ({ setting_id: id('chatSetting')(w) }) },

  'POST /api/v1/subscriptions/{org_slug}/providers/{provider}/enable': { auth: 'org', params: provider('slack'), body: { seed_plans: true } },
  'POST /api/v1/subscriptions/{org_slug}/providers/{provider}/plans': {
    auth: 'org',
    params: provider('slack'),
    body: { plan_name: 'matrix_pro', pricing_model: 'PER_SEAT', unit_price: '8.75', seats: 4, currency: 'USD', billing_cycle: 'monthly' },
    then: (body, w) => { w.ids.slackPlan = ((body as Body).plan as Body).subscription_id as string; },
  },
  'PUT /api/v1/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}': { auth: 'org', params: (w) => ({ provider: 'slack', subscription_id: id('slackPlan')(w) }), body: { notes: 'matrix', department: 'engineering' } },
  'POST /api/v1/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}/edit-version': {
    auth: 'org',
    params: (w) => ({ provider: 'slack', subscription_id: id('slackPlan')(w) }),
    body: { effective_date: '2026-04-01', seats: 6 },
    then: (body, w) => { w.ids.slackPlanV2 = ((body as Body).new_plan as Body).subscription_id as string; },
  },
  'POST /api/v1/subscriptions/{org_slug}/providers/{provider}/toggle/{subscription_id}': { auth: 'org', params: (w) => ({ provider: 'slack', subscription_id: id('slackPlanV2')(w) }) },
  'DELETE /api/v1/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}': { auth: 'org', params: (w) => ({ provider: 'chatgpt_plus', subscription_id: id('team')(w) }), query: { end_date: RANGE.end_date } },
  'POST /api/v1/subscriptions/{org_slug}/providers/{provider}/reset': { auth: 'org', params: provider('slack') },
  'POST /api/v1/subscriptions/{org_slug}/providers/{provider}/disable': { auth: 'org', params: provider('slack') },

  // pipelines: admission as the pipeline service sends it (main has a VALID OpenAI key), then completion
  'POST /api/v1/validator/validate/{org_slug}': { auth: 'org', body: { pipeline_id: 'openai_usage_cost' } },
  'POST /api/v1/validator/complete/{org_slug}': { auth: 'org', query: { pipeline_status: 'SUCCESS' } },

  'POST /api/v1/pipelines/{org_slug}/runs/{pipeline_logging_id}/retry': { auth: 'org', params: () => ({ pipeline_logging_id: MATRIX_RUN }), seeded: (b) => b.success === true && typeof b.new_pipeline_logging_id === 'string' },

  // ---- hierarchy: levels (defaults until the first write), entities, tree, on `main` ----
  'GET /api/v1/hierarchy/{org_slug}/levels': { auth: 'org', seeded: (b) => b.levels.length === 3 && b.max_depth === 3 },
  'POST /api/v1/hierarchy/{org_slug}/levels/seed': { auth: 'org' },
  'GET /api/v1/hierarchy/{org_slug}/levels/{level}': { auth: 'org', params: () => ({ level: '1' }), seeded: (b) => b.level_code === 'c_suite' },
  'PUT /api/v1/hierarchy/{org_slug}/levels/{level}': { auth: 'org', params: () => ({ level: '3' }), body: { is_leaf: false } },
  'POST /api/v1/hierarchy/{org_slug}/levels': { auth: 'org', body: { level: 4, level_code: 'squad', level_name: 'Squad', level_name_plural: 'Squads', parent_level: 3, id_prefix: 'SQ-', is_leaf: true } },
  'POST /api/v1/hierarchy/{org_slug}/entities/seed': { auth: 'org', seeded: (b) => b.created_count === 20 },
  'POST /api/v1/hierarchy/{org_slug}/entities': { auth: 'org', body: { entity_id: 'DEPT-MATRIX', entity_name: 'Matrix C-Suite', level_code: 'c_suite', owner_email: 'cxo@matrix.test' } },
  'PUT /api/v1/hierarchy/{org_slug}/entities/{entity_id}': { auth: 'org', params: () => ({ entity_id: 'DEPT-MATRIX' }), body: { entity_name: 'Matrix Executive' } },
  'GET /api/v1/hierarchy/{org_slug}': { auth: 'org', seeded: (b) => b.total === 21 },
  'GET /api/v1/hierarchy/{org_slug}/tree': { auth: 'org', seeded: (b) => b.roots.length >= 1 && b.stats.total >= 1 },
  'GET /api/v1/hierarchy/{org_slug}/entities/{entity_id}': { auth: 'org', params: () => ({ entity_id: 'DEPT-MATRIX' }), seeded: (b) => b.version === 2 },
  'GET /api/v1/hierarchy/{org_slug}/entities/{entity_id}/children': { auth: 'org', params: () => ({ entity_id: 'DEPT-MATRIX' }) },
  'GET /api/v1/hierarchy/{org_slug}/entities/{entity_id}/ancestors': { auth: 'org', params: () => ({ entity_id: 'DEPT-MATRIX' }) },
  'GET /api/v1/hierarchy/{org_slug}/entities/{entity_id}/descendants': { auth: 'org', params: () => ({ entity_id: 'DEPT-MATRIX' }) },
  'GET /api/v1/hierarchy/{org_slug}/entities/{entity_id}/can-delete': { auth: 'org', params: () => ({ entity_id: 'DEPT-MATRIX' }), seeded: (b) => b.blocked === false },
  'GET /api/v1/hierarchy/{org_slug}/export': { auth: 'org', then: (body, w) => { w.ids.hierarchyCsv = String(body); } },
  'POST /api/v1/hierarchy/{org_slug}/import/preview': { auth: 'org', body: (w: World) => ({ csv_content: id('hierarchyCsv')(w).replace('Group CFO', 'Group Finance') }), seeded: (b) => b.is_valid && b.summary.updates === 1 && b.summary.unchanged === 20 },
  'POST /api/v1/hierarchy/{org_slug}/import': { auth: 'org', body: (w: World) => ({ csv_content: id('hierarchyCsv')(w).replace('Group CFO', 'Group Finance') }), seeded: (b) => b.updated_count === 1 },
  'PUT /api/v1/hierarchy/{org_slug}/allocation-rules': { auth: 'org', body: { effective_from: '2026-01-01', rules: [{ label_key: 'team', label_value: 'matrix', entity_id: 'DEPT-MATRIX' }] }, seeded: (b) => b.version === 1 },
  'GET /api/v1/hierarchy/{org_slug}/allocation-rules': { auth: 'org', seeded: (b) => b.current?.version === 1 },
  'POST /api/v1/hierarchy/{org_slug}/allocation-rules/dry-run': { auth: 'org', body: { start_date: '2026-01-01', end_date: '2026-01-31' }, seeded: (b) => b.versions.length === 1 },
  'POST /api/v1/hierarchy/{org_slug}/entities/{entity_id}/move': { auth: 'org', params: () => ({ entity_id: 'DEPT-MATRIX' }), body: { new_parent_id: null } },
  'DELETE /api/v1/hierarchy/{org_slug}/entities/{entity_id}': { auth: 'org', params: () => ({ entity_id: 'DEPT-MATRIX' }) },
  'DELETE /api/v1/hierarchy/{org_slug}/levels/{level}': { auth: 'org', params: () => ({ level: '4' }) },

  // ---- budgets (issue 19) on `main`: create, read, change, delete ----
  'POST /api/v1/budgets/{org_slug}': {
    auth: 'org', body: { category: 'cloud', period_type: 'monthly', budget_amount: '50000', hierarchy_entity_id: 'DEPT-CIO' },
    seeded: (b) => b.currency === 'INR' && b.period_start === '2026-03-01',
    then: (body, w) => { w.ids.budget = (body as Body).budget_id as string; },
  },
  'GET /api/v1/budgets/{org_slug}': { auth: 'org', seeded: (b) => b.total >= 1 },
  'GET /api/v1/budgets/{org_slug}/summary': { auth: 'org', seeded: (b) => b.budgets_total >= 1 && b.currency === 'INR' && b.items[0].actual_amount > 0 },
  'GET /api/v1/budgets/{org_slug}/by-category': { auth: 'org', seeded: (b) => b.categories.some((c: Body) => c.category === 'cloud') },
  'GET /api/v1/budgets/{org_slug}/by-provider': { auth: 'org', seeded: (b) => b.providers.length >= 1 },
  'GET /api/v1/budgets/{org_slug}/{budget_id}': { auth: 'org', params: (w) => ({ budget_id: id('budget')(w) }) },
  'PUT /api/v1/budgets/{org_slug}/{budget_id}': { auth: 'org', params: (w) => ({ budget_id: id('budget')(w) }), body: { budget_amount: '60000', revision: 0 } },
  'POST /api/v1/budgets/{org_slug}/allocate': { auth: 'org', body: (w: World) => ({ parent_budget_id: id('budget')(w), allocations: [{ hierarchy_entity_id: 'PROJ-CTO', percentage: '40' }] }), seeded: (b) => b.children.length === 1 && b.children[0].budget_amount === 24000 },
  'GET /api/v1/budgets/{org_slug}/allocation-tree': { auth: 'org', seeded: (b) => b.roots.some((r: Body) => r.allocated_to_children === 24000 && r.unallocated === 36000) },
  'DELETE /api/v1/budgets/{org_slug}/{budget_id}': { auth: 'org', params: (w) => ({ budget_id: id('budget')(w) }) },

  // ---- alerts (issue 20) on `main`: channels ----
  'POST /api/v1/notifications/{org_slug}/channels': {
    auth: 'org', body: { channel_type: 'email', name: 'Matrix finance', email_recipients: ['finance@example.com'], is_default: true },
    seeded: (b) => b.is_default === true && b.email_recipients[0] === 'finance@example.com',
    then: (body, w) => { w.ids.channel = (body as Body).channel_id as string; },
  },
  'GET /api/v1/notifications/{org_slug}/channels': { auth: 'org', seeded: (b) => Array.isArray(b) && b.length >= 1 },
  'GET /api/v1/notifications/{org_slug}/channels/{channel_id}': { auth: 'org', params: (w) => ({ channel_id: id('channel')(w) }) },
  'PUT /api/v1/notifications/{org_slug}/channels/{channel_id}': { auth: 'org', params: (w) => ({ channel_id: id('channel')(w) }), body: { email_subject_prefix: '[Matrix]' }, seeded: (b) => b.email_subject_prefix === '[Matrix]' },
  // No SMTP server in the matrix's world: the test answers 200 with success false and the reason.
  'POST /api/v1/notifications/{org_slug}/channels/{channel_id}/test': { auth: 'org', params: (w) => ({ channel_id: id('channel')(w) }), seeded: (b) => b.success === false && /SMTP/.test(b.error) },
  'POST /api/v1/notifications/{org_slug}/rules': {
    auth: 'org', body: (w: World) => ({ name: 'Matrix spend', rule_type: 'absolute_threshold', conditions: { threshold_amount: 100000, period: 'monthly' }, notify_channel_ids: [id('channel')(w)] }),
    seeded: (b) => b.rule_category === 'cost' && b.cooldown_minutes === 60,
    then: (body, w) => { w.ids.rule = (body as Body).rule_id as string; },
  },
  'GET /api/v1/notifications/{org_slug}/rules': { auth: 'org', seeded: (b) => Array.isArray(b) && b.length >= 1 },
  'GET /api/v1/notifications/{org_slug}/rules/{rule_id}': { auth: 'org', params: (w) => ({ rule_id: id('rule')(w) }) },
  'PUT /api/v1/notifications/{org_slug}/rules/{rule_id}': { auth: 'org', params: (w) => ({ rule_id: id('rule')(w) }), body: { priority: 'critical' }, seeded: (b) => b.priority === 'critical' },
  'POST /api/v1/notifications/{org_slug}/rules/{rule_id}/pause': { auth: 'org', params: (w) => ({ rule_id: id('rule')(w) }), seeded: (b) => b.is_active === false },
  'POST /api/v1/notifications/{org_slug}/rules/{rule_id}/resume': { auth: 'org', params: (w) => ({ rule_id: id('rule')(w) }), seeded: (b) => b.is_active === true },
  'POST /api/v1/notifications/{org_slug}/rules/{rule_id}/test': { auth: 'org', params: (w) => ({ rule_id: id('rule')(w) }), query: { send_notification: 'false' }, seeded: (b) => b.success === true && typeof b.evaluation_data.spend === 'number' && b.notification_sent === false },
  'POST /api/v1/notifications/{org_slug}/summaries': {
    auth: 'org', body: (w: World) => ({ name: 'Matrix digest', summary_type: 'daily', schedule_cron: '0 9 * * *', notify_channel_ids: [id('channel')(w)], include_sections: ['cost_summary', 'top_services', 'anomalies'] }),
    seeded: (b) => b.next_scheduled_at !== null && b.schedule_timezone === 'Asia/Kolkata',
    then: (body, w) => { w.ids.summary = (body as Body).summary_id as string; },
  },
  'GET /api/v1/notifications/{org_slug}/summaries': { auth: 'org', seeded: (b) => Array.isArray(b) && b.length >= 1 },
  'GET /api/v1/notifications/{org_slug}/summaries/{summary_id}': { auth: 'org', params: (w) => ({ summary_id: id('summary')(w) }) },
  'PUT /api/v1/notifications/{org_slug}/summaries/{summary_id}': { auth: 'org', params: (w) => ({ summary_id: id('summary')(w) }), body: { top_n_items: 3 }, seeded: (b) => b.top_n_items === 3 },
  'POST /api/v1/notifications/{org_slug}/summaries/{summary_id}/preview': { auth: 'org', params: (w) => ({ summary_id: id('summary')(w) }), seeded: (b) => b.preview.currency === 'INR' && b.preview.sections.length === 3 },
  // No SMTP server in the matrix's world: the send answers 200 with the failed channel and its reason.
  'POST /api/v1/notifications/{org_slug}/summaries/{summary_id}/send-now': { auth: 'org', params: (w) => ({ summary_id: id('summary')(w) }), seeded: (b) => b.success === false && b.failed_channels === 1 && /SMTP/.test(b.error) },
  'GET /api/v1/notifications/{org_slug}/history': {
    auth: 'org', query: { days: '7' }, seeded: (b) => b.total >= 1,
    then: (body, w) => { w.ids.history = ((body as Body).items[0] as Body).history_id as string; },
  },
  'GET /api/v1/notifications/{org_slug}/history/{history_id}': { auth: 'org', params: (w) => ({ history_id: id('history')(w) }) },
  'POST /api/v1/notifications/{org_slug}/history/{history_id}/acknowledge': { auth: 'org', params: (w) => ({ history_id: id('history')(w) }), seeded: (b) => b.acknowledged_at !== null },
  // Anomalies: a detection of the seeded month, then two records written through the store for the lifecycle cases.
  'POST /api/v1/notifications/{org_slug}/anomalies/detect': {
    auth: 'org', seeded: (b) => b.currency === 'INR' && b.series_watched >= 1,
    then: async (_b, w) => { [w.ids.anomaly, w.ids.anomaly2] = await recordTwoAnomalies(w.deps, ORGS.main, '2026-03-21', 'INR'); },
  },
  'GET /api/v1/notifications/{org_slug}/anomalies': { auth: 'org', query: { status: 'open', days: '7' }, seeded: (b) => b.items.some((i: Body) => i.anomaly_id === 'matrix-anomaly-1') },
  'GET /api/v1/notifications/{org_slug}/anomalies/{anomaly_id}': { auth: 'org', params: (w) => ({ anomaly_id: id('anomaly')(w) }), seeded: (b) => b.contributors[0].sku === 'SKU-MATRIX' },
  'POST /api/v1/notifications/{org_slug}/anomalies/{anomaly_id}/acknowledge': { auth: 'org', params: (w) => ({ anomaly_id: id('anomaly')(w) }), seeded: (b) => b.status === 'acknowledged' },
  'POST /api/v1/notifications/{org_slug}/anomalies/{anomaly_id}/resolve': { auth: 'org', params: (w) => ({ anomaly_id: id('anomaly')(w) }), seeded: (b) => b.status === 'resolved' },
  'POST /api/v1/notifications/{org_slug}/anomalies/{anomaly_id}/ignore': { auth: 'org', params: (w) => ({ anomaly_id: id('anomaly2')(w) }), body: { reason: 'planned migration', feedback: 'expected' }, seeded: (b) => b.status === 'ignored' && b.feedback === 'expected' },
  'GET /api/v1/notifications/{org_slug}/stats': { auth: 'org', seeded: (b) => b.total_channels >= 1 && b.total_rules >= 1 && b.total_summaries >= 1 && b.notifications_24h >= 1 },
  // A dry run over the seeded month: the matrix's spend rule is evaluated, nothing recorded or sent.
  'POST /api/v1/admin/alerts/process-all': { auth: 'root', body: { org_slug: ORGS.main, dry_run: true }, seeded: (b) => b.orgs_processed === 1 && b.orgs[0].rules_evaluated >= 1 && b.errors === 0 },
  // Cost alerts (a view over absolute_threshold rules) while the matrix's e-mail channel exists.
  'POST /api/v1/cost-alerts/{org_slug}': {
    auth: 'org', body: { name: 'Matrix cloud', scope: 'cloud', threshold_value: 250000 },
    seeded: (b) => b.threshold_currency === 'INR' && b.channels[0] === 'email',
    then: (body, w) => { w.ids.costAlert = (body as Body).alert_id as string; },
  },
  'GET /api/v1/cost-alerts/{org_slug}': { auth: 'org', seeded: (b) => Array.isArray(b) && b.some((x: Body) => x.scope === 'cloud') },
  'GET /api/v1/cost-alerts/{org_slug}/presets': { auth: 'org', seeded: (b) => b.currency === 'INR' && b.presets.length === 5 },
  'POST /api/v1/cost-alerts/{org_slug}/from-preset/{preset_id}': { auth: 'org', params: () => ({ preset_id: 'genai_500' }), seeded: (b) => b.scope === 'genai' && b.threshold_currency === 'INR' },
  'GET /api/v1/cost-alerts/{org_slug}/{alert_id}': { auth: 'org', params: (w) => ({ alert_id: id('costAlert')(w) }) },
  'PUT /api/v1/cost-alerts/{org_slug}/{alert_id}': { auth: 'org', params: (w) => ({ alert_id: id('costAlert')(w) }), body: { threshold_value: 300000 }, seeded: (b) => b.threshold_value === 300000 },
  'POST /api/v1/cost-alerts/{org_slug}/{alert_id}/disable': { auth: 'org', params: (w) => ({ alert_id: id('costAlert')(w) }), seeded: (b) => b.is_enabled === false },
  'POST /api/v1/cost-alerts/{org_slug}/{alert_id}/enable': { auth: 'org', params: (w) => ({ alert_id: id('costAlert')(w) }), seeded: (b) => b.is_enabled === true },
  'POST /api/v1/cost-alerts/{org_slug}/bulk/disable': { auth: 'org', body: (w: World) => ({ alert_ids: [id('costAlert')(w)] }), seeded: (b) => b.disabled_count === 1 },
  'POST /api/v1/cost-alerts/{org_slug}/bulk/enable': { auth: 'org', body: (w: World) => [id('costAlert')(w)], seeded: (b) => b.enabled_count === 1 },
  'DELETE /api/v1/cost-alerts/{org_slug}/{alert_id}': { auth: 'org', params: (w) => ({ alert_id: id('costAlert')(w) }) },
  'DELETE /api/v1/notifications/{org_slug}/rules/{rule_id}': { auth: 'org', params: (w) => ({ rule_id: id('rule')(w) }) },
  'DELETE /api/v1/notifications/{org_slug}/summaries/{summary_id}': { auth: 'org', params: (w) => ({ summary_id: id('summary')(w) }) },
  'POST /api/v1/notifications/{org_slug}/channels/{channel_id}/rotate-secret': { auth: 'org', params: (w) => ({ channel_id: id('webhookChannel')(w) }), seeded: (b) => /^whsec_/.test(b.webhook_signing_secret) },
  'DELETE /api/v1/notifications/{org_slug}/channels/{channel_id}': { auth: 'org', params: (w) => ({ channel_id: id('channel')(w) }) },

  // ---- last: retiring keys and deleting, all on `spare` ----
  'POST /api/v1/admin/organizations/{org_slug}/regenerate-api-key': {
    auth: 'root', org: 'spare',
    then: (body, w) => { w.keys.spare = (body as Body).api_key as string; },
  },
  'POST /api/v1/organizations/{org_slug}/api-key/rotate': {
    auth: 'org', org: 'spare', body: { grace_period_seconds: 0 },
    then: (body, w) => { w.keys.spare = (body as Body).api_key as string; },
  },
  'DELETE /api/v1/organizations/{org_slug}': { auth: 'root', org: 'spare', body: { confirm_org_slug: ORGS.spare, delete_dataset: true } },
};
