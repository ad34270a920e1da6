import { BlockList, isIP } from 'node:net';

/**
 * What kind of address an outbound delivery would connect to. Only `public` addresses are ever
 * reached, and `loopback` when the development switch (OUTBOUND_ALLOW_LOOPBACK) is on: a tenant's
 * webhook or Slack URL must never become a way into the platform's own network or the metadata
 * server (169.254.169.254 / fd00:ec2::254).
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'reserved';

const v4 = (ranges: [string, number][]) => {
  const b = new BlockList();
  for (const [a, p] of ranges) b.addSubnet(a, p, 'ipv4');
  return b;
};
const v6 = (ranges: [string, number][]) => {
  const b = new BlockList();
  for (const [a, p] of ranges) b.addSubnet(a, p, 'ipv6');
  return b;
};

const METADATA = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254']);
const LOOPBACK4 = v4([['127.0.0.0', 8]]);
const PRIVATE4 = v4([['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10]]);
const LINK4 = v4([['169.254.0.0', 16]]);
const RESERVED4 = v4([['0.0.0.0', 8], ['192.0.0.0', 24], ['192.0.2.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]]);
const PRIVATE6 = v6([['fc00::', 7]]);
const LINK6 = v6([['fe80::', 10]]);
const RESERVED6 = v6([['::', 128], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64], ['2001::', 23]]);

function classify4(ip: string): AddressClass {
  if (METADATA.has(ip)) return 'metadata';
  if (LOOPBACK4.check(ip, 'ipv4')) return 'loopback';
  if (PRIVATE4.check(ip, 'ipv4')) return 'private';
  if (LINK4.check(ip, 'ipv4')) return 'link-local';
  if (RESERVED4.check(ip, 'ipv4')) return 'reserved';
  return 'public';
}

/** The class of an IP literal (IPv4, IPv6, IPv4-mapped or NAT64 IPv6); anything else is `reserved`. */
export function classifyAddress(address: string): AddressClass {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  const family = isIP(ip);
  if (family === 4) return classify4(ip);
  if (family !== 6) return 'reserved';
  // ::ffff:a.b.c.d and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address inside.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(ip)?.[1] ?? hexEmbedded(ip);
  if (embedded) return classify4(embedded);
  if (METADATA.has(ip)) return 'metadata';
  if (ip === '::1') return 'loopback';
  if (PRIVATE6.check(ip, 'ipv6')) return 'private';
  if (LINK6.check(ip, 'ipv6')) return 'link-local';
  if (RESERVED6.check(ip, 'ipv6')) return 'reserved';
  return 'public';
}

/** ::ffff:7f00:1 written in hex: the IPv4 address it maps. */
function hexEmbedded(ip: string): string | undefined {
  const m = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (!m) return undefined;
  const hi = parseInt(m[1]!, 16);
  const lo = parseInt(m[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export interface OutboundPolicy {
  /** https is required unless this is development. */
  environment: 'development' | 'staging' | 'production';
  /** Loopback receivers allowed (development only; config.ts refuses it elsewhere). */
  allowLoopback: boolean;
}

/** Why an address may not be reached, or undefined when it may. */
export function refusedAddress(address: string, policy: OutboundPolicy): string | undefined {
  const c = classifyAddress(address);
  if (c === 'public') return undefined;
  if (c === 'loopback' && policy.allowLoopback && policy.environment === 'development') return undefined;
  return `${address} is a ${c} address`;
}
