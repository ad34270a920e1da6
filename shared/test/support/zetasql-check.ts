import { BigQuery } from '@google-cloud/bigquery';
import { BigQueryWarehouse, type BigQueryClientLike } from '../../src/warehouse/bigquery.js';
import { bqDdlType, type BqParamType } from '../../src/warehouse/bigquery-types.js';
import type { FieldSchema, Query, TableSpec } from '../../src/warehouse/port.js';
import { ConfigCatalog } from './bq-catalog.js';
import { CHECK_PROJECT, toBigQuerySql } from './bq-sql.js';
import { tableSpecProblems } from './bq-table-spec.js';
import { catalogTable, describeType, wireType, type BqWireType } from './zetasql-types.js';
import type { AnalyzeInput, AnalyzeOutcome, CheckRequest, Rejection } from './zetasql-service.js';
import { addPending, currentOrigin as origin, isProbing, spawnedBy } from './zetasql-state.js';

/**
 * The checker behind the decorator (zetasql-warehouse.ts): a statement is analyzed as BigQuery
 * would receive it. The SQL is the BigQuery form (the DuckDB adapter's `"dataset"."table"`
 * becomes the BigQuery adapter's `` `project.dataset.table` ``), the parameter types are the ones
 * the BigQuery adapter's `request()` declares, put through the client library's own converter,
 * and the catalog is the schema files in configs/ (plus tables a test created with its own spec).
 */

export class ZetaSqlRejectedError extends Error {
  constructor(readonly analyzerMessage: string, readonly sql: string, readonly params: Record<string, string>, origin: string) {
    const list = Object.entries(params).map(([n, t]) => `@${n} ${t}`).join(', ') || '(none)';
    super(`ZetaSQL (BigQuery dialect) rejects a statement sent by ${origin}:\n${analyzerMessage}\nstatement: ${sql}\nparameters: ${list}`);
    this.name = 'ZetaSqlRejectedError';
  }
}

/** The client library's converter, which the typings keep private. */
const toQueryParameter = (BigQuery as unknown as {
  valueToQueryParameter_(value: unknown, type: BqParamType): { parameterType: BqWireType };
}).valueToQueryParameter_.bind(BigQuery);

/** Never called: the adapter is only asked what it would send. */
const noClient: BigQueryClientLike = new Proxy({} as BigQueryClientLike, {
  get: () => () => { throw new Error('the ZetaSQL check never calls BigQuery'); },
});

export interface CheckerOptions {
  url: string;
  mode: 'fail' | 'report';
  /** Every statement is a guard test's deliberate mistake: thrown when rejected, never reported. */
  probe?: boolean;
}

export class ZetaSqlChecker {
  private readonly adapter = new BigQueryWarehouse(noClient, CHECK_PROJECT, 'US');
  private readonly catalog = new ConfigCatalog();
  /** Per-process answers; the service keeps the run-wide cache. */
  private readonly answers = new Map<string, Promise<AnalyzeOutcome>>();

  constructor(private readonly options: CheckerOptions) {}

  private get probe(): boolean {
    return Boolean(this.options.probe) || isProbing();
  }

  /** A query() or execute() statement, with the tables the wrapped warehouse created beyond configs/. */
  async checkStatement(q: Query, created: ReadonlyMap<string, readonly FieldSchema[]>): Promise<void> {
    const { sql, tables } = toBigQuerySql(q.sql, (d, t) => this.adapter.table(d, t));
    let params: AnalyzeInput['params'];
    try {
      const request = this.adapter.request({ ...q, sql });
      params = Object.entries(request.types ?? {}).map(([name, t]) => ({
        name,
        type: wireType(toQueryParameter(request.params?.[name], t).parameterType, `@${name}`),
      }));
    } catch (err) {
      // The adapter or the client library cannot even send these parameters.
      this.reject(`the BigQuery adapter cannot send these parameters: ${(err as Error).message}`, sql, {}, false);
      return;
    }
    const catalog = tables.flatMap(({ dataset, table }) => {
      const fields = created.get(`${dataset}.${table}`) ?? this.catalog.fields(dataset, table);
      return fields ? [catalogTable(this.adapter.table(dataset, table).slice(1, -1), fields)] : [];
    });
    await this.analyze({ sql, params, tables: catalog });
  }

  /** createTable: the spec must be one BigQuery's tables.insert accepts. */
  checkTableSpec(dataset: string, spec: TableSpec): void {
    const problems = tableSpecProblems(spec);
    if (problems.length) this.reject(problems.join('\n'), `createTable(${dataset}, ${spec.name})`, {}, false);
  }

  /** addColumns: the ALTER TABLE the BigQuery adapter sends for it. */
  async checkAddColumns(dataset: string, table: string, fields: readonly FieldSchema[], existing: readonly FieldSchema[] | undefined): Promise<void> {
    if (!fields.length) return;
    const ref = this.adapter.table(dataset, table);
    const sql = `ALTER TABLE ${ref} ${fields.map((f) => `ADD COLUMN IF NOT EXISTS ${f.name} ${bqDdlType(f)}`).join(', ')}`;
    const before = existing ?? this.catalog.fields(dataset, table) ?? [];
    await this.analyze({ sql, params: [], tables: [catalogTable(ref.slice(1, -1), before)] });
  }

  private async analyze(input: AnalyzeInput): Promise<void> {
    // A probe's answer is not reused for the suite's statement: that one must reach the report.
    const key = `${this.probe}${JSON.stringify(input)}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.post(input);
      this.answers.set(key, answer);
      answer.catch(() => this.answers.delete(key));
    }
    let outcome: AnalyzeOutcome;
    try {
      outcome = await answer;
    } catch (err) {
      // Never a silent pass: an unreachable analyzer fails the test like a rejection does.
      const e = new Error(`ZetaSQL check: cannot reach the analyzer service: ${(err as Error).message}`);
      addPending(e);
      throw e;
    }
    if (!outcome.ok) this.reject(outcome.message, input.sql, Object.fromEntries(input.params.map((p) => [p.name, describeType(p.type)])));
  }

  private async post(input: AnalyzeInput): Promise<AnalyzeOutcome> {
    const parent = spawnedBy();
    const body: CheckRequest = { input, origin: origin(), ...(this.probe ? { probe: true } : {}), ...(parent ? { parent } : {}) };
    return (await this.send('/analyze', body)) as AnalyzeOutcome;
  }

  private async send(path: string, body: unknown): Promise<unknown> {
    const res = await fetch(`${this.options.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    return res.json();
  }

  /** Local rejections (a table spec, unsendable parameters) reach the run's report too. */
  private reject(message: string, sql: string, params: Record<string, string>, analyzed = true): void {
    if (!analyzed && !this.probe) {
      const parent = spawnedBy();
      const rejection: Rejection = { message, sql, params, sentBy: [origin()], ...(parent ? { parent } : {}) };
      void this.send('/reject', rejection).catch(() => undefined);
    }
    if (this.options.mode === 'report' && !this.probe) return;
    const err = new ZetaSqlRejectedError(message, sql, params, origin());
    if (!this.probe) addPending(err);
    throw err;
  }
}

