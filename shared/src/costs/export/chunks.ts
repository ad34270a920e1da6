/**
 * How an export cuts a range into warehouse reads. The ledger is partitioned by UTC day, and a
 * read is billed for every partition it touches, however few of its rows it takes: so chunks
 * follow day boundaries. Consecutive whole days make one chunk up to `maxRows`; only a day that
 * alone holds more is cut into whole hours (each such read touches that one partition).
 */
export interface Chunk { fromUtc: Date; toUtc: Date; rows: number }

const HOUR = 3_600_000;

export function planChunks(hours: readonly { hour: number; rows: number }[], maxRows: number, fromUtc: Date, toUtc: Date): Chunk[] {
  const days: { day: number; rows: number; hours: { hour: number; rows: number }[] }[] = [];
  for (const h of hours) {
    const day = Math.floor(h.hour / 24);
    const last = days[days.length - 1];
    if (last?.day === day) {
      last.rows += h.rows;
      last.hours.push(h);
    } else days.push({ day, rows: h.rows, hours: [h] });
  }
  const chunks: Chunk[] = [];
  let cur: { first: number; last: number; rows: number } | undefined;
  const flush = () => {
    if (cur) chunks.push(close(cur));
    cur = undefined;
  };
  for (const d of days) {
    if (d.rows > maxRows) {
      // A day larger than a chunk: its hours, grouped up to maxRows, never past the day.
      flush();
      for (const h of d.hours) {
        if (cur && cur.rows + h.rows > maxRows) flush();
        cur = cur ? { ...cur, last: h.hour + 1, rows: cur.rows + h.rows } : { first: h.hour, last: h.hour + 1, rows: h.rows };
      }
      flush();
      continue;
    }
    if (cur && cur.rows + d.rows > maxRows) flush();
    cur = cur ? { ...cur, last: (d.day + 1) * 24, rows: cur.rows + d.rows } : { first: d.day * 24, last: (d.day + 1) * 24, rows: d.rows };
  }
  flush();
  return chunks;

  // Hour boundaries (`last` exclusive), clamped to the range (its ends need not fall on whole hours: +05:30, +05:45).
  function close(c: { first: number; last: number; rows: number }): Chunk {
    const from = new Date(Math.max(c.first * HOUR, fromUtc.getTime()));
    const to = new Date(Math.min(c.last * HOUR, toUtc.getTime()));
    return { fromUtc: from, toUtc: to, rows: c.rows };
  }
}
