import type { OrgKeyVerifier, VerifiedOrgKey } from '../../src/context/index.js';

/**
 * An org-key verifier over a Map: the policy tests need keys before the onboarding store exists,
 * and this is a complete implementation of the port, not a mock of it.
 */
export function mapOrgKeys(keys: Record<string, VerifiedOrgKey>): OrgKeyVerifier {
  return { verify: async (apiKey) => keys[apiKey] ?? null, forgetOrg: () => {}, forgetKey: () => {}, forgetAll: () => {} };
}
