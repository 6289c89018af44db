// SMD Ethernet interfaces: the ID/MAC rules, one decoder in two dialects, the PATCH bodies, the
// query filter and SMD's wording per route.
import { describe, expect, it } from 'vitest';
import {
  checkPatchComponentId,
  decodeEthernetInterface,
  decodeEthernetInterfacePatch,
  decodeIpAddress,
  decodeIpAddressPatch,
  ethernetInterfaceFilterFromQuery,
  ethernetInterfaceId,
  ethernetInterfaceJson,
  ethernetInterfaceReplacement,
  ethernetInterfaceWriteError,
  macOfInterfaceId,
} from '../../../src/codecs/smd/index.js';
import { ConflictError, InventoryError, ValidationError } from '../../../src/domain/errors.js';

const query = (search: string) => {
  const params = new URLSearchParams(search);
  return { all: (n: string) => params.getAll(n), get: (n: string) => params.get(n) ?? undefined, has: (n: string) => params.has(n) };
};

const record = {
  macAddress: 'aa:bb:cc:dd:ee:01',
  description: null,
  updatedAt: new Date('2025-01-02T03:04:05.678Z'),
  componentXname: 'x1c0s0b0n0',
  componentType: 'Node',
  ipAddresses: [
    { address: '10.0.0.1', network: 'HMN' },
    { address: '10.1.0.1', network: null },
  ],
};

describe('interface JSON and IDs', () => {
  it('writes CompEthInterfaceV2 with the ID the MAC without separators', () => {
    expect(ethernetInterfaceJson(record)).toEqual({
      ID: 'aabbccddee01',
      Description: '',
      MACAddress: 'aa:bb:cc:dd:ee:01',
      LastUpdate: '2025-01-02T03:04:05.678Z',
      ComponentID: 'x1c0s0b0n0',
      Type: 'Node',
      IPAddresses: [{ IPAddress: '10.0.0.1', Network: 'HMN' }, { IPAddress: '10.1.0.1' }],
    });
    expect(ethernetInterfaceId('AA-BB-CC-DD-EE-01')).toBe('aabbccddee01');
    expect(macOfInterfaceId('AABBCCDDEE01')).toBe('aa:bb:cc:dd:ee:01');
    expect(macOfInterfaceId('not-a-mac')).toBeUndefined();
  });

  it('reads back what it writes (lenient: a dump record, a Fabrica spec)', () => {
    expect(ethernetInterfaceReplacement(ethernetInterfaceJson(record))).toEqual({
      macAddress: 'aa:bb:cc:dd:ee:01',
      description: null,
      componentXname: 'x1c0s0b0n0',
      ipAddresses: [
        { address: '10.0.0.1', network: 'HMN' },
        { address: '10.1.0.1', network: undefined },
      ],
    });
  });
});

describe('the two dialects', () => {
  it("strict normalises MACAddress by SMD's rule and words each refusal as SMD", () => {
    expect(
      decodeEthernetInterface({ MACAddress: 'AA-BB-CC-DD-EE-01', IPAddresses: [{ IPAddress: '10.0.0.1', Network: '' }] }, 'strict'),
    ).toEqual({
      macAddress: 'aa:bb:cc:dd:ee:01',
      description: undefined,
      componentXname: null,
      ipAddresses: [{ address: '10.0.0.1', network: null }],
    });
    expect(() => decodeEthernetInterface({ MACAddress: 'aabb' }, 'strict')).toThrow('MAC string has invalid length');
    expect(() => decodeEthernetInterface({ MACAddress: 'aabbccddee01', ComponentID: 'nope' }, 'strict')).toThrow(
      'Invalid CompEthInterface component ID',
    );
    expect(() => decodeEthernetInterface({ MACAddress: 'aabbccddee01', IPAddresses: [{}] }, 'strict')).toThrow(
      'Invalid CompEthInterface IP Address',
    );
    expect(() => decodeEthernetInterface({ MACAddress: 7 }, 'strict')).toThrow(
      'json: cannot unmarshal number into Go struct field MACAddress of type string',
    );
  });

  it('lenient takes the MAC from the ID when MACAddress is absent, and refuses an ID of another MAC', () => {
    expect(decodeEthernetInterface({ ID: 'aabbccddee01' }, 'lenient')).toEqual({ macAddress: 'aabbccddee01' });
    expect(() => decodeEthernetInterface({ ID: 'aabbccddee02', MACAddress: 'aa:bb:cc:dd:ee:01' }, 'lenient')).toThrow(
      'ID: "aabbccddee02" is not the ID of MACAddress "aa:bb:cc:dd:ee:01"',
    );
  });
});

describe('PATCH bodies', () => {
  it('needs a field, and checks the ComponentID once asked', () => {
    expect(() => decodeEthernetInterfacePatch({})).toThrow('Request must have at least one patch field.');
    expect(decodeEthernetInterfacePatch({ ComponentID: 'bad' })).toEqual({
      description: undefined,
      componentXname: 'bad',
      ipAddresses: undefined,
    });
    expect(() => checkPatchComponentId('bad')).toThrow('bad query param: Argument was not a valid xname ID');
    expect(() => checkPatchComponentId(undefined)).not.toThrow();
  });

  it('reads one IP address, and a Network change only when Network is there', () => {
    expect(decodeIpAddress({ IPAddress: '10.0.0.9' })).toEqual({ address: '10.0.0.9', network: null });
    expect(decodeIpAddressPatch({})).toBeUndefined();
    expect(decodeIpAddressPatch({ Network: null })).toEqual({ network: null });
  });
});

describe('the query filter', () => {
  it('turns IDs into MACs, normalises MACs and takes ipaddr as IPAddress', () => {
    expect(ethernetInterfaceFilterFromQuery(query('id=AABBCCDDEE01&macaddress=AA-BB-CC-DD-EE-02&ipaddr=10.0.0.1&type=node'))).toEqual({
      ids: ['aa:bb:cc:dd:ee:01'],
      macAddresses: ['aa:bb:cc:dd:ee:02'],
      ipAddresses: ['10.0.0.1'],
      types: ['Node'],
    });
    expect(() => ethernetInterfaceFilterFromQuery(query('newerthan=yesterday'))).toThrow(
      'bad query param: Argument was not in a valid RFC3339 time format',
    );
    expect(() => ethernetInterfaceFilterFromQuery(query('componentid=bad'))).toThrow('Invalid CompID.');
  });
});

describe("SMD's wording per route", () => {
  const message = (error: unknown) => (error as Error).message;

  it('answers a duplicate MAC, a bad address and a missing IP address as SMD', () => {
    expect(message(ethernetInterfaceWriteError('post', new ConflictError('macAddress', 'taken')))).toMatch(/same MAC address\.$/);
    expect(message(ethernetInterfaceWriteError('post', new ValidationError('ipAddresses.0.address', 'not an IP')))).toBe(
      'Invalid CompEthInterface IP Address',
    );
    expect(message(ethernetInterfaceWriteError('delete-ip', new InventoryError('NOT_FOUND', 'x', 'address'), 'aabb'))).toBe(
      'component ethernet interface has no such ip address.',
    );
    expect(message(ethernetInterfaceWriteError('delete-ip', new InventoryError('NOT_FOUND', 'x', 'id'), 'aabb'))).toBe(
      'No such component ethernet interface: aabb',
    );
  });
});
