import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DecryptionError, seal, unseal, type Encryptor } from './port.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Local default: AES-256-GCM with a 32-byte key. Never for production (config refuses it there). */
export class LocalEncryptor implements Encryptor {
  readonly kind = 'local';
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error(`LOCAL_ENCRYPTION_KEY must be 32 bytes (base64), got ${key.length}`);
    this.keyId = `local:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
  }

  /** From base64 text, else from the key file, creating it (mode 0600) on first use. */
  static fromConfig(base64Key: string | undefined, keyFile: string): LocalEncryptor {
    if (base64Key) return new LocalEncryptor(Buffer.from(base64Key, 'base64'));
    if (!existsSync(keyFile)) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      chmodSync(keyFile, 0o600);
    }
    return new LocalEncryptor(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64'));
  }

  async encrypt(plaintext: Uint8Array | string, aad: string): Promise<Buffer> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
    return seal('local', this.keyId, Buffer.concat([iv, cipher.getAuthTag(), body]));
  }

  async decrypt(ciphertext: Uint8Array, aad: string): Promise<Buffer> {
    const { kind, keyId, payload } = unseal(ciphertext);
    if (kind !== 'local') throw new DecryptionError(`Ciphertext was made by ${kind}, this instance uses local encryption`);
    if (keyId !== this.keyId) throw new DecryptionError(`Ciphertext was made with key ${keyId}, this instance has ${this.keyId}`);
    if (payload.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('Truncated ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', this.key, payload.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(payload.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (err) {
      throw new DecryptionError('Ciphertext or its context (AAD) does not match', { cause: err });
    }
  }
}
