import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { checkMode, reportPath, URL_ENV } from './zetasql-mode.js';
import { serveAnalyzer } from './zetasql-front.js';
import { ZetaSqlAnalyzer } from './zetasql-service.js';

/**
 * vitest globalSetup: one ZetaSQL analyzer for the whole run, before any worker starts. It
 * starts in the background (see serveAnalyzer); if it cannot start, every statement a test sends
 * fails with the reason and the run exits non-zero: the check is never skipped silently.
 * Teardown writes the report and, in the default `fail` mode, fails the run if any statement
 * was rejected anywhere, including ones a test or a spawned process caught and ignored.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const mode = checkMode();
  if (mode === 'off') {
    console.warn('\n*** ZETASQL_CHECK=off: statements are NOT checked against BigQuery\'s analyzer in this run ***\n');
    return undefined;
  }
  const starting = ZetaSqlAnalyzer.start();
  starting.catch((err: unknown) => console.error(`\n*** ${err instanceof Error ? err.message : String(err)} ***\n`));
  const { url, server } = await serveAnalyzer(starting);
  process.env[URL_ENV] = url;

  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    // vitest reports a teardown error but keeps its exit code: set it, so these fail the run.
    const analyzer = await starting.catch((err: unknown) => {
      process.exitCode = 1;
      throw err;
    });
    analyzer.stop();
    const rejections = [...analyzer.rejections.values()];
    const file = reportPath();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({
      mode,
      service_requests: analyzer.requests,
      distinct_analyses: analyzer.analyses,
      analyzer_ms: Math.round(analyzer.analyzerMs),
      // Distinct statements per sender (each process answers repeats from its own cache).
      checked_by_source: Object.fromEntries([...analyzer.bySource].sort()),
      rejected: rejections,
      analyzed: analyzer.analyzed,
    }, null, 2)}\n`);
    const summary = `ZetaSQL check (${mode}): ${analyzer.requests} statements sent to the analyzer service, ${analyzer.analyses} distinct analyses in ${Math.round(analyzer.analyzerMs)} ms, ${rejections.length} rejected; report: ${relative(process.cwd(), file)}`;
    console.log(summary);
    if (mode === 'fail' && rejections.length) {
      process.exitCode = 1;
      throw new Error(`${summary}\n\n${rejections.map((r) => `${r.message}\nstatement: ${r.sql}\nsent by: ${r.sentBy.join('; ')}`).join('\n\n')}`);
    }
  };
}
