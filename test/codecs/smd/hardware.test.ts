// SMD hardware inventory: HWInvByLoc/HWInvByFRU JSON, one location decoder in two dialects
// with SMD's FRUID rule, the history groups and the Query answer.
import { describe, expect, it } from 'vitest';
import {
  decodeHardwareLocation,
  decodeHardwarePost,
  decodeHardwareQuery,
  fruJson,
  historyGroupsJson,
  locationJson,
  systemInventoryJson,
} from '../../../src/codecs/smd/index.js';
import type { HardwareLocationView } from '../../../src/services/smd/index.js';

const query = (search: string) => {
  const params = new URLSearchParams(search);
  return { all: (n: string) => params.getAll(n), get: (n: string) => params.get(n) ?? undefined, has: (n: string) => params.has(n) };
};

const fruInfo = { Manufacturer: 'AMD', Model: 'EPYC', PartNumber: '100-0007', SerialNumber: 'CPU-0001' };
const location = (xname: string, type: string): HardwareLocationView => ({
  componentId: xname,
  xname,
  type,
  ordinal: 0,
  status: 'Populated',
  locationInfo: { Id: xname },
  fru: {
    deviceId: 'd',
    fruId: `${type}.fru`,
    type,
    deviceType: type,
    manufacturer: null,
    partNumber: null,
    serialNumber: null,
    model: null,
    fruInfo,
    xname,
  },
});

describe('hardware JSON', () => {
  it('names the blocks after the type, and PDUs after SMD', () => {
    expect(locationJson(location('x1c0s0b0n0p0', 'Processor'))).toMatchObject({
      ID: 'x1c0s0b0n0p0',
      HWInventoryByLocationType: 'HWInvByLocProcessor',
      ProcessorLocationInfo: { Id: 'x1c0s0b0n0p0' },
      PopulatedFRU: { FRUID: 'Processor.fru', HWInventoryByFRUType: 'HWInvByFRUProcessor', ProcessorFRUInfo: fruInfo },
    });
    expect(fruJson({ ...location('x1m0p0', 'CabinetPDU').fru!, type: 'CabinetPDU' })).toHaveProperty('PDUFRUInfo');
  });

  it('reads back what it writes, with the FRUID SMD computes', () => {
    const input = decodeHardwareLocation(locationJson(location('x1c0s0b0n0p0', 'Processor')), 'lenient');
    expect(input).toMatchObject({ xname: 'x1c0s0b0n0p0', ordinal: 0, locationInfo: { Id: 'x1c0s0b0n0p0' } });
    expect(input.fru).toMatchObject({ fruId: 'Processor.AMD.1000007.CPU0001', manufacturer: 'AMD', serialNumber: 'CPU-0001' });
  });
});

describe('the two dialects', () => {
  const body = { ID: 'x1c0s0b0n0p0', PopulatedFRU: { ProcessorFRUInfo: { SerialNumber: 'S1' } } };

  it('strict checks in SMD order and words, and requires the location info', () => {
    expect(() => decodeHardwareLocation({ ID: 'nope' }, 'strict')).toThrow('ID is empty or not a valid xname');
    expect(() => decodeHardwareLocation({ ID: 'x1c0s0b0n0p0' }, 'strict')).toThrow('PopulatedFRU must be populated');
    expect(() => decodeHardwareLocation({ ...body, ID: 'x1c0s0b0n0i0' }, 'strict')).toThrow(
      'HMSType value not supported for this operation',
    );
    expect(() => decodeHardwareLocation(body, 'strict')).toThrow('Component location info is empty');
    expect(decodeHardwarePost({ Hardware: [{ ...body, ProcessorLocationInfo: {} }] })[0].fru.fruId).toBe('FRUIDforx1c0s0b0n0p0');
  });

  it('lenient names the field and defaults the location info', () => {
    expect(decodeHardwareLocation(body, 'lenient').locationInfo).toEqual({});
    expect(() => decodeHardwareLocation({ ID: 'x1c0s0b0n0p0', PopulatedFRU: {} }, 'lenient')).toThrow(
      'PopulatedFRU.ProcessorFRUInfo: is required',
    );
    expect(() => decodeHardwareLocation({ ...body, Ordinal: -1 }, 'lenient')).toThrow('Ordinal: must be a non-negative integer');
  });
});

describe('history and Query', () => {
  it('groups history events by location in order of first event', () => {
    const at = new Date('2025-01-01T00:00:00.000Z');
    const events = [
      { xname: 'x1', fruId: 'f1', timestamp: at, eventType: 'Added' as const, installationId: 'i1' },
      { xname: 'x2', fruId: 'f1', timestamp: at, eventType: 'Added' as const, installationId: 'i2' },
      { xname: 'x1', fruId: 'f1', timestamp: at, eventType: 'Removed' as const, installationId: 'i1' },
    ];
    expect(historyGroupsJson(events, 'xname').Components.map((c) => [c.ID, c.History.length])).toEqual([
      ['x1', 2],
      ['x2', 1],
    ]);
    expect(historyGroupsJson(events, 'fruId').Components).toHaveLength(1);
  });

  it('files node parts under their node unless FullyFlat, and keeps what the xname selects', () => {
    const all = [location('x1c0s0b0n0', 'Node'), location('x1c0s0b0n0p0', 'Processor'), location('x1c0s1b0n0', 'Node')];
    const nested = systemInventoryJson(all, decodeHardwareQuery('x1c0s0', query('')));
    expect(nested).toMatchObject({ XName: 'x1c0s0', Format: 'NestNodesOnly' });
    expect((nested.Nodes as Array<Record<string, unknown>>).map((n) => [n.ID, (n.Processors as unknown[] | undefined)?.length])).toEqual([
      ['x1c0s0b0n0', 1],
    ]);
    const flat = systemInventoryJson(all, decodeHardwareQuery('all', query('format=fullyflat')));
    expect([(flat.Nodes as unknown[]).length, (flat.Processors as unknown[]).length]).toEqual([2, 1]);
    expect(() => decodeHardwareQuery('x1', query('parents=maybe'))).toThrow('Invalid boolean for parents');
  });
});
