import type { RouteDef } from '@cloudact/shared';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/costs'] as const;

/** The costs function's route table (filled by its own issue; health and OpenAPI routes are standard). */
export const routes: readonly RouteDef[] = [];
