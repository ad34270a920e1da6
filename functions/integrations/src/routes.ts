import type { RouteDef } from '@cloudact/shared';

/** The integrations function's route table (filled by its own issue; health and OpenAPI routes are standard). */
export const routes: readonly RouteDef[] = [];
