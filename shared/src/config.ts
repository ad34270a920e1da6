import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The one environment schema. Parsed once at cold start (`loadConfig`), then passed in: no
 * handler or verb reads `process.env`. Secret values that may live in Secret Manager are
 * resolved afterwards by `resolveSecrets`, because that needs I/O.
 */
const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const csv = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

export const EnvSchema = z.object({
  ENVIRONMENT: z.enum(['development', 'staging', 'production']).default('development'),
  APP_VERSION: z.string().default('0.1.0'),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']).default('INFO'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface the local gateway binds to. */
  HOST: z.string().default('127.0.0.1'),

  CA_ROOT_API_KEY: z.string().optional(),
  /** Secret Manager version name, e.g. projects/p/secrets/ca-root-key/versions/latest. */
  CA_ROOT_API_KEY_SECRET: z.string().optional(),
  DISABLE_AUTH: bool,

  WAREHOUSE: z.enum(['duckdb', 'bigquery']).default('duckdb'),
  DATA_DIR: z.string().default('.data'),
  DUCKDB_PATH: z.string().optional(),
  GCP_PROJECT_ID: z.string().optional(),
  BQ_LOCATION: z.string().default('US'),
  /**
   * Timeout of every BigQuery job, kept below the function's deadline (Cloud Functions: 60 s by
   * default) so that a DML cannot commit after the caller was told it failed.
   */
  WAREHOUSE_JOB_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(50_000),

  /** Cloud Storage bucket of cost export jobs (WAREHOUSE=bigquery); locally they go under EXPORT_DIR. */
  EXPORT_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'EXPORT_BUCKET must be a Cloud Storage bucket name').optional(),
  EXPORT_DIR: z.string().optional(),
  /** How long an export's download URL works. */
  EXPORT_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(604_800).default(3600),

  ENCRYPTION: z.enum(['local', 'kms']).default('local'),
  LOCAL_ENCRYPTION_KEY: z.string().optional(),
  KMS_KEY_NAME: z.string().optional(),

  CORS_ORIGINS: csv,
  /** Largest accepted request body, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
  /** How long a verified org key is trusted per instance before it is looked up again. */
  ORG_KEY_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /**
   * How many rightmost X-Forwarded-For entries were appended by proxies we trust (the platform's
   * front ends). The client address is the entry just left of them: the leftmost entries are
   * whatever the client chose to send.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Per-org request budgets (configs/system/rate-limits.yml); `off` only outside production (tests of other things). */
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  /** Another budget file than configs/system/rate-limits.yml (benchmarks). */
  RATE_LIMITS_FILE: z.string().optional(),
  /** A Redis-compatible store (Memorystore) shared by all instances for rate limits; in memory per instance when unset. */
  RATE_LIMIT_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'RATE_LIMIT_REDIS_URL must be redis://… or rediss://…').optional(),
  /** Failed authentications one client address may make per minute before it gets 429. */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /** The provider registry (default configs/system/providers.yml); tests point it at their own. */
  PROVIDERS_FILE: z.string().optional(),
  /** Where a service-account credential's JWT is exchanged for a token (the JSON's own token_uri is never called unless equal). */
  GCP_OAUTH_TOKEN_URL: z.url().default('https://oauth2.googleapis.com/token'),
  /** Where a service-account credential proves it reaches BigQuery in its project. */
  GCP_BIGQUERY_API_BASE_URL: z.url().default('https://bigquery.googleapis.com/bigquery/v2'),
  /** Google's public certificates of service-account keys (their notAfter is the key's expiry), read after a key checks VALID. */
  GCP_X509_CERT_BASE_URL: z.url().default('https://www.googleapis.com/service_accounts/v1/metadata/x509'),
  /** How long an unknown org key is remembered as unknown (no warehouse query for it meanwhile). */
  NEGATIVE_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** An onboarding that has held its slug this long without finishing may be taken over. */
  ONBOARDING_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  /**
   * The platform's request deadline (deploy.sh sets it with --timeout). A lease must outlive it:
   * otherwise a slow onboarding still running could lose its slug to a retry.
   */
  FUNCTION_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
  /** API Gateway's deadline: past it the client has its 504, so work after it is wasted (or worse, writes on). */
  GATEWAY_DEADLINE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * Kept back from the request's deadline for what follows the last warehouse job: storing an
   * idempotent answer, writing the answer out.
   */
  REQUEST_DEADLINE_MARGIN_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  /** Where alert e-mails are handed over (smtp:// or smtps://, credentials in the URL); unset: e-mail channels answer that no SMTP server is configured. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'SMTP_URL must be smtp://… or smtps://…').optional(),
  /** The From of alert e-mails. */
  SMTP_FROM: z.string().default('CloudAct Alerts <alerts@cloudact.local>'),
  /**
   * Development only (refused elsewhere): alert webhooks and Slack URLs may point at loopback
   * receivers (tests, a local web app). Every other private, link-local or metadata address
   * stays refused.
   */
  OUTBOUND_ALLOW_LOOPBACK: bool,
  /** The local gateway runs an alert evaluation (process-all) every this many seconds; 0: never (production uses the Cloud Scheduler job). */
  ALERTS_TICK_SECONDS: z.coerce.number().int().min(0).max(86_400).default(0),
});
export type Env = z.input<typeof EnvSchema>;

