import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { pipelinesApp, type PipelinesApp } from './support/app.js';

/**
 * Admissions racing on the warehouse mode where mutating statements really overlap and conflict
 * as on BigQuery (no unique constraints; INSERTs never conflict; conflicts rerun by the adapter).
 */
const raceApp = async (org: string) => pipelinesApp(org, { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
const PIPELINE = 'saas_subscription_saas_cost';

/** n validations at once; every answer is an admission, a QUOTA_EXCEEDED refusal, or a 503 with Retry-After (never a 5xx of another kind). */
async function burst(s: PipelinesApp, n: number) {
  const answers = await Promise.all(Array.from({ length: n }, () => s.validate(PIPELINE)));
  for (const a of answers) {
    if (a.status === 503) expect(a.headers.get('retry-after')).toMatch(/^\d+$/);
    else expect(a.status, a.text).toBe(200);
    if (a.status === 200 && !a.body.valid) expect(a.body.error_code, a.text).toBe('QUOTA_EXCEEDED');
  }
  return answers.filter((a) => a.status === 200 && a.body.valid).map((a) => a.body.reservation_id as string);
}

describe('30 concurrent validations, concurrent limit 5, 10 runs left today', () => {
  it('admit exactly 5; after 5 completions, 5 more; the day ends at exactly the daily limit', async () => {
    const s = await raceApp('race_co');
    await s.setLimits({ daily: 12, concurrent: 5, monthly: 1000 });
    for (let i = 0; i < 2; i++) await s.complete('SUCCESS', (await s.validate(PIPELINE)).body.reservation_id); // 10 left

    const first = await burst(s, 30);
    expect(first).toHaveLength(5);
    expect(new Set(first).size).toBe(5);
    const done = await Promise.all(first.map((id) => s.complete('SUCCESS', id)));
    expect(done.map((d) => d.body.released)).toEqual(Array(5).fill(true));

    const second = await burst(s, 30);
    expect(second).toHaveLength(5);
    await Promise.all(second.map((id) => s.complete('FAILED', id)));

    expect(await burst(s, 30)).toHaveLength(0); // 12 of 12: the day is over
    const [day] = await s.dayRows();
    expect(day).toMatchObject({ pipelines_run_today: 12, pipelines_succeeded_today: 7, pipelines_failed_today: 5, concurrent_pipelines_running: 0 });
    const refused = await s.validate(PIPELINE);
    expect(refused.body).toMatchObject({ valid: false, quota_limit: 'daily', quota: { pipelines_run_today: 12, remaining_today: 0 } });
  }, 60_000);
});

describe('the first admissions of a new org and of a new day, at once', () => {
  it('make one DAY row, counted once per admission (insert-only statements would make several)', async () => {
    const s = await raceApp('race_first');
    await s.setLimits({ daily: 100, concurrent: 100 });
    const admitted = await burst(s, 20);
    const rows = await s.dayRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.pipelines_run_today).toBe(admitted.length);
    expect(admitted.length).toBeGreaterThan(0);

    s.time.set('2026-03-11T18:30:00Z'); // the org's next local day
    const next = await burst(s, 20);
    const after = await s.dayRows();
    expect(after.map((r) => r.usage_date)).toEqual(['2026-03-11', '2026-03-12']);
    expect(after[1]!.pipelines_run_today).toBe(next.length);
  }, 60_000);
});

describe('concurrent completions of one reservation', () => {
  it('release it once and count the outcome once', async () => {
    const s = await raceApp('race_done');
    const id = (await s.validate(PIPELINE)).body.reservation_id as string;
    const answers = await Promise.all(Array.from({ length: 10 }, () => s.complete('SUCCESS', id)));
    expect(answers.filter((a) => a.status === 200 && a.body.released)).toHaveLength(1);
    expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
    expect((await s.dayRows())[0]).toMatchObject({ pipelines_succeeded_today: 1, concurrent_pipelines_running: 0 });
  }, 60_000);
});
