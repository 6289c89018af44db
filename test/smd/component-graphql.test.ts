import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevice } from '../../src/services/inventory/device.js';
import { createComponent, setComponentStates, updateComponents, upsertComponents } from '../../src/services/smd/component.js';
import { createGroup } from '../../src/services/smd/group.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectError } from '../support/graphql-errors.js';
import { expectRefused, gqlData } from '../support/graphql-writes.js';
import { installedNode } from '../support/scenarios.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const FIELDS =
  'id uuid xname type state flag enabled softwareStatus role subRole nid netType arch class locked reservationDisabled revision deletedAt';
const CREATE = `mutation($input: ComponentCreateInput!) { createComponent(input: $input) { ${FIELDS} } }`;
const CREATE_MANY = `mutation($components: [ComponentCreateInput!]!) { createComponents(components: $components) { ${FIELDS} } }`;
const UPDATE = `mutation($xname: String!, $input: ComponentUpdateInput!) { updateComponent(xname: $xname, input: $input) { ${FIELDS} } }`;
const UPDATE_MANY = `mutation($components: [ComponentUpdateItemInput!]!) { updateComponents(components: $components) { xname nid state flag } }`;

const create = (input: Record<string, unknown>) => gqlData(gw, CREATE, { input });

const liveCount = (prefix: string) => gw.db.prisma.component.count({ where: { xname: { startsWith: prefix }, deletedAt: null } });

describe('creating components', () => {
  it('normalises the xname, derives the type and canonicalises enumerations', async () => {
    const c = await create({
      xname: ' X0001C0S05B0N00 ',
      state: 'ready',
      flag: 'warn',
      role: 'COMPUTE',
      subRole: 'worker',
      nid: 1,
      netType: 'ethernet',
      arch: 'x86',
      class: 'river',
    });
    expect(c).toMatchObject({
      xname: 'x1c0s5b0n0',
      type: 'Node',
      state: 'Ready',
      flag: 'Warning',
      enabled: true,
      role: 'Compute',
      subRole: 'Worker',
      nid: 1,
      netType: 'Ethernet',
      arch: 'X86',
      class: 'River',
      locked: false,
    });
    const bare = await create({ xname: 'x1c0s5b0' });
    expect(bare).toMatchObject({ type: 'NodeBMC', state: 'Unknown', flag: 'OK', enabled: true, nid: null, role: null });
  });

  it('never takes the type from the input', async () => {
    const row = await createComponent(gw.service, { xname: 'x2c0s0b0n0', type: 'Cabinet' } as never);
    expect(row.type).toBe('Node');
  });

  it('refuses bad input, naming the field', async () => {
    expectError(await gw.gql(CREATE, { input: { xname: 'not-an-xname' } }), 'BAD_USER_INPUT', 'xname');
    expectError(await gw.gql(CREATE, { input: { xname: 'x3c0s0b0n0', state: 'Booting' } }), 'BAD_USER_INPUT', 'state');
    expectError(await gw.gql(CREATE, { input: { xname: 'x3c0s0b0n0', flag: 'Fine' } }), 'BAD_USER_INPUT', 'flag');
    expectError(await gw.gql(CREATE, { input: { xname: 'x3c0s0b0n0', role: 'Boss' } }), 'BAD_USER_INPUT', 'role');
    expectError(await gw.gql(CREATE, { input: { xname: 'x3c0s0b0n0', arch: 'RISC' } }), 'BAD_USER_INPUT', 'arch');
    expectError(await gw.gql(CREATE, { input: { xname: 'x3c0s0b0n0', nid: -1 } }), 'BAD_USER_INPUT', 'nid');
    expectError(await gw.gql(CREATE, { input: { xname: 'x3c0s0b0n0', state: null } }), 'BAD_USER_INPUT', 'state');
    expect(await liveCount('x3c')).toBe(0);
  });

  it('refuses a duplicate live xname and a NID in use with 409', async () => {
    await create({ xname: 'x4c0s0b0n0', nid: 400 });
    const dup = expectError(await gw.gql(CREATE, { input: { xname: 'x0004c0s0b0n0' } }), 'CONFLICT', 'xname');
    expect(dup).toMatch(/x4c0s0b0n0/);
    const nid = expectError(await gw.gql(CREATE, { input: { xname: 'x4c0s0b0n1', nid: 400 } }), 'CONFLICT', 'nid');
    expect(nid).toMatch(/400.*x4c0s0b0n0/);
  });

  it('creates many at once, or none when one item is bad', async () => {
    const ok = await gw.gql(CREATE_MANY, {
      components: [
        { xname: 'x5c0s0b0n0', nid: 500 },
        { xname: 'x5c0s0b0n1', nid: 501, state: 'on' },
      ],
    });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.createComponents.map((c: { xname: string; state: string }) => [c.xname, c.state])).toEqual([
      ['x5c0s0b0n0', 'Unknown'],
      ['x5c0s0b0n1', 'On'],
    ]);

    const items = [0, 1, 2, 3].map((i) => ({ xname: `x6c0s0b0n${i}`, state: 'On' }));
    items[3].state = 'Sideways';
    await expectRefused(gw, CREATE_MANY, { components: items }, 'BAD_USER_INPUT', 'components.3.state');
    await expectRefused(
      gw,
      CREATE_MANY,
      { components: [{ xname: 'x6c0s0b0n0' }, { xname: 'X6C0S0B0N0' }] },
      'CONFLICT',
      'components.1.xname',
    );
    await expectRefused(
      gw,
      CREATE_MANY,
      {
        components: [
          { xname: 'x6c0s0b0n0', nid: 600 },
          { xname: 'x6c0s0b0n1', nid: 600 },
        ],
      },
      'CONFLICT',
      'components.1.nid',
    );
    await expectRefused(
      gw,
      CREATE_MANY,
      { components: [{ xname: 'x6c0s0b0n0' }, { xname: 'x6c0s0b0n1', nid: 501 }] },
      'CONFLICT',
      'components.1.nid',
    );
    await expectRefused(
      gw,
      CREATE_MANY,
      { components: [{ xname: 'x6c0s0b0n0' }, { xname: 'x5c0s0b0n1' }] },
      'CONFLICT',
      'components.1.xname',
    );
    expect(await liveCount('x6c')).toBe(0);
  });
});

