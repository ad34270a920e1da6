import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time comparison of a presented root key with the configured one. Both sides are
 * hashed first so the comparison takes the same time whatever the presented key's length.
 */
export function rootKeyMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
