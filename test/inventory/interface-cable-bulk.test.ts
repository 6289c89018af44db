// The writers for many interfaces and cables (interface-bulk.ts, cable-bulk.ts): the same rules
// as the writers for one, checked for the whole list in a few queries, so that the statements a
// write takes do not grow with the number of items; an error names the item through itemError
// and the write changes nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/client.js';
import { type InventoryError, ValidationError } from '../../src/domain/errors.js';
import { type WriteResult, write } from '../../src/services/core/transaction.js';
import {
  createCablesIn,
  createDevicesIn,
  createInterfacesIn,
  type InterfaceUpdate,
  type NewCable,
  type NewInterface,
  updateInterfacesIn,
} from '../../src/services/inventory/index.js';
import { createComponent } from '../../src/services/smd/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { measured } from '../support/list-writes.js';

let db: TestDatabase;
const ctx = () => ({ db: db.prisma, source: 'graphql' as const, actor: 'interface-cable-bulk.test' });
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.destroy());

/** Names the item at fault, as an importer would name its record. */
const itemError = (i: number, error: InventoryError) => new ValidationError(`items.${i}.${error.field}`, `${error.code}: ${error.message}`);

/** The error of a write expected to fail, and the proof that it wrote nothing. */
async function refused(work: (tx: Tx) => Promise<WriteResult<unknown>>): Promise<InventoryError> {
  const before = await Promise.all([db.prisma.interface.count(), db.prisma.ipAddress.count(), db.prisma.cable.count()]);
  const events = await db.prisma.changeEvent.count();
  const error = await write(ctx(), work).then(
    () => undefined,
    (e: InventoryError) => e,
  );
  expect(error).toBeDefined();
  expect(await Promise.all([db.prisma.interface.count(), db.prisma.ipAddress.count(), db.prisma.cable.count()])).toEqual(before);
  expect(await db.prisma.changeEvent.count()).toBe(events);
  return error as InventoryError;
}

async function devices(prefix: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await write(ctx(), (tx) =>
    createDevicesIn(
      tx,
      ids.map((id, i) => ({ id, input: { deviceType: 'Node', name: `${prefix}-${i}` } })),
    ),
  );
  return ids;
}

