/** How an export cuts a range into warehouse reads: whole UTC hours, at most `maxRows` a chunk when hours allow. */
export interface Chunk { fromUtc: Date; toUtc: Date; rows: number }

export function planChunks(hours: readonly { hour: number; rows: number }[], maxRows: number, fromUtc: Date, toUtc: Date): Chunk[] {
  const chunks: Chunk[] = [];
  let cur: { first: number; last: number; rows: number } | undefined;
  for (const h of hours) {
    if (cur && cur.rows + h.rows > maxRows) {
      chunks.push(close(cur));
      cur = undefined;
    }
    cur = cur ? { ...cur, last: h.hour, rows: cur.rows + h.rows } : { first: h.hour, last: h.hour, rows: h.rows };
  }
  if (cur) chunks.push(close(cur));
  return chunks;

  // Hour boundaries, clamped to the range (its ends need not fall on whole hours: +05:30, +05:45).
  function close(c: { first: number; last: number; rows: number }): Chunk {
    const from = new Date(Math.max(c.first * 3_600_000, fromUtc.getTime()));
    const to = new Date(Math.min((c.last + 1) * 3_600_000, toUtc.getTime()));
    return { fromUtc: from, toUtc: to, rows: c.rows };
  }
}
