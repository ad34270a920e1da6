import { describe, expect, it } from 'vitest';
import { bigQueryToDuckDb, mutatedTable } from '../src/warehouse/duckdb.js';
import { rewriteParams } from '../src/warehouse/sql-params.js';

describe('parameter rewriting', () => {
  it('rewrites @name outside literals, identifiers and comments', () => {
    const { sql, names } = rewriteParams(
      "SELECT 'a@b.test', \"@col\", `p.@d.t` FROM t WHERE x = @x AND y = @y_2 -- @not\nAND z = @x AND @@row_count > 0",
      (n) => `$${n}`,
    );
    expect(sql).toBe("SELECT 'a@b.test', \"@col\", `p.@d.t` FROM t WHERE x = $x AND y = $y_2 -- @not\nAND z = $x AND @@row_count > 0");
    expect(names).toEqual(['x', 'y_2', 'x']);
  });

  it('handles escaped quotes inside literals', () => {
    expect(rewriteParams("SELECT 'it\\'s @x' , @y", (n) => `:${n}`).sql).toBe("SELECT 'it\\'s @x' , :y");
  });

  it('translates IN UNNEST for DuckDB', () => {
    expect(bigQueryToDuckDb('WHERE a IN UNNEST(@list) AND b in unnest( @other )')).toBe('WHERE a IN (SELECT UNNEST(@list)) AND b IN (SELECT UNNEST(@other))');
  });

  it('finds the table a mutating statement targets', () => {
    expect(mutatedTable('UPDATE "o"."t" SET a = 1')).toBe('"o"."t"');
    expect(mutatedTable('  MERGE INTO "o"."t" USING x')).toBe('"o"."t"');
    expect(mutatedTable('DELETE FROM "o"."t" WHERE 1')).toBe('"o"."t"');
    expect(mutatedTable('INSERT INTO "o"."t" VALUES (1)')).toBeUndefined();
  });
});
