import { crc32c } from './crc32c.js';
import { DecryptionError, seal, unseal, type Encryptor } from './port.js';

/** Int64 fields arrive from the gRPC client as number, string or Long; compare them as strings. */
type Int64Like = number | string | { toString(): string } | null | undefined;
interface Int64Value { value?: Int64Like }

export interface KmsEncryptRequest {
  name: string;
  plaintext: Buffer;
  plaintextCrc32c: { value: number };
  additionalAuthenticatedData: Buffer;
  additionalAuthenticatedDataCrc32c: { value: number };
}
export interface KmsDecryptRequest {
  name: string;
  ciphertext: Buffer;
  ciphertextCrc32c: { value: number };
  additionalAuthenticatedData: Buffer;
  additionalAuthenticatedDataCrc32c: { value: number };
}

/** The two calls of @google-cloud/kms's KeyManagementServiceClient this adapter makes. */
export interface KmsClientLike {
  encrypt(request: KmsEncryptRequest): Promise<[{
    name?: string | null;
    ciphertext?: Uint8Array | string | null;
    ciphertextCrc32c?: Int64Value | null;
    verifiedPlaintextCrc32c?: boolean | null;
    verifiedAdditionalAuthenticatedDataCrc32c?: boolean | null;
  }, ...unknown[]]>;
  decrypt(request: KmsDecryptRequest): Promise<[{
    plaintext?: Uint8Array | string | null;
    plaintextCrc32c?: Int64Value | null;
  }, ...unknown[]]>;
}

export class KmsIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KmsIntegrityError';
  }
}

/**
 * Cloud KMS direct encrypt/decrypt (payloads here are small: credentials, keys). Checksums are
 * sent and verified both ways as Google's data-integrity guide describes, so corruption in
 * transit is detected rather than stored.
 */
export class KmsEncryptor implements Encryptor {
  readonly kind = 'kms';

  constructor(private readonly client: KmsClientLike, private readonly keyName: string) {}

  async encrypt(plaintext: Uint8Array | string, aad: string): Promise<Buffer> {
    const data = Buffer.from(plaintext);
    const aadBuf = Buffer.from(aad, 'utf8');
    const [res] = await this.client.encrypt({
      name: this.keyName,
      plaintext: data,
      plaintextCrc32c: { value: crc32c(data) },
      additionalAuthenticatedData: aadBuf,
      additionalAuthenticatedDataCrc32c: { value: crc32c(aadBuf) },
    });
    if (!res.verifiedPlaintextCrc32c) throw new KmsIntegrityError('KMS did not verify the plaintext checksum of the encrypt request');
    if (!res.verifiedAdditionalAuthenticatedDataCrc32c) throw new KmsIntegrityError('KMS did not verify the AAD checksum of the encrypt request');
    const ciphertext = Buffer.from(res.ciphertext ?? '');
    if (!sameInt64(res.ciphertextCrc32c?.value, crc32c(ciphertext))) throw new KmsIntegrityError('Ciphertext checksum from KMS does not match: corrupted in transit');
    // `name` is the CryptoKeyVersion that encrypted it; recorded so rotations can be audited.
    return seal('kms', res.name ?? this.keyName, ciphertext);
  }

  async decrypt(ciphertext: Uint8Array, aad: string): Promise<Buffer> {
    const { kind, payload } = unseal(ciphertext);
    if (kind !== 'kms') throw new DecryptionError(`Ciphertext was made by ${kind} encryption, this instance uses Cloud KMS`);
    const aadBuf = Buffer.from(aad, 'utf8');
    let res;
    try {
      [res] = await this.client.decrypt({
        name: this.keyName,
        ciphertext: payload,
        ciphertextCrc32c: { value: crc32c(payload) },
        additionalAuthenticatedData: aadBuf,
        additionalAuthenticatedDataCrc32c: { value: crc32c(aadBuf) },
      });
    } catch (err) {
      // INVALID_ARGUMENT (3) is what KMS answers for a wrong AAD or a damaged ciphertext.
      if ((err as { code?: number }).code === 3) throw new DecryptionError('Ciphertext or its context (AAD) does not match', { cause: err });
      throw err;
    }
    const plaintext = Buffer.from(res.plaintext ?? '');
    if (!sameInt64(res.plaintextCrc32c?.value, crc32c(plaintext))) throw new KmsIntegrityError('Plaintext checksum from KMS does not match: corrupted in transit');
    return plaintext;
  }
}

function sameInt64(value: Int64Like, expected: number): boolean {
  return value !== null && value !== undefined && String(value) === String(expected);
}
