import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDeps } from '../../src/context/index.js';
import { createDeps, type DepsOverrides } from '../../src/app/create-deps.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb.js';

export const TEST_ROOT_KEY = 'test-root-key-0123456789abcdef0123456789';
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

/** Logs kept in memory so tests can read the request lines. */
export function memoryLogger(): Logger & { lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'DEBUG', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  return Object.assign(logger, { lines });
}

/** Real deps on an in-memory DuckDB and local encryption. */
export async function testDeps(env: Record<string, string> = {}, overrides: DepsOverrides = {}): Promise<AppDeps & { logger: ReturnType<typeof memoryLogger> }> {
  // Export jobs write files: into a folder of this test process, never the repository's .data.
  const config = loadConfig({ CA_ROOT_API_KEY: TEST_ROOT_KEY, LOCAL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, DUCKDB_PATH: ':memory:', RATE_LIMITS: 'off', EXPORT_DIR: testExportDir(), ...env });
  const logger = memoryLogger();
  const warehouse = overrides.warehouse ?? (await DuckDbWarehouse.open(':memory:'));
  const deps = await createDeps(config, { ...overrides, warehouse, logger });
  return { ...deps, logger };
}

let exportDir: string | undefined;
/** One temporary export folder per test process, removed when it exits. */
function testExportDir(): string {
  if (!exportDir) {
    const made = mkdtempSync(join(tmpdir(), 'ca-test-exports-'));
    exportDir = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return exportDir;
}
