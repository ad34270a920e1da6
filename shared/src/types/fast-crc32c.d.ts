declare module 'fast-crc32c' {
  /** CRC32C (Castagnoli), as Cloud KMS uses for its integrity fields. */
  const crc32c: { calculate(input: Uint8Array | string, initial?: number): number };
  export default crc32c;
}
