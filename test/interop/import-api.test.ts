// Imports and exports over REST (/apis/import/v1, /apis/export/v1) and GraphQL: the same
// registry and session as the CLI. The formats' own rules are tested in test/import-<format>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

describe('import and export endpoints: bad requests', () => {
  it.each([
    ['POST', '/apis/import/v1/no-such-format', '{}', 422, 'format'],
    ['POST', '/apis/import/v1/no-such-format?dryRun=maybe', '{}', 422, 'dryRun'],
    ['POST', '/apis/import/v1/smd?source=ftp://smd/hsm/v2', '', 422, 'source'],
    ['POST', '/apis/import/v1/smd?source=not a url', '', 422, 'source'],
    ['GET', '/apis/export/v1/no-such-format', undefined, 422, 'format'],
  ])('%s %s answers %i naming %s', async (method, path, body, status, field) => {
    const reply = await gw.rest(method, path, body);
    expect(reply.status, reply.text).toBe(status);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body.field).toBe(field);
  });

  it('a wrong method is a 405 naming the allowed one', async () => {
    const reply = await gw.rest('GET', '/apis/import/v1/cani');
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('POST');
  });

  it('a 10 MB field answers a short error naming the record and field, not the value', async () => {
    const id = 'b3000003-0000-4000-8000-000000000003';
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const document = { schemaVersion: 'v1alpha6', devices: { [id]: { id, name: 'n', type: 'node', rackPosition: huge } } };
    const reply = await gw.rest('POST', '/apis/import/v1/cani', JSON.stringify(document));
    expect(reply.status).toBe(422);
    expect(reply.body.field).toBe(`devices.${id}.rackPosition`);
    expect(reply.body.detail).toMatch(/must be a whole number ≥ 0 \(got "x+…\(\d+ characters cut\)…x+"\)$/);
    expect(reply.text.length).toBeLessThan(4 * 1024);
  }, 60_000);

  it('GraphQL names the format argument', async () => {
    const result = await gw.gql('mutation { importInventory(format: "nope", document: "{}") { changes } }');
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'format' });
    const exported = await gw.gql('{ exportInventory(format: "nope") }');
    expect(exported.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'format' });
  });
});
