import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComponents } from '../../src/services/smd/component.js';
import { readRedfishCredentials } from '../../src/services/smd/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectError } from '../support/graphql-errors.js';
import { expectRefused, gqlData } from '../support/graphql-writes.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const SECRET = 'S3cr3t-BMC-pw!';
const ENDPOINT = `id xname type name hostname domain fqdn ipAddress macAddr enabled uuid username hasPassword useSsdp macRequired
  rediscoverOnUpdate templateId discoveryInfo revision createdAt updatedAt deletedAt
  componentEndpoints { xname type redfishType componentEndpointType info }
  serviceEndpoints { redfishType odataId serviceInfo }`;
const CREATE = `mutation($input: RedfishEndpointCreateInput!) { createRedfishEndpoint(input: $input) { ${ENDPOINT} } }`;
const CREATE_MANY = `mutation($eps: [RedfishEndpointCreateInput!]!) { createRedfishEndpoints(redfishEndpoints: $eps) { ${ENDPOINT} } }`;
const UPDATE = `mutation($xname: String!, $input: RedfishEndpointUpdateInput!) { updateRedfishEndpoint(xname: $xname, input: $input) { ${ENDPOINT} } }`;
const CREATE_CEP = `mutation($input: ComponentEndpointInput!) { createComponentEndpoint(input: $input) { xname type redfishType odataId enabled info redfishEndpoint { xname } } }`;
const REPLACE_CEP = `mutation($input: ComponentEndpointInput!) { replaceComponentEndpoint(input: $input) { xname redfishType odataId macAddr revision } }`;
const CREATE_SEP = `mutation($input: ServiceEndpointInput!) { createServiceEndpoint(input: $input) { redfishType odataId serviceInfo } }`;

const create = (input: Record<string, unknown>) => gqlData(gw, CREATE, { input });

