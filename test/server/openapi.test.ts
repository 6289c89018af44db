// /openapi.json: an OpenAPI 3.1 document that covers every route the SMD and Fabrica routers
// register (so it cannot fall behind them), the gateway's own routes, and whose references
// all resolve. Swagger UI's assets are served locally.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollectionRouter } from '../../src/rest-compat/collection-v1/index.js';
import { createFabricaRouter } from '../../src/rest-compat/fabrica/index.js';
import { createHistoryRouter } from '../../src/rest-compat/history-v1/index.js';
import { createInventoryV1Router } from '../../src/rest-compat/inventory-v1/index.js';
import { openApiPath } from '../../src/rest-compat/openapi/document.js';
import { createSmdRouter } from '../../src/rest-compat/smd/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
let doc: any;
beforeAll(async () => {
  gw = await startTestGateway();
  const res = await gw.app.fetch(new Request('http://gateway.test/openapi.json'));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  doc = await res.json();
});
afterAll(() => gw?.close());

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function operations(): Array<{ path: string; method: string; op: any; item: any }> {
  return Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op, item })),
  );
}

describe('/openapi.json', () => {
  it('is an OpenAPI 3.1 document with a title, tags and component schemas', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('HPC Inventory Gateway API');
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'SmdComponent',
        'SmdEthernetInterface',
        'SmdGroup',
        'Component',
        'ComponentCreateRequest',
        'FabricaError',
        'Problem',
        'GraphQLRequest',
      ]),
    );
  });

  it('has every route the SMD router registers', () => {
    const routes = createSmdRouter()
      .routes()
      .filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(0);
    const missing = routes
      .filter((r) => !doc.paths[openApiPath(r.pattern)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.pattern}`);
    expect(missing).toEqual([]);
  });

  it.each([
    ['inventory v1', createInventoryV1Router],
    ['history v1', createHistoryRouter],
    ['collection v1', createCollectionRouter],
  ])('has every route the %s router registers', (_name, create) => {
    const routes = create()
      .routes()
      .filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(0);
    const missing = routes
      .filter((r) => !doc.paths[openApiPath(r.pattern)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.pattern}`);
    expect(missing).toEqual([]);
  });

  it('has every route the Fabrica router registers, with its bodies described', () => {
    const routes = createFabricaRouter().routes();
    expect(routes.length).toBe(7 * 9);
    const missing = routes
      .filter((r) => !doc.paths[openApiPath(r.pattern)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.pattern}`);
    expect(missing).toEqual([]);
    const post = doc.paths['/components'].post;
    expect(post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ComponentCreateRequest' });
    expect(post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Component' });
    expect(post.responses['409'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/FabricaError' });
    const patch = doc.paths['/groups/{uid}'].patch;
    expect(Object.keys(patch.requestBody.content)).toEqual(
      expect.arrayContaining(['application/merge-patch+json', 'application/json-patch+json', 'application/json']),
    );
    expect(patch.responses['422']).toBeDefined();
    expect(doc.components.schemas.Group.properties.spec).toEqual({ $ref: '#/components/schemas/SmdGroup' });
  });

  it("has the gateway's own routes", () => {
    expect(doc.paths['/graphql'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/GraphQLRequest',
    });
    expect(doc.paths['/graphql'].get).toBeDefined();
    for (const path of ['/health', '/ready', '/metrics', '/openapi.json', '/docs']) expect(doc.paths[path]?.get, path).toBeDefined();
    // NoCloud describes its own routes; they are merged in (root and the default base path).
    expect(doc.paths['/meta-data']?.get).toBeDefined();
    expect(doc.paths['/cloud-init/meta-data']?.get).toBeDefined();
  });

  it('has unique operation ids, a response for every operation and every path parameter declared', () => {
    const ops = operations();
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op, item } of ops) {
      expect(Object.keys(op.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const declared = [...new Set(params.filter((p: any) => p.in === 'path').map((p: any) => p.name))].sort();
      expect(declared, `${method} ${path}`).toEqual(templated);
    }
  });

  it('resolves every $ref', () => {
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    const unresolved = [...new Set(refs)].filter((ref) => {
      const match = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref);
      return !match || !doc.components[match[1]]?.[match[2]];
    });
    expect(unresolved).toEqual([]);
  });
});

describe('/docs', () => {
  it('serves a Swagger UI page whose assets are all local', async () => {
    const res = await gw.app.fetch(new Request('http://gateway.test/docs'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('HPC Inventory Gateway API');
    expect(html).toContain('"validatorUrl":null');
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(url.startsWith('/'), url).toBe(true);
      const asset = await gw.app.fetch(new Request(`http://gateway.test${url}`));
      expect(asset.status, url).toBe(200);
    }
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('serves only its own asset files', async () => {
    expect((await gw.app.fetch(new Request('http://gateway.test/docs/package.json'))).status).toBe(404);
    expect((await gw.app.fetch(new Request('http://gateway.test/docs/..%2Fpackage.json'))).status).toBe(404);
    const css = await gw.app.fetch(new Request('http://gateway.test/docs/swagger-ui.css'));
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });
});
