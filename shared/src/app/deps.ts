import type { OrgKeyVerifier } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { Encryptor } from '../crypto/port.js';
import type { Logger } from '../logger.js';
import type { Warehouse } from '../warehouse/port.js';

/**
 * Everything a handler may use, built once at cold start and passed in. A verb takes the parts
 * it needs from here; nothing reads process.env after start-up.
 */
export interface AppDeps {
  config: Config;
  warehouse: Warehouse;
  encryptor: Encryptor;
  logger: Logger;
  /** Resolved at start-up (environment or Secret Manager). */
  rootKey: string | undefined;
  orgKeys: OrgKeyVerifier;
  clock: () => Date;
}