describe('Redfish endpoints', () => {
  it('derives type and address as SMD does', async () => {
    // SMD keeps Hostname as given: empty when only the xname names the endpoint (FQDN = xname).
    const bare = await create({ xname: 'X1C0S0B0' });
    expect(bare).toMatchObject({
      xname: 'x1c0s0b0',
      type: 'NodeBMC',
      hostname: null,
      domain: null,
      fqdn: 'x1c0s0b0',
      enabled: true,
      discoveryInfo: { LastDiscoveryStatus: 'NotYetQueried' },
    });
    const withDomain = await create({ xname: 'x1c0b0', hostname: 'x1c0b0', domain: 'mgmt.example' });
    expect(withDomain).toMatchObject({ type: 'ChassisBMC', fqdn: 'x1c0b0.mgmt.example' });
    const fromFqdn = await create({ xname: 'x1c0r0b0', fqdn: 'x1c0r0b0.hsn.example' });
    expect(fromFqdn).toMatchObject({ type: 'RouterBMC', hostname: 'x1c0r0b0', domain: 'hsn.example', fqdn: 'x1c0r0b0.hsn.example' });
    const byIp = await create({ xname: 'x1m0', hostname: '10.1.0.5' });
    expect(byIp).toMatchObject({ type: 'CabinetPDUController', hostname: '10.1.0.5', fqdn: '10.1.0.5', ipAddress: '10.1.0.5' });
    for (const [xname, type] of [
      ['x1c0w1', 'MgmtSwitch'],
      ['x1c0h1s1', 'MgmtHLSwitch'],
      ['d1w1', 'CDUMgmtSwitch'],
    ]) {
      expect((await create({ xname })).type).toBe(type);
    }
  });

  it('refuses a non-controller xname, an address that disagrees and a duplicate', async () => {
    const wrongType = expectError(await gw.gql(CREATE, { input: { xname: 'x2c0s0b0n0' } }), 'BAD_USER_INPUT', 'xname');
    expect(wrongType).toMatch(/xname ID x2c0s0b0n0 has wrong type for RF endpoint: Node/);
    expectError(await gw.gql(CREATE, { input: { xname: 'bmc-7' } }), 'BAD_USER_INPUT', 'xname');
    const conflict = expectError(
      await gw.gql(CREATE, { input: { xname: 'x2c0s0b0', hostname: 'x2c0s0b0', fqdn: 'other.example' } }),
      'BAD_USER_INPUT',
      'fqdn',
    );
    expect(conflict).toMatch(/host\/domain conflicts with FQDN: 'x2c0s0b0' != 'other.example'/);
    expectError(await gw.gql(CREATE, { input: { xname: 'x2c0s0b0', hostname: 'a.b' } }), 'BAD_USER_INPUT', 'hostname');
    expectError(
      await gw.gql(CREATE, { input: { xname: 'x2c0s0b0', hostname: '10.0.0.1', ipAddress: '10.0.0.2' } }),
      'BAD_USER_INPUT',
      'ipAddress',
    );
    expectError(await gw.gql(CREATE, { input: { xname: 'x2c0s0b0', ipAddress: 'ten' } }), 'BAD_USER_INPUT', 'ipAddress');

    await create({ xname: 'x2c0s0b0', domain: 'example' });
    expectError(await gw.gql(CREATE, { input: { xname: 'x02c0s0b0' } }), 'CONFLICT', 'xname');
    const sameFqdn = expectError(
      await gw.gql(CREATE, { input: { xname: 'x2c0s1b0', fqdn: 'x2c0s0b0.example', hostname: 'x2c0s0b0' } }),
      'CONFLICT',
      'fqdn',
    );
    expect(sameFqdn).toMatch(/x2c0s0b0/);
    expect(await gw.db.prisma.redfishEndpoint.count({ where: { xname: { startsWith: 'x2c' } } })).toBe(1);
  });

  it('creates many at once, or none when one item is bad', async () => {
    const ok = await gw.gql(CREATE_MANY, { eps: [{ xname: 'x3c0s0b0' }, { xname: 'x3c0s1b0' }] });
    expect(ok.data.createRedfishEndpoints.map((e: { xname: string }) => e.xname)).toEqual(['x3c0s0b0', 'x3c0s1b0']);
    await expectRefused(
      gw,
      CREATE_MANY,
      { eps: [{ xname: 'x3c0s2b0' }, { xname: 'x3c0s2b0n0' }] },
      'BAD_USER_INPUT',
      'redfishEndpoints.1.xname',
    );
    await expectRefused(gw, CREATE_MANY, { eps: [{ xname: 'x3c0s2b0' }, { xname: 'x3c0s0b0' }] }, 'CONFLICT', 'redfishEndpoints.1.xname');
    await expectRefused(gw, CREATE_MANY, { eps: [{ xname: 'x3c0s2b0' }, { xname: 'X3C0S2B0' }] }, 'CONFLICT', 'redfishEndpoints.1.xname');
    expect(await gw.db.prisma.redfishEndpoint.count({ where: { xname: 'x3c0s2b0' } })).toBe(0);
  });

  // As SMD's PATCH: the fields given over the stored Hostname, Domain and FQDN, which must then
  // agree (SMD answers a disagreement with a 500; here it is a 400 naming the FQDN).
  it('updates the fields given and checks the address with the stored one', async () => {
    await create({ xname: 'x4c0s0b0', domain: 'old.example' });
    const domain = await gw.gql(UPDATE, {
      xname: 'x4c0s0b0',
      input: { domain: 'new.example', fqdn: 'x4c0s0b0.new.example', username: 'root' },
    });
    expect(domain.data.updateRedfishEndpoint).toMatchObject({
      hostname: 'x4c0s0b0',
      fqdn: 'x4c0s0b0.new.example',
      username: 'root',
      revision: 2,
    });
    expectError(await gw.gql(UPDATE, { xname: 'x4c0s0b0', input: { domain: 'lab.example' } }), 'BAD_USER_INPUT', 'fqdn');
    const fqdn = await gw.gql(UPDATE, { xname: 'x4c0s0b0', input: { hostname: 'bmc4', domain: 'lab.example', fqdn: 'bmc4.lab.example' } });
    expect(fqdn.data.updateRedfishEndpoint).toMatchObject({ hostname: 'bmc4', domain: 'lab.example', fqdn: 'bmc4.lab.example' });
    expectError(await gw.gql(UPDATE, { xname: 'x4c0s0b0', input: { hostname: 'bmc5' } }), 'BAD_USER_INPUT', 'fqdn');
    expectError(
      await gw.gql(UPDATE, { xname: 'x4c0s0b0', input: { hostname: 'bmc5', fqdn: 'bmc4.lab.example' } }),
      'BAD_USER_INPUT',
      'fqdn',
    );
    expectError(await gw.gql(UPDATE, { xname: 'x4c0s0b0', input: {} }), 'BAD_USER_INPUT', 'input');
    expectError(await gw.gql(UPDATE, { xname: 'x4c0s1b0', input: { enabled: false } }), 'NOT_FOUND', 'xname');
  });
});

