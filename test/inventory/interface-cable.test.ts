import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeMac } from '../../src/domain/mac.js';
import { createComponent } from '../../src/services/smd/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectRefused, gqlData, historyActions, MISSING_ID } from '../support/graphql-writes.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const INTERFACE_FIELDS =
  'id uuid name kind macAddress description enabled mgmtOnly revision deletedAt device { uuid } component { xname } ipAddresses { address network }';
const CREATE_INTERFACE = `mutation($input: InterfaceInput!) { createInterface(input: $input) { ${INTERFACE_FIELDS} } }`;
const UPDATE_INTERFACE = `mutation($id: ID!, $input: InterfaceInput!) { updateInterface(id: $id, input: $input) { ${INTERFACE_FIELDS} } }`;
const DELETE_INTERFACE = `mutation($id: ID!) { deleteInterface(id: $id) { uuid deletedAt } }`;
const RESTORE_INTERFACE = `mutation($id: ID!) { restoreInterface(id: $id) { uuid deletedAt } }`;
const ADD_IP = `mutation($id: ID!, $input: IpAddressInput!) { addIpAddress(interfaceId: $id, input: $input) { revision ipAddresses { address network } } }`;
const REMOVE_IP = `mutation($id: ID!, $address: String!) { removeIpAddress(interfaceId: $id, address: $address) { revision ipAddresses { address } } }`;

const CABLE_FIELDS =
  'id uuid label cableType status color length lengthUnit properties revision deletedAt terminations { end interface { uuid } }';
const CREATE_CABLE = `mutation($input: CableInput, $a: ID, $b: ID) { createCable(input: $input, aInterfaceId: $a, bInterfaceId: $b) { ${CABLE_FIELDS} } }`;
const UPDATE_CABLE = `mutation($id: ID!, $input: CableInput!) { updateCable(id: $id, input: $input) { ${CABLE_FIELDS} } }`;
const CONNECT = `mutation($cable: ID!, $end: String!, $iface: ID!) { connectCable(cableId: $cable, end: $end, interfaceId: $iface) { ${CABLE_FIELDS} } }`;
const DISCONNECT = `mutation($cable: ID!, $end: String!) { disconnectCable(cableId: $cable, end: $end) { ${CABLE_FIELDS} } }`;
const DELETE_CABLE = `mutation($id: ID!) { deleteCable(id: $id) { uuid deletedAt } }`;
const RESTORE_CABLE = `mutation($id: ID!) { restoreCable(id: $id) { ${CABLE_FIELDS} } }`;

type Row = { id: string; uuid: string; revision: number; [field: string]: any };

const ok = (query: string, variables: Record<string, unknown>) => gqlData<Row>(gw, query, variables);

const createInterface = (input: Record<string, unknown>) => ok(CREATE_INTERFACE, { input });
const createCable = (variables: { input?: Record<string, unknown>; a?: string; b?: string }) => ok(CREATE_CABLE, variables);

let serial = 0;
async function createDevice(name: string) {
  serial += 1;
  return ok(`mutation($input: DeviceCreateInput!) { createDevice(input: $input) { id uuid } }`, {
    input: { deviceType: 'Node', name, manufacturer: 'Test', serialNumber: `IF-${serial}` },
  });
}

/** The node position an interface can sit on. */
const createPosition = (xname: string) => createComponent(gw.service, { xname });

/** Expects the write to fail with `code` naming `field`, changing nothing. */
const refused = (query: string, variables: Record<string, unknown>, code: string, field: string) =>
  expectRefused(gw, query, variables, code, field);

const historyOf = (kind: 'interface' | 'cable', id: string) => historyActions(gw, kind, id);

describe('MAC normalisation', () => {
  it('accepts the common spellings and rejects the rest', () => {
    for (const raw of ['AA-BB-CC-DD-EE-FF', 'aabbccddeeff', 'aabb.ccdd.eeff', 'Aa:Bb:Cc:Dd:Ee:Ff', ' AABBCCDDEEFF ']) {
      expect(normalizeMac(raw)).toBe('aa:bb:cc:dd:ee:ff');
    }
    for (const raw of ['aa:bb:cc:dd:ee', 'aa:bb-cc:dd:ee:ff', 'gg:bb:cc:dd:ee:ff', 'aabb.ccdd.eef', 'a:b:c:d:e:f', '']) {
      expect(normalizeMac(raw)).toBeUndefined();
    }
  });
});

