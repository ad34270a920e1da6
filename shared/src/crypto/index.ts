import type { Config } from '../config.js';
import { LocalEncryptor } from './local.js';
import type { Encryptor } from './port.js';

export * from './port.js';

/** Cloud KMS is imported only when configured, so local runs never load the gRPC client. */
export async function createEncryptor(config: Config['encryption']): Promise<Encryptor> {
  if (config.kind === 'local') return LocalEncryptor.fromConfig(config.key, config.keyFile);
  const [{ KeyManagementServiceClient }, { KmsEncryptor }] = await Promise.all([import('@google-cloud/kms'), import('./kms.js')]);
  const client = new KeyManagementServiceClient();
  return new KmsEncryptor({
    encrypt: (req) => client.encrypt(req),
    decrypt: (req) => client.decrypt(req),
  }, config.keyName);
}
