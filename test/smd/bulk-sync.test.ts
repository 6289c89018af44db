// The bulk sync writers (syncComponentsIn, syncRedfishEndpointsIn, syncComponentEndpointsIn,
// syncServiceEndpointsIn, syncHardwareLocationsIn)
// against real databases: a list written at once leaves the store, and answers each input's
// changes, exactly as the single writers one input after the other do, repeats and inputs that
// depend on each other included; a refused input names its index and writes nothing; and a
// list of hundreds costs a few statements, not a few per input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/client.js';
import { onStatement } from '../../src/db/sql-counter.js';
import type { Change } from '../../src/services/core/change-log.js';
import type { WriteResult } from '../../src/services/core/transaction.js';
import {
  type ComponentEndpointInput,
  type ComponentInput,
  type HardwareLocationSync,
  listHardwareHistory,
  listHardwareLocations,
  type RedfishEndpointInput,
  type ServiceEndpointInput,
  syncComponentEndpointIn,
  syncComponentEndpointsIn,
  syncComponentIn,
  syncComponentsIn,
  syncHardwareLocationIn,
  syncHardwareLocationsIn,
  syncRedfishEndpointIn,
  syncRedfishEndpointsIn,
  syncServiceEndpointIn,
  syncServiceEndpointsIn,
} from '../../src/services/smd/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { refusal } from '../support/list-writes.js';
import { inTransaction } from '../support/transaction.js';

/** `bulk` writes each list at once; `single` one input after the other. */
let bulk: TestDatabase;
let single: TestDatabase;

beforeAll(async () => {
  [bulk, single] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([bulk?.destroy(), single?.destroy()]);
});

/** Runs the same list through the bulk writer on `bulk` and the single writer on `single`. */
async function both<I, R>(
  inputs: I[],
  many: (tx: Tx, inputs: I[]) => Promise<WriteResult<R>[]>,
  one: (tx: Tx, input: I) => Promise<WriteResult<R>>,
): Promise<{ bulk: WriteResult<R>[]; single: WriteResult<R>[] }> {
  const fromBulk = await inTransaction(bulk, (tx) => many(tx, inputs));
  const fromSingle = await inTransaction(single, async (tx) => {
    const out: WriteResult<R>[] = [];
    for (const input of inputs) out.push(await one(tx, input));
    return out;
  });
  return { bulk: fromBulk, single: fromSingle };
}

/** Each input's changes as "<entity> <action>" lines. */
const kinds = (results: Array<{ changes: Change[] }>) => results.map((r) => r.changes.map((c) => `${c.entityType} ${c.action}`));

async function components(db: TestDatabase) {
  const rows = await db.prisma.component.findMany({ where: { deletedAt: null }, orderBy: { xname: 'asc' } });
  return rows.map(({ xname, state, flag, nid, role, revision }) => ({
    xname,
    state,
    flag,
    nid: nid === null ? null : Number(nid),
    role,
    revision,
  }));
}