describe('the BMC password', () => {
  it('is stored but never returned or written to the change log', async () => {
    const created = await create({ xname: 'x5c0s0b0', username: 'root', password: SECRET });
    expect(created.hasPassword).toBe(true);
    const updated = await gw.gql(UPDATE, { xname: 'x5c0s0b0', input: { password: `${SECRET}-2`, enabled: false } });
    const many = await gw.gql(CREATE_MANY, { eps: [{ xname: 'x5c0s1b0', password: `${SECRET}-3` }] });
    const bad = await gw.gql(CREATE, { input: { xname: 'x5c0s1b0', password: `${SECRET}-4` } });
    const read = await gw.gql(
      `{ redfishEndpoints { ${ENDPOINT} } changes(first: 500) { edges { node { entityType action before after } } } }`,
    );
    const deleted = await gw.gql(`mutation { deleteRedfishEndpoint(xname: "x5c0s0b0") { ${ENDPOINT} } }`);
    const restored = await gw.gql(`mutation($id: ID!) { restoreRedfishEndpoint(id: $id) { ${ENDPOINT} } }`, { id: created.id });
    for (const result of [created, updated, many, bad, read, deleted, restored]) expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(restored.data.restoreRedfishEndpoint.hasPassword).toBe(true);

    const events = await gw.db.prisma.changeEvent.findMany({ where: { entityType: 'RedfishEndpoint' } });
    expect(events.length).toBeGreaterThanOrEqual(5);
    for (const event of events) {
      expect(JSON.stringify(event)).not.toContain(SECRET);
      expect(Object.keys((event.after ?? event.before) as object)).not.toContain('password');
    }
    expect((await readRedfishCredentials(gw.db.prisma, 'x5c0s0b0')).password).toBe(`${SECRET}-2`);
  });
});

describe('component and service endpoints', () => {
  it('creates, replaces and deletes component endpoints of a live Redfish endpoint', async () => {
    await create({ xname: 'x6c0s0b0' });
    const cep = await gw.gql(CREATE_CEP, {
      input: {
        xname: 'X6C0S0B0N0',
        redfishEndpointXname: 'x6c0s0b0',
        redfishType: 'ComputerSystem',
        odataId: '/redfish/v1/Systems/1',
        componentEndpointType: 'componentendpointcomputersystem',
        info: { Name: 'node0' },
      },
    });
    expect(cep.errors).toBeUndefined();
    expect(cep.data.createComponentEndpoint).toEqual({
      xname: 'x6c0s0b0n0',
      type: 'Node',
      redfishType: 'ComputerSystem',
      odataId: '/redfish/v1/Systems/1',
      enabled: true,
      info: { Name: 'node0' },
      redfishEndpoint: { xname: 'x6c0s0b0' },
    });
    const base = {
      redfishEndpointXname: 'x6c0s0b0',
      redfishType: 'Manager',
      odataId: '/redfish/v1/Managers/BMC',
      componentEndpointType: 'ComponentEndpointManager',
    };
    expectError(await gw.gql(CREATE_CEP, { input: { ...base, xname: 'x6c0s0b0n0' } }), 'CONFLICT', 'xname');
    expectError(
      await gw.gql(CREATE_CEP, { input: { ...base, xname: 'x6c0s0b0', componentEndpointType: 'Toaster' } }),
      'BAD_USER_INPUT',
      'componentEndpointType',
    );
    expectError(
      await gw.gql(CREATE_CEP, { input: { ...base, xname: 'x6c0s0b0', redfishEndpointXname: 'x6c0s9b0' } }),
      'NOT_FOUND',
      'redfishEndpointXname',
    );
    expectError(await gw.gql(CREATE_CEP, { input: { ...base, xname: 'x6c0s0b0', odataId: ' ' } }), 'BAD_USER_INPUT', 'odataId');

    const replaced = await gw.gql(REPLACE_CEP, {
      input: {
        ...base,
        xname: 'x6c0s0b0n0',
        redfishType: 'ComputerSystem',
        componentEndpointType: 'ComponentEndpointComputerSystem',
        macAddr: 'AA:BB:CC:00:11:22',
      },
    });
    expect(replaced.data.replaceComponentEndpoint).toMatchObject({
      xname: 'x6c0s0b0n0',
      odataId: '/redfish/v1/Managers/BMC',
      macAddr: 'aa:bb:cc:00:11:22',
      revision: 2,
    });
    const fresh = await gw.gql(REPLACE_CEP, { input: { ...base, xname: 'x6c0s0b0' } });
    expect(fresh.data.replaceComponentEndpoint).toMatchObject({ xname: 'x6c0s0b0', revision: 1 });

    const del = await gw.gql(`mutation { deleteComponentEndpoint(xname: "x6c0s0b0") { xname deletedAt } }`);
    expect(del.data.deleteComponentEndpoint.deletedAt).toBeTruthy();
    expectError(await gw.gql(`mutation { deleteComponentEndpoint(xname: "x6c0s0b0") { xname } }`), 'NOT_FOUND', 'xname');
  });

  it('keeps one service endpoint per Redfish type of an endpoint', async () => {
    await create({ xname: 'x7c0s0b0' });
    const input = {
      redfishEndpointXname: 'x7c0s0b0',
      redfishType: 'UpdateService',
      odataId: '/redfish/v1/UpdateService',
      serviceInfo: { Name: 'Update' },
    };
    const sep = await gw.gql(CREATE_SEP, { input });
    expect(sep.data.createServiceEndpoint).toEqual({
      redfishType: 'UpdateService',
      odataId: '/redfish/v1/UpdateService',
      serviceInfo: { Name: 'Update' },
    });
    expectError(await gw.gql(CREATE_SEP, { input }), 'CONFLICT', 'redfishType');
    const replaced = await gw.gql(
      `mutation($input: ServiceEndpointInput!) { replaceServiceEndpoint(input: $input) { odataId serviceInfo revision } }`,
      {
        input: { ...input, odataId: '/redfish/v1/UpdateService/', serviceInfo: null },
      },
    );
    expect(replaced.data.replaceServiceEndpoint).toEqual({ odataId: '/redfish/v1/UpdateService/', serviceInfo: {}, revision: 2 });
    const del = await gw.gql(
      `mutation { deleteServiceEndpoint(redfishEndpointXname: "x7c0s0b0", redfishType: "UpdateService") { deletedAt } }`,
    );
    expect(del.data.deleteServiceEndpoint.deletedAt).toBeTruthy();
    expectError(
      await gw.gql(`mutation { deleteServiceEndpoint(redfishEndpointXname: "x7c0s0b0", redfishType: "UpdateService") { deletedAt } }`),
      'NOT_FOUND',
      'redfishType',
    );
    expect((await gw.gql(CREATE_SEP, { input })).errors).toBeUndefined();
  });
});

