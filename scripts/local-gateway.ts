// `pnpm start` / `pnpm dev`: every function behind one local gateway on the embedded warehouse.
import { createDeps } from '@cloudact/shared/app/create-deps';
import { loadConfig } from '@cloudact/shared/config';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { startAlertTicker } from '@cloudact/shared/alerts/evaluate/ticker';
import { LocalKeyUsageAppender } from '@cloudact/shared/orgs/keys/usage';
import { functionTables } from './function-tables.js';
import { gatewayDepsOverrides } from './gateway-deps.js';

const config = loadConfig(process.env);
const base = await createDeps(config, gatewayDepsOverrides());
// In production the request log line is the usage record (a logging sink appends it); here the gateway appends it.
const keyUsage = await LocalKeyUsageAppender.start(base.warehouse, base.logger);
const deps = { ...base, keyUsage };
const gateway = createLocalGateway(functionTables, deps);
const { server, url } = await gateway.listen(config.port, config.host);

const lines = [
  `CloudAct local gateway listening on ${url}`,
  `  environment: ${config.environment}   warehouse: ${config.warehouse.kind}${config.warehouse.kind === 'duckdb' ? ` (${config.warehouse.path})` : ''}`,
  `  functions:   ${functionTables.map((t) => `${t.name} (${t.routes.length} routes)`).join(', ')}`,
  `  health:      ${url}/health   API reference: ${url}/docs (each function's: ${url}/{function}/docs)`,
];
// Alert evaluation on an interval (ALERTS_TICK_SECONDS), as the hourly Cloud Scheduler job does deployed.
const stopTicker = config.alerts.tickSeconds > 0 ? startAlertTicker(deps, config.alerts.tickSeconds) : () => undefined;
if (config.alerts.tickSeconds > 0) lines.push(`  alerts:      evaluated every ${config.alerts.tickSeconds} s (ALERTS_TICK_SECONDS)`);
if (!process.env.CA_ROOT_API_KEY && deps.rootKey) lines.push(`  development root key (X-CA-Root-Key): ${deps.rootKey}`);
console.log(lines.join('\n'));

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    stopTicker();
    // Write pending key-usage rows, then close the warehouse so DuckDB checkpoints its file.
    server.close(() => void keyUsage.close().catch(() => undefined)
      .then(() => deps.warehouse.close()).finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
