/**
 * The client address the platform vouches for. Each proxy appends the address it saw to
 * X-Forwarded-For, so only the rightmost entries are facts; the leftmost are whatever the client
 * sent. With `trustedHops` proxies of ours in front (configured by TRUSTED_PROXY_HOPS), the
 * client is the entry just left of them.
 */
export function clientAddress(forwardedFor: string | null, trustedHops: number): string | undefined {
  if (!forwardedFor) return undefined;
  const hops = forwardedFor.split(',').map((s) => s.trim()).filter(Boolean);
  if (!hops.length) return undefined;
  return hops[Math.max(0, hops.length - 1 - trustedHops)];
}
