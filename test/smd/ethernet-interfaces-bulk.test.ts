// writeEthernetInterfacesIn (SMD's EthernetInterfaces view, used by `import smd`, discovery and
// Fabrica) writes through the interface list writers: the statements a list takes do not grow
// with its length, in every mode, while SMD's owners (a live position, an xname kept by name,
// none), 'sync' leaving unchanged interfaces alone and the change log in input order are kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryError } from '../../src/domain/errors.js';
import { type EthernetInterfaceInput, writeEthernetInterfacesIn } from '../../src/services/inventory/index.js';
import { createComponent } from '../../src/services/smd/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { measured } from '../support/list-writes.js';

let db: TestDatabase;
const ctx = () => ({ db: db.prisma, source: 'import' as const, actor: 'ethernet-interfaces-bulk.test' });
beforeAll(async () => {
  db = await createTestDatabase();
  await createComponent(ctx(), { xname: 'x3000c0s1b0n0' });
});
afterAll(() => db?.destroy());

const mac = (prefix: number, i: number) =>
  `02:ee:${prefix.toString(16).padStart(2, '0')}:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;

/** n interfaces: on the live node position, on an xname with no position, and with no owner, in turn. */
function smdInterfaces(prefix: number, n: number): EthernetInterfaceInput[] {
  const owners = ['x3000c0s1b0n0', 'x3000c0s9b0n0', ''];
  return Array.from({ length: n }, (_, i) => ({
    macAddress: mac(prefix, i),
    description: `eth ${i}`,
    componentXname: owners[i % 3],
    ipAddresses: [{ address: `10.${prefix}.${i >> 8}.${i & 255}`, network: 'NMN' }],
  }));
}

const write1 = (inputs: EthernetInterfaceInput[], mode: 'create' | 'replace' | 'sync') =>
  measured(ctx(), (tx) => writeEthernetInterfacesIn(tx, inputs, mode));

describe('writeEthernetInterfacesIn', () => {
  it('creates, re-syncs and replaces any number of interfaces in the same statements', async () => {
    const statements = async (prefix: number, n: number) => {
      const inputs = smdInterfaces(prefix, n);
      const created = await write1(inputs, 'create');
      expect(created.changes).toHaveLength(n);
      const again = await write1(inputs, 'sync');
      expect(again.changes).toEqual([]);
      const renamed = await write1(
        inputs.map((input) => ({ ...input, description: 'renamed' })),
        'sync',
      );
      expect(renamed.changes).toHaveLength(n);
      const replaced = await write1(inputs, 'replace');
      expect(replaced.changes).toHaveLength(n);
      return [created, again, renamed, replaced].map((w) => w.statements);
    };
    // Past the size where new rows are INSERTed by hand rather than by Prisma (BULK_THRESHOLD).
    const few = await statements(1, 70);
    const many = await statements(2, 300);
    expect(many).toEqual(few);
    // 'sync' of interfaces that already hold everything only reads.
    expect(few[1]).toBeLessThanOrEqual(6);
  });

  it('keeps SMD owners: a live position, an xname kept by name, or none', async () => {
    const [onNode, dangling, none] = smdInterfaces(3, 3);
    const { result } = await write1([onNode, dangling, none], 'create');
    const node = await db.prisma.component.findFirstOrThrow({ where: { xname: 'x3000c0s1b0n0' } });
    expect(result.map((r) => [r.componentId, r.componentXname, r.kind, r.mgmtOnly])).toEqual([
      [node.id, null, 'ethernet', false],
      [null, 'x3000c0s9b0n0', 'ethernet', false],
      [null, null, 'ethernet', false],
    ]);
    // Moving the dangling one onto the live position is a 'moved'; the others stay as they are.
    const moved = await write1([onNode, { ...dangling, componentXname: 'x3000c0s1b0n0' }, none], 'sync');
    expect(moved.changes.map((c) => [c.entityId, c.action])).toEqual([[result[1].id, 'moved']]);
    const row = await db.prisma.interface.findUniqueOrThrow({ where: { id: result[1].id } });
    expect([row.componentId, row.componentXname, row.revision]).toEqual([node.id, null, 2]);
    expect((await db.prisma.interface.findUniqueOrThrow({ where: { id: result[0].id } })).revision).toBe(1);
  });

  it('logs creates and updates of one list in input order, with the addresses each holds', async () => {
    const [a, b, c] = smdInterfaces(4, 3);
    await write1([b], 'create');
    const written = await write1([a, { ...b, ipAddresses: [{ address: '10.9.9.9' }] }, c], 'sync');
    expect(written.changes.map((change) => [change.action, (change.after as { macAddress: string }).macAddress])).toEqual([
      ['created', a.macAddress],
      ['updated', b.macAddress],
      ['created', c.macAddress],
    ]);
    expect((written.changes[1].before as { ipAddresses: unknown }).ipAddresses).toEqual([{ address: '10.4.0.1', network: 'NMN' }]);
    expect((written.changes[1].after as { ipAddresses: unknown }).ipAddresses).toEqual([{ address: '10.9.9.9', network: null }]);
    expect(written.result.map((r) => r.macAddress)).toEqual([a, b, c].map((i) => i.macAddress));
  });

  it("refuses in 'create' a MAC a live interface has, naming the item, and writes nothing", async () => {
    const [a, b] = smdInterfaces(5, 2);
    const first = await write1([a], 'create');
    const count = await db.prisma.interface.count();
    const error = (await write1([b, a], 'create').then(
      () => undefined,
      (e: InventoryError) => e,
    )) as InventoryError;
    expect([error?.code, error?.field, error?.message]).toEqual([
      'CONFLICT',
      'ethernetInterfaces.1.macAddress',
      `a live interface with MAC ${a.macAddress} already exists (Interface ${first.result[0].id})`,
    ]);
    expect(await db.prisma.interface.count()).toBe(count);
  });
});
