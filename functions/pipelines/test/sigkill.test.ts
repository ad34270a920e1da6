import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { startTs } from '../../../test/support/processes.js';
import { TEST_ENCRYPTION_KEY, TEST_ROOT_KEY, testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../shared/test/support/orgs.js';

/**
 * A pipeline service killed (SIGKILL) between its reservation and its completion: the slot it
 * held is not held forever. The reservation is made by another process on the same warehouse
 * file, which is then killed; this process sees the slot taken until the lease ends, then free.
 */
describe('SIGKILL between reservation and completion', () => {
  it('leaves a slot that its lease frees', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-pipelines-kill-'));
    const file = join(dir, 'warehouse.duckdb');
    const ORG = 'killed_co';
    let key: string;
    {
      const wh = await DuckDbWarehouse.open(file);
      const deps = await testDeps({}, { warehouse: wh });
      await bootstrap(deps);
      key = (await onboard(deps, ORG, { default_timezone: 'Asia/Kolkata' })).api_key;
      await wh.execute({ sql: `UPDATE ${wh.table('organizations', 'org_subscriptions')} SET concurrent_limit = 1 WHERE org_slug = @org`, params: { org: ORG } });
      await wh.close();
    }
    const child = await startTs('functions/pipelines/test/support/admit-and-hang.ts', [], {
      DUCKDB_PATH: file, ORG_SLUG: ORG, ORG_KEY: key, CA_ROOT_API_KEY: TEST_ROOT_KEY, LOCAL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, RATE_LIMITS: 'off', LOG_LEVEL: 'ERROR',
    }, /RESERVED (\d+) (\w+) (\S+) (\S+)/);
    expect(child.match.slice(1, 3)).toEqual(['200', 'true']);
    const leaseEnd = Date.parse(child.match[4]!);
    child.child.kill('SIGKILL');
    const [, signal] = await once(child.child, 'exit');
    expect(signal).toBe('SIGKILL');

    const time = settableClock(Date.now());
    const wh = await DuckDbWarehouse.open(file);
    try {
      const deps = await testDeps({}, { warehouse: wh, clock: time.clock });
      const app = buildFunctionApp('pipelines', routes, deps);
      const validate = async () => (await app.fetch(new Request(`http://fn/api/v1/validator/validate/${ORG}`, {
        method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ pipeline_id: 'saas_subscription_saas_cost' }),
      }))).json() as Promise<{ valid: boolean; quota_limit?: string; retry_after_seconds?: number }>;
      const held = await validate();
      expect(held).toMatchObject({ valid: false, quota_limit: 'concurrent' });
      expect(held.retry_after_seconds).toBeLessThanOrEqual(Math.ceil((leaseEnd - time.clock().getTime()) / 1000));
      time.set(new Date(leaseEnd + 1000).toISOString());
      expect(await validate()).toMatchObject({ valid: true });
    } finally {
      await wh.close();
    }
  }, 60_000);
});