const mac = (prefix: number, i: number) =>
  `02:${prefix.toString(16).padStart(2, '0')}:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;

/** Two interfaces per device, one with an address, one on a position. */
function newInterfaces(deviceIds: string[], prefix: number, xname: string): NewInterface[] {
  return deviceIds.flatMap((deviceId, i) => [
    {
      id: randomUUID(),
      input: { deviceId, name: 'eth0', macAddress: mac(prefix, 2 * i), ipAddresses: [{ address: `10.${prefix}.${i >> 8}.${i & 255}` }] },
    },
    { id: randomUUID(), input: { deviceId, xname, name: 'bmc', kind: 'bmc', macAddress: mac(prefix, 2 * i + 1) } },
  ]);
}

describe('createInterfacesIn', () => {
  it('writes any number of interfaces, their positions and addresses in the same few statements', async () => {
    await createComponent(ctx(), { xname: 'x3000c0s1b0' });
    const counts: number[] = [];
    for (const [prefix, n] of [
      [1, 40],
      [2, 150],
    ] as const) {
      const items = newInterfaces(await devices(`create-${prefix}`, n), prefix, 'x3000c0s1b0');
      const { result, changes, statements } = await measured(ctx(), (tx) => createInterfacesIn(tx, items));
      counts.push(statements);
      expect(result.map((row) => row.id)).toEqual(items.map((item) => item.id));
      expect(changes).toHaveLength(2 * n);
      expect(changes[0]).toMatchObject({
        action: 'created',
        after: { name: 'eth0', kind: 'ethernet', ipAddresses: [{ address: `10.${prefix}.0.0`, network: null }] },
      });
      expect(changes[1]).toMatchObject({ action: 'created', after: { name: 'bmc', kind: 'bmc', ipAddresses: [] } });
      const bmc = await db.prisma.interface.findUniqueOrThrow({ where: { id: items[1].id }, include: { component: true } });
      expect(bmc.component?.xname).toBe('x3000c0s1b0');
      expect(await db.prisma.ipAddress.count({ where: { interfaceId: { in: items.map((item) => item.id as string) } } })).toBe(n);
    }
    // The checks (devices, positions, MACs, names), the rows and their read-back, the addresses and theirs, the change log.
    expect(counts[1]).toBe(counts[0]);
  });

  it('refuses a taken or repeated MAC or name, a missing device or position, naming the item', async () => {
    const [a, b] = await devices('refuse', 2);
    const taken = mac(3, 0);
    await write(ctx(), (tx) => createInterfacesIn(tx, [{ input: { deviceId: a, name: 'eth0', macAddress: taken } }]));
    const cases: Array<[NewInterface[], string, RegExp]> = [
      [
        [{ input: { deviceId: b, name: 'eth0' } }, { input: { deviceId: b, macAddress: taken } }],
        'items.1.macAddress',
        /CONFLICT.*already exists/,
      ],
      [
        [{ input: { deviceId: b, macAddress: mac(3, 9) } }, { input: { deviceId: a, macAddress: mac(3, 9) } }],
        'items.1.macAddress',
        /CONFLICT.*already exists/,
      ],
      [[{ input: { deviceId: b, name: 'p1' } }, { input: { deviceId: a, name: 'eth0' } }], 'items.1.name', /CONFLICT.*named "eth0"/],
      [[{ input: { deviceId: b, name: 'p1' } }, { input: { deviceId: b, name: 'p1' } }], 'items.1.name', /CONFLICT.*named "p1"/],
      [[{ input: { deviceId: b } }, { input: { deviceId: randomUUID() } }], 'items.1.deviceId', /NOT_FOUND/],
      [[{ input: { deviceId: b, xname: 'x9c0s0b0n0' } }], 'items.0.xname', /NOT_FOUND/],
      [[{ input: { name: 'nowhere' } }], 'items.0.deviceId', /BAD_USER_INPUT.*give at least one/],
      [[{ input: { deviceId: b, ipAddresses: [{ address: '10.0.0.256' }] } }], 'items.0.ipAddresses.0.address', /IPv4 or IPv6/],
    ];
    for (const [items, field, message] of cases) {
      const error = await refused((tx) => createInterfacesIn(tx, items, { itemError }));
      expect({ field: error.field, message: error.message }).toEqual({ field, message: expect.stringMatching(message) });
    }
    // A MAC spelled another way is the same MAC.
    const spelled = await refused((tx) =>
      createInterfacesIn(tx, [{ input: { deviceId: b, macAddress: '02-03-00-00-00-00' } }], { itemError }),
    );
    expect(spelled.field).toBe('items.0.macAddress');
  });
});

describe('updateInterfacesIn', () => {
  it('gives many interfaces a new address set in the same few statements, logging each with its addresses', async () => {
    await createComponent(ctx(), { xname: 'x3000c0s2b0' });
    const counts: number[] = [];
    for (const [prefix, n] of [
      [4, 40],
      [5, 150],
    ] as const) {
      const created = newInterfaces(await devices(`update-${prefix}`, n), prefix, 'x3000c0s2b0');
      await write(ctx(), (tx) => createInterfacesIn(tx, created));
      const eth0 = created.filter((_, i) => i % 2 === 0);
      const kept = await db.prisma.ipAddress.findFirstOrThrow({ where: { interfaceId: eth0[0].id } });
      const updates: InterfaceUpdate[] = eth0.map((item) => ({
        id: item.id as string,
        input: { ipAddresses: [...(item.input.ipAddresses ?? []), { address: 'fd00::1', network: 'HSN' }] },
      }));
      const { changes, statements } = await measured(ctx(), (tx) => updateInterfacesIn(tx, updates));
      counts.push(statements);
      expect(changes).toHaveLength(n);
      expect(changes[0]).toMatchObject({
        action: 'updated',
        before: { revision: 1, ipAddresses: [{ address: `10.${prefix}.0.0` }] },
        after: { revision: 2, ipAddresses: [{ address: `10.${prefix}.0.0` }, { address: 'fd00::1', network: 'HSN' }] },
      });
      // The address the set keeps is the same row.
      expect((await db.prisma.ipAddress.findFirstOrThrow({ where: { interfaceId: eth0[0].id, address: kept.address } })).id).toBe(kept.id);
      expect(await db.prisma.ipAddress.count({ where: { interfaceId: { in: updates.map((u) => u.id) } } })).toBe(2 * n);
    }
    expect(counts[1]).toBe(counts[0]);
  });

  it('moves, renames and frees keys in list order, and refuses a key another interface keeps', async () => {
    const [a, b] = await devices('keys', 2);
    const first = { id: randomUUID(), input: { deviceId: a, name: 'eth0', macAddress: mac(6, 0) } };
    const second = { id: randomUUID(), input: { deviceId: a, name: 'eth1', macAddress: mac(6, 1) } };
    await write(ctx(), (tx) => createInterfacesIn(tx, [first, second]));
    // The first gives up its name and MAC; the second takes them in the same write.
    const { changes } = await measured(ctx(), (tx) =>
      updateInterfacesIn(tx, [
        { id: first.id, input: { name: 'old0', macAddress: null, deviceId: b } },
        { id: second.id, input: { name: 'eth0', macAddress: mac(6, 0) } },
      ]),
    );
    expect(changes.map((c) => c.action)).toEqual(['moved', 'updated']);
    expect(await db.prisma.interface.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      name: 'eth0',
      macAddress: mac(6, 0),
    });

    const third = { id: randomUUID(), input: { deviceId: a, name: 'eth2', macAddress: mac(6, 2) } };
    await write(ctx(), (tx) => createInterfacesIn(tx, [third]));
    const renamed = await refused((tx) =>
      updateInterfacesIn(
        tx,
        [
          { id: first.id, input: { description: 'spare' } },
          { id: third.id, input: { name: 'eth0' } },
        ],
        { itemError },
      ),
    );
    expect(renamed.field).toBe('items.1.name');
    const twice = await refused((tx) =>
      updateInterfacesIn(
        tx,
        [
          { id: third.id, input: { description: 'x' } },
          { id: third.id, input: { description: 'y' } },
        ],
        { itemError },
      ),
    );
    expect(twice.field).toBe('items.1.id');
    const gone = await refused((tx) => updateInterfacesIn(tx, [{ id: randomUUID(), input: { description: 'x' } }], { itemError }));
    expect(gone.message).toMatch(/NOT_FOUND/);
  });
});

describe('createCablesIn', () => {
  async function ports(prefix: string, n: number): Promise<string[]> {
    const items = (await devices(prefix, n)).map((deviceId) => ({ id: randomUUID(), input: { deviceId, name: 'p1' } }));
    await write(ctx(), (tx) => createInterfacesIn(tx, items));
    return items.map((item) => item.id);
  }

  it('writes any number of cables with their ends in the same few statements', async () => {
    const counts: number[] = [];
    for (const n of [70, 150]) {
      const ends = await ports(`cable-${n}`, 2 * n);
      const items: NewCable[] = Array.from({ length: n }, (_, i) => ({
        id: randomUUID(),
        input: { label: `L-${i}`, aInterfaceId: ends[2 * i], bInterfaceId: i === 0 ? null : ends[2 * i + 1] },
      }));
      const { result, changes, statements } = await measured(ctx(), (tx) => createCablesIn(tx, items));
      counts.push(statements);
      expect(result.map((row) => row.id)).toEqual(items.map((item) => item.id));
      expect(changes[0]).toMatchObject({ action: 'created', after: { label: 'L-0', terminations: [{ end: 'A', interfaceId: ends[0] }] } });
      expect(changes[1].after).toMatchObject({
        terminations: [
          { end: 'A', interfaceId: ends[2] },
          { end: 'B', interfaceId: ends[3] },
        ],
      });
      expect(await db.prisma.cableTermination.count({ where: { cableId: { in: items.map((item) => item.id as string) } } })).toBe(
        2 * n - 1,
      );
    }
    expect(counts[1]).toBe(counts[0]);
  });

  it('refuses an interface that is gone, taken, or taken earlier in the list, naming the item and end', async () => {
    const [a, b, c] = await ports('busy', 3);
    const held = randomUUID();
    await write(ctx(), (tx) => createCablesIn(tx, [{ id: held, input: { aInterfaceId: a } }]));
    const first = randomUUID();
    const cases: Array<[NewCable[], string, RegExp]> = [
      [
        [{ input: { aInterfaceId: b } }, { input: { aInterfaceId: c, bInterfaceId: a } }],
        'items.1.bInterfaceId',
        new RegExp(`already has end A of cable ${held}`),
      ],
      [
        [{ id: first, input: { bInterfaceId: b } }, { input: { aInterfaceId: b } }],
        'items.1.aInterfaceId',
        new RegExp(`already has end B of cable ${first}`),
      ],
      [[{ input: { aInterfaceId: randomUUID() } }], 'items.0.aInterfaceId', /NOT_FOUND/],
      [[{ input: { aInterfaceId: b, bInterfaceId: b } }], 'items.0.bInterfaceId', /cannot be the same interface/],
      [[{ input: { length: -1 } }], 'items.0.length', /greater than 0/],
    ];
    for (const [items, field, message] of cases) {
      const error = await refused((tx) => createCablesIn(tx, items, { itemError }));
      expect({ field: error.field, message: error.message }).toEqual({ field, message: expect.stringMatching(message) });
    }
  });
});
