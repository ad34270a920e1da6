import { describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { createLogger } from '@cloudact/shared';
import { functionTables } from '../scripts/function-tables.js';
import { testDeps } from '../shared/test/support/deps.js';

/**
 * The gateway's /health asks every function's /health: one probe is 1 + N request lines. Probes
 * that answer log at DEBUG, so at the default level (INFO) a probe writes nothing; a failing one
 * still logs at WARNING/ERROR.
 */
const requestLines = (lines: Record<string, unknown>[]) => lines.filter((l) => typeof l.httpRequest === 'object');

describe('probe log lines', () => {
  it('a gateway /health fans out to every function and logs each line at DEBUG', async () => {
    const deps = await testDeps();
    const gw = createLocalGateway(functionTables, deps);
    const res = await gw.fetch(new Request('http://gw/health'));
    expect(res.status).toBe(200);
    const lines = requestLines(deps.logger.lines);
    expect(lines).toHaveLength(functionTables.length + 1);
    expect(lines.map((l) => l.severity)).toEqual(lines.map(() => 'DEBUG'));
    for (const path of ['/locale/health', '/locale/health/live']) {
      deps.logger.lines.length = 0;
      expect((await gw.fetch(new Request(`http://gw${path}`))).status).toBe(200);
      expect(requestLines(deps.logger.lines).map((l) => l.severity)).toEqual(['DEBUG']);
    }
  });

  it('at the default level a probe writes nothing; other requests still write their line', async () => {
    const written: string[] = [];
    const deps = await testDeps();
    const gw = createLocalGateway(functionTables, { ...deps, logger: createLogger({ level: 'INFO', write: (l) => written.push(l) }) });
    await gw.fetch(new Request('http://gw/health'));
    expect(written).toEqual([]);
    await gw.fetch(new Request('http://gw/api/v1/i18n/currencies'));
    expect(written.map((l) => (JSON.parse(l) as { severity: string }).severity)).toEqual(['INFO']);
  });

  it('a failing probe still logs above DEBUG', async () => {
    const deps = await testDeps();
    const gw = createLocalGateway(functionTables, deps);
    // Nothing bootstrapped: readiness answers 503.
    const res = await gw.fetch(new Request('http://gw/onboard/health/ready'));
    expect(res.status).toBe(503);
    const severities = requestLines(deps.logger.lines).map((l) => l.severity);
    expect(severities).toEqual(['ERROR']);
  });
});
