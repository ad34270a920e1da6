/** Who is calling, once the route's auth policy has been enforced. */
export type Scope = 'read' | 'write' | 'admin';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'root' }
  | { kind: 'org'; orgSlug: string; keyId: string; scopes: Scope[] }
  /** DISABLE_AUTH=true outside production: every policy passes. */
  | { kind: 'auth-disabled' };

export type OrgStatus = 'ACTIVE' | 'TRIAL' | 'SUSPENDED' | 'CANCELLED' | 'DELETED';

export interface VerifiedOrgKey {
  orgSlug: string;
  keyId: string;
  scopes: Scope[];
  orgStatus: OrgStatus;
}

/**
 * Checks an org API key. The store behind it arrives with onboarding; the policy hook only needs
 * this: the key's org and status, or null for a missing, unknown, expired or revoked key.
 */
export interface OrgKeyVerifier {
  verify(apiKey: string): Promise<VerifiedOrgKey | null>;
  /** Drop what this instance has cached for an org (status change, deletion) or one key (revocation). */
  forgetOrg(orgSlug: string): void;
  forgetKey(keyHash: string): void;
  /** Writes pending `last_used_at` stamps; called when an instance shuts down. */
  flushUsage?(): Promise<number>;
}
