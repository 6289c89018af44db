// SMD /hsm/v2/Inventory/Hardware, HardwareByFRU and their History against a real database,
// through the in-process app: locations are positions, FRUs devices, history installations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectSmdProblem } from '../support/smd.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const HW = '/hsm/v2/Inventory/Hardware';
const FRU = '/hsm/v2/Inventory/HardwareByFRU';

const node = (serial: string) => ({
  ID: 'x1000c0s0b0n0',
  Type: 'Node',
  NodeLocationInfo: { Id: 'System.Embedded.1', Name: 'node0', Description: 'Compute node', Hostname: 'nid000001' },
  PopulatedFRU: {
    FRUID: 'ignored: SMD computes it',
    NodeFRUInfo: {
      Manufacturer: 'HPE',
      Model: 'EX425',
      PartNumber: '102901500',
      SerialNumber: serial,
      SystemType: 'Physical',
      UUID: 'node-uuid',
    },
  },
});

const processor = (p: number) => ({
  ID: `x1000c0s0b0n0p${p}`,
  ProcessorLocationInfo: { Id: `CPU${p}`, Name: 'Processor', Socket: `P${p}` },
  PopulatedFRU: {
    ProcessorFRUInfo: { Manufacturer: 'AMD', Model: 'EPYC 7763', PartNumber: '100-000000312', SerialNumber: `CPU-SN-${p}`, TotalCores: 64 },
  },
});

const memory = {
  ID: 'x1000c0s0b0n0d0',
  MemoryLocationInfo: { Id: 'DIMM0', Name: 'DIMM A0', MemoryLocation: { Socket: 1, Channel: 1, Slot: 1 } },
  PopulatedFRU: { MemoryFRUInfo: { Manufacturer: 'Micron', PartNumber: 'MTA36ASF8G72PZ', SerialNumber: 'DIMM-SN-0', CapacityMiB: 65536 } },
};

