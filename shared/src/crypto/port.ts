/**
 * The encryption port. `aad` (additional authenticated data) binds a ciphertext to its context,
 * e.g. `org:acme:credential:openai`: the same bytes decrypted under another context fail, so a
 * credential copied to another org's row is useless.
 */
export interface Encryptor {
  readonly kind: 'local' | 'kms';
  encrypt(plaintext: Uint8Array | string, aad: string): Promise<Buffer>;
  decrypt(ciphertext: Uint8Array, aad: string): Promise<Buffer>;
}

export class DecryptionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecryptionError';
  }
}

/**
 * Stored form: magic "CA1", a kind byte, the key (version) id that made it, then the payload.
 * Recording the key lets a later rotation find what each row was encrypted with.
 */
const MAGIC = Buffer.from('CA1');
const KINDS = { local: 1, kms: 2 } as const;

export function seal(kind: 'local' | 'kms', keyId: string, payload: Uint8Array): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  const head = Buffer.alloc(MAGIC.length + 3);
  MAGIC.copy(head);
  head.writeUInt8(KINDS[kind], MAGIC.length);
  head.writeUInt16BE(id.length, MAGIC.length + 1);
  return Buffer.concat([head, id, payload]);
}

export function unseal(data: Uint8Array): { kind: 'local' | 'kms'; keyId: string; payload: Buffer } {
  const buf = Buffer.from(data);
  if (buf.length < MAGIC.length + 3 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new DecryptionError('Not a CloudAct ciphertext');
  }
  const kindByte = buf.readUInt8(MAGIC.length);
  const kind = kindByte === KINDS.local ? 'local' : kindByte === KINDS.kms ? 'kms' : undefined;
  if (!kind) throw new DecryptionError(`Unknown ciphertext kind ${kindByte}`);
  const idLen = buf.readUInt16BE(MAGIC.length + 1);
  const start = MAGIC.length + 3;
  if (buf.length < start + idLen) throw new DecryptionError('Truncated ciphertext');
  return { kind, keyId: buf.subarray(start, start + idLen).toString('utf8'), payload: buf.subarray(start + idLen) };
}

/** The key (version) a stored ciphertext names, without decrypting it. */
export function keyIdOf(ciphertext: Uint8Array): string {
  return unseal(ciphertext).keyId;
}
