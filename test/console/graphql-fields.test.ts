// The GraphQL fields the console reads that no other face needed: inventory counts (aggregates,
// never the device list), scans with their diff, approving and rejecting them, and a node's boot
// documents with template errors named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setGroupTemplate } from '../../src/services/cloud-init/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { createNodeWithDimms, replacedDimmAndNewGpu } from '../support/scan-fixture.js';
import { installedNode, smdChassis } from '../support/scenarios.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

async function data<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const reply = await gw.gql<T>(query, variables);
  expect(reply.errors).toBeUndefined();
  return reply.data as T;
}

describe('inventoryCounts', () => {
  it('counts devices by type, nodes by state and flag, and nodes per cabinet', async () => {
    await smdChassis(gw.service);
    await installedNode(gw.service, { xname: 'x3000c0s1b0n0', serialNumber: 'CNT-1', state: 'Off' });
    await gw.gql('mutation { updateComponent(xname: "x3000c0s1b0n0", input: { flag: "Alert" }) { xname } }');
    const counts = (
      await data(`{ inventoryCounts { devices devicesByType { key count } componentsByState { key count }
        componentsByFlag { key count } cabinets { xname total states { key count } } } }`)
    ).inventoryCounts;
    const liveDevices = await gw.db.prisma.device.count({ where: { deletedAt: null } });
    expect(counts.devices).toBe(liveDevices);
    expect(counts.devicesByType.reduce((sum: number, b: { count: number }) => sum + b.count, 0)).toBe(liveDevices);
    const nodes = await gw.db.prisma.component.findMany({ where: { type: 'Node', deletedAt: null }, select: { xname: true, state: true } });
    const byState = Object.fromEntries(counts.componentsByState.map((b: { key: string; count: number }) => [b.key, b.count]));
    expect(byState.Off).toBe(nodes.filter((n) => n.state === 'Off').length);
    expect(counts.componentsByFlag).toContainEqual({ key: 'Alert', count: 1 });
    const x3000 = counts.cabinets.find((c: { xname: string }) => c.xname === 'x3000');
    expect(x3000).toEqual({ xname: 'x3000', total: 1, states: [{ key: 'Off', count: 1 }] });
    expect(counts.cabinets.reduce((sum: number, c: { total: number }) => sum + c.total, 0)).toBe(nodes.length);
  });

  it('answers in a fixed number of statements, whatever the number of devices', async () => {
    const reply = await gw.gql(
      '{ inventoryCounts { devicesByType { key count } componentsByState { key count } cabinets { xname total } } }',
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.statements).toBeLessThanOrEqual(3);
  });
});