describe('interfaces', () => {
  it('creates on a device, on a position or on both, normalising MAC, kind, xname and addresses', async () => {
    const device = await createDevice('node-a');
    await createPosition('x1000c0s0b0n0');

    const onDevice = await createInterface({
      deviceId: device.id,
      name: 'eth0',
      kind: 'Ethernet',
      macAddress: 'AA-BB-CC-00-00-01',
      ipAddresses: [{ address: '10.0.0.1', network: 'NMN' }, { address: 'FE80::1' }],
    });
    expect(onDevice).toMatchObject({
      name: 'eth0',
      kind: 'ethernet',
      macAddress: 'aa:bb:cc:00:00:01',
      enabled: true,
      mgmtOnly: false,
      device: { uuid: device.uuid },
      component: null,
      ipAddresses: [
        { address: '10.0.0.1', network: 'NMN' },
        { address: 'fe80::1', network: null },
      ],
    });

    const onPosition = await createInterface({ xname: 'X1000C0S0B0N00', macAddress: 'aabbcc000002', kind: 'bmc', mgmtOnly: true });
    expect(onPosition).toMatchObject({
      macAddress: 'aa:bb:cc:00:00:02',
      kind: 'bmc',
      mgmtOnly: true,
      device: null,
      component: { xname: 'x1000c0s0b0n0' },
    });

    const onBoth = await createInterface({
      deviceId: device.uuid,
      xname: 'x1000c0s0b0n0',
      name: 'hsn0',
      kind: 'HSN',
      macAddress: 'aabb.cc00.0003',
    });
    expect(onBoth).toMatchObject({ macAddress: 'aa:bb:cc:00:00:03', device: { uuid: device.uuid }, component: { xname: 'x1000c0s0b0n0' } });

    const byMac = await gw.gql(`{ interfaces(macAddress: "AA:BB:CC:00:00:01") { edges { node { uuid } } } }`);
    expect(byMac.data.interfaces.edges).toEqual([{ node: { uuid: onDevice.uuid } }]);
    const byIp = await gw.gql(`{ interfaces(ipAddress: "10.0.0.1") { totalCount } }`);
    expect(byIp.data.interfaces.totalCount).toBe(1);
    const ofDevice = await gw.gql(`query($id: ID!) { device(id: $id) { interfaces { name } } }`, { id: device.uuid });
    expect(ofDevice.data.device.interfaces).toEqual([{ name: 'eth0' }, { name: 'hsn0' }]);
    expect(await historyOf('interface', onDevice.uuid)).toEqual(['created']);
  });

  it('refuses bad input, naming the field, and writes nothing', async () => {
    const device = await createDevice('node-checks');
    await createInterface({ deviceId: device.uuid, name: 'eth0', macAddress: 'aa:bb:cc:00:01:01' });

    await refused(CREATE_INTERFACE, { input: { name: 'orphan' } }, 'BAD_USER_INPUT', 'deviceId');
    await refused(CREATE_INTERFACE, { input: { xname: 'x9c0s0b0n0' } }, 'NOT_FOUND', 'xname');
    await refused(CREATE_INTERFACE, { input: { deviceId: MISSING_ID } }, 'NOT_FOUND', 'deviceId');
    await refused(CREATE_INTERFACE, { input: { deviceId: 'nope' } }, 'BAD_USER_INPUT', 'deviceId');
    await refused(CREATE_INTERFACE, { input: { deviceId: device.uuid, macAddress: 'aa:bb:cc:dd:ee' } }, 'BAD_USER_INPUT', 'macAddress');
    await refused(CREATE_INTERFACE, { input: { deviceId: device.uuid, macAddress: 'zz-bb-cc-dd-ee-ff' } }, 'BAD_USER_INPUT', 'macAddress');
    await refused(CREATE_INTERFACE, { input: { deviceId: device.uuid, kind: 'carrier-pigeon' } }, 'BAD_USER_INPUT', 'kind');
    await refused(
      CREATE_INTERFACE,
      { input: { deviceId: device.uuid, properties: { linkSpeed: 100 } } },
      'BAD_USER_INPUT',
      'properties.linkSpeed',
    );
    const badIp = { deviceId: device.uuid, ipAddresses: [{ address: '10.0.0.5' }, { address: '10.0.0.256' }] };
    await refused(CREATE_INTERFACE, { input: badIp }, 'BAD_USER_INPUT', 'ipAddresses.1.address');
    const twiceIp = { deviceId: device.uuid, ipAddresses: [{ address: '10.0.0.5' }, { address: ' 10.0.0.5' }] };
    await refused(CREATE_INTERFACE, { input: twiceIp }, 'BAD_USER_INPUT', 'ipAddresses.1.address');
    // The same MAC in another spelling is the same MAC.
    expect(
      await refused(CREATE_INTERFACE, { input: { deviceId: device.uuid, macAddress: 'AABBCC000101' } }, 'CONFLICT', 'macAddress'),
    ).toMatch(/aa:bb:cc:00:01:01/);
    await refused(CREATE_INTERFACE, { input: { deviceId: device.uuid, name: 'eth0' } }, 'CONFLICT', 'name');

    // The same name on another device is fine.
    const other = await createDevice('node-other');
    await createInterface({ deviceId: other.uuid, name: 'eth0' });
  });

  it('updates the given fields, replaces the address set and logs each change', async () => {
    const device = await createDevice('node-upd');
    await createPosition('x1000c0s1b0n0');
    const iface = await createInterface({
      deviceId: device.uuid,
      name: 'eth1',
      macAddress: 'aa:bb:cc:00:02:01',
      ipAddresses: [{ address: '10.1.0.1' }, { address: '10.1.0.2' }],
    });
    await createInterface({ deviceId: device.uuid, name: 'eth2', macAddress: 'aa:bb:cc:00:02:02' });

    const described = await ok(UPDATE_INTERFACE, { id: iface.id, input: { description: 'uplink', enabled: false } });
    expect(described).toMatchObject({ name: 'eth1', description: 'uplink', enabled: false, macAddress: 'aa:bb:cc:00:02:01', revision: 2 });
    expect(described.ipAddresses).toHaveLength(2);

    const replaced = await ok(UPDATE_INTERFACE, { id: iface.uuid, input: { ipAddresses: [{ address: '10.1.0.9', network: 'HMN' }] } });
    expect(replaced.ipAddresses).toEqual([{ address: '10.1.0.9', network: 'HMN' }]);

    await refused(UPDATE_INTERFACE, { id: iface.uuid, input: { macAddress: 'aa-bb-cc-00-02-02' } }, 'CONFLICT', 'macAddress');
    await refused(UPDATE_INTERFACE, { id: iface.uuid, input: { name: 'eth2' } }, 'CONFLICT', 'name');
    await refused(UPDATE_INTERFACE, { id: iface.uuid, input: { deviceId: null } }, 'BAD_USER_INPUT', 'deviceId');
    await refused(
      UPDATE_INTERFACE,
      { id: iface.uuid, input: { ipAddresses: [{ address: 'fe80::zz' }] } },
      'BAD_USER_INPUT',
      'ipAddresses.0.address',
    );
    await refused(UPDATE_INTERFACE, { id: iface.uuid, input: { xname: 'x3000c0s0b0n0' } }, 'NOT_FOUND', 'xname');
    await refused(UPDATE_INTERFACE, { id: MISSING_ID, input: { name: 'x' } }, 'NOT_FOUND', 'id');

    const moved = await ok(UPDATE_INTERFACE, { id: iface.uuid, input: { deviceId: null, xname: 'x1000c0s1b0n0', macAddress: null } });
    expect(moved).toMatchObject({ device: null, component: { xname: 'x1000c0s1b0n0' }, macAddress: null });
    expect(moved.ipAddresses).toEqual([{ address: '10.1.0.9', network: 'HMN' }]);
    expect(await historyOf('interface', iface.uuid)).toEqual(['moved', 'updated', 'updated', 'created']);
  });

  it('adds and removes single addresses', async () => {
    const device = await createDevice('node-ip');
    const iface = await createInterface({ deviceId: device.uuid, ipAddresses: [{ address: '192.168.0.1' }] });

    const added = await ok(ADD_IP, { id: iface.id, input: { address: '2001:DB8::5', network: 'v6' } });
    expect(added.ipAddresses).toEqual([
      { address: '192.168.0.1', network: null },
      { address: '2001:db8::5', network: 'v6' },
    ]);
    expect(added.revision).toBe(2);
    await refused(ADD_IP, { id: iface.uuid, input: { address: '192.168.0.1' } }, 'CONFLICT', 'address');
    await refused(ADD_IP, { id: iface.uuid, input: { address: '192.168.0' } }, 'BAD_USER_INPUT', 'address');
    await refused(ADD_IP, { id: MISSING_ID, input: { address: '192.168.0.2' } }, 'NOT_FOUND', 'interfaceId');

    const removed = await ok(REMOVE_IP, { id: iface.uuid, address: '192.168.0.1' });
    expect(removed.ipAddresses).toEqual([{ address: '2001:db8::5' }]);
    await refused(REMOVE_IP, { id: iface.uuid, address: '192.168.0.1' }, 'NOT_FOUND', 'address');
    await refused(REMOVE_IP, { id: MISSING_ID, address: '2001:db8::5' }, 'NOT_FOUND', 'interfaceId');

    const history = await gw.gql(`query($id: ID!) { interface(id: $id) { history { action before after } } }`, { id: iface.uuid });
    const [removal] = history.data.interface.history;
    expect(removal.action).toBe('updated');
    expect(removal.before.ipAddresses).toHaveLength(2);
    expect(removal.after.ipAddresses).toEqual([{ address: '2001:db8::5', network: 'v6' }]);
  });

  it('soft-deletes, frees the MAC, and restores unless it was reused or the device is gone', async () => {
    const device = await createDevice('node-del');
    const iface = await createInterface({
      deviceId: device.uuid,
      name: 'eth0',
      macAddress: 'aa:bb:cc:00:03:01',
      ipAddresses: [{ address: '10.3.0.1' }],
    });
    expect((await ok(DELETE_INTERFACE, { id: iface.uuid })).deletedAt).toBeTruthy();
    await refused(DELETE_INTERFACE, { id: iface.uuid }, 'NOT_FOUND', 'id');

    const reuse = await createInterface({ deviceId: device.uuid, name: 'eth0-new', macAddress: 'aa:bb:cc:00:03:01' });
    await refused(RESTORE_INTERFACE, { id: iface.uuid }, 'CONFLICT', 'macAddress');
    await ok(DELETE_INTERFACE, { id: reuse.uuid });
    await ok(`mutation($id: ID!) { deleteDevice(id: $id) { uuid } }`, { id: device.uuid });
    await refused(RESTORE_INTERFACE, { id: iface.uuid }, 'NOT_FOUND', 'deviceId');

    await ok(`mutation($id: ID!) { restoreDevice(id: $id) { uuid } }`, { id: device.uuid });
    expect(await ok(RESTORE_INTERFACE, { id: iface.uuid })).toMatchObject({ deletedAt: null });
    const read = await gw.gql(`query($id: ID!) { interface(id: $id) { ipAddresses { address } } }`, { id: iface.uuid });
    expect(read.data.interface.ipAddresses).toEqual([{ address: '10.3.0.1' }]);
    expect(await historyOf('interface', iface.uuid)).toEqual(['restored', 'deleted', 'created']);
  });
});

