import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectRefused, gqlData, historyActions, MISSING_ID } from '../support/graphql-writes.js';
import { expectNothingChanged } from '../support/store-counts.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const CREATE_LOCATION = `mutation($input: LocationCreateInput!) {
  createLocation(input: $input) { id uuid name slug locationType description properties revision parent { uuid } }
}`;
const UPDATE_LOCATION = `mutation($id: ID!, $input: LocationUpdateInput!) {
  updateLocation(id: $id, input: $input) { uuid name slug locationType description revision parent { uuid } }
}`;
const DELETE_LOCATION = `mutation($id: ID!) { deleteLocation(id: $id) { uuid deletedAt } }`;
const RESTORE_LOCATION = `mutation($id: ID!) { restoreLocation(id: $id) { uuid deletedAt parent { uuid } } }`;

const CREATE_RACK = `mutation($input: RackCreateInput!) {
  createRack(input: $input) { id uuid name uHeight status serial assetTag properties revision location { uuid } }
}`;
const UPDATE_RACK = `mutation($id: ID!, $input: RackUpdateInput!) {
  updateRack(id: $id, input: $input) { uuid name uHeight status serial revision location { uuid } }
}`;
const DELETE_RACK = `mutation($id: ID!) { deleteRack(id: $id) { uuid deletedAt } }`;
const RESTORE_RACK = `mutation($id: ID!) { restoreRack(id: $id) { uuid deletedAt } }`;

type Row = { id: string; uuid: string; revision: number; [field: string]: any };

const ok = <T = Row>(query: string, variables: Record<string, unknown>) => gqlData<T>(gw, query, variables);

const createLocation = (input: Record<string, unknown>) => ok(CREATE_LOCATION, { input });
const createRack = (input: Record<string, unknown>) => ok(CREATE_RACK, { input });

/** Expects the write to fail with `code` naming `field`, changing nothing. */
const refused = (query: string, variables: Record<string, unknown>, code: string, field: string) =>
  expectRefused(gw, query, variables, code, field);

const historyOf = (kind: 'location' | 'rack', id: string) => historyActions(gw, kind, id);

describe('locations', () => {
  it('creates a tree, canonicalising the type, and reads it back', async () => {
    const site = await createLocation({ name: 'Site A', locationType: 'SITE', slug: 'site-a', properties: { 'power.feed_count': 2 } });
    const hall = await createLocation({ name: 'Hall 1', locationType: 'Building', parentId: site.id });
    const room = await createLocation({ name: 'Room 1', locationType: 'room', parentId: hall.uuid });
    expect(room).toMatchObject({ locationType: 'room', parent: { uuid: hall.uuid }, revision: 1 });
    const plain = await createLocation({ name: 'Default type' });
    expect(plain).toMatchObject({ locationType: 'site', parent: null, properties: {} });

    const tree = await gw.gql(
      `query($id: ID!) { location(id: $id) { locationType slug properties children { name locationType children { name } } } }`,
      {
        id: site.uuid,
      },
    );
    expect(tree.data.location).toEqual({
      locationType: 'site',
      slug: 'site-a',
      properties: { 'power.feed_count': 2 },
      children: [{ name: 'Hall 1', locationType: 'building', children: [{ name: 'Room 1' }] }],
    });
    expect(await historyOf('location', room.uuid)).toEqual(['created']);
  });

  it('refuses bad input, naming the field, and writes nothing', async () => {
    const parent = await createLocation({ name: 'Checks' });
    await createLocation({ name: 'Taken', parentId: parent.uuid });
    await createLocation({ name: 'Top taken' });

    await refused(CREATE_LOCATION, { input: { name: '  ' } }, 'BAD_USER_INPUT', 'name');
    await refused(CREATE_LOCATION, { input: { name: 'x', locationType: 'planet' } }, 'BAD_USER_INPUT', 'locationType');
    await refused(CREATE_LOCATION, { input: { name: 'x', properties: { BadKey: 1 } } }, 'BAD_USER_INPUT', 'properties.BadKey');
    await refused(CREATE_LOCATION, { input: { name: 'x', parentId: MISSING_ID } }, 'NOT_FOUND', 'parentId');
    await refused(CREATE_LOCATION, { input: { name: 'x', parentId: 'not-an-id' } }, 'BAD_USER_INPUT', 'parentId');
    expect(await refused(CREATE_LOCATION, { input: { name: 'Taken', parentId: parent.uuid } }, 'CONFLICT', 'name')).toMatch(/Taken/);
    // A top-level duplicate has a NULL parent, which the database's unique key cannot see.
    await refused(CREATE_LOCATION, { input: { name: 'Top taken' } }, 'CONFLICT', 'name');
    // The same name under another parent is fine.
    await createLocation({ name: 'Taken' });
  });

  it('updates only the given fields, moves without cycles and logs each change', async () => {
    const a = await createLocation({ name: 'Upd A', slug: 'upd-a', description: 'first' });
    const b = await createLocation({ name: 'Upd B', parentId: a.uuid });
    const c = await createLocation({ name: 'Upd C', parentId: b.uuid });

    const updated = await ok(UPDATE_LOCATION, { id: a.id, input: { description: 'second', slug: null, locationType: 'Floor' } });
    expect(updated).toMatchObject({ name: 'Upd A', slug: null, description: 'second', locationType: 'floor', revision: 2 });

    await refused(UPDATE_LOCATION, { id: a.uuid, input: { parentId: c.uuid } }, 'BAD_USER_INPUT', 'parentId');
    await refused(UPDATE_LOCATION, { id: a.uuid, input: { parentId: a.uuid } }, 'BAD_USER_INPUT', 'parentId');
    await refused(UPDATE_LOCATION, { id: a.uuid, input: { name: '' } }, 'BAD_USER_INPUT', 'name');
    await refused(UPDATE_LOCATION, { id: MISSING_ID, input: { name: 'x' } }, 'NOT_FOUND', 'id');
    await createLocation({ name: 'Sibling', parentId: a.uuid });
    await refused(UPDATE_LOCATION, { id: b.uuid, input: { name: 'Sibling' } }, 'CONFLICT', 'name');

    const moved = await ok(UPDATE_LOCATION, { id: c.uuid, input: { parentId: null } });
    expect(moved).toMatchObject({ parent: null, revision: 2 });
    expect(await historyOf('location', c.uuid)).toEqual(['moved', 'created']);
    expect(await historyOf('location', a.uuid)).toEqual(['updated', 'created']);
  });

  it('deletes only an empty location, and restores under a live parent', async () => {
    const site = await createLocation({ name: 'Del site' });
    const room = await createLocation({ name: 'Del room', parentId: site.uuid });
    const rack = await createRack({ name: 'Del rack', locationId: room.uuid });
    const device = await ok<Row>(`mutation($input: DeviceCreateInput!) { createDevice(input: $input) { uuid } }`, {
      input: { deviceType: 'Node', locationId: room.uuid },
    });

    expect(await refused(DELETE_LOCATION, { id: site.uuid }, 'CONFLICT', 'id')).toMatch(/child location/);
    expect(await refused(DELETE_LOCATION, { id: room.uuid }, 'CONFLICT', 'id')).toMatch(/1 rack\(s\), 1 device\(s\)/);
    await ok(`mutation($id: ID!) { deleteDevice(id: $id) { uuid } }`, { id: device.uuid });
    expect(await refused(DELETE_LOCATION, { id: room.uuid }, 'CONFLICT', 'id')).toMatch(/1 rack/);
    await ok(DELETE_RACK, { id: rack.uuid });

    const deleted = await ok<{ deletedAt: string }>(DELETE_LOCATION, { id: room.uuid });
    expect(deleted.deletedAt).toBeTruthy();
    await refused(DELETE_LOCATION, { id: room.uuid }, 'NOT_FOUND', 'id');
    const live = await gw.gql(`query($p: ID) { locations(parentId: $p) { totalCount } }`, { p: site.uuid });
    expect(live.data.locations.totalCount).toBe(0);

    // A deleted name may be used again; restoring the old one then conflicts.
    const again = await createLocation({ name: 'Del room', parentId: site.uuid });
    await refused(RESTORE_LOCATION, { id: room.uuid }, 'CONFLICT', 'name');
    await ok(DELETE_LOCATION, { id: again.uuid });
    await ok(DELETE_LOCATION, { id: site.uuid });
    await refused(RESTORE_LOCATION, { id: room.uuid }, 'NOT_FOUND', 'parentId');

    await ok(RESTORE_LOCATION, { id: site.uuid });
    const restored = await ok(RESTORE_LOCATION, { id: room.uuid });
    expect(restored).toMatchObject({ deletedAt: null, parent: { uuid: site.uuid } });
    expect(await historyOf('location', room.uuid)).toEqual(['restored', 'deleted', 'created']);
    // Restoring a live location is a no-op that logs nothing.
    await expectNothingChanged(gw.db.prisma, () => ok(RESTORE_LOCATION, { id: room.uuid }));
  });
});

describe('racks', () => {
  it('creates with defaults and reads the rack from its location', async () => {
    const room = await createLocation({ name: 'Rack room' });
    const rack = await createRack({ name: 'R1', locationId: room.id, serial: 'SN-R1', properties: { 'pdu.count': 2 } });
    expect(rack).toMatchObject({
      uHeight: 42,
      status: 'active',
      serial: 'SN-R1',
      location: { uuid: room.uuid },
      properties: { 'pdu.count': 2 },
    });
    const small = await createRack({ name: 'R2', locationId: room.uuid, uHeight: 12, status: 'planned' });
    expect(small).toMatchObject({ uHeight: 12, status: 'planned' });
    const loose = await createRack({ name: 'Loose' });
    expect(loose.location).toBeNull();

    const read = await gw.gql(`query($id: ID!) { location(id: $id) { racks { name } } }`, { id: room.uuid });
    expect(read.data.location.racks).toEqual([{ name: 'R1' }, { name: 'R2' }]);
    expect(await historyOf('rack', rack.uuid)).toEqual(['created']);
  });

  it('refuses bad input, naming the field, and writes nothing', async () => {
    const room = await createLocation({ name: 'Rack checks' });
    await createRack({ name: 'Dup', locationId: room.uuid });
    await createRack({ name: 'Top dup' });

    await refused(CREATE_RACK, { input: { name: '' } }, 'BAD_USER_INPUT', 'name');
    await refused(CREATE_RACK, { input: { name: 'x', uHeight: 0 } }, 'BAD_USER_INPUT', 'uHeight');
    await refused(CREATE_RACK, { input: { name: 'x', uHeight: 101 } }, 'BAD_USER_INPUT', 'uHeight');
    await refused(CREATE_RACK, { input: { name: 'x', status: ' ' } }, 'BAD_USER_INPUT', 'status');
    await refused(CREATE_RACK, { input: { name: 'x', properties: { 'Bad Key': 1 } } }, 'BAD_USER_INPUT', 'properties.Bad Key');
    await refused(CREATE_RACK, { input: { name: 'x', locationId: MISSING_ID } }, 'NOT_FOUND', 'locationId');
    await refused(CREATE_RACK, { input: { name: 'Dup', locationId: room.uuid } }, 'CONFLICT', 'name');
    await refused(CREATE_RACK, { input: { name: 'Top dup' } }, 'CONFLICT', 'name');
    await createRack({ name: 'Dup' });
  });

  it('updates, moves, refuses to shrink under a device, and deletes only when empty', async () => {
    const a = await createLocation({ name: 'Rack move A' });
    const b = await createLocation({ name: 'Rack move B' });
    const rack = await createRack({ name: 'Mover', locationId: a.uuid });
    await createRack({ name: 'Mover', locationId: b.uuid });

    const updated = await ok(UPDATE_RACK, { id: rack.id, input: { status: 'retired', serial: 'S-9' } });
    expect(updated).toMatchObject({ name: 'Mover', status: 'retired', serial: 'S-9', uHeight: 42, revision: 2 });
    await refused(UPDATE_RACK, { id: rack.uuid, input: { locationId: b.uuid } }, 'CONFLICT', 'name');
    await refused(UPDATE_RACK, { id: rack.uuid, input: { locationId: MISSING_ID } }, 'NOT_FOUND', 'locationId');
    const moved = await ok(UPDATE_RACK, { id: rack.uuid, input: { locationId: null } });
    expect(moved).toMatchObject({ location: null, revision: 3 });

    const device = await ok<Row>(`mutation($input: DeviceCreateInput!) { createDevice(input: $input) { uuid } }`, {
      input: { deviceType: 'Node', rackId: rack.uuid, rackPosition: 30 },
    });
    await refused(UPDATE_RACK, { id: rack.uuid, input: { uHeight: 20 } }, 'CONFLICT', 'uHeight');
    expect(await ok(UPDATE_RACK, { id: rack.uuid, input: { uHeight: 30 } })).toMatchObject({ uHeight: 30 });
    expect(await refused(DELETE_RACK, { id: rack.uuid }, 'CONFLICT', 'id')).toMatch(/1 live device/);

    await ok(`mutation($id: ID!) { deleteDevice(id: $id) { uuid } }`, { id: device.uuid });
    expect((await ok<{ deletedAt: string }>(DELETE_RACK, { id: rack.uuid })).deletedAt).toBeTruthy();
    await refused(UPDATE_RACK, { id: rack.uuid, input: { status: 'x' } }, 'NOT_FOUND', 'id');
    expect(await historyOf('rack', rack.uuid)).toEqual(['deleted', 'updated', 'moved', 'updated', 'created']);
  });

  it('restores a rack unless its location is gone or its name was reused', async () => {
    const room = await createLocation({ name: 'Restore room' });
    const rack = await createRack({ name: 'Phoenix', locationId: room.uuid });
    await ok(DELETE_RACK, { id: rack.uuid });
    const twin = await createRack({ name: 'Phoenix', locationId: room.uuid });
    await refused(RESTORE_RACK, { id: rack.uuid }, 'CONFLICT', 'name');
    await ok(DELETE_RACK, { id: twin.uuid });
    await ok(DELETE_LOCATION, { id: room.uuid });
    await refused(RESTORE_RACK, { id: rack.uuid }, 'NOT_FOUND', 'locationId');
    await refused(RESTORE_RACK, { id: MISSING_ID }, 'NOT_FOUND', 'id');

    await ok(RESTORE_LOCATION, { id: room.uuid });
    expect(await ok(RESTORE_RACK, { id: rack.uuid })).toMatchObject({ deletedAt: null });
    expect(await historyOf('rack', rack.uuid)).toEqual(['restored', 'deleted', 'created']);
  });
});
