import { join } from 'node:path';

/**
 * ZETASQL_CHECK chooses what a statement that BigQuery's analyzer rejects does in tests:
 * - `fail` (default): the statement is not run and the test that sent it fails.
 * - `report`: the statement runs; every rejection is written to the report file (ZETASQL_REPORT,
 *   default `.data/zetasql-report.json`), for a list of what to fix.
 * - `off`: no check at all (only to measure what the check costs); the run says so loudly.
 */
export type CheckMode = 'fail' | 'report' | 'off';

export function checkMode(env: NodeJS.ProcessEnv = process.env): CheckMode {
  const mode = env.ZETASQL_CHECK?.trim() || 'fail';
  if (mode === 'fail' || mode === 'report' || mode === 'off') return mode;
  throw new Error(`ZETASQL_CHECK must be fail, report or off, not ${JSON.stringify(mode)}`);
}

export function reportPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.ZETASQL_REPORT || join(import.meta.dirname, '..', '..', '..', '.data', 'zetasql-report.json');
}

/** Set by the global setup; test workers and the processes they spawn find the analyzer here. */
export const URL_ENV = 'ZETASQL_CHECK_URL';
