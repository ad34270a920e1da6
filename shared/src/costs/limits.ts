/**
 * What one cost request may hold. A costs instance serves up to 80 requests at once in 1 GiB
 * (its /tmp included), so every request is bounded before anything large is loaded, and a
 * request over a bound is a 422 naming the field to change, never an instance killed by its
 * memory limit. README (Costs) lists them. A mutable object so tests can lower them.
 */
export const COST_LIMITS = {
  /** GET /costs/{org}: rows per page. */
  pageLimit: 1000,
  /**
   * GET /costs/{org}: how deep OFFSET may page. The warehouse keeps offset + limit full rows
   * to sort them (DuckDB's top-N holds them in this process): deeper means a narrower range.
   */
  pageOffset: 10_000,
  /** Rows one synchronous export may hold (counted per UTC hour before any row is read). */
  exportRows: 250_000,
  /** Rows one export job may hold (POST /costs/{org}/exports; counted before it starts): a year of a large billing export. */
  exportJobRows: 200_000_000,
  /** Rows read from the warehouse per export step: what one step of the stream holds. */
  exportChunkRows: 50_000,
  /** JSON rows encoded at a time (about 2 KB each; CSV and FOCUS encode a whole chunk). */
  jsonEncodeRows: 10_000,
  /**
   * Rows a view's reduction may bring back (local days × the distinct grouping keys ×
   * billing currencies): about 100 bytes each in Polars. Checked in the same round-trip: the
   * reduction asks for at most one more row than this.
   */
  reducedRows: 1_000_000,
  /**
   * Rows /trend-granular may answer (local day × provider × category × hierarchy entity, per
   * billing currency as the warehouse reduces them): each is a JSON object of about 250 bytes in
   * the answer, so this bounds it near 25 MB. A 730-day range of 30 such keys is 22k.
   */
  granularRows: 100_000,
};
