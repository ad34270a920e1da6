import { relative } from 'node:path';
import { afterAll, afterEach, expect, vi } from 'vitest';
import { checkMode, URL_ENV } from './zetasql-mode.js';
import type { Rejection } from './zetasql-service.js';
import { PARENT_ENV, setOrigin, takePending } from './zetasql-state.js';

// vitest setupFiles: runs in every test file's worker before the file itself.

if (checkMode() !== 'off' && !process.env[URL_ENV]) {
  throw new Error(`ZetaSQL check: ${URL_ENV} is unset, so no analyzer is running: run through vitest.config.ts, whose globalSetup starts it.`);
}

// Wraps DuckDbWarehouse.open when (and only when) a test file loads the DuckDB adapter, however
// it gets there: directly, through testDeps, or through createDeps' dynamic import.
vi.mock('../../src/warehouse/duckdb.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../src/warehouse/duckdb.js')>();
  const { installZetaSqlCheck } = await import('./zetasql-install.js');
  installZetaSqlCheck(mod.DuckDbWarehouse);
  return mod;
});

setOrigin(() => {
  const { testPath, currentTestName } = expect.getState();
  return `${testPath ? relative(process.cwd(), testPath) : '?'} > ${currentTestName ?? '(hook)'}`;
});

/**
 * A rejected statement throws where it is sent, but verbs catch errors (a rollback, a 500
 * envelope, a `.catch(() => [])`), so the test could still pass. The hooks fail it regardless.
 */
function failOnRejections(): void {
  const errors = takePending();
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} statements rejected by the ZetaSQL check:\n\n${errors.map((e) => e.message).join('\n\n')}`);
}

afterEach(failOnRejections);

// Processes this worker spawns (the local gateway, the CLI) inherit it and report as its children.
process.env[PARENT_ENV] = String(process.pid);

/**
 * A spawned process's rejection already shows as that process's 500 where it was not caught;
 * where it was caught, the file that spawned the process fails here.
 */
afterAll(async () => {
  failOnRejections();
  const url = process.env[URL_ENV];
  if (!url || checkMode() !== 'fail') return;
  const res = await fetch(`${url}/claim`, { method: 'POST', body: JSON.stringify({ parent: String(process.pid) }) });
  const theirs = (await res.json()) as Rejection[];
  if (theirs.length) {
    throw new Error(`ZetaSQL check: ${theirs.length} statements rejected in processes this file spawned:\n\n${theirs.map((r) => `${r.message}\nstatement: ${r.sql}\nsent by: ${r.sentBy.join('; ')}`).join('\n\n')}`);
  }
});