describe('POST and GET Inventory/Hardware', () => {
  it('loads locations with their FRUs and answers Created N entries', async () => {
    const res = await gw.rest('POST', HW, { Hardware: [node('ND-1'), processor(0), processor(1), memory] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: 0, message: 'Created 4 entries' });
  });

  it('answers one location with SMD keys and the FRUID SMD computes', async () => {
    const res = await gw.rest('GET', `${HW}/X1000C0S0B0N0`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ID: 'x1000c0s0b0n0',
      Type: 'Node',
      Ordinal: 0,
      Status: 'Populated',
      HWInventoryByLocationType: 'HWInvByLocNode',
      NodeLocationInfo: { Id: 'System.Embedded.1', Name: 'node0', Description: 'Compute node', Hostname: 'nid000001' },
      PopulatedFRU: {
        FRUID: 'Node.HPE.102901500.ND1',
        Type: 'Node',
        Subtype: '',
        HWInventoryByFRUType: 'HWInvByFRUNode',
        NodeFRUInfo: {
          Manufacturer: 'HPE',
          Model: 'EX425',
          PartNumber: '102901500',
          SerialNumber: 'ND-1',
          SystemType: 'Physical',
          UUID: 'node-uuid',
        },
      },
    });
    expect((await gw.rest('GET', `${HW}/x1000c0s0b0n0p1`)).body).toMatchObject({
      Ordinal: 1,
      HWInventoryByLocationType: 'HWInvByLocProcessor',
      ProcessorLocationInfo: { Socket: 'P1' },
      PopulatedFRU: { FRUID: 'Processor.AMD.100000000312.CPUSN1' },
    });
    expectSmdProblem(await gw.rest('GET', `${HW}/x1000c0s0b0n1`), 404, 'no such xname.');
    expectSmdProblem(await gw.rest('GET', `${HW}/bogus`), 404, 'no such xname.');
  });

  it('creates the positions (Populated) and the devices, visible in GraphQL', async () => {
    const res = await gw.gql(`{ component(xname: "x1000c0s0b0n0") { type state device { deviceType manufacturer serialNumber } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.component).toEqual({
      type: 'Node',
      state: 'Populated',
      device: { deviceType: 'Node', manufacturer: 'HPE', serialNumber: 'ND-1' },
    });
  });

  it('refuses bad locations with SMD details and writes none of the batch', async () => {
    const bad = async (item: unknown, detail: string) =>
      expectSmdProblem(await gw.rest('POST', HW, { Hardware: [processor(2), item] }), 400, detail);
    await bad({ ...memory, ID: 'nope' }, 'ID is empty or not a valid xname');
    await bad({ ID: 'x1000c0s0b0n0d1', MemoryLocationInfo: {} }, 'PopulatedFRU must be populated');
    await bad({ ID: 'x1000b0', PopulatedFRU: {} }, 'HMSType value not supported for this operation');
    await bad({ ID: 'x1000c0s0b0n0d1', PopulatedFRU: memory.PopulatedFRU }, 'Component location info is empty');
    await bad({ ID: 'x1000c0s0b0n0d1', MemoryLocationInfo: {}, PopulatedFRU: { NodeFRUInfo: {} } }, 'FRU info is empty');
    expect((await gw.rest('GET', `${HW}/x1000c0s0b0n0p2`)).status).toBe(404);
  });

  it('filters locations and FRUs', async () => {
    const ids = async (q: string) => ((await gw.rest('GET', `${HW}${q}`)).body as Array<{ ID: string }>).map((l) => l.ID);
    expect(await ids('')).toEqual(['x1000c0s0b0n0', 'x1000c0s0b0n0d0', 'x1000c0s0b0n0p0', 'x1000c0s0b0n0p1']);
    expect(await ids('?type=processor')).toEqual(['x1000c0s0b0n0p0', 'x1000c0s0b0n0p1']);
    expect(await ids('?manufacturer=Micron')).toEqual(['x1000c0s0b0n0d0']);
    expect(await ids('?fruid=Node.HPE.102901500.ND1&id=x1000c0s0b0n0&id=x1000c0s0b0n0p0')).toEqual(['x1000c0s0b0n0']);
    expect(await ids('?serialnumber=CPU-SN-0&serialnumber=CPU-SN-1')).toEqual(['x1000c0s0b0n0p0', 'x1000c0s0b0n0p1']);
    expectSmdProblem(await gw.rest('GET', `${HW}?id=bad`), 400, 'Invalid xname');
    expectSmdProblem(await gw.rest('GET', `${HW}?type=Booster`), 400, 'Invalid HMS type');
    const frus = (await gw.rest('GET', `${FRU}?type=Processor`)).body as Array<{ FRUID: string }>;
    expect(frus.map((f) => f.FRUID)).toEqual(['Processor.AMD.100000000312.CPUSN0', 'Processor.AMD.100000000312.CPUSN1']);
    const one = await gw.rest('GET', `${FRU}/Memory.Micron.MTA36ASF8G72PZ.DIMMSN0`);
    expect(one.body).toEqual({
      FRUID: 'Memory.Micron.MTA36ASF8G72PZ.DIMMSN0',
      Type: 'Memory',
      Subtype: '',
      HWInventoryByFRUType: 'HWInvByFRUMemory',
      MemoryFRUInfo: { Manufacturer: 'Micron', PartNumber: 'MTA36ASF8G72PZ', SerialNumber: 'DIMM-SN-0', CapacityMiB: 65536 },
    });
    expectSmdProblem(await gw.rest('GET', `${FRU}/nope`), 404, 'no such FRU ID.');
  });

  it('answers Query/{xname} nested under nodes or fully flat', async () => {
    const nested = await gw.rest('GET', `${HW}/Query/x1000c0s0b0`);
    expect(nested.status).toBe(200);
    expect(nested.body.XName).toBe('x1000c0s0b0');
    expect(nested.body.Format).toBe('NestNodesOnly');
    expect(nested.body.Nodes).toHaveLength(1);
    expect(nested.body.Nodes[0].Processors.map((p: { ID: string }) => p.ID)).toEqual(['x1000c0s0b0n0p0', 'x1000c0s0b0n0p1']);
    expect(nested.body.Nodes[0].Memory.map((p: { ID: string }) => p.ID)).toEqual(['x1000c0s0b0n0d0']);
    expect(nested.body.Processors).toBeUndefined();
    const flat = await gw.rest('GET', `${HW}/Query/all?format=fullyflat`);
    expect(flat.body.Format).toBe('FullyFlat');
    expect(flat.body.Processors).toHaveLength(2);
    expect(flat.body.Nodes[0].Processors).toBeUndefined();
    const parents = await gw.rest('GET', `${HW}/Query/x1000c0s0b0n0p0?parents=true`);
    expect(parents.body.Nodes.map((n: { ID: string }) => n.ID)).toEqual(['x1000c0s0b0n0']);
    expect((await gw.rest('GET', `${HW}/Query/x2000c0s0b0n0`)).body).toEqual({ XName: 'x2000c0s0b0n0', Format: 'NestNodesOnly' });
    expectSmdProblem(await gw.rest('GET', `${HW}/Query/bogus`), 400, 'Invalid xname');
    expectSmdProblem(await gw.rest('GET', `${HW}/Query/all?format=Hierarchical`), 400, 'Invalid format');
    expectSmdProblem(await gw.rest('GET', `${HW}/Query/all?children=maybe`), 400, 'Invalid boolean for children');
  });
});

describe('history', () => {
  it('records a FRU swap as Removed and Added events, by location and by FRU', async () => {
    expect((await gw.rest('POST', HW, { Hardware: [node('ND-2')] })).body).toEqual({ code: 0, message: 'Created 1 entries' });
    const byLoc = await gw.rest('GET', `${HW}/History/x1000c0s0b0n0`);
    expect(byLoc.status).toBe(200);
    expect(byLoc.body.ID).toBe('x1000c0s0b0n0');
    expect(byLoc.body.History.map((e: { FRUID: string; EventType: string }) => [e.FRUID, e.EventType])).toEqual([
      ['Node.HPE.102901500.ND1', 'Added'],
      ['Node.HPE.102901500.ND1', 'Removed'],
      ['Node.HPE.102901500.ND2', 'Added'],
    ]);
    expect(byLoc.body.History[0]).toEqual({
      ID: 'x1000c0s0b0n0',
      FRUID: 'Node.HPE.102901500.ND1',
      Timestamp: expect.stringMatching(/Z$/),
      EventType: 'Added',
    });
    const all = await gw.rest('GET', `${HW}/History?eventtype=removed`);
    expect(all.body).toEqual({ Components: [{ ID: 'x1000c0s0b0n0', History: [expect.objectContaining({ EventType: 'Removed' })] }] });
    const byFru = await gw.rest('GET', `${FRU}/History?fruid=Node.HPE.102901500.ND1`);
    expect(byFru.body.Components).toEqual([
      {
        ID: 'Node.HPE.102901500.ND1',
        History: [expect.objectContaining({ EventType: 'Added' }), expect.objectContaining({ EventType: 'Removed' })],
      },
    ]);
    expect((await gw.rest('GET', `${FRU}/History/Node.HPE.102901500.ND2`)).body).toEqual({
      ID: 'Node.HPE.102901500.ND2',
      History: [expect.objectContaining({ EventType: 'Added' })],
    });
    expect((await gw.rest('GET', `${HW}/History/x1000c0s0b0n7`)).body).toEqual({ ID: 'x1000c0s0b0n7', History: [] });
    expectSmdProblem(await gw.rest('GET', `${HW}/History/bogus`), 400, 'Invalid xname');
    expectSmdProblem(await gw.rest('GET', `${HW}/History?eventtype=Exploded`), 400, 'Invalid HWInvHist event type');
    expectSmdProblem(
      await gw.rest('GET', `${HW}/History?starttime=today`),
      400,
      'bad query param: Argument was not in a valid RFC3339 time format',
    );
    expect((await gw.rest('GET', `${HW}/History?starttime=2000-01-01T00:00:00Z&endtime=2001-01-01T00:00:00Z`)).body).toEqual({
      Components: [],
    });
  });

  it('deletes finished history; current installations stay', async () => {
    expect((await gw.rest('DELETE', `${HW}/History/x1000c0s0b0n0`)).body).toEqual({ code: 0, message: 'deleted 2 entries' });
    expectSmdProblem(await gw.rest('DELETE', `${HW}/History/x1000c0s0b0n0`), 404, 'no entries to delete');
    expectSmdProblem(await gw.rest('DELETE', `${HW}/History`), 404, 'no entries to delete');
    expect((await gw.rest('GET', `${HW}/History/x1000c0s0b0n0`)).body.History).toHaveLength(1);
  });
});

describe('one store with GraphQL', () => {
  it('shows a device installed through GraphQL as a location with a standard FRUID', async () => {
    const created = await gw.gql(`mutation { createComponent(input: { xname: "x1000c0s1b0n0", state: "On" }) { xname } }`);
    expect(created.errors).toBeUndefined();
    const device = await gw.gql(
      `mutation { createDevice(input: { deviceType: "Node", manufacturer: "Gigabyte", partNumber: "G292-Z20", serialNumber: "GB 77" }) { id } }`,
    );
    expect(device.errors).toBeUndefined();
    const installed = await gw.gql(`mutation($id: ID!) { installDevice(xname: "x1000c0s1b0n0", deviceId: $id) { xname } }`, {
      id: device.data.createDevice.id,
    });
    expect(installed.errors).toBeUndefined();
    const res = await gw.rest('GET', `${HW}/x1000c0s1b0n0`);
    expect(res.body).toEqual({
      ID: 'x1000c0s1b0n0',
      Type: 'Node',
      Ordinal: 0,
      Status: 'Populated',
      HWInventoryByLocationType: 'HWInvByLocNode',
      NodeLocationInfo: {},
      PopulatedFRU: {
        FRUID: 'Node.Gigabyte.G292Z20.GB77',
        Type: 'Node',
        Subtype: '',
        HWInventoryByFRUType: 'HWInvByFRUNode',
        NodeFRUInfo: { Manufacturer: 'Gigabyte', PartNumber: 'G292-Z20', SerialNumber: 'GB 77' },
      },
    });
    expect((await gw.rest('GET', `${FRU}/Node.Gigabyte.G292Z20.GB77`)).status).toBe(200);
  });
});

describe('deletes', () => {
  it('deletes a location: the device leaves, the position stays', async () => {
    expect((await gw.rest('DELETE', `${HW}/x1000c0s0b0n0d0`)).body).toEqual({ code: 0, message: 'deleted 1 entry' });
    expectSmdProblem(await gw.rest('DELETE', `${HW}/x1000c0s0b0n0d0`), 404, 'no such xname.');
    expectSmdProblem(await gw.rest('DELETE', `${HW}/bogus`), 404, 'no such xname.');
    expect((await gw.db.prisma.component.findFirst({ where: { xname: 'x1000c0s0b0n0d0', deletedAt: null } }))?.hwStatus).toBeNull();
    // The FRU is still known, just not installed.
    expect((await gw.rest('GET', `${FRU}/Memory.Micron.MTA36ASF8G72PZ.DIMMSN0`)).status).toBe(200);
  });

  it('deletes a FRU, then all FRUs and all locations', async () => {
    expect((await gw.rest('DELETE', `${FRU}/Memory.Micron.MTA36ASF8G72PZ.DIMMSN0`)).body).toEqual({ code: 0, message: 'deleted 1 entry' });
    expectSmdProblem(await gw.rest('DELETE', `${FRU}/Memory.Micron.MTA36ASF8G72PZ.DIMMSN0`), 404, 'no such FRU ID.');
    expect((await gw.rest('DELETE', HW)).body).toMatchObject({ code: 0, message: expect.stringMatching(/^deleted \d+ entries$/) });
    expect((await gw.rest('GET', HW)).body).toEqual([]);
    expectSmdProblem(await gw.rest('DELETE', HW), 404, 'no entries to delete');
    expect((await gw.rest('DELETE', FRU)).body).toMatchObject({ code: 0, message: expect.stringMatching(/^deleted \d+ entries$/) });
    expect((await gw.rest('GET', FRU)).body).toEqual([]);
    expectSmdProblem(await gw.rest('DELETE', FRU), 404, 'no entries to delete');
  });

  it('records hardware writes in the change log with the smd source', async () => {
    const events = await gw.db.prisma.changeEvent.findMany({ where: { source: 'smd' } });
    expect(new Set(events.map((e) => e.entityType))).toEqual(new Set(['Component', 'Device', 'Installation']));
  });
});
