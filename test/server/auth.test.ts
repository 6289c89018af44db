// Authentication and authorisation with real signed tokens: a JWKS server on 127.0.0.1 serves
// the public keys, tokens are signed with jose, and the gateway verifies them on REST and
// GraphQL alike. Also the start-up checks of the real process.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { createApp } from '../../src/server/app.js';
import { AUTH_OFF_WARNING, authOptionsFromConfig } from '../../src/server/auth/index.js';
import { permissionsOf } from '../../src/server/auth/permissions.js';
import { ConfigError, parseCommandLine } from '../../src/server/config.js';
import { createMetrics } from '../../src/server/metrics.js';
import { changeListenerCount } from '../../src/services/core/change-feed.js';
import { createDevice } from '../../src/services/inventory/device.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { MAIN, startGatewayProcess } from '../support/gateway-process.js';
import { openSse } from '../support/sse.js';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'inventory';
const NODE = 'x1000c0s0b0n0';
const NODE_IP = '10.20.0.5';

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string, alg: SigningKey['alg']): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** The identity provider's key set, served over HTTP; `keys` can be swapped (rotation). */
interface JwksServer {
  url: string;
  keys: SigningKey[];
  fetches: number;
  close(): Promise<void>;
}

async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  const state = { keys, fetches: 0 };
  const server: Server = createServer((_req, res) => {
    state.fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: state.keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

interface TokenSpec {
  key?: SigningKey;
  sub?: string | null;
  claims?: JWTPayload;
  issuer?: string;
  audience?: string;
  /** Expiry in seconds from now (negative: already expired). */
  expiresIn?: number;
  kid?: string;
}

let rsa: SigningKey;
let ec: SigningKey;

async function token(spec: TokenSpec = {}): Promise<string> {
  const key = spec.key ?? rsa;
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(spec.claims ?? {})
    .setProtectedHeader({ alg: key.alg, kid: spec.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(spec.issuer ?? ISSUER)
    .setAudience(spec.audience ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (spec.expiresIn ?? 300));
  if (spec.sub !== null) jwt.setSubject(spec.sub ?? 'alice');
  return jwt.sign(key.privateKey);
}

const readToken = () => token({ claims: { scope: 'read' }, sub: 'reader' });
const writeToken = (sub = 'alice') => token({ key: ec, claims: { scope: 'openid write' }, sub });

let jwks: JwksServer;
let gw: TestGateway;

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; peer?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await gw.app.fetch(
    new Request(`http://gateway.test${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
    { peerAddress: options.peer ?? '192.0.2.1' },
  );
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: response.headers, body: /json/.test(type) && text ? JSON.parse(text) : text };
}

const graphql = (query: string, tokenValue?: string, variables?: Record<string, unknown>) =>
  call('POST', '/graphql', { token: tokenValue, body: { query, variables } });

beforeAll(async () => {
  [rsa, ec] = await Promise.all([signingKey('rsa-1', 'RS256'), signingKey('ec-1', 'ES256')]);
  jwks = await startJwksServer([rsa, ec]);
  // Cooldown 0: a token with an unknown kid refetches at once, so rotation needs no waiting.
  gw = await startTestGateway({ auth: { mode: 'jwks', jwksUrl: jwks.url, issuer: ISSUER, audience: [AUDIENCE], jwksCooldownMs: 0 } });
  const write = await writeToken('setup');
  const created = await call('POST', '/hsm/v2/State/Components', {
    token: write,
    body: { Components: [{ ID: NODE, State: 'Ready', Type: 'Node', NID: 1, Role: 'Compute' }] },
  });
  expect(created.status).toBe(204);
  const nic = await call('POST', '/hsm/v2/Inventory/EthernetInterfaces', {
    token: write,
    body: { MACAddress: '02:00:00:00:00:05', ComponentID: NODE, IPAddresses: [{ IPAddress: NODE_IP }] },
  });
  expect(nic.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await gw?.close();
  await jwks?.close();
});

describe('routes SMD leaves public', () => {
  it('answer without a token', async () => {
    for (const path of [
      '/hsm/v2/service/ready',
      '/hsm/v2/service/liveness',
      '/hsm/v2/service/values',
      '/hsm/v2/service/values/arch',
      '/hsm/v2/State/Components?type=Node',
      '/hsm/v2/Inventory/EthernetInterfaces/',
      '/health',
      '/ready',
      '/metrics',
      '/openapi.json',
      '/docs',
    ]) {
      const reply = await call('GET', path);
      expect(reply.status, path).toBeLessThan(300);
    }
    const components = await call('GET', '/hsm/v2/State/Components');
    expect(components.body.Components.map((c: { ID: string }) => c.ID)).toEqual([NODE]);
  });

  it('stay public for reads only: writing to them needs a token', async () => {
    const reply = await call('POST', '/hsm/v2/State/Components', { body: { Components: [{ ID: 'x1000c0s0b0n1', State: 'Ready' }] } });
    expect(reply.status).toBe(401);
  });
});

describe('protected routes', () => {
  it("give BSS's unauthenticated probe of RedfishEndpoints the 401 it expects", async () => {
    const reply = await call('GET', '/hsm/v2/Inventory/RedfishEndpoints');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="inventory-gateway"');
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'a bearer token is required' });
  });

  it('need a token on every family, including an unknown path and the NoCloud resource API', async () => {
    for (const path of [
      `/hsm/v2/State/Components/${NODE}`,
      '/hsm/v2/no/such/route',
      '/components',
      '/apis/inventory/v1/devices',
      '/apis/history/v1/events',
      '/cloud-init/clusterdefaultss',
    ]) {
      expect((await call('GET', path)).status, path).toBe(401);
    }
  });

  it('believe no identity header in place of a token', async () => {
    const headers = {
      'x-remote-user': 'admin',
      'x-forwarded-user': 'admin',
      'x-auth-request-user': 'admin',
      'x-forwarded-for': '127.0.0.1',
    };
    const reply = await call('DELETE', `/hsm/v2/State/Components/${NODE}`, { headers, peer: '127.0.0.1' });
    expect(reply.status).toBe(401);
  });

  it('let a read token read, SMD query POSTs included, and refuse it a write with 403 insufficient_scope', async () => {
    const read = await readToken();
    const one = await call('GET', `/hsm/v2/State/Components/${NODE}`, { token: read });
    expect(one.status).toBe(200);
    expect(one.body.ID).toBe(NODE);
    expect((await call('GET', '/hsm/v2/Inventory/RedfishEndpoints', { token: read })).status).toBe(200);
    expect((await call('POST', '/hsm/v2/State/Components/Query', { token: read, body: { ComponentIDs: [NODE] } })).status).toBe(200);

    const refused = await call('PATCH', `/hsm/v2/State/Components/${NODE}/StateData`, { token: read, body: { State: 'Off' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe(
      'Bearer realm="inventory-gateway", error="insufficient_scope", error_description="the token does not grant write access", scope="write"',
    );
    expect(refused.body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect((await call('GET', `/hsm/v2/State/Components/${NODE}`, { token: read })).body.State).toBe('Ready');
  });

  it('let a write token write, and record its subject as the actor in the change log', async () => {
    const write = await writeToken('carol@example.org');
    const patched = await call('PATCH', `/hsm/v2/State/Components/${NODE}/StateData`, { token: write, body: { State: 'Off' } });
    expect(patched.status).toBe(204);
    const events = await call('GET', `/apis/history/v1/events?limit=1000`, { token: write });
    expect(events.status).toBe(200);
    expect(events.body.items.at(-1).data.actor).toBe('carol@example.org');
    const rows = await gw.db.prisma.changeEvent.findMany({ where: { actor: 'carol@example.org' } });
    expect(rows.map((r) => [r.source, r.entityType])).toEqual([['smd', 'Component']]);
  });

  it('grant by role as well as scope: viewer reads, operator writes', async () => {
    const viewer = await token({ claims: { roles: ['viewer'] }, sub: 'vic' });
    const operator = await token({ claims: { roles: ['operator'] }, sub: 'olga' });
    const nothing = await token({ claims: { scope: 'openid profile', roles: ['guest'] }, sub: 'nobody' });
    expect((await call('GET', '/components', { token: viewer })).status).toBe(200);
    expect((await call('DELETE', `/hsm/v2/State/Components/${NODE}`, { token: viewer })).status).toBe(403);
    const read = await call('GET', '/components', { token: nothing });
    expect(read.status).toBe(403);
    expect(read.headers.get('www-authenticate')).toContain('scope="read"');
    const patched = await call('PATCH', `/hsm/v2/State/Components/${NODE}/StateData`, { token: operator, body: { State: 'Ready' } });
    expect(patched.status).toBe(204);
  });
});

describe('tokens that do not verify', () => {
  async function refused(tokenValue: string, description: string) {
    const reply = await call('GET', '/hsm/v2/Inventory/RedfishEndpoints', { token: tokenValue });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe(
      `Bearer realm="inventory-gateway", error="invalid_token", error_description="${description}"`,
    );
    expect(reply.body).toMatchObject({ status: 401, detail: description });
    return reply;
  }

  it('expired', async () => {
    await refused(await token({ claims: { scope: 'read' }, expiresIn: -3600 }), 'the token has expired');
  });

  it('from another issuer', async () => {
    await refused(await token({ claims: { scope: 'read' }, issuer: 'https://evil.test' }), 'the token has an unexpected issuer');
  });

  it('for another audience', async () => {
    await refused(
      await token({ claims: { scope: 'read' }, audience: 'someone-else' }),
      'the token is not meant for this service (audience)',
    );
  });

  it('with a tampered payload (the signature no longer matches)', async () => {
    const [header, payload, signature] = (await readToken()).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'write', sub: 'mallory' })).toString('base64url');
    await refused(`${header}.${forged}.${signature}`, 'the token signature does not verify');
  });

  it('signed by a key the provider does not publish, under a known or an unknown kid', async () => {
    const rogue = await signingKey('rsa-1', 'RS256');
    await refused(await token({ key: rogue, claims: { scope: 'write' } }), 'the token signature does not verify');
    await refused(
      await token({ key: { ...rogue, kid: 'ghost' }, claims: { scope: 'write' } }),
      'no key of the identity provider matches the token (kid and alg)',
    );
  });

  it('without a subject', async () => {
    await refused(await token({ claims: { scope: 'read' }, sub: null }), 'the token has no sub claim');
  });

  it('HMAC-signed, garbage, empty, or another scheme', async () => {
    const hmac = await new SignJWT({ scope: 'write', sub: 'x' })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a shared secret nobody should trust here'));
    const reasons: Record<string, string> = {
      [hmac]: 'the token is signed with an algorithm that is not accepted',
      'not-a-jwt': 'the token is malformed',
      '': 'the bearer token is empty',
    };
    for (const [value, reason] of Object.entries(reasons)) {
      const reply = await call('GET', '/components', { token: value });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toContain(`error_description="${reason}"`);
    }
    const basic = await call('GET', '/components', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe('Bearer realm="inventory-gateway"');
  });
});

describe('NoCloud', () => {
  it('still answers a node by its address, with no token', async () => {
    const reply = await call('GET', '/meta-data', { peer: NODE_IP, headers: { accept: '*/*' } });
    expect(reply.status).toBe(200);
    expect(parse(reply.body)['instance-id']).toEqual(expect.any(String));
    expect((await call('GET', '/cloud-init/meta-data', { peer: NODE_IP, headers: { accept: '*/*' } })).status).toBe(200);
  });

  it('never takes a token as a node identity: an unknown address stays unknown, token or not', async () => {
    const reply = await call('GET', '/meta-data', { peer: '10.99.99.99', token: await writeToken(), headers: { accept: '*/*' } });
    expect(reply.status).toBe(404);
  });
});

describe('GraphQL', () => {
  const QUERY = `{ components(filter: { type: ["Node"] }) { totalCount } }`;
  const MUTATION = `mutation { updateComponent(xname: "${NODE}", input: { state: "Standby" }) { xname state } }`;

  it('answers a query with a read token and refuses it without one (401 UNAUTHENTICATED)', async () => {
    const ok = await graphql(QUERY, await readToken());
    expect(ok.status).toBe(200);
    expect(ok.body.data.components.totalCount).toBe(1);

    const anonymous = await graphql(QUERY);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="inventory-gateway"');
    expect(anonymous.body.data).toBeUndefined();
    expect(anonymous.body.errors[0]).toMatchObject({ message: 'a bearer token is required', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses an anonymous caller before validation: no schema hints in the answer', async () => {
    const probe = await graphql('{ compnents { totalCount } }');
    expect(probe.status).toBe(401);
    expect(JSON.stringify(probe.body)).not.toMatch(/Did you mean/);
  });

  it('answers an invalid token with 401 invalid_token', async () => {
    const expired = await graphql(QUERY, await token({ claims: { scope: 'read' }, expiresIn: -60 }));
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(expired.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('needs write for a mutation: 403 FORBIDDEN with a read token, done with a write token', async () => {
    const forbidden = await graphql(MUTATION, await readToken());
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(forbidden.body.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });

    const done = await graphql(MUTATION, await writeToken('dave'));
    expect(done.status).toBe(200);
    expect(done.body.data.updateComponent).toEqual({ xname: NODE, state: 'Standby' });
    const changes = await graphql('{ changes(first: 1) { edges { node { actor source entityId } } } }', await readToken());
    expect(changes.body.data.changes.edges[0].node).toEqual({ actor: 'dave', source: 'graphql', entityId: expect.any(String) });
  });

  it('picks the operation that runs: a read token may run the query of a document that also holds a mutation', async () => {
    const document = `query Count ${QUERY} ${MUTATION.replace('mutation', 'mutation Change')}`;
    const read = await readToken();
    const query = await call('POST', '/graphql', { token: read, body: { query: document, operationName: 'Count' } });
    expect(query.status).toBe(200);
    const mutation = await call('POST', '/graphql', { token: read, body: { query: document, operationName: 'Change' } });
    expect(mutation.status).toBe(403);
  });

  it('needs read for a subscription, which then streams committed changes', async () => {
    const subscription = 'subscription { deviceChanged { action device { serialNumber } } }';
    const anonymous = await call('POST', '/graphql', { body: { query: subscription }, headers: { accept: 'text/event-stream' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="inventory-gateway"');

    const read = await readToken();
    const listeners = changeListenerCount();
    const stream = await openSse(
      async (request) => {
        request.headers.set('authorization', `Bearer ${read}`);
        return gw.app.fetch(request);
      },
      'http://gateway.test/graphql',
      { query: subscription },
    );
    try {
      for (const until = Date.now() + 5_000; changeListenerCount() <= listeners && Date.now() < until; )
        await new Promise((r) => setTimeout(r, 10));
      await createDevice(gw.service, { deviceType: 'Memory', serialNumber: 'AUTH-DIMM' });
      const [event] = await stream.next(1);
      expect(event.data.deviceChanged).toEqual({ action: 'created', device: { serialNumber: 'AUTH-DIMM' } });
    } finally {
      await stream.close();
    }
  });

  it('serves the GraphiQL page to a browser without a token', async () => {
    const page = await call('GET', '/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<html/i);
  });
});

describe('key rotation', () => {
  it('verifies a token signed with a newly published key, and drops the retired one', async () => {
    const retired = await readToken();
    expect((await call('GET', '/components', { token: retired })).status).toBe(200);
    const rotated = await signingKey('rsa-2', 'RS256');
    jwks.keys = [rotated, ec];
    const fetchesBefore = jwks.fetches;
    const fresh = await token({ key: rotated, claims: { scope: 'read' } });
    expect((await call('GET', '/components', { token: fresh })).status).toBe(200);
    expect(jwks.fetches).toBe(fetchesBefore + 1);
    const gone = await call('GET', '/components', { token: retired });
    expect(gone.status).toBe(401);
    expect(gone.headers.get('www-authenticate')).toContain('no key of the identity provider matches the token');
    // Verified tokens are served from the cache: no fetch per request.
    const fetchesAfter = jwks.fetches;
    for (let i = 0; i < 5; i++) expect((await call('GET', '/components', { token: fresh })).status).toBe(200);
    expect(jwks.fetches).toBe(fetchesAfter);
  });
});

describe('claims to permissions', () => {
  it('reads scopes from scope (string or list) and scp, and roles from a dotted claim path', () => {
    expect([...permissionsOf({ scope: 'openid read' }, 'roles')]).toEqual(['read']);
    expect([...permissionsOf({ scp: ['write'] }, 'roles')].sort()).toEqual(['read', 'write']);
    expect([...permissionsOf({ realm_access: { roles: ['viewer'] } }, 'realm_access.roles')]).toEqual(['read']);
    expect([...permissionsOf({ realm_access: { roles: ['viewer'] } }, 'roles')]).toEqual([]);
    expect([...permissionsOf({ auth_events: ['service_auth'] }, 'roles')].sort()).toEqual(['read', 'write']);
    expect([...permissionsOf({ roles: 'constructor toString' }, 'roles')]).toEqual([]);
  });
});

describe('an identity provider that cannot be reached', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.destroy());

  it('answers 503 to a token (it cannot be checked) and still 401 to no token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const metrics = createMetrics();
    const app = createApp({
      database: db,
      logger: pino({ level: 'silent' }),
      metrics,
      auth: { mode: 'jwks', jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer: ISSUER },
    });
    const withToken = await app.fetch(
      new Request('http://gateway.test/components', { headers: { authorization: `Bearer ${await readToken()}` } }),
    );
    expect(withToken.status).toBe(503);
    expect(withToken.headers.get('retry-after')).toBeTruthy();
    expect(withToken.headers.get('www-authenticate')).toBeNull();
    expect((await app.fetch(new Request('http://gateway.test/components'))).status).toBe(401);
    metrics.stop();
  });
});

describe('configuration', () => {
  it('turns authentication on with a JWKS URL, off without one, and off when told so', () => {
    expect(parseCommandLine([], {}).config.auth).toBe('off');
    expect(parseCommandLine([], { JWKS_URL: 'https://idp.test/jwks' }).config).toMatchObject({
      auth: 'jwks',
      jwtRolesClaim: 'roles',
      jwtAudience: [],
    });
    expect(parseCommandLine(['--auth', 'off'], { JWKS_URL: 'https://idp.test/jwks' }).config.auth).toBe('off');
    const { config } = parseCommandLine(
      ['--jwks-url', 'http://127.0.0.1:1/jwks', '--jwt-audience', 'a, b', '--jwt-roles-claim', 'realm_access.roles'],
      {},
    );
    expect(authOptionsFromConfig(config)).toEqual({
      mode: 'jwks',
      jwksUrl: 'http://127.0.0.1:1/jwks',
      issuer: '',
      audience: ['a', 'b'],
      rolesClaim: 'realm_access.roles',
    });
  });

  it.each([
    [['--auth', 'jwks'], {}, /--auth jwks needs --jwks-url/],
    [[], { AUTH_MODE: 'jwks' }, /--auth jwks needs --jwks-url/],
    [['--auth', 'maybe'], {}, /--auth: must be jwks or off/],
    [['--jwks-url', 'ftp://idp/jwks'], {}, /--jwks-url: must be an http\(s\) URL/],
    [['--jwks-url', 'not a url'], {}, /--jwks-url: must be an http\(s\) URL/],
  ] as const)('refuses %j %j', (argv, env, message) => {
    expect(() => parseCommandLine([...argv], env)).toThrow(ConfigError);
    expect(() => parseCommandLine([...argv], env)).toThrow(message);
  });
});

describe('the start command', () => {
  it('refuses to start with --auth jwks and no JWKS URL', () => {
    const run = spawnSync(process.execPath, [...MAIN, '--auth', 'jwks'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, JWKS_URL: '' },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--auth jwks needs --jwks-url/);
  });

  it('warns loudly at start-up when authentication is off', async () => {
    const db = await createTestDatabase();
    const gateway = await startGatewayProcess(['--database-url', db.url], { startupLinesOnly: true, env: { AUTH_MODE: '', JWKS_URL: '' } });
    try {
      const warning = gateway.lines.find((l) => l.msg === AUTH_OFF_WARNING);
      expect(warning).toMatchObject({ level: 40, auth: 'off' });
    } finally {
      await gateway.stop();
      await db.destroy();
    }
  });

  it('with a JWKS URL, turns authentication on, fetches the keys, and never logs a token', async () => {
    const db = await createTestDatabase();
    const gateway = await startGatewayProcess(
      ['--database-url', db.url, '--jwks-url', jwks.url, '--jwt-issuer', ISSUER, '--jwt-audience', `other,${AUDIENCE}`],
      { env: { AUTH_MODE: '' } },
    );
    try {
      expect(gateway.lines.some((l) => l.msg === AUTH_OFF_WARNING)).toBe(false);
      expect(gateway.lines.find((l) => l.auth === 'jwks')).toMatchObject({
        level: 30,
        jwksUrl: jwks.url,
        issuer: ISSUER,
        audience: ['other', AUDIENCE],
      });
      const probe = await fetch(`${gateway.base}/hsm/v2/Inventory/RedfishEndpoints`);
      expect(probe.status).toBe(401);
      const good = await writeToken('erin');
      const bad = await token({ key: ec, claims: { scope: 'read' }, issuer: 'https://evil.test' });
      expect(
        (await fetch(`${gateway.base}/hsm/v2/Inventory/RedfishEndpoints`, { headers: { authorization: `Bearer ${good}` } })).status,
      ).toBe(200);
      expect((await fetch(`${gateway.base}/components`, { headers: { authorization: `Bearer ${bad}` } })).status).toBe(401);
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && !gateway.lines.some((l) => l.msg === 'bearer token refused'))
        await new Promise((r) => setTimeout(r, 50));
      const log = JSON.stringify(gateway.lines);
      expect(log).toContain('"actor":"erin"');
      expect(log).toContain('the token has an unexpected issuer');
      expect(gateway.lines.some((l) => typeof l.keys === 'number' && l.keys === jwks.keys.length)).toBe(true);
      for (const secret of [good, bad, good.split('.')[2], bad.split('.')[2]]) expect(log).not.toContain(secret);
    } finally {
      await gateway.stop();
      await db.destroy();
    }
  });
});
