declare module 'fast-crc32c' {
  /** CRC32C (Castagnoli), as Cloud KMS uses for its integrity fields. */
  export function calculate(input: Uint8Array | string, initial?: number): number;
}
