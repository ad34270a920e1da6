import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * In development with no CA_ROOT_API_KEY, a root key is generated once and kept in the data
 * folder (git-ignored), so the gateway and functions started alone agree and it survives restarts.
 */
export function devRootKey(dataDir: string): string {
  const file = join(dataDir, 'dev-root-key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `ca_root_dev_${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
