// SMD /hsm/v2/Inventory/{RedfishEndpoints,ComponentEndpoints,ServiceEndpoints,Discover,
// DiscoveryStatus} against a real database, through the in-process app: magellan's discovery
// payloads, ochami's overwrite flow, and the password that never comes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureDiscovery, crawlsInFlight } from '../../src/services/discovery/index.js';
import { readRedfishCredentials } from '../../src/services/smd/index.js';
import { createServiceEndpoint } from '../../src/services/smd/redfish.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { MAGELLAN_PASSWORD, magellanPayload } from '../support/magellan.js';
import { expectSmdProblem } from '../support/smd.js';
import { expectNothingChanged } from '../support/store-counts.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const INV = '/hsm/v2/Inventory';
const RFE = `${INV}/RedfishEndpoints`;
const CEP = `${INV}/ComponentEndpoints`;
const SECRET = MAGELLAN_PASSWORD;

describe('magellan discovery POST', () => {
  it('answers 201 with a URI array for each of several BMCs', async () => {
    for (const b of [0, 1, 2, 3]) {
      const res = await gw.rest('POST', RFE, magellanPayload(b, { systems: b === 3 ? 2 : 1 }));
      expect(res.status).toBe(201);
      expect(res.body).toEqual([{ URI: `${RFE}/x1000c0s0b${b}` }]);
      expect(res.headers.get('location')).toBe(`${RFE}/x1000c0s0b${b}`);
    }
  });

  it('stores the endpoint without ever returning its password', async () => {
    const res = await gw.rest('GET', `${RFE}/x1000c0s0b0`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ID: 'x1000c0s0b0',
      Type: 'NodeBMC',
      Hostname: '172.16.0.100',
      Domain: '',
      FQDN: '172.16.0.100',
      Enabled: true,
      UUID: '7c5175c2-c739-4f30-bad9-f02dae3d1e40',
      User: 'root',
      Password: '',
      MACRequired: true,
      MACAddr: 'de:ca:fc:0f:fe:e0',
      IPAddress: '172.16.0.100',
      RediscoverOnUpdate: false,
      DiscoveryInfo: { LastDiscoveryStatus: 'NotYetQueried' },
    });
    expect((await readRedfishCredentials(gw.db.prisma, 'x1000c0s0b0')).password).toBe(SECRET);
  });

  it('creates the BMC and node components with unique NIDs, visible in GraphQL', async () => {
    const nodes = ['x1000c0s0b0n0', 'x1000c0s0b1n0', 'x1000c0s0b2n0', 'x1000c0s0b3n0', 'x1000c0s0b3n1'];
    const { data, errors } = await gw.gql(
      `{ components(first: 50, filter: { xname: ${JSON.stringify(['x1000c0s0b0', ...nodes])} }) { edges { node { xname type state enabled nid } } } }`,
    );
    expect(errors).toBeUndefined();
    const byXname = Object.fromEntries(
      (data.components.edges as Array<{ node: { xname: string; nid: number } }>).map((e) => [e.node.xname, e.node]),
    );
    expect(byXname.x1000c0s0b0).toMatchObject({ type: 'NodeBMC', state: 'Ready', enabled: true, nid: null });
    expect(byXname.x1000c0s0b0n0).toMatchObject({ type: 'Node', state: 'On', enabled: true, nid: 1 });
    // SMD numbers a BMC's systems 1, 2 …; a NID another node holds moves on to the next free one.
    expect(nodes.map((x) => byXname[x].nid)).toEqual([1, 2, 3, 4, 5]);
  });

  it('creates the component endpoints PCS, BSS and remote-console read', async () => {
    const res = await gw.rest('GET', `${CEP}?id=x1000c0s0b0n0&id=x1000c0s0b0&id=X1000C0S0B3N1`);
    expect(res.status).toBe(200);
    const byId = Object.fromEntries((res.body.ComponentEndpoints as Array<{ ID: string }>).map((c) => [c.ID, c]));
    expect(Object.keys(byId).sort()).toEqual(['x1000c0s0b0', 'x1000c0s0b0n0', 'x1000c0s0b3n1']);
    expect(byId.x1000c0s0b0n0).toEqual({
      ID: 'x1000c0s0b0n0',
      Type: 'Node',
      RedfishType: 'ComputerSystem',
      RedfishSubtype: 'Physical',
      UUID: 'f044ec78-34ad-4d0a-9f3a-39ebbea8a500',
      OdataID: '/redfish/v1/Systems/Self0',
      RedfishEndpointID: 'x1000c0s0b0',
      Enabled: true,
      RedfishEndpointFQDN: '172.16.0.100',
      RedfishURL: '172.16.0.100/redfish/v1/Systems/Self0',
      ComponentEndpointType: 'ComponentEndpointComputerSystem',
      RedfishSystemInfo: {
        Name: 'compute0-0',
        Actions: {
          '#ComputerSystem.Reset': {
            'ResetType@Redfish.AllowableValues': ['On', 'ForceOff', 'GracefulShutdown', 'ForceRestart'],
            '@Redfish.ActionInfo': '/redfish/v1/Systems/Self0/ResetActionInfo',
            target: '/redfish/v1/Systems/Self0/Actions/ComputerSystem.Reset',
          },
        },
        EthernetNICInfo: [
          {
            RedfishId: '/redfish/v1/Systems/Self0/EthernetInterfaces/1',
            '@odata.id': '/redfish/v1/Systems/Self0/EthernetInterfaces/1',
            Description: 'Interface 0 for compute0',
            InterfaceEnabled: true,
            MACAddress: '52:54:00:be:e0:00',
          },
        ],
        PowerURL: '/redfish/v1/Chassis/Power',
        PowerControl: [
          {
            '@odata.id': '/redfish/v1/Chassis/1/Power#/PowerControl/0',
            MemberId: '0',
            Name: 'System Power Control',
            RelatedItem: [{ '@odata.id': '/redfish/v1/Systems/Self0' }, { '@odata.id': '/redfish/v1/Chassis/1' }],
          },
        ],
      },
    });
    expect(byId.x1000c0s0b0).toMatchObject({
      Type: 'NodeBMC',
      RedfishType: 'Manager',
      OdataID: '/redfish/v1/Managers/1',
      ComponentEndpointType: 'ComponentEndpointManager',
      RedfishManagerInfo: {
        Name: 'Manager',
        Actions: {
          '#Manager.Reset': {
            'ResetType@Redfish.AllowableValues': ['ForceRestart', 'GracefulRestart'],
            target: '/redfish/v1/Managers/1/Actions/Manager.Reset',
          },
        },
        EthernetNICInfo: [
          { MACAddress: 'de:ca:fc:0f:fe:e0', PermanentMACAddress: 'de:ca:fc:0f:fe:e0', InterfaceEnabled: true, Hostname: 'bmc' },
        ],
        CommandShell: { ServiceEnabled: true, MaxConcurrentSessions: 65536, ConnectTypesSupported: ['SSH', 'IPMI'] },
      },
    });
  });

  it('creates the EthernetInterfaces of the managers and systems', async () => {
    const bmc = await gw.rest('GET', `${INV}/EthernetInterfaces/decafc0ffee0`);
    expect(bmc.body).toMatchObject({
      MACAddress: 'de:ca:fc:0f:fe:e0',
      ComponentID: 'x1000c0s0b0',
      Type: 'NodeBMC',
      IPAddresses: [{ IPAddress: '172.16.0.100' }],
    });
    const node = await gw.rest('GET', `${INV}/EthernetInterfaces?ComponentID=x1000c0s0b3n1`);
    expect(node.body).toEqual([
      expect.objectContaining({
        MACAddress: '52:54:00:be:e3:01',
        ComponentID: 'x1000c0s0b3n1',
        Type: 'Node',
        Description: 'Interface 0 for compute3',
        IPAddresses: [{ IPAddress: '172.16.1.31' }],
      }),
    ]);
    const all = await gw.rest('GET', `${INV}/EthernetInterfaces`);
    expect(all.body).toHaveLength(4 + 5);
  });

  it('answers a re-POST with 409 and changes nothing', async () => {
    const again = await expectNothingChanged(gw.db.prisma, () => gw.rest('POST', RFE, magellanPayload(0)));
    expectSmdProblem(again, 409, 'operation would conflict with an existing resource that has the same FQDN or xname ID.');
  });

  it('answers PUT of an existing endpoint with 200 and a new one with 204 (magellan --force, ochami --overwrite)', async () => {
    const changed = { ...magellanPayload(0), Name: 'renamed', Password: '' };
    const res = await gw.rest('PUT', `${RFE}/x1000c0s0b0`, changed);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ID: 'x1000c0s0b0',
      Name: 'renamed',
      Password: '',
      DiscoveryInfo: { LastDiscoveryStatus: 'NotYetQueried' },
    });
    // An omitted or empty password keeps the stored one (as with SMD's Vault).
    expect((await readRedfishCredentials(gw.db.prisma, 'x1000c0s0b0')).password).toBe(SECRET);

    const fresh = await gw.rest('PUT', `${RFE}/x1000c0s0b4`, magellanPayload(4));
    expect(fresh.status).toBe(204);
    expect(fresh.text).toBe('');
    expect((await gw.rest('GET', `${CEP}/x1000c0s0b4n0`)).status).toBe(200);
    // PUT replaces the interfaces of the same MAC: the NIC moves to the node PUT names.
    const moved = await gw.rest('PUT', `${RFE}/x1000c0s0b4`, magellanPayload(4, { mac: '52:54:00:be:e3:01' }));
    expect(moved.status).toBe(200);
    expect((await gw.rest('GET', `${INV}/EthernetInterfaces/525400bee301`)).body).toMatchObject({ ComponentID: 'x1000c0s0b4n0' });

    expectSmdProblem(
      await gw.rest('PUT', `${RFE}/x1000c0s0b4`, { ...magellanPayload(4), ID: 'x1000c0s0b3' }),
      400,
      'xname in URL and PUT body do not match',
    );
    expectSmdProblem(
      await gw.rest('PUT', `${RFE}/x1000c0s0b4n0`, { FQDN: 'bmc.example' }),
      400,
      "couldn't validate endpoint data: xname ID x1000c0s0b4n0 has wrong type for RF endpoint: Node",
    );
  });

  it('writes nothing when one MAC of the payload is bad (one transaction)', async () => {
    const bad = magellanPayload(5);
    bad.Systems[0].ethernet_interfaces.push({ ...bad.Systems[0].ethernet_interfaces[0], mac: 'not-a-mac' });
    const res = await expectNothingChanged(gw.db.prisma, () => gw.rest('POST', RFE, bad));
    expectSmdProblem(res, 400, /^couldn't validate endpoint data: .*not-a-mac/);
    expect((await gw.rest('GET', `${RFE}/x1000c0s0b5`)).status).toBe(404);
  });

  it('never writes the password to the change log or a response', async () => {
    const events = await gw.db.prisma.changeEvent.findMany();
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect((await gw.rest('GET', RFE)).text).not.toContain(SECRET);
    expect((await gw.rest('GET', CEP)).text).not.toContain(SECRET);
  });
});