describe('updating components', () => {
  it('changes only the fields given; null clears an optional one', async () => {
    const before = await create({ xname: 'x10c0s0b0n0', state: 'Off', role: 'Compute', nid: 1000, softwareStatus: 'idle' });
    const result = await gw.gql(UPDATE, { xname: 'X10C0S0B0N0', input: { state: 'ON', role: null, enabled: false, locked: true } });
    expect(result.errors).toBeUndefined();
    expect(result.data.updateComponent).toMatchObject({
      state: 'On',
      role: null,
      enabled: false,
      locked: true,
      nid: 1000,
      softwareStatus: 'idle',
      revision: before.revision + 1,
    });
    const history = await gw.gql(`query($id: ID!) { component(id: $id) { history { action before after } } }`, { id: before.id });
    expect(history.data.component.history[0]).toMatchObject({ action: 'updated', before: { state: 'Off' }, after: { state: 'On' } });
  });

  it('refuses an unknown xname, a bad value, an empty patch and a NID in use', async () => {
    await create({ xname: 'x11c0s0b0n0', nid: 1100 });
    await create({ xname: 'x11c0s0b0n1', nid: 1101 });
    expectError(await gw.gql(UPDATE, { xname: 'x11c0s0b0n9', input: { state: 'On' } }), 'NOT_FOUND', 'xname');
    expectError(await gw.gql(UPDATE, { xname: 'x11c0s0b0n0', input: { flag: 'Bad' } }), 'BAD_USER_INPUT', 'flag');
    expectError(await gw.gql(UPDATE, { xname: 'x11c0s0b0n0', input: {} }), 'BAD_USER_INPUT', 'input');
    expectError(await gw.gql(UPDATE, { xname: 'x11c0s0b0n0', input: { nid: 1101 } }), 'CONFLICT', 'nid');
    expectError(await gw.gql(UPDATE, { xname: 'x11c0s0b0n0', input: { enabled: null } }), 'BAD_USER_INPUT', 'enabled');
  });

  it('updates many at once, all or nothing, and lets NIDs be swapped', async () => {
    await create({ xname: 'x12c0s0b0n0', nid: 1200 });
    await create({ xname: 'x12c0s0b0n1', nid: 1201 });
    await create({ xname: 'x12c0s0b0n2', nid: 1202 });
    const swap = await gw.gql(UPDATE_MANY, {
      components: [
        { xname: 'x12c0s0b0n0', nid: 1201, state: 'On' },
        { xname: 'x12c0s0b0n1', nid: 1200, state: 'On' },
        { xname: 'x12c0s0b0n2', state: 'On' },
      ],
    });
    expect(swap.errors).toBeUndefined();
    expect(swap.data.updateComponents).toEqual([
      { xname: 'x12c0s0b0n0', nid: 1201, state: 'On', flag: 'OK' },
      { xname: 'x12c0s0b0n1', nid: 1200, state: 'On', flag: 'OK' },
      { xname: 'x12c0s0b0n2', nid: 1202, state: 'On', flag: 'OK' },
    ]);

    const bad = [
      { xname: 'x12c0s0b0n0', state: 'Off' },
      { xname: 'x12c0s0b0n1', flag: 'Nope' },
    ];
    await expectRefused(gw, UPDATE_MANY, { components: bad }, 'BAD_USER_INPUT', 'components.1.flag');
    await expectRefused(
      gw,
      UPDATE_MANY,
      {
        components: [
          { xname: 'x12c0s0b0n0', state: 'Off' },
          { xname: 'x12c0s0b0n7', state: 'Off' },
        ],
      },
      'NOT_FOUND',
      'components.1.xname',
    );
    await expectRefused(
      gw,
      UPDATE_MANY,
      {
        components: [
          { xname: 'x12c0s0b0n0', state: 'Off' },
          { xname: 'x12c0s0b0n2', nid: 1200 },
        ],
      },
      'CONFLICT',
      'components.1.nid',
    );
    const states = await gw.db.prisma.component.findMany({ where: { xname: { startsWith: 'x12c' } }, select: { state: true } });
    expect(states.every((c) => c.state === 'On')).toBe(true);
  });

  it('can skip xnames that do not exist, as SMD bulk PATCHes do', async () => {
    await create({ xname: 'x13c0s0b0n0' });
    const rows = await updateComponents(
      gw.service,
      [
        { xname: 'x13c0s0b0n0', flag: 'alert' },
        { xname: 'x13c0s0b0n5', flag: 'alert' },
      ],
      { skipMissing: true },
    );
    expect(rows.map((r) => [r.xname, r.flag])).toEqual([['x13c0s0b0n0', 'Alert']]);
  });
});

