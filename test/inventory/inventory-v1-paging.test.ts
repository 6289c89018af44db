// GET /apis/inventory/v1/devices by cursor: `next` (and the Link header) walks every device
// once in the offset pages' order, across the createdAt ties a bulk load leaves; a cursor page
// computes no total unless `count=true`, costs the same statements on every page, and a bad or
// mixed paging parameter is a 400 naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCluster } from '../../src/fixtures/synthetic-cluster.js';
import { loadInventory } from '../../src/services/core/bulk-load.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectProblem } from '../support/problem.js';

const BASE = '/apis/inventory/v1';
let gw: TestGateway;
let all: string[];

beforeAll(async () => {
  gw = await startTestGateway();
  // One bulk load: many devices share a createdAt, so the id breaks the ties.
  await loadInventory(gw.service, generateCluster({ nodes: 4, seed: 3 }), { engine: gw.db.engine });
  const res = await gw.rest('GET', `${BASE}/devices?limit=1000`);
  all = res.body.items.map((d: { id: string }) => d.id);
});
afterAll(() => gw?.close());

describe('GET /devices?cursor=', () => {
  it('walks every device once, in the offset order, by next and by the Link header', async () => {
    expect(all.length).toBeGreaterThan(30);
    const walked: string[] = [];
    const statements = new Set<number>();
    let path = `${BASE}/devices?limit=7`;
    for (let guard = 0; guard < 100; guard++) {
      const res = await gw.rest('GET', path);
      expect(res.status, res.text).toBe(200);
      walked.push(...res.body.items.map((d: { id: string }) => d.id));
      if (path.includes('cursor=')) {
        statements.add(res.statements);
        expect(res.body).not.toHaveProperty('total');
        expect(res.body).not.toHaveProperty('offset');
      }
      if (res.body.next === null) {
        expect(res.headers.get('link')).toBeNull();
        break;
      }
      const link = res.headers.get('link') ?? '';
      expect(link).toBe(`<${BASE}/devices?limit=7&cursor=${res.body.next}>; rel="next"`);
      path = (/^<([^>]+)>/.exec(link) as RegExpExecArray)[1] as string;
    }
    expect(walked).toEqual(all);
    // The page (a seek per segment: createdAt ties, then later createdAt) and the children.
    expect(Math.max(...statements)).toBeLessThanOrEqual(3);
  });

  it('keeps the filters in the cursor pages', async () => {
    const first = await gw.rest('GET', `${BASE}/devices?deviceType=Memory&limit=3`);
    const memory = (await gw.rest('GET', `${BASE}/devices?deviceType=Memory&limit=1000`)).body.items.map((d: { id: string }) => d.id);
    const second = await gw.rest('GET', `${BASE}/devices?deviceType=Memory&limit=3&cursor=${first.body.next}`);
    expect([...first.body.items, ...second.body.items].map((d: { id: string }) => d.id)).toEqual(memory.slice(0, 6));
  });

  it('counts the total on offset pages, and on cursor pages only with count=true', async () => {
    const offset = await gw.rest('GET', `${BASE}/devices?limit=2`);
    expect(offset.body).toMatchObject({ total: all.length, limit: 2, offset: 0 });
    expect(typeof offset.body.next).toBe('string');
    const uncounted = await gw.rest('GET', `${BASE}/devices?limit=2&count=false`);
    expect(uncounted.body).not.toHaveProperty('total');
    expect(uncounted.statements).toBe(offset.statements - 1);
    const counted = await gw.rest('GET', `${BASE}/devices?limit=2&count=true&cursor=${offset.body.next}`);
    expect(counted.body.total).toBe(all.length);
  });

  it('refuses a cursor it did not give, and a cursor with an offset, naming the parameter', async () => {
    expectProblem(await gw.rest('GET', `${BASE}/devices?cursor=not-a-cursor`), 400, 'cursor');
    const forged = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url');
    expectProblem(await gw.rest('GET', `${BASE}/devices?cursor=${forged}`), 400, 'cursor');
    const first = await gw.rest('GET', `${BASE}/devices?limit=2`);
    expectProblem(await gw.rest('GET', `${BASE}/devices?offset=2&cursor=${first.body.next}`), 400, 'offset');
    expectProblem(await gw.rest('GET', `${BASE}/devices?count=maybe`), 400, 'count');
  });
});
