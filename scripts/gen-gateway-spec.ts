// `pnpm gen:gateway`: writes infra/api-gateway/openapi.yaml from the route tables
// (`--check` exits 1 when the committed file is stale instead of writing).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gatewaySpecYaml } from '@cloudact/shared/http/gateway-spec';
import { functionTables } from './function-tables.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const gatewaySpecPath = join(root, 'infra/api-gateway/openapi.yaml');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const yaml = gatewaySpecYaml(functionTables, version);

if (process.argv.includes('--check')) {
  const current = readFileSync(gatewaySpecPath, 'utf8');
  if (current !== yaml) {
    console.error('infra/api-gateway/openapi.yaml is stale: run `pnpm gen:gateway`');
    process.exit(1);
  }
} else {
  mkdirSync(dirname(gatewaySpecPath), { recursive: true });
  writeFileSync(gatewaySpecPath, yaml);
  console.log(`wrote ${gatewaySpecPath}`);
}