export interface Config {
  environment: 'development' | 'staging' | 'production';
  version: string;
  logLevel: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  port: number;
  host: string;
  auth: { rootKey?: string; rootKeySecret?: string; disabled: boolean };
  warehouse:
    | { kind: 'duckdb'; path: string }
    | { kind: 'bigquery'; projectId: string; location: string; jobTimeoutMs?: number };
  dataDir: string;
  /** Where export jobs write: a bucket on BigQuery (none: export jobs answer 503), a folder locally. */
  exports: { kind: 'gcs'; bucket: string; urlTtlMs: number } | { kind: 'local'; dir: string; urlTtlMs: number } | { kind: 'none' };
  encryption: { kind: 'local'; key?: string; keyFile: string } | { kind: 'kms'; keyName: string };
  gcpProjectId?: string;
  corsOrigins: string[];
  maxBodyBytes: number;
  orgKeyCacheTtlMs: number;
  negativeKeyCacheMs: number;
  trustedProxyHops: number;
  authFailuresPerMinute: number;
  rateLimitRedisUrl?: string;
  rateLimitsEnabled: boolean;
  rateLimitsFile?: string;
  onboardingLeaseMs: number;
  /** The platform's request deadline, when known (FUNCTION_TIMEOUT_SECONDS). */
  functionTimeoutMs?: number;
  /**
   * How long one request may spend, from its arrival: min(gateway deadline, function timeout)
   * minus the margin. Every warehouse job of the request gets only what is left of it.
   */
  requestDeadlineMs: number;
  alerts: {
    smtpUrl?: string;
    smtpFrom: string;
    /** Outbound deliveries may reach loopback addresses (development only). */
    allowLoopback: boolean;
    /** The local gateway's evaluation interval in seconds (0: none). */
    tickSeconds: number;
  };
  integrations: {
    /** `*_BASE_URL` variables: overrides of provider check URLs, looked up by the name configs/system/providers.yml gives. */
    baseUrlOverrides: Record<string, string>;
    gcpOAuthTokenUrl: string;
    gcpBigQueryApiBaseUrl: string;
    gcpX509CertBaseUrl: string;
    providersFile?: string;
  };
}

