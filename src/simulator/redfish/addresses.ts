// The simulator's listen addresses: one IPv4 address per BMC from the first one upward, each
// a real host address (the .0 and .255 of every /24 are skipped, as on a site's BMC network).
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const toNumber = (address: string) => address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
const toAddress = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** `count` addresses from `first` upward; throws a RangeError naming what is wrong. */
export function listenAddresses(first: string, count: number): string[] {
  if (!IPV4.test(first)) throw new RangeError(`listen address "${first}" is not an IPv4 address (as 127.0.10.1)`);
  const start = toNumber(first);
  if (start === 0 || start === 0xffffffff || (start & 0xff000000) >>> 0 === 0) {
    throw new RangeError(`listen address "${first}" is not a host address; the simulator never listens on all interfaces`);
  }
  const addresses: string[] = [];
  for (let n = start; addresses.length < count; n += 1) {
    if (n >= 0xffffffff || n >>> 24 !== start >>> 24) {
      throw new RangeError(`${count} addresses from ${first} run past ${first.split('.')[0]}.255.255.254`);
    }
    const last = n & 255;
    if (last !== 0 && last !== 255) addresses.push(toAddress(n));
  }
  return addresses;
}
