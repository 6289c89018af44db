import { describe, expect, it } from 'vitest';
import { clientAddress, TrustedProxies } from '../../src/server/client-address.js';

describe('client address', () => {
  const proxies = new TrustedProxies(['10.0.0.0/24', '::1', 'fd00::/64']);

  it('is the TCP peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('192.0.2.7', '10.252.0.26', new TrustedProxies([]))).toBe('192.0.2.7');
  });

  it('believes the first X-Forwarded-For entry only from a trusted proxy', () => {
    expect(clientAddress('10.0.0.5', ' 10.252.0.26 , 10.0.0.5', proxies)).toBe('10.252.0.26');
    expect(clientAddress('::ffff:10.0.0.5', '10.252.0.26', proxies)).toBe('10.252.0.26');
    expect(clientAddress('::1', '10.252.0.27', proxies)).toBe('10.252.0.27');
    expect(clientAddress('10.0.1.5', '10.252.0.26', proxies)).toBe('10.0.1.5');
  });

  it('ignores a garbage X-Forwarded-For even from a trusted proxy', () => {
    expect(clientAddress('10.0.0.5', 'not-an-ip', proxies)).toBe('10.0.0.5');
  });

  it('normalises IPv4-mapped IPv6 peers', () => {
    expect(clientAddress('::ffff:127.0.0.1', null, proxies)).toBe('127.0.0.1');
  });

  it('refuses malformed CIDRs naming the entry', () => {
    expect(() => new TrustedProxies(['10.0.0.0/33'])).toThrow(/"10.0.0.0\/33" is not an IP address or CIDR/);
    expect(() => new TrustedProxies(['proxy.local'])).toThrow(/"proxy.local"/);
  });
});
