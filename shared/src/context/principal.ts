/** Who is calling, once the route's auth policy has been enforced. */
export type Scope = 'read' | 'write' | 'admin';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'root' }
  | { kind: 'org'; orgSlug: string; /** The tenant (org_profiles' org identity), read with the key. */ orgId?: string; keyId: string; scopes: Scope[]; plan?: string | null }
  /** DISABLE_AUTH=true outside production: every policy passes. */
  | { kind: 'auth-disabled' };

/**
 * The org's lifecycle (org_profiles.status), apart from its plan's billing status: only
 * DELETED frees a slug. TRIAL and CANCELLED are read from rows written before the two were split.
 */
export type OrgStatus = 'ACTIVE' | 'SUSPENDED' | 'DELETED' | 'TRIAL' | 'CANCELLED';

export interface VerifiedOrgKey {
  orgSlug: string;
  /** The tenant the key belongs to (org_profiles.onboarding_claim_id). */
  orgId?: string;
  keyId: string;
  scopes: Scope[];
  orgStatus: OrgStatus;
  /** The org's plan, for its rate-limit budget (read with the key, no extra round-trip). */
  plan?: string | null;
}

/**
 * Checks an org API key. The store behind it arrives with onboarding; the policy hook only needs
 * this: the key's org and status, or null for a missing, unknown, expired or revoked key.
 */
export interface OrgKeyVerifier {
  /** A cached answer may come back synchronously (no promise on the warm path; see auth/policy.ts). */
  verify(apiKey: string): VerifiedOrgKey | null | Promise<VerifiedOrgKey | null>;
  /** Drop what this instance has cached for an org (status change, deletion) or one key (revocation). */
  forgetOrg(orgSlug: string): void;
  forgetKey(keyHash: string): void;
  /** Everything (after the central tables were recreated). */
  forgetAll(): void;
}

/** One authenticated use of an org key (the same fields the request log line carries). */
export interface KeyUsageEvent {
  orgSlug: string;
  keyId: string;
  requestId: string;
  at: Date;
}

/** Where key usage goes besides the log line: only the local gateway has one (see orgs/keys/usage.ts). */
export interface KeyUsageSink {
  record(event: KeyUsageEvent): void;
}
