// The simulated BMCs serve valid Redfish in both vendor shapes: every link resolves, every count
// matches, and the hardware is the synthetic cluster's (the same serials and MACs the demo holds).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { type BmcSimulator, startBmcSimulator } from '../../src/simulator/redfish/index.js';
import { basic, crawl, redfishClient } from './support.js';

let sim: BmcSimulator;
let client: ReturnType<typeof redfishClient>;

beforeAll(async () => {
  sim = await startBmcSimulator({ count: 5, listen: '127.0.10.1', port: 0, vendors: ['hpe-cray', 'dell-idrac', 'openbmc', 'supermicro'] });
  client = redfishClient(sim);
});
afterAll(async () => {
  client?.close();
  await sim?.close();
});

/** Every `X@odata.count` equals the length of the array X beside it. */
function countMismatches(doc: unknown, at = ''): string[] {
  if (!doc || typeof doc !== 'object') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (key.endsWith('@odata.count')) {
      const list = (doc as Record<string, unknown>)[key.slice(0, -'@odata.count'.length)];
      if (!Array.isArray(list) || list.length !== value) out.push(`${at}${key}`);
    } else out.push(...countMismatches(value, `${at}${key}.`));
  }
  return out;
}

describe('the Redfish tree', () => {
  it('lists one BMC per address with the vendors round robin', () => {
    expect(sim.bmcs.map((b) => [b.xname, b.host, b.vendor])).toEqual([
      ['x1000c0s0b0', '127.0.10.1', 'hpe-cray'],
      ['x1000c0s1b0', '127.0.10.2', 'dell-idrac'],
      ['x1000c0s2b0', '127.0.10.3', 'openbmc'],
      ['x1000c0s3b0', '127.0.10.4', 'supermicro'],
      ['x1000c0s4b0', '127.0.10.5', 'hpe-cray'],
    ]);
    expect(new Set(sim.bmcs.map((b) => b.port)).size).toBe(1);
    expect(sim.bmcs[0]?.address).toBe(`127.0.10.1:${sim.bmcs[0]?.port}`);
    expect(sim.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it.each([
    ['hpe-cray', 0, ['/redfish/v1/Systems/Node0', '/redfish/v1/Systems/Node1'], '/redfish/v1/Managers/BMC', ['Enclosure', 'Blade']],
    ['dell-idrac', 1, ['/redfish/v1/Systems/System.Embedded.1'], '/redfish/v1/Managers/iDRAC.Embedded.1', ['System.Embedded.1']],
    ['openbmc', 2, ['/redfish/v1/Systems/system'], '/redfish/v1/Managers/bmc', ['chassis']],
    ['supermicro', 3, ['/redfish/v1/Systems/1'], '/redfish/v1/Managers/1', ['1']],
  ])('serves the %s shape: links resolve, counts match, FRUs carry identity', async (_vendor, index, systems, manager, chassis) => {
    const bmc = sim.bmcs[index as number]!;
    const tree = await crawl((path) => client.call(bmc, path, { headers: { authorization: basic(bmc) } }));
    expect(tree.get('/redfish/v1/Systems').Members.map((m: any) => m['@odata.id'])).toEqual(systems);
    expect(tree.get('/redfish/v1/Managers').Members).toEqual([{ '@odata.id': manager }]);
    expect(tree.get('/redfish/v1/Chassis').Members.map((m: any) => m['@odata.id'])).toEqual(
      (chassis as string[]).map((c) => `/redfish/v1/Chassis/${c}`),
    );
    for (const [path, doc] of tree) {
      if (path === '/redfish/v1') continue;
      expect(doc['@odata.id'], path).toBe(path);
      expect(doc['@odata.type'], path).toMatch(/^#\w+\.(v\d+_\d+_\d+\.)?\w+$/);
      expect(countMismatches(doc), path).toEqual([]);
    }
    const docs = [...tree.values()];
    const processors = docs.filter((d) => d['@odata.type'].startsWith('#Processor.'));
    const dimms = docs.filter((d) => d['@odata.type'].startsWith('#Memory.'));
    expect(processors.filter((p) => p.ProcessorType === 'GPU')).toHaveLength(2 * systems.length);
    expect(processors.filter((p) => p.ProcessorType === 'CPU')).toHaveLength(2 * systems.length);
    expect(dimms).toHaveLength(8 * systems.length);
    for (const fru of [...processors, ...dimms, ...docs.filter((d) => /#(Drive|PCIeDevice|Chassis|Manager)\./.test(d['@odata.type']))]) {
      for (const field of ['Manufacturer', 'Model', 'PartNumber', 'SerialNumber'])
        expect(fru[field], `${fru['@odata.id']} ${field}`).toBeTruthy();
    }
    for (const dimm of dimms) expect(dimm).toMatchObject({ CapacityMiB: 65536, DeviceLocator: expect.stringMatching(/^DIMM\d$/) });
    const power = docs.find((d) => d['@odata.type'].startsWith('#Power.'));
    const thermal = docs.find((d) => d['@odata.type'].startsWith('#Thermal.'));
    expect(power.PowerSupplies).toHaveLength(2);
    expect(thermal.Fans).toHaveLength(4);
    for (const part of [...power.PowerSupplies, ...thermal.Fans]) expect(part.SerialNumber).toMatch(/^(PS|FN)[0-9A-F]{8}$/);
    expect(power.PowerControl[0].PowerCapacityWatts).toBe(6000);
    for (const system of docs.filter((d) => d['@odata.type'].startsWith('#ComputerSystem.'))) {
      expect(system.Actions['#ComputerSystem.Reset']['ResetType@Redfish.AllowableValues']).toContain('ForceOff');
      expect(system.BiosVersion).toBeTruthy();
    }
    expect(tree.get(manager as string).CommandShell.ConnectTypesSupported).toEqual(['SSH']);
    const managerNic = docs.find((d) => d['@odata.id'].startsWith(`${manager}/EthernetInterfaces/`));
    expect(managerNic.MACAddress).toMatch(/^02:20:/);
    expect(managerNic.IPv4Addresses[0].Address).toBe(bmc.host);
  });

  it('reports the synthetic cluster hardware of each node: DIMM, GPU and NIC serials and MACs', async () => {
    const cluster = generateCluster({ nodes: 8 });
    const byName = new Map(cluster.devices.map((d) => [d.name, d]));
    const macs = new Map(cluster.interfaces.map((i) => [i.deviceId, i.macAddress]));
    const bmc = sim.bmcs[0]!;
    const get = async (path: string) => (await client.call(bmc, path, { headers: { authorization: basic(bmc) } })).json();
    const node1 = await get('/redfish/v1/Systems/Node1');
    expect(node1.SerialNumber).toBe(byName.get('x1000c0s0b0n1')?.serialNumber);
    expect(node1.UUID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const dimm3 = await get('/redfish/v1/Systems/Node1/Memory/DIMM3');
    const want = byName.get('x1000c0s0b0n1-dimm3')!;
    expect(dimm3).toMatchObject({ SerialNumber: want.serialNumber, PartNumber: want.partNumber, Manufacturer: want.manufacturer });
    const gpu1 = await get('/redfish/v1/Systems/Node1/Processors/GPU1');
    expect(gpu1.SerialNumber).toBe(byName.get('x1000c0s0b0n1-gpu1')?.serialNumber);
    const nic = await get('/redfish/v1/Systems/Node1/EthernetInterfaces/HPCNet0');
    expect(nic.MACAddress).toBe(macs.get(byName.get('x1000c0s0b0n1-nic0')?.id));
    const blade = await get('/redfish/v1/Chassis/Blade');
    expect(blade.SerialNumber).toBe(byName.get('x1000c0s0')?.serialNumber);
    const manager = await get('/redfish/v1/Managers/BMC/EthernetInterfaces/ManagementEthernet');
    expect(manager.MACAddress).toBe(cluster.redfishEndpoints[0]?.macAddr);
    // The iDRAC of the second blade serves its first node.
    const dell = sim.bmcs[1]!;
    const system = (await client.call(dell, '/redfish/v1/Systems/System.Embedded.1', { headers: { authorization: basic(dell) } })).json();
    expect(system.SerialNumber).toBe(byName.get('x1000c0s1b0n0')?.serialNumber);
    expect(dell.nodeXnames).toEqual(['x1000c0s1b0n0']);
  });

  it('answers an unknown path 404 and a write 405, as Redfish errors', async () => {
    const bmc = sim.bmcs[0]!;
    const auth = { authorization: basic(bmc) };
    const missing = await client.call(bmc, '/redfish/v1/Systems/Node9', { headers: auth });
    expect(missing.status).toBe(404);
    expect(missing.json().error['@Message.ExtendedInfo'][0].MessageId).toBe('Base.1.8.ResourceNotFound');
    const write = await client.call(bmc, '/redfish/v1/Systems/Node0', { method: 'PATCH', headers: auth, body: {} });
    expect(write.status).toBe(405);
    expect(write.headers.allow).toBe('GET, HEAD');
    // A trailing slash and a percent-encoded id name the same resource.
    expect((await client.call(bmc, '/redfish/v1/Systems/', { headers: auth })).status).toBe(200);
    const dell = sim.bmcs[1]!;
    const drive = await client.call(
      dell,
      '/redfish/v1/Systems/System.Embedded.1/Storage/CPU.1/Drives/Disk.Bay.0%3AEnclosure.Internal.0-1',
      {
        headers: { authorization: basic(dell) },
      },
    );
    expect(drive.status).toBe(200);
  });
});
