import type { Config } from '../config.js';
import { lazy } from '../lazy.js';
import { LocalEncryptor } from './local.js';
import type { Encryptor } from './port.js';

export * from './port.js';

/**
 * Cloud KMS's client (gRPC, ~250 ms to load) and the native CRC32C module are loaded by the first
 * encrypt or decrypt, not at cold start: most functions (locale, for one) never encrypt, and
 * local runs never load them.
 */
export async function createEncryptor(config: Config['encryption']): Promise<Encryptor> {
  if (config.kind === 'local') return LocalEncryptor.fromConfig(config.key, config.keyFile);
  const { keyName } = config;
  const kms = lazy(async () => {
    const [{ KeyManagementServiceClient }, { KmsEncryptor }] = await Promise.all([import('@google-cloud/kms'), import('./kms.js')]);
    const client = new KeyManagementServiceClient();
    return new KmsEncryptor({ encrypt: (req) => client.encrypt(req), decrypt: (req) => client.decrypt(req) }, keyName);
  });
  return {
    kind: 'kms',
    encrypt: async (plaintext, aad) => (await kms()).encrypt(plaintext, aad),
    decrypt: async (ciphertext, aad) => (await kms()).decrypt(ciphertext, aad),
  };
}
