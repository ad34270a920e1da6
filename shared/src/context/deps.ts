import type { CostExporter } from './exports.js';
import type { Config } from '../config.js';
import type { Encryptor } from '../crypto/port.js';
import type { Logger } from '../logger.js';
import type { Warehouse } from '../warehouse/port.js';
import type { OrgProfile } from './org.js';
import type { KeyUsageSink, OrgKeyVerifier } from './principal.js';

/** Hot reads of org profiles (orgs/profiles/cache.ts); writes `forget` what they changed. */
export interface ProfileReader {
  get(orgSlug: string): Promise<OrgProfile>;
  /** The same profile, synchronously when a fresh read of it has resolved. */
  read(orgSlug: string): OrgProfile | Promise<OrgProfile>;
  forget(orgSlug: string): void;
  forgetAll(): void;
}

/** Failed authentications per client address (auth/failure-limit.ts). */
export interface FailureGate {
  check(address: string | undefined): Promise<void>;
  recordFailure(address: string | undefined): Promise<void>;
}

export interface ReadinessState {
  ready: boolean;
  reason?: string;
  missing_tables?: string[];
  checked_at: string;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number;
}

/** Request budgets (limits/limiter.ts): in memory per instance, or shared through Redis. */
export interface RateGate {
  readonly windowSeconds: number;
  consume(key: string, limit: number): Promise<RateDecision>;
  /** The same count answered at once, when the store is this process's memory (no promise per request). */
  consumeNow?(key: string, limit: number): RateDecision;
}

/** The cached readiness check (app/readiness.ts). */
export interface ReadinessCheck {
  known(): ReadinessState | undefined;
  check(): Promise<ReadinessState>;
  forget(): void;
}

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
  /** Hot reads of org profiles (locale); see orgs/profiles/cache.ts for its consistency rule. */
  profiles: ProfileReader;
  clock: () => Date;
  /** Failed authentications per client address; one per process, shared by its functions. */
  authFailures?: FailureGate;
  /** Locally, the gateway appends key-usage rows; in production the log line is the record. */
  keyUsage?: KeyUsageSink;
  /** The cached readiness check (central tables exist). */
  readiness?: ReadinessCheck;
  /** Per-org and root request budgets (configs/system/rate-limits.yml). */
  rateLimits?: RateGate;
  /** Cost export jobs (costs/exports/port.ts); absent on a cloud deployment without EXPORT_BUCKET. */
  exports?: CostExporter;
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
