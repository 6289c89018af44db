// Bad input of every kind at the GraphQL endpoint gets a clear error and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

// GraphQL over HTTP: with this media type, requests that cannot run are answered 4xx.
async function post(body: string) {
  const response = await gw.app.fetch(
    new Request('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body,
    }),
  );
  return {
    status: response.status,
    body: (await response.json()) as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> },
  };
}

async function writesSoFar() {
  return {
    devices: await gw.db.prisma.device.count(),
    events: await gw.db.prisma.changeEvent.count(),
  };
}

describe('bad input at /graphql', () => {
  it.each([
    ['malformed JSON', '{"query": "{ devices { totalCount } }"', 400, /POST body sent invalid JSON/],
    ['a batch (array body)', '[1, 2, 3]', 400, /Batching is not supported/],
    ['no query', '{"variables": {}}', 400, /Must provide query string/],
    ['a syntax error', JSON.stringify({ query: 'mutation { createDevice(input: { deviceType: "Node" ' }), 400, /Syntax Error/],
    ['an unknown field', JSON.stringify({ query: '{ devices { edges { node { colour } } } }' }), 400, /Cannot query field "colour"/],
  ])('%s → %i with a clear message', async (_name, body, status, message) => {
    const before = await writesSoFar();
    const result = await post(body);
    expect(result.status).toBe(status);
    expect(result.body.errors?.[0].message).toMatch(message);
    expect(await writesSoFar()).toEqual(before);
  });

  it('a variable of the wrong type is refused before anything runs', async () => {
    const before = await writesSoFar();
    const result = await post(
      JSON.stringify({
        query: 'mutation($input: DeviceCreateInput!) { createDevice(input: $input) { id } }',
        variables: { input: { deviceType: 'Node', rackPosition: 'top' } },
      }),
    );
    expect(result.body.errors?.[0].message).toMatch(/rackPosition.*Int cannot represent/);
    expect(await writesSoFar()).toEqual(before);
  });

  it.each([
    ['a properties value that is not an object', { deviceType: 'Node', properties: ['a'] }, /JSONObject/],
    ['an empty device type', { deviceType: '  ' }, /deviceType: is required/],
    ['an unknown status', { deviceType: 'Node', status: 'melted' }, /status: must be one of planned/],
    ['a rack position without a rack', { deviceType: 'Node', rackPosition: 3 }, /rackPosition: needs a rackId/],
    ['a parent id that is no id', { deviceType: 'Node', parentId: 'not-an-id' }, /parentId: must be a Device id/],
  ])('%s is refused naming the field and writes nothing', async (_name, input, message) => {
    const before = await writesSoFar();
    const result = await post(
      JSON.stringify({ query: 'mutation($input: DeviceCreateInput!) { createDevice(input: $input) { id } }', variables: { input } }),
    );
    expect(result.body.errors?.[0].message).toMatch(message);
    expect(await writesSoFar()).toEqual(before);
  });

  // GraphQL lets any optional input field be null; where the service cannot clear the field,
  // null is refused naming it (src/schema/null-inputs.ts), list items by their index.
  const COMPONENT_ENDPOINT = `xname: "x3000c0s1b0n0", redfishEndpointXname: "x3000c0s1b0", redfishType: "ComputerSystem",
    odataId: "/redfish/v1/Systems/1", componentEndpointType: "ComponentEndpointComputerSystem"`;
  it.each([
    ['updateDevice', 'updateDevice(id: "8c1f6a52-6e8e-4d0b-9a59-2b5a3c7d9e10", input: { deviceType: null })', 'deviceType'],
    ['createComponent', 'createComponent(input: { xname: "x3000c0s1b0n0", state: null })', 'state'],
    [
      'createComponents',
      'createComponents(components: [{ xname: "x3000c0s1b0n0" }, { xname: "x3000c0s1b0n1", enabled: null }])',
      'components.1.enabled',
    ],
    ['updateComponent', 'updateComponent(xname: "x3000c0s1b0n0", input: { reservationDisabled: null })', 'reservationDisabled'],
    ['updateComponents', 'updateComponents(components: [{ xname: "x3000c0s1b0n0", locked: null }])', 'components.0.locked'],
    ['createRedfishEndpoint', 'createRedfishEndpoint(input: { xname: "x3000c0s1b0", useSsdp: null })', 'useSsdp'],
    [
      'createRedfishEndpoints',
      'createRedfishEndpoints(redfishEndpoints: [{ xname: "x3000c0s1b0", macRequired: null }])',
      'redfishEndpoints.0.macRequired',
    ],
    ['updateRedfishEndpoint', 'updateRedfishEndpoint(xname: "x3000c0s1b0", input: { rediscoverOnUpdate: null })', 'rediscoverOnUpdate'],
    ['createComponentEndpoint', `createComponentEndpoint(input: { ${COMPONENT_ENDPOINT}, enabled: null })`, 'enabled'],
    ['replaceComponentEndpoint', `replaceComponentEndpoint(input: { ${COMPONENT_ENDPOINT}, enabled: null })`, 'enabled'],
  ])('%s: null for a field that cannot be cleared is refused naming it', async (_name, call, field) => {
    const before = await writesSoFar();
    const result = await gw.gql(`mutation { ${call} { __typename } }`);
    expect(result.errors?.[0]).toMatchObject({
      message: `${field}: cannot be null; omit it instead`,
      extensions: { code: 'BAD_USER_INPUT', field },
    });
    expect(await writesSoFar()).toEqual(before);
  });

  it('an unknown id reads as null and updates as NOT_FOUND', async () => {
    const read = await gw.gql('{ device(id: "8c1f6a52-6e8e-4d0b-9a59-2b5a3c7d9e10") { name } }');
    expect(read.data.device).toBeNull();
    const update = await gw.gql('mutation { updateDevice(id: "8c1f6a52-6e8e-4d0b-9a59-2b5a3c7d9e10", input: { name: "x" }) { name } }');
    expect(update.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });
});
