import type { Actor, AppDeps, Ctx } from '../../src/context/index.js';
import { bootstrapCentral } from '../../src/bootstrap/bootstrap-central.js';
import { onboardOrg, type OnboardInput, type OnboardResult } from '../../src/orgs/onboarding/onboard.js';
import { centralTables } from '../../src/warehouse/schemas.js';

/** A clock tests can move: keys expire, leases lapse and caches age without waiting. */
export function settableClock(start = Date.parse('2026-03-10T20:00:00Z')) {
  let now = start;
  return {
    clock: () => new Date(now),
    advance: (ms: number) => { now += ms; },
    set: (iso: string) => { now = Date.parse(iso); },
  };
}

export async function bootstrap(deps: AppDeps): Promise<void> {
  await bootstrapCentral({ ...deps, environment: 'development', tables: centralTables(), actor: { kind: 'system', name: 'test' }, requestId: 'test-bootstrap' }, {});
}

export function onboardBody(slug: string, extra: Partial<OnboardInput> = {}): OnboardInput {
  return { org_slug: slug, company_name: `${slug} Inc`, admin_email: `admin@${slug.replace(/_/g, '-')}.test`, subscription_plan: 'STARTER', ...extra };
}

export async function onboard(deps: AppDeps, slug: string, extra: Partial<OnboardInput> = {}): Promise<OnboardResult> {
  return onboardOrg(testCtx(deps, { kind: 'root' }, `test-onboard-${slug}`), onboardBody(slug, extra));
}

/** A verb context as the router builds it, for calling verbs directly. */
export function testCtx(deps: AppDeps, actor: Actor = { kind: 'root' }, requestId = 'test-request'): Ctx {
  return { ...deps, actor, requestId };
}

/** Rows of a central table for one org. */
export async function rowsOf(deps: AppDeps, table: string, orgSlug: string, where = 'TRUE') {
  return deps.warehouse.query({ sql: `SELECT * FROM ${deps.warehouse.table('organizations', table)} WHERE org_slug = @org AND ${where}`, params: { org: orgSlug } });
}