describe('deleting and restoring Redfish endpoints', () => {
  it('takes its component and service endpoints along, empties its components, and brings the endpoints back', async () => {
    await createComponents(gw.service, [{ xname: 'x8c0s0b0n0', state: 'Ready' }]);
    const ep = await create({ xname: 'x8c0s0b0' });
    await gw.gql(CREATE_CEP, {
      input: {
        xname: 'x8c0s0b0n0',
        redfishEndpointXname: 'x8c0s0b0',
        redfishType: 'ComputerSystem',
        odataId: '/redfish/v1/Systems/1',
        componentEndpointType: 'ComponentEndpointComputerSystem',
      },
    });
    await gw.gql(CREATE_SEP, {
      input: { redfishEndpointXname: 'x8c0s0b0', redfishType: 'EventService', odataId: '/redfish/v1/EventService' },
    });

    const del = await gw.gql(
      `mutation { deleteRedfishEndpoint(xname: "x8c0s0b0") { deletedAt componentEndpoints { xname } serviceEndpoints { redfishType } } }`,
    );
    expect(del.data.deleteRedfishEndpoint).toMatchObject({ componentEndpoints: [], serviceEndpoints: [] });
    expect(del.data.deleteRedfishEndpoint.deletedAt).toBeTruthy();
    expect((await gw.gql(`{ component(xname: "x8c0s0b0n0") { state } }`)).data.component.state).toBe('Empty');
    expect((await gw.gql(`{ redfishEndpoints(xname: "x8c0s0b0") { id } }`)).data.redfishEndpoints).toEqual([]);
    expectError(await gw.gql(`mutation { deleteRedfishEndpoint(xname: "x8c0s0b0") { id } }`), 'NOT_FOUND', 'xname');
    expectError(await gw.gql(`mutation { deleteRedfishEndpoint(xname: "x8c0s0b0n0") { id } }`), 'BAD_USER_INPUT', 'xname');

    const restored = await gw.gql(
      `mutation($id: ID!) { restoreRedfishEndpoint(id: $id) { deletedAt componentEndpoints { xname } serviceEndpoints { redfishType } } }`,
      { id: ep.id },
    );
    expect(restored.data.restoreRedfishEndpoint).toEqual({
      deletedAt: null,
      componentEndpoints: [{ xname: 'x8c0s0b0n0' }],
      serviceEndpoints: [{ redfishType: 'EventService' }],
    });
  });

  it('refuses a restore when the xname was taken again', async () => {
    const old = await create({ xname: 'x9c0s0b0' });
    await gw.gql(`mutation { deleteRedfishEndpoint(xname: "x9c0s0b0") { id } }`);
    await create({ xname: 'x9c0s0b0' });
    expectError(await gw.gql(`mutation($id: ID!) { restoreRedfishEndpoint(id: $id) { id } }`, { id: old.id }), 'CONFLICT', 'xname');
  });
});