describe('syncComponentsIn', () => {
  const seed: ComponentInput[] = [
    { xname: 'x1000c0s0b0n0', state: 'On', nid: 10 },
    { xname: 'x1000c0s0b0n1', state: 'On', nid: 11 },
    { xname: 'x1000c0s1b0n0', state: 'Ready', nid: 12 },
  ];

  it('creates, updates what differs and leaves what matches, as one input after the other does', async () => {
    await both(seed, (tx, inputs) => syncComponentsIn(tx, inputs), syncComponentIn);
    const list: ComponentInput[] = [
      { xname: 'x1000c0s2b0n0', state: 'On', nid: 20 },
      { xname: 'x1000c0s0b0n0', nid: 13 }, // moves off NID 10 …
      { xname: 'x1000c0s2b0n1', state: 'On', nid: 10 }, // … which is free from here on
      { xname: 'x1000c0s1b0n0', state: 'Ready', nid: 12 }, // already so
      { xname: 'x1000c0s2b0n0', state: 'Off' }, // a repeat: created above, updated here
      { xname: 'X1000C0S0B0N1', flag: 'warn' },
    ];
    const { bulk: fromBulk, single: fromSingle } = await both(
      list,
      (tx, inputs) => syncComponentsIn(tx, inputs, 'components'),
      syncComponentIn,
    );
    expect(kinds(fromBulk)).toEqual([
      ['Component created'],
      ['Component updated'],
      ['Component created'],
      [],
      ['Component updated'],
      ['Component updated'],
    ]);
    expect(kinds(fromBulk)).toEqual(kinds(fromSingle));
    expect(fromBulk.map((r) => [r.result.xname, r.result.state, r.result.nid])).toEqual(
      fromSingle.map((r) => [r.result.xname, r.result.state, r.result.nid]),
    );
    expect(fromBulk[4].changes[0]).toMatchObject({ before: { state: 'On' }, after: { xname: 'x1000c0s2b0n0', state: 'Off' } });
    expect(await components(bulk)).toEqual(await components(single));
    expect((await components(bulk)).find((c) => c.xname === 'x1000c0s2b0n1')?.nid).toBe(10);

    // The same list again: only the repeated xname changes (back and forth), as one by one.
    const again = await both(list, (tx, inputs) => syncComponentsIn(tx, inputs), syncComponentIn);
    expect(kinds(again.bulk)).toEqual([['Component updated'], [], [], [], ['Component updated'], []]);
    expect(kinds(again.single)).toEqual(kinds(again.bulk));
    expect(await components(bulk)).toEqual(await components(single));
  });

  it('refuses a NID a later input frees, as one input after the other does, and writes nothing', async () => {
    const before = await components(bulk);
    const list: ComponentInput[] = [
      { xname: 'x1000c0s3b0n0', state: 'On', nid: 11 }, // x1000c0s0b0n1 still holds 11 here
      { xname: 'x1000c0s0b0n1', nid: 14 },
    ];
    const error = await refusal(() => inTransaction(bulk, (tx) => syncComponentsIn(tx, list, 'components')));
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'components.0.nid' });
    expect(error.message).toBe('NID 11 is already used by component x1000c0s0b0n1');
    const one = await refusal(() => inTransaction(single, (tx) => syncComponentIn(tx, list[0])));
    expect(one.message).toBe(error.message);
    expect(await components(bulk)).toEqual(before);
  });

  it('checks every input first, naming the bad one', async () => {
    const before = await components(bulk);
    const error = await refusal(() =>
      inTransaction(bulk, (tx) =>
        syncComponentsIn(
          tx,
          [
            { xname: 'x1000c0s4b0n0', state: 'On' },
            { xname: 'x1000c0s4b0n1', state: 'Sideways' },
          ],
          'components',
        ),
      ),
    );
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'components.1.state' });
    expect((await refusal(() => inTransaction(bulk, (tx) => syncComponentsIn(tx, [{ xname: 'x1000c0s4bXn0' }])))).field).toBe('xname');
    expect(await components(bulk)).toEqual(before);
  });

  it('writes hundreds of components in a few statements', async () => {
    const list = Array.from(
      { length: 300 },
      (_, i): ComponentInput => ({ xname: `x2000c0s${i >> 1}b0n${i & 1}`, state: 'On', nid: 5000 + i }),
    );
    let statements = 0;
    const stop = onStatement(() => statements++);
    try {
      await inTransaction(bulk, (tx) => syncComponentsIn(tx, list));
      const created = statements;
      statements = 0;
      await inTransaction(bulk, (tx) =>
        syncComponentsIn(
          tx,
          list.map((input, i) => (i % 2 ? { ...input, state: 'Off' } : input)),
        ),
      );
      expect({ created, updated: statements }).toEqual({ created: expect.any(Number), updated: expect.any(Number) });
      expect(created).toBeLessThan(15);
      expect(statements).toBeLessThan(10);
    } finally {
      stop();
    }
  });
});

