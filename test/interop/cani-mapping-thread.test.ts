// A large cani file is read and mapped on a thread of its own (mapped-items.ts). Whatever the
// thread, the writer must get the same items in the same order, and the same error at the same
// record, with everything before it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type InventoryError, ValidationError } from '../../src/domain/errors.js';
import { type MappingOptions, mappedItems } from '../../src/interop/cani/mapped-items.js';
import type { MappedItem } from '../../src/interop/cani/record-mapping.js';
import { fileSource } from '../../src/interop/source.js';

const FIXTURES = new URL('../fixtures/cani/', import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'cani-thread-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function read(path: string, options: MappingOptions): Promise<{ items: MappedItem[]; error?: unknown }> {
  const items: MappedItem[] = [];
  try {
    for await (const item of mappedItems(fileSource(path), options)) items.push(item);
    return { items };
  } catch (error) {
    return { items, error };
  }
}

const fixtures = [
  ...['v1alpha2', 'v1alpha3', 'v1alpha4', 'v1alpha5', 'v1alpha6'].map((name) => `${name}.json`),
  ...readdirSync(new URL('compat/', FIXTURES)).map((name) => `compat/${name}`),
];

it.each(fixtures)('maps %s to the same items on a thread as inline', async (fixture) => {
  const path = new URL(fixture, FIXTURES).pathname;
  const inline = await read(path, { thread: false });
  const threaded = await read(path, { thread: true });
  expect(inline.error).toBeUndefined();
  expect(threaded.items.some((item) => item.kind === 'records')).toBe(true);
  expect(threaded).toStrictEqual(inline);
});

it.each(readdirSync(new URL('bad/', FIXTURES)).map((name) => `bad/${name}`))(
  'fails %s at the same record, with the same error and what came before it',
  async (fixture) => {
    const path = new URL(fixture, FIXTURES).pathname;
    const inline = await read(path, { thread: false });
    const threaded = await read(path, { thread: true });
    expect(threaded.items).toStrictEqual(inline.items);
    if (!inline.error) return; // refused later, by the writer or the database
    expect(threaded.error).toBeInstanceOf((inline.error as Error).constructor);
    expect(threaded.error).toMatchObject({
      message: (inline.error as InventoryError).message,
      code: (inline.error as InventoryError).code,
      field: (inline.error as InventoryError).field,
    });
  },
);

/** A v1alpha6 document of `count` devices (a few KiB each), the `bad`th with a status cani does not have. */
function largeDocument(count: number, bad?: number): string {
  const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const devices = Array.from({ length: count }, (_, i) => [
    uuid(i),
    { id: uuid(i), type: 'Node', name: `node ${i}`, status: i === bad ? 'melted' : 'active', properties: { note: 'n'.repeat(2_000) } },
  ]);
  return JSON.stringify({ schemaVersion: 'v1alpha6', devices: Object.fromEntries(devices) });
}

it('maps a file of more than a megabyte on a thread by default, in order, many messages of it', async () => {
  const path = join(scratch, 'large.json');
  writeFileSync(path, largeDocument(3_000));
  expect(readFileSync(path).length).toBeGreaterThan(1024 * 1024);
  const threaded = await read(path, {});
  const inline = await read(path, { thread: false });
  const records = threaded.items.flatMap((item) => (item.kind === 'records' ? item.records : []));
  expect(records).toHaveLength(3_000);
  expect(records.map((record) => record.id)).toStrictEqual(records.map((_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
  expect(threaded).toStrictEqual(inline);
});

it('hands over every record before a bad one, then its error', async () => {
  const path = join(scratch, 'bad-at-2345.json');
  writeFileSync(path, largeDocument(3_000, 2_345));
  const { items, error } = await read(path, { thread: true });
  expect(items.filter((item) => item.kind === 'records')).toHaveLength(2_345);
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe('devices.00000000-0000-4000-8000-000000002345.status');
});

it('stops the thread when the reader stops early', async () => {
  const path = join(scratch, 'stopped.json');
  writeFileSync(path, largeDocument(3_000));
  let seen = 0;
  for await (const item of mappedItems(fileSource(path), { thread: true })) if (item.kind === 'records' && ++seen === 10) break;
  expect(seen).toBe(10);
  // The file can be read again at once (the stopped thread held nothing).
  expect((await read(path, { thread: true })).items.filter((item) => item.kind === 'records')).toHaveLength(3_000);
});