describe('RedfishEndpoints', () => {
  it('creates a list with 201 and URIs, refusing a bad item with its index and duplicates with 409', async () => {
    const res = await gw.rest('POST', RFE, {
      RedfishEndpoints: [
        { ID: 'x3000c0s1b0', FQDN: 'x3000c0s1b0.mgmt.example', User: 'admin', Password: SECRET },
        { ID: 'x3000m0', Hostname: 'x3000m0', Domain: 'mgmt.example' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual([{ URI: `${RFE}/x3000c0s1b0` }, { URI: `${RFE}/x3000m0` }]);
    expect(res.headers.get('location')).toBe(RFE);
    expect((await gw.rest('GET', `${RFE}/x3000m0`)).body).toMatchObject({
      Type: 'CabinetPDUController',
      Hostname: 'x3000m0',
      Domain: 'mgmt.example',
      FQDN: 'x3000m0.mgmt.example',
    });
    expectSmdProblem(
      await gw.rest('POST', RFE, { RedfishEndpoints: [{ ID: 'x3000c0s2b0' }, { ID: 'x3000c0s2b0n0' }] }),
      400,
      "couldn't validate endpoint data at idx 1: xname ID x3000c0s2b0n0 has wrong type for RF endpoint: Node",
    );
    expectSmdProblem(
      await gw.rest('POST', RFE, { RedfishEndpoints: [{ ID: 'x3000c0s2b0', Hostname: 'a', FQDN: 'b.example' }] }),
      400,
      "couldn't validate endpoint data at idx 0: host/domain conflicts with FQDN: 'a' != 'b.example'",
    );
    expectSmdProblem(
      await gw.rest('POST', RFE, { ID: 'bogus' }),
      400,
      "couldn't validate endpoint data: bogus is not a valid locational xname ID",
    );
    expectSmdProblem(
      await gw.rest('POST', RFE, { RedfishEndpoints: [{ ID: 'x3000c0s9b0', FQDN: 'x3000c0s1b0.mgmt.example' }] }),
      409,
      'operation would conflict with an existing resource that has the same FQDN or xname ID.',
    );
    expect((await gw.rest('GET', `${RFE}/x3000c0s2b0`)).status).toBe(404);
  });

  it('writes no side effects for the items of a {RedfishEndpoints:[…]} list, as SMD (ochami discover sends these)', async () => {
    const item = { ...magellanPayload(7), ID: 'x1000c0s7b0', FQDN: '172.16.0.177' };
    const res = await gw.rest('POST', RFE, { RedfishEndpoints: [item] });
    expect(res.status).toBe(201);
    expect((await gw.rest('GET', `${CEP}?redfish_ep=x1000c0s7b0`)).body).toEqual({ ComponentEndpoints: [] });
    expect(await gw.db.prisma.component.count({ where: { xname: { startsWith: 'x1000c0s7b0' } } })).toBe(0);
    expect((await gw.rest('DELETE', `${RFE}/x1000c0s7b0`)).status).toBe(200);
  });

  it('filters the collection (names case-insensitive, repeatable, negatable)', async () => {
    const ids = async (q: string) =>
      ((await gw.rest('GET', `${RFE}${q}`)).body.RedfishEndpoints as Array<{ ID: string }>).map((e) => e.ID).sort();
    expect(await ids('?id=x1000c0s0b0&ID=x3000m0')).toEqual(['x1000c0s0b0', 'x3000m0']);
    expect(await ids('?type=CabinetPDUController')).toEqual(['x3000m0']);
    expect(await ids('?fqdn=172.16.0.101')).toEqual(['x1000c0s0b1']);
    expect(await ids('?macaddr=DE:CA:FC:0F:FE:E2')).toEqual(['x1000c0s0b2']);
    expect(await ids('?ipaddress=172.16.0.103')).toEqual(['x1000c0s0b3']);
    expect(await ids('?type=nodebmc&id=!x1000c0s0b0&id=!x1000c0s0b1')).toEqual([
      'x1000c0s0b2',
      'x1000c0s0b3',
      'x1000c0s0b4',
      'x3000c0s1b0',
    ]);
    expect(await ids('?laststatus=NotYetQueried&uuid=7c5175c2-c739-4f30-bad9-f02dae3d1e42')).toEqual(['x1000c0s0b2']);
    expectSmdProblem(await gw.rest('GET', `${RFE}?id=nope`), 400, 'bad query param: Argument was not a valid xname ID');
    expectSmdProblem(await gw.rest('GET', `${RFE}?type=Booster`), 400, 'bad query param: Argument was not a valid HMS Type');
    expect((await gw.rest('GET', `${RFE}/Query/all`)).body.RedfishEndpoints).toHaveLength(7);
    expect((await gw.rest('GET', `${RFE}/Query/s0`)).status).toBe(200);
    expectSmdProblem(await gw.rest('GET', `${RFE}/Query/x1000c0s0b0`), 400, 'not yet implemented');
    expectSmdProblem(await gw.rest('GET', `${RFE}/x9c0s0b0`), 404, 'no such xname.');
    expectSmdProblem(await gw.rest('GET', `${RFE}/bogus`), 404, 'no such xname.');
  });

  it('patches the given fields only', async () => {
    const res = await gw.rest('PATCH', `${RFE}/x3000c0s1b0`, { Enabled: false, User: 'operator', Password: 'new-secret' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ID: 'x3000c0s1b0', Enabled: false, User: 'operator', Password: '', FQDN: 'x3000c0s1b0.mgmt.example' });
    expect(res.text).not.toContain('new-secret');
    expectSmdProblem(await gw.rest('PATCH', `${RFE}/bogus`, { Enabled: true }), 400, 'xname in URL is not valid');
    expectSmdProblem(await gw.rest('PATCH', `${RFE}/x3000c0s7b0`, { Enabled: true }), 404, 'No such entry: x3000c0s7b0');
    expectSmdProblem(
      await gw.rest('PATCH', `${RFE}/x3000c0s1b0`, { FQDN: 'x3000m0.mgmt.example', Hostname: 'x3000m0' }),
      409,
      'operation would conflict with an existing resource that has the same FQDN',
    );
    expectSmdProblem(
      await gw.rest('PATCH', `${RFE}/x3000c0s1b0`, { Enabled: 'yes' }),
      400,
      'error decoding JSON json: cannot unmarshal string into Go struct field Enabled of type bool',
    );
  });

  it('is one store with GraphQL', async () => {
    const created = await gw.gql(
      `mutation { createRedfishEndpoint(input: { xname: "x3000c0s5b0", fqdn: "10.0.5.1", username: "root", password: "gql-secret" }) { xname hasPassword } }`,
    );
    expect(created.errors).toBeUndefined();
    expect((await gw.rest('GET', `${RFE}/x3000c0s5b0`)).body).toMatchObject({
      ID: 'x3000c0s5b0',
      FQDN: '10.0.5.1',
      IPAddress: '10.0.5.1',
      User: 'root',
      Password: '',
    });
    const seen = await gw.gql(
      `{ redfishEndpoints(xname: "x1000c0s0b1") { xname fqdn hasPassword componentEndpoints { xname redfishType } } }`,
    );
    expect(seen.data.redfishEndpoints).toEqual([
      {
        xname: 'x1000c0s0b1',
        fqdn: '172.16.0.101',
        hasPassword: true,
        componentEndpoints: [
          { xname: 'x1000c0s0b1', redfishType: 'Manager' },
          { xname: 'x1000c0s0b1n0', redfishType: 'ComputerSystem' },
        ],
      },
    ]);
  });
});

describe('PDU inventory and legacy payloads', () => {
  it('creates the PDU controller, its outlets and their endpoints', async () => {
    const res = await gw.rest('POST', RFE, {
      ID: 'x3001m0',
      FQDN: 'x3001m0.mgmt.example',
      User: 'admn',
      Password: SECRET,
      PDUInventory: {
        Model: 'PRO2',
        SerialNumber: 'PDU123',
        Outlets: [
          { original_id: 'AA1', id_suffix: 'p0v1', name: 'Link1_Outlet_1', state: 'On', socket_type: 'Cx' },
          { original_id: 'AA2', id_suffix: 'p0v2', name: 'Link1_Outlet_2', state: 'Off', socket_type: 'Cx' },
        ],
      },
    });
    expect(res.status).toBe(201);
    const outlet = await gw.rest('GET', `${CEP}/x3001m0p0v1`);
    expect(outlet.body).toEqual({
      ID: 'x3001m0p0v1',
      Type: 'CabinetPDUPowerConnector',
      RedfishType: 'Outlet',
      RedfishSubtype: 'Cx',
      OdataID: '/jaws/monitor/outlets/AA1',
      RedfishEndpointID: 'x3001m0',
      Enabled: true,
      RedfishEndpointFQDN: 'x3001m0.mgmt.example',
      RedfishURL: 'x3001m0.mgmt.example/jaws/monitor/outlets/AA1',
      ComponentEndpointType: 'ComponentEndpointOutlet',
      RedfishOutletInfo: {
        Name: 'Link1_Outlet_1',
        Actions: { '#Outlet.PowerControl': { 'PowerState@Redfish.AllowableValues': ['On', 'Off'], target: '/jaws/control/outlets/AA1' } },
      },
    });
    expect((await gw.rest('GET', `${CEP}/x3001m0`)).body).toMatchObject({
      Type: 'CabinetPDUController',
      RedfishType: 'Manager',
      OdataID: '/jaws',
      RedfishManagerInfo: { Name: 'JAWS' },
    });
    const components = await gw.db.prisma.component.findMany({
      where: { xname: { startsWith: 'x3001m0' }, deletedAt: null },
      orderBy: { xname: 'asc' },
    });
    expect(components.map((c) => [c.xname, c.type, c.state, c.enabled])).toEqual([
      ['x3001m0', 'CabinetPDUController', 'On', true],
      ['x3001m0p0v1', 'CabinetPDUPowerConnector', 'On', true],
      ['x3001m0p0v2', 'CabinetPDUPowerConnector', 'Off', false],
    ]);
    expect((await gw.rest('GET', `${CEP}?type=CabinetPDUPowerConnector`)).body.ComponentEndpoints).toHaveLength(2);
  });

  it('reads a legacy (no SchemaVersion) Systems payload as SMD does', async () => {
    const res = await gw.rest('POST', RFE, {
      ID: 'x3002c0s0b0',
      FQDN: '10.0.2.1',
      Systems: [
        {
          Data: { '@odata.id': '/redfish/v1/Systems/1', UUID: 'abc-1', SystemType: 'Physical', Status: { State: 'Enabled' } },
          EthernetInterfaces: [
            {
              Id: '1',
              '@odata.id': '/redfish/v1/Systems/1/EthernetInterfaces/1',
              Description: 'nic',
              MACAddress: 'AA:BB:CC:00:00:01',
              InterfaceEnabled: true,
            },
          ],
        },
      ],
    });
    expect(res.status).toBe(201);
    expect((await gw.rest('GET', `${CEP}/x3002c0s0b0`)).body).toMatchObject({
      RedfishType: 'ComputerSystem',
      UUID: 'abc-1',
      OdataID: '/redfish/v1/Systems/1',
      RedfishSystemInfo: { EthernetNICInfo: [{ RedfishId: '1', MACAddress: 'aa:bb:cc:00:00:01', InterfaceEnabled: true }] },
    });
  });
});

describe('ComponentEndpoints and ServiceEndpoints', () => {
  it('filters component endpoints by redfish_ep, type and redfish_type and answers single ones', async () => {
    const ids = async (q: string) =>
      ((await gw.rest('GET', `${CEP}${q}`)).body.ComponentEndpoints as Array<{ ID: string }>).map((e) => e.ID).sort();
    expect(await ids('?redfish_ep=x1000c0s0b3')).toEqual(['x1000c0s0b3', 'x1000c0s0b3n0', 'x1000c0s0b3n1']);
    expect(await ids('?type=Node&redfish_ep=x1000c0s0b3')).toEqual(['x1000c0s0b3n0', 'x1000c0s0b3n1']);
    expect(await ids('?redfish_type=Manager&type=!CabinetPDUController')).toEqual([
      'x1000c0s0b0',
      'x1000c0s0b1',
      'x1000c0s0b2',
      'x1000c0s0b3',
      'x1000c0s0b4',
    ]);
    const many = Array.from({ length: 600 }, (_, i) => `id=x1000c0s${i}b0n0`).join('&');
    expect(await ids(`?${many}`)).toEqual(['x1000c0s0b0n0']);
    expectSmdProblem(await gw.rest('GET', `${CEP}?id=1`), 400, 'bad query param: Argument was not a valid xname ID');
    expectSmdProblem(await gw.rest('GET', `${CEP}?type=bogus`), 400, 'bad query param: Argument was not a valid HMS Type');
    expectSmdProblem(await gw.rest('GET', `${CEP}/1`), 400, 'Argument was not a valid xname ID');
    expectSmdProblem(await gw.rest('GET', `${CEP}/x99999c7s9b9`), 400, 'Argument was not a valid xname ID');
    expectSmdProblem(await gw.rest('GET', `${CEP}/x1000c0s0b9n0`), 404, 'no such xname.');
  });

  it('serves service endpoints by service and endpoint', async () => {
    await createServiceEndpoint(gw.service, {
      redfishEndpointXname: 'x1000c0s0b0',
      redfishType: 'UpdateService',
      odataId: '/redfish/v1/UpdateService',
      uuid: 'u-1',
      serviceInfo: { Name: 'Update Service' },
    });
    await createServiceEndpoint(gw.service, {
      redfishEndpointXname: 'x1000c0s0b1',
      redfishType: 'UpdateService',
      odataId: '/redfish/v1/UpdateService',
    });
    await createServiceEndpoint(gw.service, {
      redfishEndpointXname: 'x1000c0s0b1',
      redfishType: 'EventService',
      odataId: '/redfish/v1/EventService',
    });
    const all = await gw.rest('GET', `${INV}/ServiceEndpoints`);
    expect(all.body.ServiceEndpoints).toHaveLength(3);
    const one = await gw.rest('GET', `${INV}/ServiceEndpoints/UpdateService/RedfishEndpoints/x1000c0s0b0`);
    expect(one.body).toEqual({
      RedfishEndpointID: 'x1000c0s0b0',
      RedfishType: 'UpdateService',
      UUID: 'u-1',
      OdataID: '/redfish/v1/UpdateService',
      RedfishEndpointFQDN: '172.16.0.100',
      RedfishURL: '172.16.0.100/redfish/v1/UpdateService',
      ServiceInfo: { Name: 'Update Service' },
    });
    expect((await gw.rest('GET', `${INV}/ServiceEndpoints/UpdateService`)).body.ServiceEndpoints).toHaveLength(2);
    expect((await gw.rest('GET', `${INV}/ServiceEndpoints?redfish_ep=x1000c0s0b1`)).body.ServiceEndpoints).toHaveLength(2);
    expect(
      (await gw.rest('GET', `${INV}/ServiceEndpoints?service=EventService&redfish_ep=x1000c0s0b1`)).body.ServiceEndpoints,
    ).toHaveLength(1);
    expect((await gw.rest('GET', `${INV}/ServiceEndpoints/NoSuchService`)).body).toEqual({ ServiceEndpoints: [] });
    expectSmdProblem(
      await gw.rest('GET', `${INV}/ServiceEndpoints/UpdateService/RedfishEndpoints/x1000c0s0b3`),
      404,
      'no such service under redfish endpoint.',
    );
    expectSmdProblem(
      await gw.rest('GET', `${INV}/ServiceEndpoints/UpdateService/RedfishEndpoints/bogus`),
      400,
      'Argument was not a valid xname ID',
    );
    expect((await gw.rest('DELETE', `${INV}/ServiceEndpoints/EventService/RedfishEndpoints/x1000c0s0b1`)).body).toEqual({
      code: 0,
      message: 'deleted 1 entry',
    });
    expectSmdProblem(
      await gw.rest('DELETE', `${INV}/ServiceEndpoints/EventService/RedfishEndpoints/x1000c0s0b1`),
      404,
      'no such service under redfish endpoint.',
    );
    expect((await gw.rest('DELETE', `${INV}/ServiceEndpoints`)).body).toEqual({ code: 0, message: 'deleted 2 entries' });
    expectSmdProblem(await gw.rest('DELETE', `${INV}/ServiceEndpoints`), 404, 'no entries to delete');
  });

  it('deletes a component endpoint, setting its component Empty', async () => {
    expect((await gw.rest('DELETE', `${CEP}/x1000c0s0b2n0`)).body).toEqual({ code: 0, message: 'deleted 1 entry' });
    expectSmdProblem(await gw.rest('DELETE', `${CEP}/x1000c0s0b2n0`), 404, 'no such xname.');
    expectSmdProblem(await gw.rest('DELETE', `${CEP}/bogus`), 400, 'Argument was not a valid xname ID');
    expect((await gw.db.prisma.component.findFirst({ where: { xname: 'x1000c0s0b2n0', deletedAt: null } }))?.state).toBe('Empty');
  });
});

describe('Discover and DiscoveryStatus', () => {
  it('crawls the named endpoints in the background and reports each one', async () => {
    // The endpoints here are magellan's addresses (172.16.0.x): no BMC answers there (whatever does, quickly).
    configureDiscovery(gw.db.prisma, { timeoutMs: 200, retries: 0 });
    const initial = await gw.rest('GET', `${INV}/DiscoveryStatus`);
    expect(initial.body).toEqual([expect.objectContaining({ ID: 0, Status: 'NotStarted' })]);
    const res = await gw.rest('POST', `${INV}/Discover`, { xnames: ['x1000c0s0b0'], force: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ URI: `${INV}/DiscoveryStatus/0` }]);
    const started = await gw.rest('GET', `${INV}/DiscoveryStatus/0`);
    expect(started.body).toMatchObject({
      ID: 0,
      Details: { XNames: ['x1000c0s0b0'], Force: true, Operation: expect.stringMatching(/^operations\/crawl-/) },
    });
    await Promise.all(crawlsInFlight());
    const status = await gw.rest('GET', `${INV}/DiscoveryStatus/0`);
    expect(status.body).toMatchObject({
      ID: 0,
      Status: 'Complete',
      Details: { Discovered: 0, Failed: [{ XName: 'x1000c0s0b0', Kind: expect.stringMatching(/^(unreachable|not-a-bmc|bad-tls)$/) }] },
    });
    expect((await gw.rest('GET', `${RFE}/x1000c0s0b0`)).body.DiscoveryInfo).toMatchObject({
      LastDiscoveryStatus: expect.stringMatching(/^(HTTPsGetFailed|EndpointInvalid)$/),
    });
    expectSmdProblem(await gw.rest('POST', `${INV}/Discover`, { xnames: ['x1000c0s0b9'] }), 404, 'No such RedfishEndpoint: x1000c0s0b9');
    expectSmdProblem(await gw.rest('POST', `${INV}/Discover`, '{bad'), 400, 'POST body was not understood');
    expectSmdProblem(await gw.rest('GET', `${INV}/DiscoveryStatus/x`), 400, 'DiscoveryStatus ID not an unsigned integer');
    expectSmdProblem(await gw.rest('GET', `${INV}/DiscoveryStatus/7`), 404, 'no such DiscoveryStatus ID.');
    expect((await gw.rest('POST', `${INV}/Discover`, {})).status).toBe(200);
    await Promise.all(crawlsInFlight());
  });
});

describe('deletes', () => {
  it('deletes one endpoint: its component endpoints go, its components go Empty', async () => {
    expect((await gw.rest('DELETE', `${RFE}/x1000c0s0b1`)).body).toEqual({ code: 0, message: 'deleted 1 entry' });
    expect((await gw.rest('GET', `${CEP}?redfish_ep=x1000c0s0b1`)).body).toEqual({ ComponentEndpoints: [] });
    const components = await gw.db.prisma.component.findMany({
      where: { xname: { in: ['x1000c0s0b1', 'x1000c0s0b1n0'] }, deletedAt: null },
    });
    expect(components.map((c) => c.state)).toEqual(['Empty', 'Empty']);
    expectSmdProblem(await gw.rest('DELETE', `${RFE}/x1000c0s0b1`), 404, 'no such xname.');
    expectSmdProblem(await gw.rest('DELETE', `${RFE}/bogus`), 400, 'Argument was not a valid xname ID');
  });

  it('deletes all endpoints, then all component endpoints are gone and 404 follows', async () => {
    const res = await gw.rest('DELETE', RFE);
    expect(res.status).toBe(200);
    expect(res.body.message).toMatch(/^deleted \d+ entries$/);
    expect((await gw.rest('GET', RFE)).body).toEqual({ RedfishEndpoints: [] });
    expect((await gw.rest('GET', CEP)).body).toEqual({ ComponentEndpoints: [] });
    expectSmdProblem(await gw.rest('DELETE', RFE), 404, 'no entries to delete');
    expectSmdProblem(await gw.rest('DELETE', CEP), 404, 'no entries to delete');
    expectSmdProblem(await gw.rest('POST', `${INV}/Discover`, {}), 404, 'RedfishEndpoints collection is empty');
    // The interfaces discovery created stay, as in SMD.
    expect((await gw.rest('GET', `${INV}/EthernetInterfaces/decafc0ffee0`)).status).toBe(200);
  });

  it('accepts magellan again after the endpoints were deleted: known MACs and components are reused, 201', async () => {
    const res = await gw.rest('POST', RFE, magellanPayload(0));
    expect(res.status).toBe(201);
    expect((await gw.rest('GET', `${INV}/EthernetInterfaces/decafc0ffee0`)).body).toMatchObject({ ComponentID: 'x1000c0s0b0' });
    expect((await gw.rest('GET', `${CEP}/x1000c0s0b0n0`)).status).toBe(200);
    const node = await gw.db.prisma.component.findFirst({ where: { xname: 'x1000c0s0b0n0', deletedAt: null } });
    expect(Number(node?.nid)).toBe(1);
  });

  it('kept every password out of the change log', async () => {
    const events = JSON.stringify(await gw.db.prisma.changeEvent.findMany());
    for (const secret of [SECRET, 'new-secret', 'gql-secret']) expect(events).not.toContain(secret);
  });
});