describe('syncRedfishEndpointsIn', () => {
  const endpoint = (xname: string, fields: Partial<RedfishEndpointInput> = {}): RedfishEndpointInput => ({
    xname,
    hostname: xname,
    domain: 'hmn',
    enabled: true,
    ...fields,
  });

  it('creates, replaces what differs and leaves what matches, as one input after the other does', async () => {
    await both([endpoint('x3000c0s0b0')], (tx, inputs) => syncRedfishEndpointsIn(tx, inputs), syncRedfishEndpointIn);
    const list = [
      endpoint('x3000c0s0b0', { domain: 'nmn' }), // gives up x3000c0s0b0.hmn …
      endpoint('x3000c0s1b0', { hostname: 'x3000c0s0b0' }), // … which it takes
      endpoint('x3000c0s2b0'),
      endpoint('x3000c0s2b0', { enabled: false }), // a repeat
      endpoint('x3000c0s3b0', { password: 'secret-3' }),
    ];
    const { bulk: fromBulk, single: fromSingle } = await both(
      list,
      (tx, inputs) => syncRedfishEndpointsIn(tx, inputs, 'endpoints'),
      syncRedfishEndpointIn,
    );
    expect(kinds(fromBulk)).toEqual([
      ['RedfishEndpoint updated'],
      ['RedfishEndpoint created'],
      ['RedfishEndpoint created'],
      ['RedfishEndpoint updated'],
      ['RedfishEndpoint created'],
    ]);
    expect(kinds(fromBulk)).toEqual(kinds(fromSingle));
    expect(fromBulk.map((r) => r.result.fqdn)).toEqual([
      'x3000c0s0b0.nmn',
      'x3000c0s0b0.hmn',
      'x3000c0s2b0.hmn',
      'x3000c0s2b0.hmn',
      'x3000c0s3b0.hmn',
    ]);
    expect(JSON.stringify(fromBulk)).not.toContain('secret-3');
    const again = await inTransaction(bulk, (tx) => syncRedfishEndpointsIn(tx, list.slice(3)));
    expect(kinds(again).flat()).toEqual([]);
    const changedPassword = await inTransaction(bulk, (tx) =>
      syncRedfishEndpointsIn(tx, [endpoint('x3000c0s3b0', { password: 'secret-4' })]),
    );
    expect(kinds(changedPassword)).toEqual([['RedfishEndpoint updated']]);
  });

  it('refuses an FQDN a later input frees, naming the input, and writes nothing', async () => {
    const before = await bulk.prisma.redfishEndpoint.findMany({
      orderBy: { xname: 'asc' },
      select: { xname: true, fqdn: true, revision: true },
    });
    const error = await refusal(() =>
      inTransaction(bulk, (tx) =>
        syncRedfishEndpointsIn(
          tx,
          [endpoint('x3000c0s4b0', { hostname: 'x3000c0s2b0' }), endpoint('x3000c0s2b0', { domain: 'nmn' })],
          'endpoints',
        ),
      ),
    );
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'endpoints.0.fqdn' });
    expect(error.message).toBe('Redfish endpoint x3000c0s2b0 already has FQDN x3000c0s2b0.hmn');
    expect(
      await bulk.prisma.redfishEndpoint.findMany({ orderBy: { xname: 'asc' }, select: { xname: true, fqdn: true, revision: true } }),
    ).toEqual(before);
  });
});

