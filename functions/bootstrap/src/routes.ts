import type { RouteDef } from '@cloudact/shared';
import { bootstrapRoute } from './routes/admin/bootstrap.post.js';
import { bootstrapStatusRoute } from './routes/admin/bootstrap/status.get.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/admin/bootstrap'] as const;

/** The bootstrap function's route table: router, OpenAPI, gateway spec and security tests come from it. */
export const routes: readonly RouteDef[] = [bootstrapRoute, bootstrapStatusRoute];
