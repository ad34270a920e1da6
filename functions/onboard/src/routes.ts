import type { RouteDef } from '@cloudact/shared';
import { adminAuditLogsRoute } from './routes/admin-audit-logs.js';
import { adminCreateKeyRoute } from './routes/admin-create-key.js';
import { adminDevKeyRoute } from './routes/admin-dev-key.js';
import { adminGetOrgRoute } from './routes/admin-get-org.js';
import { adminRegenerateKeyRoute } from './routes/admin-regenerate-key.js';
import { adminRevokeKeyRoute } from './routes/admin-revoke-key.js';
import { deleteOrgRoute } from './routes/delete-org.js';
import { dryrunRoute } from './routes/dryrun.js';
import { getApiKeyRoute } from './routes/get-api-key.js';
import { getQuotaRoute } from './routes/get-quota.js';
import { getSubscriptionRoute } from './routes/get-subscription.js';
import { onboardRoute } from './routes/onboard.js';
import { rotateApiKeyRoute } from './routes/rotate-api-key.js';
import { updateSubscriptionRoute } from './routes/update-subscription.js';

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
