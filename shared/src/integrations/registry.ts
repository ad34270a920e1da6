import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, configsDir, type Config } from '../config.js';
import { readYamlFile } from '../yaml-file.js';

/**
 * The provider registry (configs/system/providers.yml): what each provider's credential looks
 * like and how it is checked. Validated once at cold start with the config, so a typo in the
 * file stops the instance from starting instead of failing a setup later.
 */
const CheckZ = z.strictObject({
  base_url: z.url(),
  base_url_env: z.string().regex(/^[A-Z][A-Z0-9_]*_BASE_URL$/),
  path: z.string().startsWith('/'),
  auth: z.strictObject({ header: z.string().min(1), prefix: z.string() }).optional(),
  query_param: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
}).refine((c) => Boolean(c.auth) !== Boolean(c.query_param), 'check needs exactly one of auth and query_param');

const ProviderZ = z.strictObject({
  name: z.string().regex(/^[a-z0-9_]{2,30}$/),
  aliases: z.array(z.string().regex(/^[a-z0-9_]{2,30}$/)).default([]),
  canonical: z.string().regex(/^[A-Z0-9_]{2,30}$/),
  display_name: z.string().min(1),
  category: z.enum(['llm', 'cloud', 'saas']),
  credential_type: z.enum(['API_KEY', 'SERVICE_ACCOUNT_JSON']),
  key_prefixes: z.array(z.string().min(1)).default([]),
  check: CheckZ.optional(),
  timeout_ms: z.number().int().min(100).max(10_000),
  attempts: z.number().int().min(1).max(5),
  pricing_seed: z.string().optional(),
}).refine((p) => p.credential_type !== 'API_KEY' || p.check, 'an API_KEY provider needs a check');

const RegistryZ = z.strictObject({ providers: z.array(ProviderZ).min(1) });

export type ProviderDef = z.output<typeof ProviderZ> & {
  /** The check's base URL after the environment override, for API-key providers. */
  baseUrl?: string;
};

export interface ProviderRegistry {
  all: readonly ProviderDef[];
  /** By path name or alias (case-insensitive); undefined when unknown. */
  find(name: string): ProviderDef | undefined;
  gcp: { oauthTokenUrl: string; bigQueryApiBaseUrl: string; x509CertBaseUrl: string };
}

/** Reads and checks a registry file; `file` defaults to configs/system/providers.yml (tests pass their own). */
export function loadProviderRegistry(config: Pick<Config, 'environment' | 'integrations'>, file = join(configsDir(), 'system/providers.yml')): ProviderRegistry {
  const parsed = RegistryZ.safeParse(readYamlFile(file));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`));
  const problems: string[] = [];
  const byName = new Map<string, ProviderDef>();
  const all = parsed.data.providers.map((p): ProviderDef => {
    const baseUrl = p.check ? (config.integrations.baseUrlOverrides[p.check.base_url_env] ?? p.check.base_url) : undefined;
    if (baseUrl && config.environment === 'production' && !baseUrl.startsWith('https://')) problems.push(`${p.name}: check URL must be https in production`);
    const def = { ...p, ...(baseUrl ? { baseUrl: baseUrl.replace(/\/+$/, '') } : {}) };
    for (const n of [p.name, ...p.aliases]) {
      if (byName.has(n)) problems.push(`${file}: provider name ${n} is listed twice`);
      byName.set(n, def);
    }
    return def;
  });
  if (problems.length) throw new ConfigError(problems);
  return {
    all,
    find: (name) => byName.get(name.toLowerCase()),
    gcp: { oauthTokenUrl: config.integrations.gcpOAuthTokenUrl, bigQueryApiBaseUrl: config.integrations.gcpBigQueryApiBaseUrl.replace(/\/+$/, ''), x509CertBaseUrl: config.integrations.gcpX509CertBaseUrl.replace(/\/+$/, '') },
  };
}
