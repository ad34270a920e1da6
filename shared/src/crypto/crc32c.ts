// fast-crc32c is CommonJS and picks its implementation at run time, so Node's ESM loader cannot
// see named exports: import the module object and take `calculate` from it.
import fastCrc32c from 'fast-crc32c';

/** CRC32C (Castagnoli) of the bytes, as Cloud KMS computes it. zlib's CRC-32 is another checksum. */
export function crc32c(data: Uint8Array | string): number {
  return fastCrc32c.calculate(typeof data === 'string' ? Buffer.from(data) : data);
}
