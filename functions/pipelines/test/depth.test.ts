import { describe, expect, it } from 'vitest';
import { pipelinesApp } from './support/app.js';

describe('round-trips', () => {
  it('an admission is 3 sequential warehouse rounds (reads in parallel, the MERGE, the read-back) and a completion 1; one mutating statement each', async () => {
    const s = await pipelinesApp('depth_co');
    const first = await s.validate('saas_subscription_saas_cost'); // the org's first: also writes its LOCK row
    expect(first.body.valid).toBe(true);
    const v = await s.validate('saas_subscription_saas_cost');
    expect(v.log).toMatchObject({ warehouse_depth: 3, warehouse_calls: 4 });
    const c = await s.complete('SUCCESS', v.body.reservation_id);
    expect(c.log).toMatchObject({ warehouse_depth: 1, warehouse_calls: 1 });
  });
});
