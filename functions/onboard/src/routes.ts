import type { RouteDef } from '@cloudact/shared';
import { adminAuditLogsRoute } from './routes/admin/audit-logs/{org_slug}.get.js';
import { adminCreateKeyRoute } from './routes/admin/api-keys.post.js';
import { adminDevKeyRoute } from './routes/admin/dev/api-key/{org_slug}.get.js';
import { adminGetOrgRoute } from './routes/admin/organizations/{org_slug}.get.js';
import { adminRegenerateKeyRoute } from './routes/admin/organizations/{org_slug}/regenerate-api-key.post.js';
import { adminRevokeKeyRoute } from './routes/admin/api-keys/{key_hash}.delete.js';
import { deleteOrgRoute } from './routes/organizations/{org_slug}.delete.js';
import { dryrunRoute } from './routes/organizations/dryrun.post.js';
import { getApiKeyRoute } from './routes/organizations/{org_slug}/api-key.get.js';
import { getQuotaRoute } from './routes/organizations/{org_slug}/quota.get.js';
import { getSubscriptionRoute } from './routes/organizations/{org_slug}/subscription.get.js';
import { onboardRoute } from './routes/organizations/onboard.post.js';
import { rotateApiKeyRoute } from './routes/organizations/{org_slug}/api-key/rotate.post.js';
import { updateSubscriptionRoute } from './routes/organizations/{org_slug}/subscription.put.js';

/**
 * The URL prefixes this function owns. A path belongs to the function with the longest matching
 * prefix over all functions (test/url-to-file.test.ts holds every route to it).
 */
export const prefixes = ['/api/v1/organizations', '/api/v1/admin'] as const;

/** The onboard function's route table: router, OpenAPI, gateway spec and security tests come from it. */
export const routes: readonly RouteDef[] = [
  dryrunRoute,
  onboardRoute,
  getApiKeyRoute,
  rotateApiKeyRoute,
  getSubscriptionRoute,
  updateSubscriptionRoute,
  getQuotaRoute,
  deleteOrgRoute,
  adminCreateKeyRoute,
  adminRevokeKeyRoute,
  adminGetOrgRoute,
  adminRegenerateKeyRoute,
  adminAuditLogsRoute,
  adminDevKeyRoute,
];
