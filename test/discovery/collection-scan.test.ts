// A Collection scan of simulated BMCs: nodes with their DIMMs, CPUs, GPUs and NICs are
// proposed, approved, and a second scan after a DIMM swap proposes exactly that swap; a scan of
// unchanged hardware proposes nothing. Every fault is reported against its target while the
// others complete; bad requests are refused naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BmcSimulator, startBmcSimulator } from '../../src/simulator/redfish/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectProblem } from '../support/problem.js';
import { COLLECTION, diffOf, finished, quickCrawls, registerBmcs, startScan } from './support.js';

let gw: TestGateway;
let sim: BmcSimulator;
beforeAll(async () => {
  gw = await startTestGateway();
  quickCrawls(gw);
  sim = await startBmcSimulator({ count: 4, listen: '127.0.11.1', port: 0, vendors: ['hpe-cray', 'dell-idrac'], stopAfterMs: 300_000 });
  await registerBmcs(gw, sim);
});
afterAll(async () => {
  await sim?.close();
  await gw?.close();
});

const count = (items: Array<{ deviceType: string }>, type: string) => items.filter((i) => i.deviceType === type).length;

describe('a scan of simulated BMCs', () => {
  let scanId: string;

  it('discovers every node with its DIMMs, CPUs, GPUs and NICs, in one tree', async () => {
    const name = await startScan(gw, { targets: { xnames: sim.bmcs.map((b) => b.xname) } });
    const operation = await finished(gw, name);
    expect(operation.metadata).toMatchObject({ state: 'DONE', progressPercent: 100, targetsTotal: 4, targetsDone: 4, targetsFailed: 0 });
    expect(operation.result.response).toMatchObject({ status: 'proposed', targets: 4, discovered: 4, failed: 0 });
    scanId = operation.result.response.scanId;
    const diff = await diffOf(gw, scanId);
    const nodes = sim.bmcs.flatMap((b) => (b.vendor === 'dell-idrac' ? b.nodeXnames.slice(0, 1) : b.nodeXnames));
    const created = diff.creates.filter((c: any) => c.deviceType === 'Node').map((c: any) => c.properties.xname);
    expect(created.sort()).toEqual([...nodes].sort());
    for (const type of ['Memory', 'Processor', 'GPU', 'NIC']) expect(count(diff.creates, type), type).toBeGreaterThanOrEqual(nodes.length);
    // Every part of a node names the node as its parent, by the node's scan reference.
    const nodeRefs = new Set(diff.creates.filter((c: any) => c.deviceType === 'Node').map((c: any) => c.ref));
    for (const dimm of diff.creates.filter((c: any) => c.deviceType === 'Memory')) expect(nodeRefs.has(dimm.parent.ref)).toBe(true);
    const nic = diff.creates.find((c: any) => c.deviceType === 'NIC');
    expect(nic.properties.mac_addresses[0]).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(diff.updates).toEqual([]);
    expect(diff.removals).toEqual([]);
  });

  it('approves, then a rescan of unchanged hardware proposes nothing', async () => {
    const approved = await gw.rest('POST', `${COLLECTION}/scans/${scanId}/approve`);
    expect(approved.status, approved.text).toBe(200);
    const nodes = await gw.db.prisma.device.count({ where: { deviceType: 'Node', deletedAt: null } });
    expect(nodes).toBe(6);
    const again = await finished(gw, await startScan(gw, { targets: { all: true } }));
    const diff = await diffOf(gw, again.result.response.scanId);
    expect([diff.creates, diff.updates, diff.moves, diff.removals]).toEqual([[], [], [], []]);
  });

  it('proposes exactly the replacement after a DIMM is swapped', async () => {
    const bmc = sim.bmcs[0]!;
    const swap = sim.replaceDimm(bmc.xname, 2);
    const operation = await finished(gw, await startScan(gw, { targets: { xnames: [bmc.xname] } }));
    const diff = await diffOf(gw, operation.result.response.scanId);
    expect(diff.creates.map((c: any) => [c.deviceType, c.serialNumber])).toEqual([['Memory', swap.new]]);
    expect(diff.removals.map((r: any) => [r.deviceType, r.serialNumber])).toEqual([['Memory', swap.old]]);
    expect(diff.updates).toEqual([]);
    expect(diff.moves).toEqual([]);
    const old = await gw.db.prisma.device.findFirst({ where: { serialNumber: swap.old } });
    expect(diff.creates[0].parent).toEqual({ deviceId: old?.parentId, serialNumber: expect.any(String), deviceType: 'Node' });
  });
});

