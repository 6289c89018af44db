// The client behind trusted proxies: X-Forwarded-For and Forwarded walked from the right, the
// first untrusted address is the client, garbage stops the walk at the last trusted hop.
import { describe, expect, it } from 'vitest';
import { clientAddress, entryAddress, plainAddress, TrustedProxies } from '../../src/server/client-address.js';

const proxies = new TrustedProxies(['10.0.0.0/24', '::1', 'fd00::/64']);

/** Headers with each [name, value] as its own header line, in order. */
const lines = (...pairs: Array<[string, string]>) => {
  const headers = new Headers();
  for (const [name, value] of pairs) headers.append(name, value);
  return headers;
};
const xff = (...values: string[]) => lines(...values.map((v): [string, string] => ['x-forwarded-for', v]));
const fwd = (...values: string[]) => lines(...values.map((v): [string, string] => ['forwarded', v]));

describe('client address: the peer', () => {
  it('is the TCP peer when no proxy is trusted, whatever the headers say', () => {
    const none = new TrustedProxies([]);
    expect(clientAddress('192.0.2.7', xff('10.252.0.26'), none)).toBe('192.0.2.7');
    expect(clientAddress('192.0.2.7', fwd('for=10.252.0.26'), none)).toBe('192.0.2.7');
  });

  it('ignores the headers of a peer that is not a trusted proxy', () => {
    expect(clientAddress('10.0.1.5', xff('10.252.0.26'), proxies)).toBe('10.0.1.5');
    expect(clientAddress('10.0.1.5', fwd('for=10.252.0.26'), proxies)).toBe('10.0.1.5');
  });

  it('is the trusted peer itself when it sends no chain', () => {
    expect(clientAddress('10.0.0.5', new Headers(), proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', xff('  '), proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', fwd('proto=https;host=gw.example'), proxies)).toBe('10.0.0.5');
  });

  it('normalises IPv4-mapped IPv6 peers and is undefined without a peer', () => {
    expect(clientAddress('::ffff:127.0.0.1', new Headers(), proxies)).toBe('127.0.0.1');
    expect(clientAddress('::ffff:10.0.0.5', xff('10.252.0.26'), proxies)).toBe('10.252.0.26');
    expect(clientAddress(undefined, xff('10.252.0.26'), proxies)).toBeUndefined();
  });
});

describe('client address: X-Forwarded-For from a trusted proxy', () => {
  it('is the rightmost untrusted entry: what the client wrote on the left is never believed', () => {
    // The client sent "X-Forwarded-For: 10.252.0.99" (a victim); our proxy appended 10.252.0.26.
    expect(clientAddress('10.0.0.5', xff('10.252.0.99, 10.252.0.26'), proxies)).toBe('10.252.0.26');
    expect(clientAddress('10.0.0.5', xff('10.252.0.26'), proxies)).toBe('10.252.0.26');
  });

  it('walks past every trusted hop, and answers the leftmost when all are trusted', () => {
    expect(clientAddress('10.0.0.5', xff('10.252.0.99, 10.252.0.26, 10.0.0.7, ::1'), proxies)).toBe('10.252.0.26');
    expect(clientAddress('10.0.0.5', xff('10.0.0.9, 10.0.0.7'), proxies)).toBe('10.0.0.9');
  });

  it('reads repeated header lines as one list, in order', () => {
    expect(clientAddress('10.0.0.5', xff('10.252.0.99', '10.252.0.26, 10.0.0.7'), proxies)).toBe('10.252.0.26');
    expect(clientAddress('10.0.0.5', xff('10.252.0.26, 10.0.0.7', '10.0.0.8'), proxies)).toBe('10.252.0.26');
    expect(clientAddress('10.0.0.5', xff('10.252.0.26', '', ' , 10.0.0.8'), proxies)).toBe('10.252.0.26');
  });

  it('reads IPv6, IPv4-mapped IPv6 and addresses with ports', () => {
    expect(clientAddress('10.0.0.5', xff('10.252.0.99, 2001:DB8::1'), proxies)).toBe('2001:db8::1');
    expect(clientAddress('::1', xff('10.252.0.99, 10.252.0.26, fd00::9'), proxies)).toBe('10.252.0.26');
    expect(clientAddress('10.0.0.5', xff('::ffff:10.252.0.26'), proxies)).toBe('10.252.0.26');
    expect(clientAddress('10.0.0.5', xff('10.252.0.99, ::ffff:10.0.0.7'), proxies)).toBe('10.252.0.99');
    expect(clientAddress('10.0.0.5', xff('10.252.0.26:51234, 10.0.0.7:443'), proxies)).toBe('10.252.0.26');
    expect(clientAddress('10.0.0.5', xff('[2001:db8::1]:51234, [fd00::2]:443'), proxies)).toBe('2001:db8::1');
  });

  it('stops at garbage: the last trusted hop is the client, never an entry beyond it', () => {
    expect(clientAddress('10.0.0.5', xff('not-an-ip'), proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', xff('10.252.0.99, garbage'), proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', xff('10.252.0.99, garbage, 10.0.0.7'), proxies)).toBe('10.0.0.7');
    expect(clientAddress('10.0.0.5', xff('10.252.0.99, 10.252.0.26 10.0.0.7'), proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', xff('10.252.0.99, "10.252.0.26"'), proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', xff('10.252.0.99, 010.252.0.26'), proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', xff('10.252.0.99, 10.252.0.26:99999999'), proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', xff('10.252.0.99, unknown'), proxies)).toBe('10.0.0.5');
  });
});

