import { describe, expect, it } from 'vitest';
import { hierarchyApp } from './support/app.js';

/** The largest file the import takes (1000 rows) goes in as one statement, and its re-import changes nothing. */
describe('a 1000-row import', () => {
  it('creates 1000 entities in one statement', async () => {
    const h = await hierarchyApp('big_co');
    const rows = ['entity_id,entity_name,level_code,parent_id,owner_email,metadata'];
    for (let d = 0; d < 10; d++) rows.push(`DEPT-${d},Dept ${d},c_suite,,d${d}@big.test,"{""n"": ${d}}"`);
    for (let p = 0; p < 90; p++) rows.push(`PROJ-${p},Project ${p},business_unit,DEPT-${p % 10},,`);
    for (let t = 0; t < 900; t++) rows.push(`TEAM-${t},Team ${t},function,PROJ-${t % 90},,`);
    const csv = rows.join('\n');
    const started = Date.now();
    const res = await h.call('POST', '/import', { csv_content: csv });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.body).toMatchObject({ created_count: 1000 });
    const ms = Date.now() - started;
    const again = await h.call('POST', '/import/preview', { csv_content: csv });
    expect(again.body.summary).toEqual({ creates: 0, updates: 0, deletes: 0, unchanged: 1000 });
    expect(ms).toBeLessThan(60_000);
  }, 120_000);
});
