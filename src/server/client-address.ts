// Who is asking. The TCP peer, unless the peer is a configured trusted proxy: then the chain of
// addresses the proxies recorded (X-Forwarded-For, or RFC 7239 `Forwarded: for=`) is walked
// from the right, as nginx's realip (recursive), HAProxy and Envoy (xff_num_trusted_hops) do.
// Each proxy appends the address it received the request from, so the rightmost entries are
// the ones our proxies wrote; the first address that is not a trusted proxy is the client.
// Entries left of it were written by the client itself and are never believed.
//
// - Garbage in the chain (not an address, `unknown`, an obfuscated `_name`, a header that does
//   not parse) stops the walk: the client is then the last trusted hop, never a value beyond it.
// - Every entry trusted: the client is the leftmost (the farthest trusted hop).
// - Both headers present: each is walked on its own, and the answer is believed only when both
//   give the same one; otherwise the client is the peer. A proxy that appends to one header
//   passes the other through as the client wrote it, so either could be forged, and we cannot
//   tell which one our proxies wrote. Proxies should write one of them and strip the other.
// - Repeated header lines count as one comma-separated list, in order (RFC 9110 §5.3); empty
//   list elements are skipped.
// - Addresses are IPv4 or IPv6, with or without a port (`10.0.0.1:4711`, `[2001:db8::1]:443`),
//   IPv4-mapped IPv6 (`::ffff:10.0.0.1`) read as IPv4.
import { BlockList, isIP } from 'node:net';
import parseForwarded from 'forwarded-parse';

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

const MAPPED_V4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * An address in the one spelling the gateway compares: IPv4 as is, IPv4-mapped IPv6 as its IPv4
 * ("::ffff:10.0.0.1" → "10.0.0.1"), other IPv6 lower-case and compressed, as Node writes a peer.
 */
export function plainAddress(address: string): string {
  if (isIP(address) !== 6) return address;
  let v6: string;
  try {
    v6 = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase(); // a zone id (fe80::1%eth0), which URLs do not take
  }
  const mapped = MAPPED_V4.exec(v6);
  if (!mapped) return v6;
  const [high, low] = [Number.parseInt(mapped[1], 16), Number.parseInt(mapped[2], 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** A port, or RFC 7239's obfuscated port (`_abc`). */
const PORT = String.raw`(?:\d{1,5}|_[A-Za-z0-9._-]+)`;
const BRACKETED_V6 = new RegExp(String.raw`^\[([^\]]+)\](?::${PORT})?$`);
const V4_WITH_PORT = new RegExp(`^([0-9.]+):${PORT}$`);

/** The IP address of one chain entry ("10.0.0.1", "10.0.0.1:80", "[::1]:80", "::1"), or undefined when it is none. */
export function entryAddress(entry: string): string | undefined {
  const text = entry.trim();
  if (isIP(text)) return plainAddress(text);
  const v6 = BRACKETED_V6.exec(text);
  if (v6) return isIP(v6[1]) === 6 ? plainAddress(v6[1]) : undefined;
  const v4 = V4_WITH_PORT.exec(text);
  return v4 && isIP(v4[1]) === 4 ? v4[1] : undefined;
}

/** One hop of a chain: its address, or undefined for an entry that is not one (garbage, `unknown`, `_hidden`). */
type Hop = string | undefined;

/** X-Forwarded-For's entries, left to right. */
function forwardedForChain(header: string): Hop[] {
  return header
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(entryAddress);
}

/**
 * `Forwarded`'s `for=` values, left to right; undefined when no element has one (a proxy that
 * only records proto or host says nothing about the client). A header that does not parse is
 * one garbage entry: where it went wrong cannot be told, so nothing in it is believed.
 */
function forwardedChain(header: string): Hop[] | undefined {
  let elements: Record<string, string>[];
  try {
    elements = parseForwarded(header);
  } catch {
    return [undefined];
  }
  if (!elements.some((element) => element.for !== undefined)) return undefined;
  return elements.map((element) => (element.for === undefined ? undefined : entryAddress(element.for)));
}

/** The client behind `peer` (a trusted proxy) according to one chain. */
function walkFromRight(peer: string, chain: Hop[], trusted: TrustedProxies): string {
  let hop = peer;
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = chain[i];
    if (address === undefined) return hop;
    if (!trusted.includes(address)) return address;
    hop = address;
  }
  return hop;
}

/**
 * The client's address: `peer` (the TCP peer) unless it is a trusted proxy, else what the
 * proxies' chain says (see the top of this file). Undefined only when the peer is unknown.
 */
export function clientAddress(peer: string | undefined, headers: Headers, trusted: TrustedProxies): string | undefined {
  const direct = peer ? plainAddress(peer) : undefined;
  if (!direct || !trusted.includes(direct)) return direct;
  const forwardedFor = headers.get('x-forwarded-for');
  const forwarded = headers.get('forwarded');
  const chains = [
    forwardedFor === null ? undefined : forwardedForChain(forwardedFor),
    forwarded === null ? undefined : forwardedChain(forwarded),
  ].filter((chain): chain is Hop[] => chain !== undefined && chain.length > 0);
  const answers = new Set(chains.map((chain) => walkFromRight(direct, chain, trusted)));
  return answers.size === 1 ? [...answers][0] : direct;
}
