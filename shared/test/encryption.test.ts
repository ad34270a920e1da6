import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c } from '../src/crypto/crc32c.js';
import { describe, expect, it } from 'vitest';
import { createEncryptor } from '../src/crypto/index.js';
import { KmsEncryptor, KmsIntegrityError, type KmsClientLike, type KmsDecryptRequest, type KmsEncryptRequest } from '../src/crypto/kms.js';
import { LocalEncryptor } from '../src/crypto/local.js';
import { DecryptionError, keyIdOf, type Encryptor } from '../src/crypto/port.js';

const kmsKey = process.env.KMS_TEST_KEY_NAME;
const adapters: { name: string; enabled: boolean; make: () => Promise<Encryptor> }[] = [
  { name: 'local', enabled: true, make: async () => new LocalEncryptor(Buffer.alloc(32, 1)) },
  { name: 'kms', enabled: Boolean(kmsKey && process.env.GOOGLE_APPLICATION_CREDENTIALS), make: () => createEncryptor({ kind: 'kms', keyName: kmsKey ?? '' }) },
];

for (const adapter of adapters) {
  describe.skipIf(!adapter.enabled)(`encryption contract: ${adapter.name}`, () => {
    it('round-trips bytes and text under the same context', async () => {
      const enc = await adapter.make();
      const ct = await enc.encrypt('sk-live-secret', 'org:acme:credential:openai');
      expect(ct.includes(Buffer.from('sk-live-secret'))).toBe(false);
      expect((await enc.decrypt(ct, 'org:acme:credential:openai')).toString()).toBe('sk-live-secret');
      const bin = Buffer.from([0, 255, 1, 2]);
      expect([...(await enc.decrypt(await enc.encrypt(bin, 'ctx'), 'ctx'))]).toEqual([...bin]);
    });

    it('refuses a ciphertext moved to another context (AAD)', async () => {
      const enc = await adapter.make();
      const ct = await enc.encrypt('secret', 'org:acme:credential:openai');
      await expect(enc.decrypt(ct, 'org:beta:credential:openai')).rejects.toBeInstanceOf(DecryptionError);
    });

    it('refuses a tampered ciphertext', async () => {
      const enc = await adapter.make();
      const ct = await enc.encrypt('secret', 'ctx');
      ct[ct.length - 1] = ct[ct.length - 1]! ^ 0xff;
      await expect(enc.decrypt(ct, 'ctx')).rejects.toBeInstanceOf(DecryptionError);
    });

    it('records the key that made each ciphertext', async () => {
      const enc = await adapter.make();
      expect(keyIdOf(await enc.encrypt('x', 'ctx')).length).toBeGreaterThan(0);
    });
  });
}

describe('local encryption specifics', () => {
  it('refuses a ciphertext made with another key, naming both', async () => {
    const a = new LocalEncryptor(Buffer.alloc(32, 1));
    const b = new LocalEncryptor(Buffer.alloc(32, 2));
    await expect(b.decrypt(await a.encrypt('x', 'ctx'), 'ctx')).rejects.toThrow(new RegExp(`${a.keyId}.*${b.keyId}`));
  });

  it('creates its key file on first use, private, and reuses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-key-'));
    const file = join(dir, 'sub', 'local.key');
    const first = LocalEncryptor.fromConfig(undefined, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    const second = LocalEncryptor.fromConfig(undefined, file);
    expect(second.keyId).toBe(first.keyId);
    expect((await second.decrypt(await first.encrypt('x', 'c'), 'c')).toString()).toBe('x');
  });

  it('rejects a key of the wrong size', () => {
    expect(() => LocalEncryptor.fromConfig(Buffer.alloc(16).toString('base64'), '/nonexistent')).toThrow(/32 bytes/);
  });

  it('rejects data that is not a CloudAct ciphertext', async () => {
    await expect(new LocalEncryptor(Buffer.alloc(32, 1)).decrypt(Buffer.from('garbage'), 'ctx')).rejects.toThrow(/Not a CloudAct ciphertext/);
  });
});

/** A KMS stand-in that really encrypts (local AES under the hood) and answers like Cloud KMS. */
class KmsLikeClient implements KmsClientLike {
  encrypts: KmsEncryptRequest[] = [];
  decrypts: KmsDecryptRequest[] = [];
  tamper: 'none' | 'unverified-plaintext' | 'unverified-aad' | 'ciphertext-crc' | 'plaintext-crc' = 'none';
  private readonly inner = new LocalEncryptor(Buffer.alloc(32, 9));

