import { buildFunctionApp } from '@cloudact/shared/app/function';
import type { DepsOverrides } from '@cloudact/shared/app/create-deps';
import { routes } from '../../src/routes.js';
import { testDeps } from '../../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../../shared/test/support/orgs.js';

/** A hierarchy app on real deps (in-memory DuckDB unless overridden) with one onboarded org and a clock the test moves. */
export type Deps = Awaited<ReturnType<typeof testDeps>>;

export async function hierarchyApp(org = 'acme_co', overrides: DepsOverrides = {}) {
  const time = settableClock(Date.parse('2026-03-10T20:00:00Z'));
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock, ...overrides });
  await bootstrap(deps);
  const onboarded = await onboard(deps, org, { subscription_plan: 'SCALE' });
  const key = onboarded.api_key;
  const app = buildFunctionApp('hierarchy', routes, deps);
  let n = 0;
  async function call<T = Record<string, any>>(method: string, path: string, body?: unknown, apiKey: string | null = key): Promise<{ status: number; body: T; text: string; headers: Headers; log: Record<string, unknown> }> {
    const id = `t-${++n}`;
    const res = await app.fetch(new Request(`http://fn/api/v1/hierarchy/${org}${path}`, {
      method, headers: { ...(apiKey ? { 'x-api-key': apiKey } : {}), 'content-type': 'application/json', 'x-request-id': id }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
    const text = await res.text();
    const log = deps.logger.lines.find((l) => l.client_request_id === id)!;
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* a download or empty */ }
    return { status: res.status, body: parsed as T, text, headers: res.headers, log };
  }
  /** Every version row of the org (lock rows left out). */
  async function versions(entityId?: string) {
    return deps.warehouse.query({
      sql: `SELECT entity_id, version, end_date, parent_id, path, entity_name, created_by, updated_by FROM ${deps.warehouse.table('organizations', 'org_hierarchy')}
            WHERE org_slug = @org AND entity_id != '-lock-'${entityId ? ' AND entity_id = @id' : ''} ORDER BY entity_id, version`,
      params: { org, ...(entityId ? { id: entityId } : {}) },
    });
  }
  return { deps, time, key, app, call, versions, org };
}
export type HierarchyApp = Awaited<ReturnType<typeof hierarchyApp>>;

/** Level 1/2/3 entities: two departments, a project under each, a team under the first project. */
export async function buildTree(h: HierarchyApp): Promise<void> {
  const mk = async (b: Record<string, unknown>) => {
    const r = await h.call('POST', '/entities', b);
    if (r.status !== 201) throw new Error(`create ${JSON.stringify(b)}: ${r.status} ${r.text}`);
  };
  await mk({ entity_id: 'DEPT-CIO', entity_name: 'Group CIO', level_code: 'c_suite', owner_email: 'cio@acme.test' });
  await mk({ entity_id: 'DEPT-COO', entity_name: 'Group COO', level_code: 'c_suite' });
  await mk({ entity_id: 'PROJ-CTO', entity_name: 'Engineering', level_code: 'business_unit', parent_id: 'DEPT-CIO' });
  await mk({ entity_id: 'PROJ-OPS', entity_name: 'Operations', level_code: 'business_unit', parent_id: 'DEPT-COO' });
  await mk({ entity_id: 'TEAM-DATA', entity_name: 'Data', level_code: 'function', parent_id: 'PROJ-CTO', metadata: { cost_center: 'CC-1' } });
}
