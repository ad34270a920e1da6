import type { RouteDef } from '@cloudact/shared';
import { bootstrapRoute } from './routes/bootstrap.js';

/** The bootstrap function's route table: router, OpenAPI, gateway spec and security tests come from it. */
export const routes: readonly RouteDef[] = [bootstrapRoute];