describe('scans', () => {
  it('lists a proposed scan with its diff, approves it once, and refuses a second approval', async () => {
    const { node, dimms } = await createNodeWithDimms(gw.service, 'CON');
    const posted = await gw.rest('POST', '/apis/collection/v1/scans', replacedDimmAndNewGpu('CON'));
    const scanId = posted.body.result.response.scanId as string;
    const listed = (await data('{ scans(status: "proposed") { id status } }')).scans;
    expect(listed).toContainEqual({ id: scanId, status: 'proposed' });
    const scan = (await data('query ($id: ID!) { scan(id: $id) { status creates removals updates moves } }', { id: scanId })).scan;
    expect(scan.creates.map((c: { serialNumber: string }) => c.serialNumber).sort()).toEqual(['CON-DIMM-NEW', 'CON-GPU-0']);
    expect(scan.removals.map((r: { deviceId: string }) => r.deviceId)).toEqual([dimms[2].id]);

    const approved = await data('mutation ($id: ID!) { approveScan(id: $id) { status approvedAt } }', { id: scanId });
    expect(approved.approveScan.status).toBe('applied');
    const children = await gw.db.prisma.device.findMany({ where: { parentId: node.id, deletedAt: null }, select: { serialNumber: true } });
    expect(children.map((c) => c.serialNumber)).toContain('CON-DIMM-NEW');
    const again = await gw.gql('mutation ($id: ID!) { approveScan(id: $id) { status } }', { id: scanId });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('rejects a proposed scan without applying it, and logs the rejection', async () => {
    const { node } = await createNodeWithDimms(gw.service, 'REJ');
    const posted = await gw.rest('POST', '/apis/collection/v1/scans', replacedDimmAndNewGpu('REJ'));
    const scanId = posted.body.result.response.scanId as string;
    const rejected = await data('mutation ($id: ID!) { rejectScan(id: $id) { status } }', { id: scanId });
    expect(rejected.rejectScan.status).toBe('rejected');
    const children = await gw.db.prisma.device.findMany({ where: { parentId: node.id, deletedAt: null }, select: { serialNumber: true } });
    expect(children.map((c) => c.serialNumber)).not.toContain('REJ-DIMM-NEW');
    const logged = await gw.db.prisma.changeEvent.findMany({ where: { entityType: 'Scan', entityId: scanId } });
    expect(logged.map((e) => e.action)).toEqual(['created', 'updated']);
    expect((await gw.rest('POST', `/apis/collection/v1/scans/${scanId}/approve`)).status).toBe(409);
    const unknown = await gw.gql('{ scan(id: "no-such-scan") { id } }');
    expect(unknown.data?.scan).toBeNull();
  });
});

describe('bootPreview', () => {
  it("shows a node's documents, and names the template that fails for it", async () => {
    await installedNode(gw.service, { xname: 'x4000c0s0b0n0', serialNumber: 'BOOT-1', nid: 4001 });
    await gw.gql(
      'mutation { createInterface(input: { xname: "x4000c0s0b0n0", macAddress: "02:00:00:00:40:01", ipAddresses: [{ address: "10.40.0.1" }] }) { id } }',
    );
    await gw.gql('mutation { createGroup(input: { name: "compute", members: ["x4000c0s0b0n0"] }) { name } }');
    await gw.gql('mutation { createGroup(input: { name: "broken", members: ["x4000c0s0b0n0"] }) { name } }');
    await setGroupTemplate(gw.service, 'compute', { template: '#cloud-config\nhostname: {{ ds.hostname }}\n' });
    // Valid for the sample node it is checked against when written; not valid YAML for this node.
    await setGroupTemplate(gw.service, 'broken', { template: '#cloud-config\n{% if ds.nid == 4001 %}broken: [unclosed{% endif %}\n' });
    const preview = (
      await data(`{ bootPreview(xname: "x4000c0s0b0n0", baseUrl: "http://gw:8080/cloud-init") {
        bootIp unavailable metaData userData vendorData groups { name hasTemplate document error } } }`)
    ).bootPreview;
    expect(preview.bootIp).toBe('10.40.0.1');
    expect(preview.unavailable).toBeNull();
    expect(preview.metaData).toContain('instance-id: x4000c0s0b0n0');
    expect(preview.userData).toBe('#cloud-config\n');
    expect(preview.vendorData).toContain('http://gw:8080/cloud-init/compute.yaml');
    const compute = preview.groups.find((g: { name: string }) => g.name === 'compute');
    expect(compute).toMatchObject({ hasTemplate: true, error: null });
    expect(compute.document).toContain('hostname: ');
    const broken = preview.groups.find((g: { name: string }) => g.name === 'broken');
    expect(broken.error).toBeTruthy();
  });

  it('says why a node without an address has no documents', async () => {
    await installedNode(gw.service, { xname: 'x4000c0s0b0n1', serialNumber: 'BOOT-2', nid: 4002 });
    const preview = (await data('{ bootPreview(xname: "x4000c0s0b0n1") { unavailable metaData } }')).bootPreview;
    expect(preview.unavailable).toMatch(/no IP address/);
    expect(preview.metaData).toBeNull();
  });
});