/** Thrown at cold start: the message names every problem so the deploy log says what to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export const MIN_ROOT_KEY_LENGTH = 32;

/** A Cloud KMS CryptoKey resource name (not a key version: KMS picks the primary version). */
const KMS_KEY_NAME_FORM = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const dataDir = e.DATA_DIR;

  let warehouse: Config['warehouse'];
  if (e.WAREHOUSE === 'bigquery') {
    if (!e.GCP_PROJECT_ID) problems.push('WAREHOUSE=bigquery needs GCP_PROJECT_ID');
    warehouse = { kind: 'bigquery', projectId: e.GCP_PROJECT_ID ?? '', location: e.BQ_LOCATION, jobTimeoutMs: e.WAREHOUSE_JOB_TIMEOUT_MS };
  } else {
    warehouse = { kind: 'duckdb', path: e.DUCKDB_PATH ?? `${dataDir}/cloudact.duckdb` };
  }

  let encryption: Config['encryption'];
  if (e.ENCRYPTION === 'kms') {
    if (!e.KMS_KEY_NAME) problems.push('ENCRYPTION=kms needs KMS_KEY_NAME');
    else if (!KMS_KEY_NAME_FORM.test(e.KMS_KEY_NAME)) problems.push(`KMS_KEY_NAME must be projects/P/locations/L/keyRings/R/cryptoKeys/K, got ${JSON.stringify(e.KMS_KEY_NAME)}`);
    encryption = { kind: 'kms', keyName: e.KMS_KEY_NAME ?? '' };
  } else {
    encryption = { kind: 'local', key: e.LOCAL_ENCRYPTION_KEY, keyFile: `${dataDir}/local-encryption.key` };
  }

  const rootKey = e.CA_ROOT_API_KEY || undefined;
  if (e.ENVIRONMENT === 'production') {
    if (!e.CA_ROOT_API_KEY_SECRET && (rootKey ?? '').length < MIN_ROOT_KEY_LENGTH) {
      problems.push(`CA_ROOT_API_KEY must be at least ${MIN_ROOT_KEY_LENGTH} characters in production`);
    }
    if (e.DISABLE_AUTH) problems.push('DISABLE_AUTH=true is not allowed in production');
    if (e.RATE_LIMITS === 'off') problems.push('RATE_LIMITS=off is not allowed in production');
    if (e.WAREHOUSE !== 'bigquery') problems.push('production requires WAREHOUSE=bigquery');
    if (e.ENCRYPTION !== 'kms') problems.push('production requires ENCRYPTION=kms (Cloud KMS)');
  }
  if (e.OUTBOUND_ALLOW_LOOPBACK && e.ENVIRONMENT !== 'development') problems.push(`OUTBOUND_ALLOW_LOOPBACK=true is allowed in development only (ENVIRONMENT=${e.ENVIRONMENT})`);
  if (e.FUNCTION_TIMEOUT_SECONDS !== undefined && e.ONBOARDING_LEASE_SECONDS <= e.FUNCTION_TIMEOUT_SECONDS) {
    problems.push(`ONBOARDING_LEASE_SECONDS (${e.ONBOARDING_LEASE_SECONDS}) must be longer than FUNCTION_TIMEOUT_SECONDS (${e.FUNCTION_TIMEOUT_SECONDS})`);
  }
  const requestDeadlineMs = Math.min(e.GATEWAY_DEADLINE_SECONDS, e.FUNCTION_TIMEOUT_SECONDS ?? Infinity) * 1000 - e.REQUEST_DEADLINE_MARGIN_MS;
  if (requestDeadlineMs < 1000) {
    problems.push(`REQUEST_DEADLINE_MARGIN_MS (${e.REQUEST_DEADLINE_MARGIN_MS}) leaves less than 1 s of min(GATEWAY_DEADLINE_SECONDS, FUNCTION_TIMEOUT_SECONDS) for a request`);
  }
  // Provider check URLs come from configs/system/providers.yml, or from these variables; never from a request.
  const baseUrlOverrides = Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => /_BASE_URL$/.test(kv[0]) && Boolean(kv[1])));
  if (e.ENVIRONMENT === 'production') {
    for (const [name, url] of [...Object.entries(baseUrlOverrides), ['GCP_OAUTH_TOKEN_URL', e.GCP_OAUTH_TOKEN_URL] as const]) {
      if (!url.startsWith('https://')) problems.push(`${name} must be an https URL in production`);
    }
  }
  for (const [name, url] of Object.entries(baseUrlOverrides)) {
    if (!URL.canParse(url)) problems.push(`${name} must be a URL, got ${JSON.stringify(url)}`);
  }
  if (e.ENCRYPTION === 'local' && e.LOCAL_ENCRYPTION_KEY && Buffer.from(e.LOCAL_ENCRYPTION_KEY, 'base64').length !== 32) {
    problems.push('LOCAL_ENCRYPTION_KEY must be the base64 of 32 bytes');
  }
  // Files the config names are looked at now, so a wrong one stops the start instead of failing
  // every request that needs it. (Their contents are parsed at start by app/config-files.ts.)
  for (const [name, file] of [['RATE_LIMITS_FILE', e.RATE_LIMITS_FILE], ['PROVIDERS_FILE', e.PROVIDERS_FILE]] as const) {
    const why = file === undefined ? undefined : unreadable(file);
    if (why) problems.push(`${name}: cannot read ${file} (${why})`);
  }
  const configs = configsDir();
  const needed = ['setup/bootstrap', 'subscriptions/plans.yml', ...(e.RATE_LIMITS_FILE || e.RATE_LIMITS === 'off' ? [] : ['system/rate-limits.yml']), ...(e.PROVIDERS_FILE ? [] : ['system/providers.yml'])];
  for (const f of needed) {
    if (!existsSync(join(configs, f))) problems.push(`the configs folder (${configs}) has no ${f}: a deployed function carries configs/ beside its bundle`);
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    environment: e.ENVIRONMENT,
    version: e.APP_VERSION,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    host: e.HOST,
    auth: { rootKey, rootKeySecret: e.CA_ROOT_API_KEY_SECRET, disabled: e.DISABLE_AUTH },
    warehouse,
    dataDir,
    exports: e.WAREHOUSE === 'bigquery'
      ? (e.EXPORT_BUCKET ? { kind: 'gcs', bucket: e.EXPORT_BUCKET, urlTtlMs: e.EXPORT_URL_TTL_SECONDS * 1000 } : { kind: 'none' })
      : { kind: 'local', dir: e.EXPORT_DIR ?? `${dataDir}/exports`, urlTtlMs: e.EXPORT_URL_TTL_SECONDS * 1000 },
    encryption,
    gcpProjectId: e.GCP_PROJECT_ID,
    corsOrigins: e.CORS_ORIGINS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    orgKeyCacheTtlMs: e.ORG_KEY_CACHE_TTL_SECONDS * 1000,
    negativeKeyCacheMs: e.NEGATIVE_KEY_CACHE_SECONDS * 1000,
    trustedProxyHops: e.TRUSTED_PROXY_HOPS,
    authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE,
    ...(e.RATE_LIMIT_REDIS_URL ? { rateLimitRedisUrl: e.RATE_LIMIT_REDIS_URL } : {}),
    rateLimitsEnabled: e.RATE_LIMITS === 'on',
    ...(e.RATE_LIMITS_FILE ? { rateLimitsFile: e.RATE_LIMITS_FILE } : {}),
    onboardingLeaseMs: e.ONBOARDING_LEASE_SECONDS * 1000,
    ...(e.FUNCTION_TIMEOUT_SECONDS !== undefined ? { functionTimeoutMs: e.FUNCTION_TIMEOUT_SECONDS * 1000 } : {}),
    requestDeadlineMs,
    alerts: { ...(e.SMTP_URL ? { smtpUrl: e.SMTP_URL } : {}), smtpFrom: e.SMTP_FROM, allowLoopback: e.OUTBOUND_ALLOW_LOOPBACK, tickSeconds: e.ALERTS_TICK_SECONDS },
    integrations: { baseUrlOverrides, gcpOAuthTokenUrl: e.GCP_OAUTH_TOKEN_URL, gcpBigQueryApiBaseUrl: e.GCP_BIGQUERY_API_BASE_URL, gcpX509CertBaseUrl: e.GCP_X509_CERT_BASE_URL, ...(e.PROVIDERS_FILE ? { providersFile: e.PROVIDERS_FILE } : {}) },
  };
}

/** Why a file cannot be read (its error code, or 'not a file'); undefined when it can. */
function unreadable(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return 'not a file';
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}

/** Checks that need the resolved root key (it may come from Secret Manager). */
export function checkResolvedRootKey(config: Config, rootKey: string | undefined): void {
  if (config.environment === 'production' && (rootKey ?? '').length < MIN_ROOT_KEY_LENGTH) {
    throw new ConfigError([`the root key must be at least ${MIN_ROOT_KEY_LENGTH} characters in production`]);
  }
}

/**
 * The `configs/` folder (schemas, seeds, plans), found from this module so it works from any cwd:
 * beside the bundle in a deployed function (the build copies it there), else the repository's.
 */
export function configsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'configs');
  return existsSync(join(bundled, 'setup')) ? bundled : resolve(here, '../../configs');
}
