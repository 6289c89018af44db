// IPv4 addresses as numbers, and CIDR blocks: what handing out WireGuard tunnel addresses needs.
import { isIPv4 } from 'node:net';

export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export interface Ipv4Block {
  /** The address as written ("10.89.0.1/16" keeps its host part). */
  address: number;
  prefix: number;
  network: number;
  broadcast: number;
}

/** Parses "a.b.c.d/n"; throws an Error naming the text when it is not an IPv4 CIDR. */
export function parseIpv4Cidr(text: string): Ipv4Block {
  const [address, bits, extra] = text.trim().split('/');
  const prefix = Number(bits);
  if (extra !== undefined || !isIPv4(address) || !/^\d+$/.test(bits ?? '') || prefix < 0 || prefix > 32) {
    throw new Error(`"${text}" is not an IPv4 CIDR like 10.89.0.0/16`);
  }
  const size = 2 ** (32 - prefix);
  const value = ipv4ToNumber(address);
  const network = value - (value % size);
  return { address: value, prefix, network, broadcast: network + size - 1 };
}

export function blockContains(block: Ipv4Block, address: string): boolean {
  if (!isIPv4(address)) return false;
  const n = ipv4ToNumber(address);
  return n >= block.network && n <= block.broadcast;
}

/** The usable hosts of a block: all but the network and broadcast addresses (except in /31 and /32). */
export function hostRange(block: Ipv4Block): { first: number; last: number } {
  return block.prefix >= 31 ? { first: block.network, last: block.broadcast } : { first: block.network + 1, last: block.broadcast - 1 };
}
