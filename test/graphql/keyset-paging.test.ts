// Connection cursors are keyset seeks: walking a list page by page with `after` (or back with
// `before`) gives every row once, in the list's order, across devices without a name (NULL
// sorts first on SQLite, last on PostgreSQL) and across name ties; a page after a cursor costs
// a fixed number of statements wherever it is; a cursor naming no row is a typed error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { createDevice, deleteDevice } from '../../src/services/inventory/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await loadInventory(gw.service, generateCluster({ nodes: 4, seed: 7 }), { engine: gw.db.engine });
  // Nameless devices and name ties, which the keyset must order by id.
  for (let i = 0; i < 3; i++) await createDevice(gw.service, { deviceType: 'Memory' });
  for (let i = 0; i < 3; i++) await createDevice(gw.service, { deviceType: 'Memory', name: 'same-name' });
  const gone = await createDevice(gw.service, { deviceType: 'Memory', name: 'deleted-one' });
  await deleteDevice(gw.service, gone.id);
});
afterAll(() => gw?.close());

interface Page {
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null; startCursor: string | null };
  edges: Array<{ node: { id: string; uuid: string; name: string | null } }>;
}

async function page(args: string): Promise<{ page: Page; statements: number }> {
  const res = await gw.gql<{ devices: Page }>(
    `{ devices(${args}) { pageInfo { hasNextPage hasPreviousPage endCursor startCursor } edges { node { id uuid name } } } }`,
  );
  expect(res.errors).toBeUndefined();
  return { page: res.data?.devices as Page, statements: res.statements };
}

describe('devices(after:) and devices(before:)', () => {
  it('walks every live device once, in the order of one big page', async () => {
    const whole = (await page('first: 500')).page.edges.map((e) => e.node.id);
    expect(whole.length).toBeGreaterThan(40);
    const walked: string[] = [];
    const statements = new Set<number>();
    let after: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const { page: p, statements: n } = await page(after ? `first: 7, after: "${after}"` : 'first: 7');
      walked.push(...p.edges.map((e) => e.node.id));
      if (after) statements.add(n);
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(walked).toEqual(whole);
    // A later page: the cursor row, then one seek per segment it reads (ties, greater names, NULLs).
    expect(Math.max(...statements)).toBeLessThanOrEqual(4);
  });

  it('walks back with last/before to the first page', async () => {
    const whole = (await page('first: 500')).page.edges.map((e) => e.node.id);
    const walked: string[] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const { page: p } = await page(before ? `last: 6, before: "${before}"` : 'last: 6');
      walked.unshift(...p.edges.map((e) => e.node.id));
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(walked).toEqual(whole);
  });

  it('keeps the nameless and same-name devices in (name, id) order on this engine', async () => {
    const whole = (await page('first: 500')).page.edges.map((e) => e.node);
    // By the row id (a UUID), not the Relay id: base64 does not keep the order of what it encodes.
    const nameless = whole.filter((d) => d.name === null).map((d) => d.uuid);
    expect(nameless).toHaveLength(3);
    expect(nameless).toEqual([...nameless].sort());
    const same = whole.filter((d) => d.name === 'same-name').map((d) => d.uuid);
    expect(same).toEqual([...same].sort());
    expect(whole.some((d) => d.name === 'deleted-one')).toBe(false);
  });

  it('answers a cursor that names no device with BAD_USER_INPUT naming after', async () => {
    const cursor = Buffer.from('GPC:S:00000000-0000-4000-8000-000000000000').toString('base64');
    const res = await gw.gql(`{ devices(first: 2, after: "${cursor}") { edges { node { id } } } }`);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('changes(after:)', () => {
  it('pages the change log newest first without repeats', async () => {
    type Changes = { changes: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { seq: number } }> } };
    const seqs: number[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const res: Awaited<ReturnType<typeof gw.gql<Changes>>> = await gw.gql<Changes>(
        `{ changes(first: 3${after ? `, after: "${after}"` : ''}) { pageInfo { hasNextPage endCursor } edges { node { seq } } } }`,
      );
      expect(res.errors).toBeUndefined();
      const changes = res.data?.changes as Changes['changes'];
      seqs.push(...changes.edges.map((e) => e.node.seq));
      if (!changes.pageInfo.hasNextPage || seqs.length >= 12) break;
      after = changes.pageInfo.endCursor;
    }
    expect(seqs.length).toBe(12);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});
