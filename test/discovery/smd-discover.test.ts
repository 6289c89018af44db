// SMD's POST /Inventory/Discover crawls the named RedfishEndpoints and writes what they answer
// as SMD does — components, ComponentEndpoints, EthernetInterfaces, HardwareInventory — with no
// approval, logged as discovery; DiscoveryStatus and each endpoint's DiscoveryInfo follow it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BmcSimulator, startBmcSimulator } from '../../src/simulator/redfish/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { quickCrawls, registerBmcs } from './support.js';

let gw: TestGateway;
let sim: BmcSimulator;
beforeAll(async () => {
  gw = await startTestGateway();
  quickCrawls(gw);
  sim = await startBmcSimulator({ count: 3, listen: '127.0.13.1', port: 0, vendors: ['hpe-cray', 'dell-idrac'], stopAfterMs: 300_000 });
  await registerBmcs(gw, sim);
});
afterAll(async () => {
  await sim?.close();
  await gw?.close();
});

async function completeStatus(ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const reply = await gw.rest('GET', '/hsm/v2/Inventory/DiscoveryStatus/0');
    expect(reply.status, reply.text).toBe(200);
    if (reply.body.Status === 'Complete') return reply.body;
    if (Date.now() > deadline) throw new Error(`discovery not complete after ${ms} ms: ${reply.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('SMD Discover', () => {
  it("fills SMD's records for the named endpoints and says how each went", async () => {
    const [cray, dell, broken] = sim.bmcs;
    sim.setFault(broken!.xname, { kind: 'bad-credentials' });
    const reply = await gw.rest('POST', '/hsm/v2/Inventory/Discover', { xnames: sim.bmcs.map((b) => b.xname) });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toEqual([{ URI: '/hsm/v2/Inventory/DiscoveryStatus/0' }]);
    const status = await completeStatus();
    expect(status.Details).toMatchObject({ Discovered: 2, Failed: [{ XName: broken!.xname, Kind: 'refused-credentials' }] });

    const nodes = [...cray!.nodeXnames, dell!.nodeXnames[0]!];
    const components = await gw.rest('GET', '/hsm/v2/State/Components?type=Node');
    expect(components.body.Components.map((c: any) => c.ID).sort()).toEqual([...nodes].sort());

    const endpoints = await gw.rest('GET', '/hsm/v2/Inventory/ComponentEndpoints');
    expect(endpoints.status, endpoints.text).toBe(200);
    const ofCray = endpoints.body.ComponentEndpoints.filter((e: any) => e.RedfishEndpointID === cray!.xname);
    expect(ofCray.map((e: any) => [e.ID, e.RedfishType]).sort()).toEqual(
      [[cray!.xname, 'Manager'], ...cray!.nodeXnames.map((n) => [n, 'ComputerSystem'])].sort(),
    );

    const interfaces = await gw.rest('GET', `/hsm/v2/Inventory/EthernetInterfaces?ComponentID=${cray!.nodeXnames[0]}`);
    expect(interfaces.body).toHaveLength(1);
    expect(interfaces.body[0].MACAddress).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);

    const hardware = await gw.rest('GET', `/hsm/v2/Inventory/Hardware/Query/${cray!.nodeXnames[0]}`);
    expect(hardware.status, hardware.text).toBe(200);
    const node = hardware.body.Nodes[0];
    expect(node.PopulatedFRU.NodeFRUInfo.SerialNumber).toBeTruthy();
    expect(node.Processors.length).toBeGreaterThanOrEqual(1);
    expect(node.Memory.length).toBeGreaterThanOrEqual(1);
    expect(node.NodeAccels.length).toBeGreaterThanOrEqual(1);

    const ok = await gw.rest('GET', `/hsm/v2/Inventory/RedfishEndpoints/${cray!.xname}`);
    expect(ok.body.DiscoveryInfo).toMatchObject({
      LastDiscoveryStatus: 'DiscoverOK',
      RedfishVersion: '1.7.0',
      LastDiscoveryAttempt: expect.any(String),
    });
    const refused = await gw.rest('GET', `/hsm/v2/Inventory/RedfishEndpoints/${broken!.xname}`);
    expect(refused.body.DiscoveryInfo).toMatchObject({ LastDiscoveryStatus: 'HTTPsGetFailed' });

    const sources = await gw.db.prisma.changeEvent.groupBy({ by: ['source'], where: { entityType: 'ComponentEndpoint' }, _count: true });
    expect(sources.map((s) => s.source)).toEqual(['discovery']);
  });

  it('changes nothing the second time over unchanged hardware, but the attempt times', async () => {
    sim.setFault(sim.bmcs[2]!.xname, null);
    const before = await gw.db.prisma.changeEvent.count({
      where: { entityType: { in: ['Device', 'Component', 'ComponentEndpoint', 'Interface'] } },
    });
    const reply = await gw.rest('POST', '/hsm/v2/Inventory/Discover', { xnames: [sim.bmcs[0]!.xname] });
    expect(reply.status, reply.text).toBe(200);
    await completeStatus();
    const after = await gw.db.prisma.changeEvent.findMany({
      where: { entityType: { in: ['Device', 'Component', 'ComponentEndpoint', 'Interface'] } },
      orderBy: { seq: 'asc' },
      skip: before,
    });
    expect(after.map((e) => `${e.action} ${e.entityType}`)).toEqual([]);
  });

  it('answers an unknown endpoint in SMD words', async () => {
    const reply = await gw.rest('POST', '/hsm/v2/Inventory/Discover', { xnames: ['x9000c0s0b0'] });
    expect(reply.status).toBe(404);
    expect(reply.body.detail).toContain('x9000c0s0b0');
  });
});