describe('syncComponentEndpointsIn and syncServiceEndpointsIn', () => {
  const componentEndpoint = (xname: string, fields: Partial<ComponentEndpointInput> = {}): ComponentEndpointInput => ({
    xname,
    redfishEndpointXname: 'x3000c0s0b0',
    redfishType: 'ComputerSystem',
    odataId: `/redfish/v1/Systems/${xname}`,
    componentEndpointType: 'ComponentEndpointComputerSystem',
    ...fields,
  });
  const serviceEndpoint = (redfishType: string, fields: Partial<ServiceEndpointInput> = {}): ServiceEndpointInput => ({
    redfishEndpointXname: 'x3000c0s0b0',
    redfishType,
    odataId: `/redfish/v1/${redfishType}`,
    ...fields,
  });

  it('create, replace what differs and leave what matches, as one input after the other does', async () => {
    const components = [
      componentEndpoint('x3000c0s0b0n0'),
      componentEndpoint('x3000c0s0b0n1'),
      componentEndpoint('x3000c0s0b0n0', { enabled: false }), // a repeat
      componentEndpoint('x3000c0s1b0n0', { redfishEndpointXname: 'x3000c0s1b0' }),
    ];
    const first = await both(components, (tx, inputs) => syncComponentEndpointsIn(tx, inputs, 'endpoints'), syncComponentEndpointIn);
    expect(kinds(first.bulk)).toEqual([
      ['ComponentEndpoint created'],
      ['ComponentEndpoint created'],
      ['ComponentEndpoint updated'],
      ['ComponentEndpoint created'],
    ]);
    expect(kinds(first.single)).toEqual(kinds(first.bulk));
    expect(first.bulk[2].result).toMatchObject({ xname: 'x3000c0s0b0n0', enabled: false });
    expect(kinds(await inTransaction(bulk, (tx) => syncComponentEndpointsIn(tx, components.slice(1)))).flat()).toEqual([]);

    const services = [serviceEndpoint('UpdateService'), serviceEndpoint('UpdateService', { uuid: 'u-1' }), serviceEndpoint('EventService')];
    const second = await both(services, (tx, inputs) => syncServiceEndpointsIn(tx, inputs, 'endpoints'), syncServiceEndpointIn);
    expect(kinds(second.bulk)).toEqual([['ServiceEndpoint created'], ['ServiceEndpoint updated'], ['ServiceEndpoint created']]);
    expect(kinds(second.single)).toEqual(kinds(second.bulk));
    expect(kinds(await inTransaction(bulk, (tx) => syncServiceEndpointsIn(tx, services.slice(1)))).flat()).toEqual([]);

    const rows = async (db: TestDatabase) => ({
      components: await db.prisma.componentEndpoint.findMany({
        orderBy: { xname: 'asc' },
        select: { xname: true, enabled: true, revision: true },
      }),
      services: await db.prisma.serviceEndpoint.findMany({
        orderBy: { redfishType: 'asc' },
        select: { redfishType: true, uuid: true, revision: true },
      }),
    });
    expect(await rows(bulk)).toEqual(await rows(single));
  });

  it('name the input whose Redfish endpoint does not exist, and write nothing', async () => {
    const before = await bulk.prisma.componentEndpoint.count();
    const error = await refusal(() =>
      inTransaction(bulk, (tx) =>
        syncComponentEndpointsIn(
          tx,
          [componentEndpoint('x3000c0s0b0n2'), componentEndpoint('x3000c0s9b0n0', { redfishEndpointXname: 'x3000c0s9b0' })],
          'endpoints',
        ),
      ),
    );
    expect(error).toMatchObject({ code: 'NOT_FOUND', field: 'endpoints.1.redfishEndpointXname' });
    expect(await bulk.prisma.componentEndpoint.count()).toBe(before);
    const bad = await refusal(() =>
      inTransaction(bulk, (tx) => syncServiceEndpointsIn(tx, [serviceEndpoint('UpdateService', { odataId: '' })], 'endpoints')),
    );
    expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endpoints.0.odataId' });
  });
});