describe('cables', () => {
  async function twoPorts(name: string) {
    const left = await createDevice(`${name}-left`);
    const right = await createDevice(`${name}-right`);
    return {
      left,
      right,
      a: await createInterface({ deviceId: left.uuid, name: 'p1' }),
      b: await createInterface({ deviceId: right.uuid, name: 'p1' }),
    };
  }

  it('creates a cable on two interfaces and reads it from both sides', async () => {
    const { left, a, b } = await twoPorts('link');
    const cable = await createCable({
      input: { label: 'L-1', cableType: 'DAC', color: 'blue', length: 2.5, lengthUnit: 'M', properties: { 'vendor.part': 'X1' } },
      a: a.id,
      b: b.uuid,
    });
    expect(cable).toMatchObject({ label: 'L-1', status: 'connected', length: 2.5, lengthUnit: 'm', properties: { 'vendor.part': 'X1' } });
    expect(cable.terminations).toEqual([
      { end: 'A', interface: { uuid: a.uuid } },
      { end: 'B', interface: { uuid: b.uuid } },
    ]);

    const fromInterface = await gw.gql(`query($id: ID!) { interface(id: $id) { cable { label } } }`, { id: b.uuid });
    expect(fromInterface.data.interface.cable).toEqual({ label: 'L-1' });
    const fromDevice = await gw.gql(`query($id: ID!) { device(id: $id) { cables { label } } }`, { id: left.uuid });
    expect(fromDevice.data.device.cables).toEqual([{ label: 'L-1' }]);

    const bare = await createCable({});
    expect(bare).toMatchObject({ status: 'connected', terminations: [], properties: {} });
    const updated = await ok(UPDATE_CABLE, { id: cable.uuid, input: { status: 'Planned', color: null } });
    expect(updated).toMatchObject({ label: 'L-1', status: 'planned', color: null, length: 2.5, revision: 2 });
    expect(updated.terminations).toHaveLength(2);
    expect(await historyOf('cable', cable.uuid)).toEqual(['updated', 'created']);
  });

  it('refuses bad input and busy interfaces, naming the field, and writes nothing', async () => {
    const { a, b } = await twoPorts('bad');
    const spare = await createInterface({ deviceId: a.device.uuid, name: 'p2' });
    await createCable({ a: a.uuid });

    await refused(CREATE_CABLE, { input: { status: 'cut' } }, 'BAD_USER_INPUT', 'status');
    await refused(CREATE_CABLE, { input: { length: 0 } }, 'BAD_USER_INPUT', 'length');
    await refused(CREATE_CABLE, { input: { length: -3 } }, 'BAD_USER_INPUT', 'length');
    await refused(CREATE_CABLE, { input: { lengthUnit: 'mi' } }, 'BAD_USER_INPUT', 'lengthUnit');
    await refused(CREATE_CABLE, { input: { properties: { Color: 'x' } } }, 'BAD_USER_INPUT', 'properties.Color');
    await refused(CREATE_CABLE, { a: spare.uuid, b: spare.uuid }, 'BAD_USER_INPUT', 'bInterfaceId');
    await refused(CREATE_CABLE, { a: MISSING_ID }, 'NOT_FOUND', 'aInterfaceId');
    await refused(CREATE_CABLE, { a: 'junk' }, 'BAD_USER_INPUT', 'aInterfaceId');
    await refused(CREATE_CABLE, { a: a.uuid, b: b.uuid }, 'CONFLICT', 'aInterfaceId');
    // End A would be fine; end B is taken, so the cable and its A end are not written either.
    expect(await refused(CREATE_CABLE, { a: b.uuid, b: a.uuid }, 'CONFLICT', 'bInterfaceId')).toMatch(/already has end A/);

    await ok(DELETE_INTERFACE, { id: spare.uuid });
    await refused(CREATE_CABLE, { b: spare.uuid }, 'NOT_FOUND', 'bInterfaceId');
    await refused(UPDATE_CABLE, { id: MISSING_ID, input: { label: 'x' } }, 'NOT_FOUND', 'id');
  });

  it('connects and disconnects ends one at a time', async () => {
    const { a, b } = await twoPorts('plug');
    const busy = await createInterface({ deviceId: a.device.uuid, name: 'busy' });
    await createCable({ b: busy.uuid });
    const cable = await createCable({ input: { label: 'patch' } });

    const connected = await ok(CONNECT, { cable: cable.id, end: 'A', iface: a.uuid });
    expect(connected.terminations).toEqual([{ end: 'A', interface: { uuid: a.uuid } }]);
    expect(connected.revision).toBe(2);

    await refused(CONNECT, { cable: cable.uuid, end: 'a', iface: b.uuid }, 'CONFLICT', 'end');
    await refused(CONNECT, { cable: cable.uuid, end: 'B', iface: a.uuid }, 'BAD_USER_INPUT', 'interfaceId');
    await refused(CONNECT, { cable: cable.uuid, end: 'B', iface: busy.uuid }, 'CONFLICT', 'interfaceId');
    await refused(CONNECT, { cable: cable.uuid, end: 'C', iface: b.uuid }, 'BAD_USER_INPUT', 'end');
    await refused(CONNECT, { cable: MISSING_ID, end: 'B', iface: b.uuid }, 'NOT_FOUND', 'cableId');
    await refused(CONNECT, { cable: cable.uuid, end: 'B', iface: MISSING_ID }, 'NOT_FOUND', 'interfaceId');
    await refused(DELETE_INTERFACE, { id: a.uuid }, 'CONFLICT', 'id');

    const both = await ok(CONNECT, { cable: cable.uuid, end: 'b', iface: b.uuid });
    expect(both.terminations.map((t: { end: string }) => t.end)).toEqual(['A', 'B']);

    const unplugged = await ok(DISCONNECT, { cable: cable.uuid, end: 'A' });
    expect(unplugged.terminations).toEqual([{ end: 'B', interface: { uuid: b.uuid } }]);
    await refused(DISCONNECT, { cable: cable.uuid, end: 'A' }, 'CONFLICT', 'end');
    await refused(DISCONNECT, { cable: cable.uuid, end: 'X' }, 'BAD_USER_INPUT', 'end');
    await refused(DISCONNECT, { cable: MISSING_ID, end: 'A' }, 'NOT_FOUND', 'cableId');

    // The freed interface takes a cable again, and can be deleted once free.
    await ok(CONNECT, { cable: cable.uuid, end: 'A', iface: a.uuid });
    await ok(DISCONNECT, { cable: cable.uuid, end: 'A' });
    expect((await ok(DELETE_INTERFACE, { id: a.uuid })).deletedAt).toBeTruthy();

    const history = await gw.gql(`query($id: ID!) { cable(id: $id) { history { action after } } }`, { id: cable.uuid });
    const actions = history.data.cable.history.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['disconnected', 'connected', 'disconnected', 'connected', 'connected', 'created']);
    expect(history.data.cable.history[0].after.terminations).toEqual([{ end: 'B', interfaceId: b.uuid }]);
  });

  it('deletes a cable, freeing its interfaces, and restores it only onto free live interfaces', async () => {
    const { a, b } = await twoPorts('gone');
    const cable = await createCable({ input: { label: 'old' }, a: a.uuid, b: b.uuid });

    expect((await ok(DELETE_CABLE, { id: cable.uuid })).deletedAt).toBeTruthy();
    await refused(DELETE_CABLE, { id: cable.uuid }, 'NOT_FOUND', 'id');
    await refused(CONNECT, { cable: cable.uuid, end: 'A', iface: a.uuid }, 'NOT_FOUND', 'cableId');
    const freed = await gw.gql(`query($id: ID!) { interface(id: $id) { cable { label } } }`, { id: a.uuid });
    expect(freed.data.interface.cable).toBeNull();

    const replacement = await createCable({ input: { label: 'new' }, b: b.uuid });
    expect(await refused(RESTORE_CABLE, { id: cable.uuid }, 'CONFLICT', 'interfaceId')).toMatch(b.uuid);
    await ok(DELETE_CABLE, { id: replacement.uuid });

    await ok(DELETE_INTERFACE, { id: a.uuid });
    await refused(RESTORE_CABLE, { id: cable.uuid }, 'NOT_FOUND', 'interfaceId');
    await ok(RESTORE_INTERFACE, { id: a.uuid });

    const back = await ok(RESTORE_CABLE, { id: cable.uuid });
    expect(back).toMatchObject({ deletedAt: null, label: 'old' });
    expect(back.terminations).toEqual([
      { end: 'A', interface: { uuid: a.uuid } },
      { end: 'B', interface: { uuid: b.uuid } },
    ]);
    await refused(RESTORE_CABLE, { id: replacement.uuid }, 'CONFLICT', 'interfaceId');
    expect(await historyOf('cable', cable.uuid)).toEqual(['restored', 'deleted', 'created']);
  });
});