describe('faults', () => {
  it('reports every fault kind against its target while the others complete', async () => {
    const faulty = await startBmcSimulator({ count: 6, listen: '127.0.12.1', port: 0, stopAfterMs: 120_000 });
    try {
      const [slow, failing, refusing, broken, notBmc] = faulty.bmcs.map((b) => b.xname);
      faulty.setFault(slow!, { kind: 'slow', delayMs: 5000 });
      faulty.setFault(failing!, { kind: 'server-error' });
      faulty.setFault(refusing!, { kind: 'bad-credentials' });
      faulty.setFault(broken!, { kind: 'malformed-json' });
      faulty.setFault(notBmc!, { kind: 'not-redfish' });
      const credential = await gw.rest('PUT', `${COLLECTION}/credentials/sim`, {
        username: faulty.bmcs[0]!.user,
        password: faulty.bmcs[0]!.password,
      });
      expect(credential.status, credential.text).toBe(201);
      expect(credential.body).toEqual({ name: 'sim', username: 'root', createdAt: expect.any(String), updatedAt: expect.any(String) });
      const port = faulty.bmcs[0]!.port;
      const unreachable = `127.0.12.200:${port}`;
      const addresses = [...faulty.bmcs.map((b) => b.address), unreachable];
      const operation = await finished(gw, await startScan(gw, { targets: { addresses, credentials: 'sim' } }));
      expect(operation.metadata).toMatchObject({ state: 'DONE', targetsTotal: 7, targetsDone: 7, targetsFailed: 6 });
      const kinds = Object.fromEntries(operation.metadata.failures.map((f: any) => [f.target, f.kind]));
      const at = (i: number) => faulty.bmcs[i]!.address;
      expect(kinds).toEqual({
        [at(0)]: 'unreachable',
        [at(1)]: 'bmc-error',
        [at(2)]: 'refused-credentials',
        [at(3)]: 'malformed-answer',
        [at(4)]: 'not-a-bmc',
        [unreachable]: 'unreachable',
      });
      expect(operation.result.response).toMatchObject({ discovered: 1, failed: 6 });
      const diff = await diffOf(gw, operation.result.response.scanId);
      // The healthy BMC (found by address, named by its Oem xname) is the one reported.
      expect(new Set(diff.creates.filter((c: any) => c.deviceType === 'Node').map((c: any) => c.properties.xname))).toEqual(
        new Set(faulty.bmcs[5]!.nodeXnames),
      );
      expect(JSON.stringify(operation)).not.toContain(faulty.bmcs[0]!.password);
    } finally {
      await faulty.close();
    }
  });
});

describe('refusals', () => {
  it('names the field of each bad request', async () => {
    expectProblem(await gw.rest('POST', `${COLLECTION}/scans`, { targets: {} }), 422, 'targets');
    expectProblem(await gw.rest('POST', `${COLLECTION}/scans`, { targets: { xnames: ['x9c0s0b0'] } }), 422, 'targets.xnames.0');
    expectProblem(await gw.rest('POST', `${COLLECTION}/scans`, { targets: { addresses: ['10.0.0.1'] } }), 422, 'targets.credentials');
    expectProblem(
      await gw.rest('POST', `${COLLECTION}/scans`, { targets: { addresses: ['10.0.0.1'], credentials: 'nope' } }),
      422,
      'targets.credentials',
    );
    expectProblem(
      await gw.rest('POST', `${COLLECTION}/scans`, { targets: { addresses: ['10.0.0.0/8'], credentials: 'sim' } }),
      422,
      'targets.addresses.0',
    );
    expectProblem(
      await gw.rest('POST', `${COLLECTION}/scans`, { targets: { addresses: ['not an address'], credentials: 'sim' } }),
      422,
      'targets.addresses.0',
    );
    expectProblem(await gw.rest('POST', `${COLLECTION}/scans`, { targets: { all: true }, policy: 'approve-everything' }), 422, 'policy');
    expect(await gw.db.prisma.crawl.count({ where: { active: true } })).toBe(0);
  });

  it('refuses a second crawl of the same targets while the first runs (409)', async () => {
    const bmc = sim.bmcs[1]!;
    sim.setFault(bmc.xname, { kind: 'slow', delayMs: 1000 });
    try {
      const first = await startScan(gw, { targets: { xnames: [bmc.xname] } });
      const second = await gw.rest('POST', `${COLLECTION}/scans`, { targets: { xnames: [bmc.xname] } });
      expectProblem(second, 409, 'targets');
      expect(second.body.detail).toContain(first);
      await finished(gw, first);
    } finally {
      sim.setFault(bmc.xname, null);
    }
  });
});
