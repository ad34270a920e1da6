import type { Config } from '../../config.js';
import type { Ctx } from '../../context/index.js';
import { checkApiKey, type CheckResult } from '../check-api-key.js';
import { checkServiceAccount } from '../check-service-account.js';
import { realProviderHttp, type ProviderHttp } from '../provider-http.js';
import { loadProviderRegistry, type ProviderDef, type ProviderRegistry } from '../registry.js';
import type { ParsedCredential } from './format.js';

/** What the integration verbs need besides the usual context: the registry and the way out to providers. */
export interface IntegrationsDeps {
  providers: ProviderRegistry;
  providerHttp: ProviderHttp;
}

const built = new WeakMap<Config, IntegrationsDeps>();

/**
 * The registry is config: read once per config (so once per instance), on the first integrations
 * call, and checked then; functions that never touch integrations never read it.
 */
export function integrationsOf(ctx: Pick<Ctx, 'config'>): IntegrationsDeps {
  let deps = built.get(ctx.config);
  if (!deps) {
    deps = { providers: loadProviderRegistry(ctx.config, ctx.config.integrations.providersFile), providerHttp: realProviderHttp };
    built.set(ctx.config, deps);
  }
  return deps;
}

/** The provider's own check of a parsed credential (no warehouse connection is held meanwhile). */
export function checkWithProvider(ctx: Pick<Ctx, 'config' | 'clock'>, def: ProviderDef, parsed: ParsedCredential, raw: string): Promise<CheckResult> {
  const { providerHttp, providers } = integrationsOf(ctx);
  return parsed.kind === 'api_key'
    ? checkApiKey(providerHttp, def, parsed.key)
    : checkServiceAccount(providerHttp, def, providers.gcp, parsed.sa, raw, ctx.clock());
}