describe('syncHardwareLocationsIn', () => {
  const fru = (serial: string) => ({
    fruId: `Node.HPE.102901500.${serial}`,
    manufacturer: 'HPE',
    partNumber: '102901500',
    serialNumber: serial,
    fruInfo: { Manufacturer: 'HPE', PartNumber: '102901500', SerialNumber: serial },
  });
  const location = (xname: string, serial: string | null, info: Record<string, unknown> = {}): HardwareLocationSync => ({
    xname,
    locationInfo: info,
    fru: serial ? fru(serial) : null,
  });

  /** What the hardware inventory shows, ids and times aside. */
  async function inventory(db: TestDatabase) {
    const locations = (await listHardwareLocations(db.prisma)).map((l) => [
      l.xname,
      l.status,
      l.ordinal,
      l.fru?.fruId ?? null,
      l.locationInfo,
    ]);
    const history = (await listHardwareHistory(db.prisma)).map((e) => `${e.xname} ${e.eventType} ${e.fruId}`).sort();
    return { locations, history, devices: await db.prisma.device.count({ where: { deletedAt: null } }) };
  }

  it('installs, moves and empties as one location after the other does', async () => {
    const seed = [location('x4000c0s0b0n0', 'S1'), location('x4000c0s0b0n1', 'S2')];
    const seeded = await both(seed, (tx, inputs) => syncHardwareLocationsIn(tx, inputs), syncHardwareLocationIn);
    expect(kinds(seeded.bulk)).toEqual([
      ['Component created', 'Component updated', 'Device created', 'Component installed'],
      ['Component created', 'Component updated', 'Device created', 'Component installed'],
    ]);
    const list = [
      location('x4000c0s0b0n1', 'S1'), // S1 moves here from n0; S2 leaves
      location('x4000c0s0b0n0', 'S2'), // S2 goes into the position S1 just left
      location('x4000c0s1b0n0', 'S3'),
      location('x4000c0s1b0n0', 'S3', { Id: 'Node0' }), // a repeat: only the location info differs
      location('x4000c0s2b0n0', null),
      location('x4000c0s0b0n0', 'S2'), // already so by now
    ];
    const { bulk: fromBulk, single: fromSingle } = await both(
      list,
      (tx, inputs) => syncHardwareLocationsIn(tx, inputs, 'locations'),
      syncHardwareLocationIn,
    );
    expect(kinds(fromBulk)).toEqual([
      ['Component removed', 'Component removed', 'Component installed'],
      ['Component installed'],
      ['Component created', 'Component updated', 'Device created', 'Component installed'],
      ['Component updated'],
      ['Component created'],
      [],
    ]);
    expect(kinds(fromBulk)).toEqual(kinds(fromSingle));
    expect(await inventory(bulk)).toEqual(await inventory(single));
    expect((await inventory(bulk)).locations).toContainEqual(['x4000c0s0b0n0', 'Populated', 0, 'Node.HPE.102901500.S2', {}]);

    // Again: only the repeated location changes (its location info, back and forth).
    const again = await both(list, (tx, inputs) => syncHardwareLocationsIn(tx, inputs), syncHardwareLocationIn);
    expect(kinds(again.bulk)).toEqual([[], [], ['Component updated'], ['Component updated'], [], []]);
    expect(kinds(again.single)).toEqual(kinds(again.bulk));
    expect(await inventory(bulk)).toEqual(await inventory(single));
  });

  it('names a refused location by its index and writes nothing', async () => {
    const before = await inventory(bulk);
    const error = await refusal(() =>
      inTransaction(bulk, (tx) =>
        syncHardwareLocationsIn(
          tx,
          [location('x4000c0s3b0n0', 'S4'), { ...location('x4000c0s3b0n1', 'S5'), status: 'x'.repeat(65) }],
          'locations',
        ),
      ),
    );
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'locations.1.status' });
    expect(await inventory(bulk)).toEqual(before);
  });

  it('syncs hundreds of locations in a few statements', async () => {
    const list = Array.from({ length: 200 }, (_, i) => location(`x5000c0s${i >> 1}b0n${i & 1}`, `B${i}`, { Id: `Node${i & 1}` }));
    let statements = 0;
    const stop = onStatement(() => statements++);
    try {
      await inTransaction(bulk, (tx) => syncHardwareLocationsIn(tx, list));
      const first = statements;
      statements = 0;
      await inTransaction(bulk, (tx) => syncHardwareLocationsIn(tx, list));
      expect(first).toBeLessThan(20);
      expect(statements).toBeLessThan(8);
    } finally {
      stop();
    }
  });
});