describe('installing devices', () => {
  const INSTALL = `mutation($xname: String!, $deviceId: ID!) { installDevice(xname: $xname, deviceId: $deviceId) { xname device { serialNumber } } }`;

  it('vacates the position and the device, and logs installed and removed', async () => {
    const pos1 = await create({ xname: 'x20c0s0b0n0' });
    const pos2 = await create({ xname: 'x20c0s0b0n1' });
    const a = await createDevice(gw.service, { deviceType: 'Node', serialNumber: 'INST-A', manufacturer: 'HPE' });
    const b = await createDevice(gw.service, { deviceType: 'Node', serialNumber: 'INST-B', manufacturer: 'HPE' });

    const first = await gw.gql(INSTALL, { xname: 'x20c0s0b0n0', deviceId: a.id });
    expect(first.data.installDevice.device).toEqual({ serialNumber: 'INST-A' });
    const again = await gw.gql(INSTALL, { xname: 'x20c0s0b0n0', deviceId: a.id });
    expect(again.errors).toBeUndefined();
    await gw.gql(INSTALL, { xname: 'x20c0s0b0n0', deviceId: b.id });
    const moved = await gw.gql(INSTALL, { xname: 'x20c0s0b0n1', deviceId: b.id });
    expect(moved.data.installDevice.device).toEqual({ serialNumber: 'INST-B' });

    const read = await gw.gql(
      `query($id: ID!) { component(id: $id) { device { serialNumber } installations { removedAt device { serialNumber } } history { action } } }`,
      { id: pos1.id },
    );
    expect(read.data.component.device).toBeNull();
    expect(read.data.component.installations.map((i: { removedAt: string | null }) => i.removedAt !== null)).toEqual([true, true]);
    expect(read.data.component.history.map((e: { action: string }) => e.action)).toEqual([
      'removed',
      'installed',
      'removed',
      'installed',
      'created',
    ]);
    expect(await gw.db.prisma.installation.count({ where: { open: true } })).toBe(1);

    const removed = await gw.gql(`mutation { removeDevice(xname: "x20c0s0b0n1") { device { serialNumber } } }`);
    expect(removed.data.removeDevice.device).toBeNull();
    expectError(await gw.gql(`mutation { removeDevice(xname: "x20c0s0b0n1") { xname } }`), 'NOT_FOUND', 'xname');
    expectError(await gw.gql(INSTALL, { xname: 'x20c0s0b0n9', deviceId: a.id }), 'NOT_FOUND', 'xname');
    expectError(await gw.gql(INSTALL, { xname: pos2.xname, deviceId: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND', 'deviceId');
  });
});

describe('deleting and restoring components', () => {
  it('ends the installation, suspends memberships, and brings them back on restore', async () => {
    const node = await installedNode(gw.service, { xname: 'x30c0s0b0n0', nid: 3000, serialNumber: 'DEL-1' });
    await createGroup(gw.service, { name: 'del-group', members: ['x30c0s0b0n0'] });

    const del = await gw.gql(`mutation { deleteComponent(xname: "x30c0s0b0n0") { deletedAt device { id } } }`);
    expect(del.data.deleteComponent.deletedAt).toBeTruthy();
    expect(del.data.deleteComponent.device).toBeNull();
    const group = await gw.gql(`{ group(name: "del-group") { memberCount components { xname } } }`);
    expect(group.data.group).toEqual({ memberCount: 0, components: [] });
    expect((await gw.gql(`{ component(xname: "x30c0s0b0n0") { id } }`)).data.component).toBeNull();
    expectError(await gw.gql(`mutation { deleteComponent(xname: "x30c0s0b0n0") { id } }`), 'NOT_FOUND', 'xname');
    expectError(await gw.gql(`mutation { deleteComponent(xname: "bogus") { id } }`), 'BAD_USER_INPUT', 'xname');

    const restored = await gw.gql(`mutation($id: ID!) { restoreComponent(id: $id) { deletedAt nid groups { name } } }`, {
      id: node.componentId,
    });
    expect(restored.data.restoreComponent).toEqual({ deletedAt: null, nid: 3000, groups: [{ name: 'del-group' }] });
  });

  it('frees the xname and NID, so a restore can conflict', async () => {
    const old = await create({ xname: 'x31c0s0b0n0', nid: 3100 });
    await gw.gql(`mutation { deleteComponent(xname: "x31c0s0b0n0") { id } }`);
    const again = await create({ xname: 'x31c0s0b0n0', nid: 3100 });
    expect(again.id).not.toBe(old.id);
    expectError(await gw.gql(`mutation($id: ID!) { restoreComponent(id: $id) { id } }`, { id: old.id }), 'CONFLICT', 'xname');
    await gw.gql(`mutation { deleteComponent(xname: "x31c0s0b0n0") { id } }`);
    await create({ xname: 'x31c0s0b0n5', nid: 3100 });
    expectError(await gw.gql(`mutation($id: ID!) { restoreComponent(id: $id) { id } }`, { id: old.id }), 'CONFLICT', 'nid');
  });
});

describe('SMD component rules for the REST layer', () => {
  const stateOf = async (xname: string) => gw.db.prisma.component.findFirstOrThrow({ where: { xname, deletedAt: null } });

  it('upserts: new ones are created, existing ones untouched unless forced', async () => {
    await create({ xname: 'x40c0s0b0n0', state: 'On', flag: 'Alert', role: 'Service', nid: 4000, arch: 'ARM' });
    const plain = await upsertComponents(gw.service, [
      { xname: 'x40c0s0b0n0', state: 'Off', role: 'Compute' },
      { xname: 'x40c0s0b0n1', state: 'Off', nid: 4001 },
    ]);
    expect(plain.created.map((c) => [c.xname, c.state, c.flag, c.enabled, c.nid])).toEqual([['x40c0s0b0n1', 'Off', 'OK', true, 4001]]);
    expect(plain.updated).toEqual([]);
    expect(await stateOf('x40c0s0b0n0')).toMatchObject({ state: 'On', flag: 'Alert', role: 'Service' });

    const forced = await upsertComponents(
      gw.service,
      [{ xname: 'x40c0s0b0n0', state: 'standby', role: 'Compute', nid: 4100, enabled: false }],
      { force: true },
    );
    expect(forced.updated.map((c) => [c.state, c.flag, c.role, c.nid, c.enabled, c.arch])).toEqual([
      ['Standby', 'OK', 'Service', 4000, true, null],
    ]);

    await expect(upsertComponents(gw.service, [{ xname: 'x40c0s0b0n2' } as never])).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'components.0.state',
    });
  });

  it('applies the StateData transition table', async () => {
    await createComponent(gw.service, { xname: 'x41c0s0b0n0', state: 'Ready' });
    await createComponent(gw.service, { xname: 'x41c0s0b0n1', state: 'Off' });
    await createComponent(gw.service, { xname: 'x41c0s0b0n2', state: 'Empty', flag: 'Locked' });
    const all = ['x41c0s0b0n0', 'x41c0s0b0n1', 'x41c0s0b0n2', 'x41c0s0b0n9'];

    // Standby only from Standby or Ready; others are left alone, unknown xnames skipped.
    const standby = await setComponentStates(gw.service, all, { state: 'standby', flag: 'alert' });
    expect(standby.map((c) => [c.xname, c.state, c.flag])).toEqual([['x41c0s0b0n0', 'Standby', 'Alert']]);
    // Ready + Warning touches only components already Ready.
    expect(await setComponentStates(gw.service, all, { state: 'Ready', flag: 'warn' })).toEqual([]);
    const on = await setComponentStates(gw.service, all, { state: 'On' });
    expect(on.map((c) => [c.xname, c.state, c.flag])).toEqual([
      ['x41c0s0b0n0', 'On', 'OK'],
      ['x41c0s0b0n1', 'On', 'OK'],
    ]);

    await expect(setComponentStates(gw.service, all, { state: 'Empty' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'force' });
    const forced = await setComponentStates(gw.service, all, { state: 'Populated', force: true });
    expect(forced.map((c) => [c.xname, c.state, c.flag])).toEqual([
      ['x41c0s0b0n0', 'Populated', 'OK'],
      ['x41c0s0b0n1', 'Populated', 'OK'],
      ['x41c0s0b0n2', 'Populated', 'Locked'],
    ]);
    await expect(setComponentStates(gw.service, ['x41c0s0b0n0', 'nope'], { state: 'On' })).rejects.toMatchObject({ field: 'xnames.1' });
  });
});
