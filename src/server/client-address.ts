// Who is asking: the TCP peer, or the first X-Forwarded-For entry only when the peer is a
// configured trusted proxy. Anything else could let any caller pose as any node.
import { BlockList, isIP } from 'node:net';

export class TrustedProxies {
  private readonly list = new BlockList();
  readonly cidrs: readonly string[];

  /** Throws naming the entry when a CIDR (or bare address) is malformed. */
  constructor(cidrs: readonly string[]) {
    this.cidrs = cidrs;
    for (const entry of cidrs) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address);
      const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
      if (!family || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) {
        throw new Error(`"${entry}" is not an IP address or CIDR`);
      }
      this.list.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4');
    }
  }

  includes(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** "::ffff:10.0.0.1" → "10.0.0.1"; other addresses unchanged. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export function clientAddress(peer: string | undefined, forwardedFor: string | null, trusted: TrustedProxies): string | undefined {
  const direct = peer ? plainAddress(peer) : undefined;
  if (!direct || !forwardedFor || !trusted.includes(direct)) return direct;
  const first = plainAddress(forwardedFor.split(',')[0].trim());
  return isIP(first) ? first : direct;
}
