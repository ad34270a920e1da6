import type { AuthFailureLimiter } from '../auth/failure-limit.js';
import type { KeyUsageSink, OrgKeyVerifier } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { Encryptor } from '../crypto/port.js';
import type { Logger } from '../logger.js';
import type { ProfileCache } from '../orgs/profile-cache.js';
import type { ReadinessProbe } from './readiness.js';
import type { Warehouse } from '../warehouse/port.js';

/**
 * Everything a handler may use, built once at cold start and passed in. A verb takes the parts
 * it needs from here; nothing reads process.env after start-up.
 */
export interface AppDeps {
  config: Config;
  warehouse: Warehouse;
  encryptor: Encryptor;
  logger: Logger;
  /** Resolved at start-up (environment or Secret Manager). */
  rootKey: string | undefined;
  orgKeys: OrgKeyVerifier;
  /** Hot reads of org profiles (locale); see ProfileCache for its consistency rule. */
  profiles: ProfileCache;
  clock: () => Date;
  /** Failed authentications per client address; one per process, shared by its functions. */
  authFailures?: AuthFailureLimiter;
  /** Locally, the gateway appends key-usage rows; in production the log line is the record. */
  keyUsage?: KeyUsageSink;
  /** The cached readiness check (central tables exist). */
  readiness?: ReadinessProbe;
}

/** After the central tables were dropped and recreated: nothing cached describes them any more. */
export function forgetEverything(deps: Pick<AppDeps, 'orgKeys' | 'profiles' | 'readiness'>): void {
  deps.orgKeys.forgetAll();
  deps.profiles.forgetAll();
  deps.readiness?.forget();
}

/** After any change to an org's status, keys or profile: drop what this instance cached of it. */
export function forgetOrg(deps: Pick<AppDeps, 'orgKeys' | 'profiles'>, orgSlug: string): void {
  deps.orgKeys.forgetOrg(orgSlug);
  deps.profiles.forget(orgSlug);
}
