import { beforeAll, describe, expect, it } from 'vitest';
import { COST_TABLE, costColumns } from '../../../shared/src/costs/ledger/store.js';
import { DEFAULT_ROW_COLUMNS } from '../../../shared/src/costs/views/rows.js';
import { costsApp } from './support.js';

/**
 * GET /costs/{org} pages by a keyset cursor on (ChargePeriodStart, x_SourceRecordId): every row
 * exactly once at any depth, newest first, even across rows of one instant (microseconds apart or
 * equal), with no count unless asked. Offset paging keeps working for the web app.
 */
type Page = { data: Record<string, unknown>[]; pagination: { total: number | null; has_more: boolean; next_cursor?: string | null; offset: number }; detail?: string };

const RANGE = 'start_date=2026-03-01&end_date=2026-03-15';
let t: Awaited<ReturnType<typeof costsApp>>;
let expected: string[];

beforeAll(async () => {
  t = await costsApp({ slug: 'cursor_co', currency: 'USD', timezone: 'America/Los_Angeles', now: '2026-03-20T12:00:00Z' }, { days: 20, rowsPerDay: 30, seed: 11, end: '2026-03-19' });
  const wh = t.deps.warehouse;
  const table = wh.table('cursor_co_prod', COST_TABLE);
  // Five rows of one instant and two a microsecond apart: the tie-break and the precision.
  const tie = "TIMESTAMP '2026-03-10 18:00:00.000001'";
  await wh.execute({
    sql: `INSERT INTO ${table} (BilledCost, EffectiveCost, ListCost, BillingCurrency, ProviderName, ServiceName, ChargePeriodStart, ChargePeriodEnd, x_SourceRecordId)
          VALUES ${['t-a', 't-b', 't-c', 't-d', 't-e'].map((id) => `(1, 1, 1, 'USD', 'Google Cloud', 'Tie', ${tie}, TIMESTAMP '2026-03-10 19:00:00', '${id}')`).join(', ')},
                 (1, 1, 1, 'USD', 'Google Cloud', 'Tie', TIMESTAMP '2026-03-10 18:00:00.000002', TIMESTAMP '2026-03-10 19:00:00', 't-later'),
                 (1, 1, 1, 'USD', 'Google Cloud', 'Tie', TIMESTAMP '2026-03-10 18:00:00', TIMESTAMP '2026-03-10 19:00:00', 't-earlier')`,
  });
  // The range is Los Angeles days 1-15 March: UTC 08:00 1 March to 07:00 16 March (PDT from the 8th).
  const rows = await wh.query({
    sql: `SELECT x_SourceRecordId AS id FROM ${table} WHERE ChargePeriodStart >= @f AND ChargePeriodStart < @t ORDER BY ChargePeriodStart DESC, x_SourceRecordId DESC`,
    params: { f: new Date('2026-03-01T08:00:00Z'), t: new Date('2026-03-16T07:00:00Z') },
    types: { f: 'TIMESTAMP', t: 'TIMESTAMP' },
  });
  expected = rows.map((r) => String(r.id));
});

describe('keyset paging of the ledger rows', () => {
  it('walks every row once, newest first, 37 at a time, with no count unless asked', async () => {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const res = await t.get<Page>(`?${RANGE}&limit=37${cursor ? `&cursor=${cursor}` : '&include_total=false'}`);
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
      expect(res.body.pagination.total).toBeNull();
      seen.push(...res.body.data.map((r) => String(r.x_SourceRecordId)));
      cursor = res.body.pagination.next_cursor;
      expect(res.body.pagination.has_more).toBe(Boolean(cursor));
      pages++;
    } while (cursor);
    expect(expected.length).toBeGreaterThan(300);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 37));
    // The instant's rows in id order, between their neighbours a microsecond either side.
    const at = seen.indexOf('t-later');
    expect(seen.slice(at, at + 7)).toEqual(['t-later', 't-e', 't-d', 't-c', 't-b', 't-a', 't-earlier']);
  });

  it('a page boundary inside one instant loses and repeats nothing', async () => {
    const at = expected.indexOf('t-c');
    const first = await t.get<Page>(`?${RANGE}&limit=${at}&include_total=false`);
    expect(first.body.data.at(-1)!.x_SourceRecordId).toBe('t-d');
    const next = await t.get<Page>(`?${RANGE}&limit=3&cursor=${first.body.pagination.next_cursor}`);
    expect(next.body.data.map((r) => r.x_SourceRecordId)).toEqual(['t-c', 't-b', 't-a']);
  });

  it('counts the total when asked, and offset paging still counts it (the web app shows it)', async () => {
    const counted = await t.get<Page>(`?${RANGE}&limit=10&include_total=true`);
    expect(counted.body.pagination.total).toBe(expected.length);
    const offset = await t.get<Page>(`?${RANGE}&limit=10&offset=20`);
    expect(offset.status).toBe(200);
    expect(offset.body.pagination).toMatchObject({ total: expected.length, offset: 20, has_more: true });
    expect(offset.body.data.map((r) => r.x_SourceRecordId)).toEqual(expected.slice(20, 30));
    const cursorPage = await t.get<Page>(`?${RANGE}&limit=10&cursor=${counted.body.pagination.next_cursor}&include_total=true`);
    expect(cursorPage.body.pagination.total).toBe(expected.length);
    expect(cursorPage.body.data.map((r) => r.x_SourceRecordId)).toEqual(expected.slice(10, 20));
  });

  it('selects columns: the web app\'s by default, a list, or * for all; an unknown one is 422 naming columns', async () => {
    const def = await t.get<Page>(`?${RANGE}&limit=1`);
    expect(Object.keys(def.body.data[0]!).sort()).toEqual(DEFAULT_ROW_COLUMNS.filter((c) => costColumns().includes(c)).sort());
    const two = await t.get<Page>(`?${RANGE}&limit=1&columns=ServiceName,BilledCost`);
    expect(Object.keys(two.body.data[0]!)).toEqual(['ServiceName', 'BilledCost']);
    expect(typeof two.body.data[0]!.BilledCost).toBe('number');
    const all = await t.get<Page>(`?${RANGE}&limit=1&columns=*`);
    expect(Object.keys(all.body.data[0]!).length).toBe(costColumns().length);
    const bad = await t.get<Page>(`?${RANGE}&limit=1&columns=ServiceName,DropTable`);
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toContain('columns');
    expect(bad.body.detail).toContain('DropTable');
  });

  it('refuses a forged cursor, one of other filters, and cursor with offset: 422 naming the field', async () => {
    const first = await t.get<Page>(`?${RANGE}&limit=5`);
    const cursor = first.body.pagination.next_cursor!;
    for (const [q, field] of [
      [`?${RANGE}&cursor=not-a-cursor`, 'cursor'],
      [`?${RANGE}&cursor=${Buffer.from('[1,"1","x","y","2026-03-01","2026-03-15"]').toString('base64url')}`, 'cursor'],
      [`?${RANGE}&providers=openai&cursor=${cursor}`, 'cursor'],
      [`?start_date=2026-03-02&end_date=2026-03-15&cursor=${cursor}`, 'cursor'],
      [`?${RANGE}&cursor=${cursor}&offset=5`, 'offset'],
      [`?${RANGE}&include_total=yes`, 'include_total'],
    ] as const) {
      const res = await t.get<Page>(q);
      expect(res.status, q).toBe(422);
      expect(res.body.detail, q).toContain(field);
    }
  });
});