  async encrypt(req: KmsEncryptRequest) {
    this.encrypts.push(req);
    const okPlain = crc32c(req.plaintext) === req.plaintextCrc32c.value;
    const okAad = crc32c(req.additionalAuthenticatedData) === req.additionalAuthenticatedDataCrc32c.value;
    const ciphertext = await this.inner.encrypt(req.plaintext, req.additionalAuthenticatedData.toString());
    return [{
      name: `${req.name}/cryptoKeyVersions/3`,
      ciphertext,
      ciphertextCrc32c: { value: String(this.tamper === 'ciphertext-crc' ? crc32c(ciphertext) ^ 1 : crc32c(ciphertext)) },
      verifiedPlaintextCrc32c: okPlain && this.tamper !== 'unverified-plaintext',
      verifiedAdditionalAuthenticatedDataCrc32c: okAad && this.tamper !== 'unverified-aad',
    }] as [{ name: string; ciphertext: Buffer; ciphertextCrc32c: { value: string }; verifiedPlaintextCrc32c: boolean; verifiedAdditionalAuthenticatedDataCrc32c: boolean }];
  }

  async decrypt(req: KmsDecryptRequest) {
    this.decrypts.push(req);
    if (crc32c(req.ciphertext) !== req.ciphertextCrc32c.value) throw Object.assign(new Error('checksum mismatch'), { code: 3 });
    let plaintext: Buffer;
    try {
      plaintext = await this.inner.decrypt(req.ciphertext, req.additionalAuthenticatedData.toString());
    } catch {
      throw Object.assign(new Error('Decryption failed: the ciphertext is invalid.'), { code: 3 });
    }
    return [{ plaintext, plaintextCrc32c: { value: String(this.tamper === 'plaintext-crc' ? crc32c(plaintext) ^ 1 : crc32c(plaintext)) } }] as [{ plaintext: Buffer; plaintextCrc32c: { value: string } }];
  }
}

const KEY = 'projects/p/locations/global/keyRings/cloudact/cryptoKeys/credentials';

describe('Cloud KMS adapter', () => {
  it('sends CRC32C checksums of plaintext and AAD, and records the key version', async () => {
    const client = new KmsLikeClient();
    const enc = new KmsEncryptor(client, KEY);
    const ct = await enc.encrypt('hello', 'org:acme');
    const req = client.encrypts[0]!;
    expect(req.name).toBe(KEY);
    expect(req.plaintextCrc32c.value).toBe(crc32c(Buffer.from('hello')));
    expect(req.additionalAuthenticatedData.toString()).toBe('org:acme');
    expect(req.additionalAuthenticatedDataCrc32c.value).toBe(crc32c(Buffer.from('org:acme')));
    expect(keyIdOf(ct)).toBe(`${KEY}/cryptoKeyVersions/3`);
    expect((await enc.decrypt(ct, 'org:acme')).toString()).toBe('hello');
    expect(client.decrypts[0]!.ciphertextCrc32c.value).toBe(crc32c(client.decrypts[0]!.ciphertext));
  });

  it('uses the CRC32C (Castagnoli) checksum, not zlib CRC-32', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it.each([
    ['unverified-plaintext', /plaintext checksum/],
    ['unverified-aad', /AAD checksum/],
    ['ciphertext-crc', /Ciphertext checksum/],
  ] as const)('fails encrypt when KMS answers %s', async (tamper, message) => {
    const client = new KmsLikeClient();
    client.tamper = tamper;
    await expect(new KmsEncryptor(client, KEY).encrypt('x', 'ctx')).rejects.toThrow(message);
  });

  it('fails decrypt when the plaintext checksum does not match', async () => {
    const client = new KmsLikeClient();
    const enc = new KmsEncryptor(client, KEY);
    const ct = await enc.encrypt('x', 'ctx');
    client.tamper = 'plaintext-crc';
    await expect(enc.decrypt(ct, 'ctx')).rejects.toBeInstanceOf(KmsIntegrityError);
  });

  it('maps a wrong context to DecryptionError', async () => {
    const enc = new KmsEncryptor(new KmsLikeClient(), KEY);
    await expect(enc.decrypt(await enc.encrypt('x', 'ctx-a'), 'ctx-b')).rejects.toBeInstanceOf(DecryptionError);
  });

  it('refuses a local ciphertext', async () => {
    const local = await new LocalEncryptor(Buffer.alloc(32, 1)).encrypt('x', 'ctx');
    await expect(new KmsEncryptor(new KmsLikeClient(), KEY).decrypt(local, 'ctx')).rejects.toThrow(/made by local/);
  });
});
