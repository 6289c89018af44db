// Every GraphQL example in the README runs without errors against a demo-sized cluster,
// so the documentation cannot drift from the schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { seedCluster } from '../../src/fixtures/seed.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/** The documents in the README's ```graphql blocks; a block may hold several, one per top-level line. */
function readmeDocuments(): string[] {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) =>
    block
      .split(/\n(?=[{]|query|mutation)/)
      .map((d) => d.trim())
      .filter(Boolean),
  );
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await seedCluster(gw.db, { nodes: 64 });
});
afterAll(() => gw.close());

it('the README has GraphQL examples', () => {
  expect(readmeDocuments().length).toBeGreaterThanOrEqual(4);
});

it.each(readmeDocuments().map((doc) => [doc.split('\n')[0], doc]))('runs: %s', async (_first, document) => {
  const result = await gw.gql(document);
  expect(result.errors).toBeUndefined();
  expect(JSON.stringify(result.data)).not.toMatch(/"totalCount":0\b/);
});