describe('client address: Forwarded (RFC 7239) from a trusted proxy', () => {
  it('walks for= from the right, over elements and header lines', () => {
    expect(clientAddress('10.0.0.5', fwd('for=10.252.0.99, for=10.252.0.26'), proxies)).toBe('10.252.0.26');
    expect(clientAddress('10.0.0.5', fwd('for=10.252.0.99', 'for=10.252.0.26;proto=https, for=10.0.0.7'), proxies)).toBe('10.252.0.26');
    expect(clientAddress('10.0.0.5', fwd('For=10.252.0.26;By=10.0.0.5;Host="gw.example"'), proxies)).toBe('10.252.0.26');
  });

  it('reads quoted values, bracketed IPv6 with ports and quoted IPv4 with ports', () => {
    expect(clientAddress('10.0.0.5', fwd('for="[2001:db8:cafe::17]:4711"'), proxies)).toBe('2001:db8:cafe::17');
    expect(clientAddress('10.0.0.5', fwd('for="[2001:db8:cafe::17]"'), proxies)).toBe('2001:db8:cafe::17');
    expect(clientAddress('10.0.0.5', fwd('for="10.252.0.26:4711", for="[::1]:80"'), proxies)).toBe('10.252.0.26');
    expect(clientAddress('10.0.0.5', fwd('for="10.252.0.26:_port"'), proxies)).toBe('10.252.0.26');
    expect(clientAddress('10.0.0.5', fwd('for="[::ffff:10.252.0.26]"'), proxies)).toBe('10.252.0.26');
  });

  it('stops at obfuscated identifiers, unknown and elements without for=', () => {
    expect(clientAddress('10.0.0.5', fwd('for=10.252.0.99, for=_hidden'), proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', fwd('for=10.252.0.99, for=unknown, for=10.0.0.7'), proxies)).toBe('10.0.0.7');
    expect(clientAddress('10.0.0.5', fwd('for=10.252.0.99, proto=https'), proxies)).toBe('10.0.0.5');
  });

  it('believes nothing of a header that does not parse', () => {
    // An unterminated quote could swallow the elements our proxies appended.
    expect(clientAddress('10.0.0.5', fwd('for="10.252.0.99', 'for=10.252.0.26'), proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', fwd('for=10.252.0.26;;'), proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', fwd('10.252.0.26'), proxies)).toBe('10.0.0.5');
  });
});

describe('client address: both headers', () => {
  it('is believed when both chains name the same client', () => {
    const headers = lines(['x-forwarded-for', '10.252.0.26'], ['forwarded', 'for=10.252.0.26;proto=http']);
    expect(clientAddress('10.0.0.5', headers, proxies)).toBe('10.252.0.26');
    const spelled = lines(['x-forwarded-for', '::ffff:10.252.0.26'], ['forwarded', 'for="10.252.0.26:80"']);
    expect(clientAddress('10.0.0.5', spelled, proxies)).toBe('10.252.0.26');
  });

  it('falls back to the peer when they disagree: either could be the one the client forged', () => {
    // The proxy appended to X-Forwarded-For and passed the client's Forwarded through …
    const forgedForwarded = lines(['x-forwarded-for', '10.252.0.26'], ['forwarded', 'for=10.252.0.99']);
    expect(clientAddress('10.0.0.5', forgedForwarded, proxies)).toBe('10.0.0.5');
    // … or the other way round.
    const forgedXff = lines(['x-forwarded-for', '10.252.0.99'], ['forwarded', 'for=10.252.0.26']);
    expect(clientAddress('10.0.0.5', forgedXff, proxies)).toBe('10.0.0.5');
  });

  it('ignores a Forwarded header that says nothing about for=', () => {
    const headers = lines(['x-forwarded-for', '10.252.0.26'], ['forwarded', 'proto=https']);
    expect(clientAddress('10.0.0.5', headers, proxies)).toBe('10.252.0.26');
  });
});

describe('addresses', () => {
  it('spells IPv6 the way Node writes a peer, and mapped IPv4 as IPv4', () => {
    expect(plainAddress('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(plainAddress('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(plainAddress('0:0:0:0:0:FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(plainAddress('10.0.0.1')).toBe('10.0.0.1');
  });

  it('reads chain entries with and without ports, and nothing else', () => {
    expect(entryAddress('10.0.0.1:80')).toBe('10.0.0.1');
    expect(entryAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(entryAddress(' 2001:db8::2 ')).toBe('2001:db8::2');
    for (const garbage of ['[10.0.0.1]', '10.0.0.1:', 'host.example', '_hidden', 'unknown', '[::1', '']) {
      expect(entryAddress(garbage), garbage).toBeUndefined();
    }
  });

  it('refuses malformed CIDRs naming the entry', () => {
    expect(() => new TrustedProxies(['10.0.0.0/33'])).toThrow(/"10.0.0.0\/33" is not an IP address or CIDR/);
    expect(() => new TrustedProxies(['proxy.local'])).toThrow(/"proxy.local"/);
  });
});
