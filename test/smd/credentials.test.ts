// BMC credentials at rest: a password written through any route is stored sealed (never in
// the SQLite file, its WAL or a pg_dump), reads back only through readRedfishCredentials,
// fails clearly under a wrong key or when altered, moves to a new key with `rotate-key`, is
// refused without a key, and a plaintext row of an earlier version is sealed at start-up.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/flags.js';
import { importCommand } from '../../src/cli/import-export.js';
import { rotateKeyCommand } from '../../src/cli/rotate-key.js';
import { PROJECT_ROOT } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { importInventory } from '../../src/interop/index.js';
import { textSource } from '../../src/interop/source.js';
import { helpText, parseCommandLine } from '../../src/server/config.js';
import { NO_KEY_WARNING, prepareSecrets } from '../../src/server/secrets.js';
import {
  attachKeys,
  generateKey,
  type KeyConfig,
  type Keyring,
  type KeySource,
  keyringOf,
  keysOf,
  readKeyringFile,
  SecretError,
  staticKeys,
  writeKeyringFile,
} from '../../src/services/core/index.js';
import { fileKeys, NO_KEYS } from '../../src/services/core/keyring.js';
import { sealedKeyId, sealSecret } from '../../src/services/core/secrets.js';
import { readRedfishCredentials } from '../../src/services/smd/index.js';
import { passwordContext } from '../../src/services/smd/redfish-credentials.js';
import { TEST_ENGINE } from '../support/database.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { startGatewayProcess } from '../support/gateway-process.js';
import { expectError } from '../support/graphql-errors.js';
import { magellanPayload } from '../support/magellan.js';

const RFE = '/hsm/v2/Inventory/RedfishEndpoints';
// Markers contain '-', which base64 never does: no ciphertext can contain one by chance.
const marker = (route: string) => `pw-${route}-Zq81`;

/** Every route that takes a password, with the endpoint it writes and the marker it writes. */
const WRITES: Array<{ route: string; xname: string; write: (gw: TestGateway, password: string) => Promise<unknown> }> = [
  {
    route: 'smd-post',
    xname: 'x3000c0s1b0',
    write: (gw, password) => ok(gw, 'POST', RFE, { ID: 'x3000c0s1b0', FQDN: '10.1.0.1', User: 'visible-user-Zq81', Password: password }),
  },
  {
    route: 'smd-put',
    xname: 'x3000c0s2b0',
    write: async (gw, password) => {
      await ok(gw, 'POST', RFE, { ID: 'x3000c0s2b0', FQDN: '10.1.0.2', Password: 'overwritten-Zq81' });
      return ok(gw, 'PUT', `${RFE}/x3000c0s2b0`, { ID: 'x3000c0s2b0', FQDN: '10.1.0.2', User: 'root', Password: password });
    },
  },
  {
    route: 'smd-patch',
    xname: 'x3000c0s3b0',
    write: async (gw, password) => {
      await ok(gw, 'POST', RFE, { ID: 'x3000c0s3b0', FQDN: '10.1.0.3' });
      return ok(gw, 'PATCH', `${RFE}/x3000c0s3b0`, { Password: password });
    },
  },
  {
    route: 'magellan',
    xname: 'x1000c0s0b0',
    write: (gw, password) => ok(gw, 'POST', RFE, { ...magellanPayload(0), Password: password }),
  },
  {
    route: 'graphql-create',
    xname: 'x3000c0s4b0',
    write: (gw, password) =>
      gql(gw, 'mutation($p: String) { createRedfishEndpoint(input: { xname: "x3000c0s4b0", password: $p }) { hasPassword } }', {
        p: password,
      }),
  },
  {
    route: 'graphql-create-many',
    xname: 'x3000c0s5b0',
    write: (gw, password) =>
      gql(gw, 'mutation($p: String) { createRedfishEndpoints(redfishEndpoints: [{ xname: "x3000c0s5b0", password: $p }]) { xname } }', {
        p: password,
      }),
  },
  {
    route: 'graphql-update',
    xname: 'x3000c0s6b0',
    write: async (gw, password) => {
      await gql(gw, 'mutation { createRedfishEndpoint(input: { xname: "x3000c0s6b0" }) { xname } }');
      return gql(gw, 'mutation($p: String) { updateRedfishEndpoint(xname: "x3000c0s6b0", input: { password: $p }) { xname } }', {
        p: password,
      });
    },
  },
  {
    route: 'fabrica',
    xname: 'x3000c0s7b0',
    write: (gw, password) =>
      ok(gw, 'POST', '/redfishendpoints', { metadata: {}, spec: { ID: 'x3000c0s7b0', User: 'root', Password: password } }),
  },
  {
    route: 'smd-import',
    xname: 'x3000c0s8b0',
    write: (gw, password) =>
      importInventory(
        { db: gw.db.prisma, source: 'import', actor: 'test' },
        'smd',
        textSource(
          'dump',
          JSON.stringify({
            'Inventory/RedfishEndpoints': {
              RedfishEndpoints: [{ ID: 'x3000c0s8b0', FQDN: 'x3000c0s8b0.hmn', User: 'root', Password: password }],
            },
          }),
        ),
      ),
  },
  {
    route: 'cli-import',
    xname: 'x3000c0s9b0',
    write: async (gw, password) => {
      const folder = mkdtempSync(join(tmpdir(), 'cli-import-'));
      try {
        const dump = join(folder, 'dump.json');
        const keys = join(folder, 'keys');
        writeFileSync(
          dump,
          JSON.stringify({
            'Inventory/RedfishEndpoints': { RedfishEndpoints: [{ ID: 'x3000c0s9b0', FQDN: 'x3000c0s9b0.hmn', Password: password }] },
          }),
        );
        writeKeyringFile(keys, keysOf(gw.db.prisma).keyring() as Keyring);
        expect(await importCommand(['smd', dump, '--database-url', gw.db.url, '--secrets-key-file', keys, '--quiet'])).toBe(0);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  },
];

async function ok(gw: TestGateway, method: string, path: string, body?: unknown) {
  const reply = await gw.rest(method, path, body);
  expect(reply.status, `${method} ${path}: ${reply.text}`).toBeLessThan(300);
  return reply;
}

async function gql(gw: TestGateway, query: string, variables?: Record<string, unknown>) {
  const result = await gw.gql(query, variables);
  expect(result.errors, query).toBeUndefined();
  return result;
}

/** The stored password column of a live endpoint, as the database holds it. */
async function storedPassword(gw: TestGateway, xname: string): Promise<string> {
  const row = await gw.db.prisma.redfishEndpoint.findFirstOrThrow({ where: { xname, deletedAt: null } });
  return row.password as string;
}

/** Everything the database holds, as bytes: the SQLite file and its WAL, or a pg_dump of the schema. */
async function databaseBytes(gw: TestGateway): Promise<string[]> {
  const target = parseDatabaseUrl(gw.db.url);
  if (target.engine === 'sqlite') {
    const read = (path: string) => (existsSync(path) ? readFileSync(path).toString('latin1') : '');
    const before = [read(target.url), read(`${target.url}-wal`)];
    await gw.db.prisma.$queryRawUnsafe('PRAGMA wal_checkpoint(FULL)');
    return [...before, read(target.url), read(`${target.url}-wal`)];
  }
  const url = new URL(gw.db.url);
  const schema = url.searchParams.get('schema') as string;
  url.searchParams.delete('schema');
  const { stdout } = await promisify(execFile)('pg_dump', ['--data-only', '--schema', schema, url.toString()], { maxBuffer: 256 << 20 });
  return [stdout];
}

const keyText = (keyring: Keyring, id = keyring.current) => (keyring.keys.get(id) as Buffer).toString('base64');

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

describe('every route that takes a BMC password', () => {
  beforeAll(async () => {
    for (const { route, write } of WRITES) await write(gw, marker(route));
  });

  it.each(WRITES.map((w) => [w.route, w.xname]))('%s stores it sealed and it reads back through the service (%s)', async (route, xname) => {
    const stored = await storedPassword(gw, xname);
    expect(stored).toMatch(/^enc:v1:[0-9a-f]{16}:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/=]+$/);
    expect(sealedKeyId(stored)).toBe(keysOf(gw.db.prisma).keyring()?.current);
    expect((await readRedfishCredentials(gw.service, xname)).password).toBe(marker(route));
  });

  it('leaves no marker in the database files (or a pg_dump), where a plain field is found', async () => {
    const bytes = await databaseBytes(gw);
    // The check can fail: the user name, stored in the clear, is found.
    expect(bytes.some((b) => b.includes('visible-user-Zq81'))).toBe(true);
    for (const { route } of WRITES) for (const b of bytes) expect(b.includes(marker(route)), route).toBe(false);
    for (const b of bytes) expect(b.includes('overwritten-Zq81')).toBe(false);
  });

  it('a password sent again is the same: re-importing it changes nothing', async () => {
    const again = await WRITES.find((w) => w.route === 'smd-import')?.write(gw, marker('smd-import'));
    expect(again).toMatchObject({ changes: 0 });
    const other = await WRITES.find((w) => w.route === 'smd-import')?.write(gw, 'a-new-password');
    expect(other).toMatchObject({ changes: 1 });
    expect((await readRedfishCredentials(gw.service, 'x3000c0s8b0')).password).toBe('a-new-password');
  });

  it('reads back the address and user with it, and not-found for an unknown endpoint', async () => {
    expect(await readRedfishCredentials(gw.service, 'x3000c0s1b0')).toEqual({
      xname: 'x3000c0s1b0',
      fqdn: '10.1.0.1',
      ipAddress: '10.1.0.1',
      username: 'visible-user-Zq81',
      password: marker('smd-post'),
    });
    await expect(readRedfishCredentials(gw.service, 'x9000c0s0b0')).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'xname' });
  });
});

describe('a sealed password that cannot be opened fails clearly', () => {
  it('under another key', async () => {
    await ok(gw, 'POST', RFE, { ID: 'x3001c0s0b0', FQDN: '10.2.0.1', Password: 'keyed-pw' });
    const own = keysOf(gw.db.prisma);
    const other = keyringOf([generateKey()]);
    attachKeys(gw.db.prisma, staticKeys(other, 'another key'));
    try {
      const error = await readRedfishCredentials(gw.service, 'x3001c0s0b0').catch((e) => e);
      expect(error).toBeInstanceOf(SecretError);
      expect(error.message).toMatch(/encrypted with key [0-9a-f]{16}, which is not in the keyring/);
      expect(error.message).toContain(other.current);
    } finally {
      attachKeys(gw.db.prisma, own);
    }
    expect((await readRedfishCredentials(gw.service, 'x3001c0s0b0')).password).toBe('keyed-pw');
  });

  it('when altered, copied to another row, or relabelled with another key id', async () => {
    await ok(gw, 'POST', RFE, { ID: 'x3001c0s1b0', FQDN: '10.2.0.2', Password: 'tamper-pw' });
    const sealed = await storedPassword(gw, 'x3001c0s1b0');
    const parts = sealed.split(':');
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] ^= 1;
      return bytes.toString('base64');
    };
    const set = (xname: string, password: string) =>
      gw.db.prisma.redfishEndpoint.updateMany({ where: { xname, deletedAt: null }, data: { password } });
    const refusal = async (xname: string) => (await readRedfishCredentials(gw.service, xname).catch((e) => e)) as Error;

    await set('x3001c0s1b0', [...parts.slice(0, 5), flip(parts[5])].join(':'));
    expect(await refusal('x3001c0s1b0')).toMatchObject({ name: 'SecretError', message: expect.stringMatching(/does not authenticate/) });
    await set('x3001c0s1b0', [...parts.slice(0, 4), flip(parts[4]), parts[5]].join(':'));
    expect((await refusal('x3001c0s1b0')).message).toMatch(/does not authenticate/);
    await set('x3001c0s1b0', `${sealed}x`);
    expect((await refusal('x3001c0s1b0')).message).toMatch(/not a well-formed enc:v1 secret/);
    await set('x3001c0s1b0', sealed.replace(/^enc:v1:[0-9a-f]{16}/, 'enc:v1:0000000000000000'));
    expect((await refusal('x3001c0s1b0')).message).toMatch(/key 0000000000000000, which is not in the keyring/);
    await set('x3001c0s0b0', sealed);
    expect((await refusal('x3001c0s0b0')).message).toMatch(/does not authenticate.*copied from another row/);
    // The messages name the row, never the password.
    for (const xname of ['x3001c0s0b0', 'x3001c0s1b0']) expect((await refusal(xname)).message).not.toContain('tamper-pw');
  });

  it('an unreadable stored password is replaced by a write, not compared', async () => {
    await ok(gw, 'PUT', `${RFE}/x3001c0s1b0`, { ID: 'x3001c0s1b0', FQDN: '10.2.0.2', Password: 'healed-pw' });
    await ok(gw, 'PATCH', `${RFE}/x3001c0s0b0`, { Password: 'healed-pw-2' });
    expect((await readRedfishCredentials(gw.service, 'x3001c0s1b0')).password).toBe('healed-pw');
    expect((await readRedfishCredentials(gw.service, 'x3001c0s0b0')).password).toBe('healed-pw-2');
  });
});

describe('without a key (PostgreSQL with none configured)', () => {
  let own: KeySource;
  beforeAll(async () => {
    await ok(gw, 'POST', RFE, { ID: 'x3003c0s0b0', FQDN: '10.3.1.1', Password: 'sealed-before' });
    own = keysOf(gw.db.prisma);
    attachKeys(gw.db.prisma, NO_KEYS);
  });
  afterAll(() => attachKeys(gw.db.prisma, own));

  it('refuses a password on every face, naming the field, and stores nothing', async () => {
    const post = await gw.rest('POST', RFE, { ID: 'x3002c0s0b0', FQDN: '10.3.0.1', Password: 'refused-pw' });
    expect(post.status).toBe(400);
    expect(post.headers.get('content-type')).toBe('application/problem+json');
    expect(post.body.detail).toMatch(/cannot store a BMC password: this gateway has no key to encrypt it/);
    const patch = await gw.rest('PATCH', `${RFE}/x3003c0s0b0`, { Password: 'refused-pw' });
    expect(patch.status).toBe(400);
    expect(patch.body.detail).toMatch(/cannot store a BMC password/);
    const fabrica = await gw.rest('POST', '/redfishendpoints', { metadata: {}, spec: { ID: 'x3002c0s1b0', Password: 'refused-pw' } });
    expect(fabrica.status).toBe(400);
    expect(fabrica.body.error).toMatch(/spec\.Password: cannot store a BMC password/);
    const graphql = await gw.gql(
      'mutation { createRedfishEndpoints(redfishEndpoints: [{ xname: "x3002c0s2b0", password: "refused-pw" }]) { xname } }',
    );
    expect(expectError(graphql, 'BAD_USER_INPUT', 'redfishEndpoints.0.password')).toMatch(/no key to encrypt it/);
    expect(await gw.db.prisma.redfishEndpoint.count({ where: { xname: { startsWith: 'x3002' } } })).toBe(0);
    expect((await readRedfishCredentials(gw.service, 'x3003c0s0b0').catch((e) => e)).message).toMatch(
      /is encrypted and this gateway has no key/,
    );
  });

  it('still takes the same writes without a password', async () => {
    await ok(gw, 'POST', RFE, { ID: 'x3002c0s0b0', FQDN: '10.3.0.1', User: 'root' });
    expect(await readRedfishCredentials(gw.service, 'x3002c0s0b0')).toMatchObject({ username: 'root', password: null });
  });
});

describe('rotate-key', () => {
  /** The command in-process (the binary is run once, below), its standard error captured. */
  const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    let stderr = '';
    let stdout = '';
    const io = { env, out: (t: string) => (stdout += t), err: (t: string) => (stderr += t) };
    const code = await rotateKeyCommand(['--database-url', gw.db.url, ...args], io).catch((error) => {
      stderr += error.message;
      return error instanceof UsageError ? 2 : 1;
    });
    return { code, stderr, stdout };
  };
  let folder: string;
  let keyFile: string;
  let first: Keyring;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'rotate-key-'));
    keyFile = join(folder, 'keys');
    first = keysOf(gw.db.prisma).keyring() as Keyring;
    writeKeyringFile(keyFile, first);
    // The gateway reads the file as a running one would, picking up every change.
    attachKeys(gw.db.prisma, fileKeys(keyFile));
  });
  afterAll(() => {
    // Later tests in this file keep reading with the rotated keys.
    attachKeys(gw.db.prisma, staticKeys(readKeyringFile(keyFile), 'rotated'));
    rmSync(folder, { recursive: true, force: true });
  });
  const keyIds = async () => {
    const rows = await gw.db.prisma.redfishEndpoint.findMany({ where: { password: { not: null } }, select: { password: true } });
    return new Set(rows.map((r) => sealedKeyId(r.password as string)));
  };

  it('adds a new current key, re-encrypts every password under it, and keeps the old key readable (the real command)', async () => {
    expect(await keyIds()).toEqual(new Set([first.current]));
    const { stderr } = await promisify(execFile)(
      process.execPath,
      [join(PROJECT_ROOT, 'bin/inventory-gateway.mjs'), 'rotate-key', '--database-url', gw.db.url, '--secrets-key-file', keyFile],
      { cwd: PROJECT_ROOT, timeout: 90_000 },
    );
    const rotated = readKeyringFile(keyFile);
    expect(rotated.current).not.toBe(first.current);
    expect([...rotated.keys.keys()]).toEqual([rotated.current, first.current]);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(stderr).toContain(`added key ${rotated.current} (current) in ${keyFile}; kept 1 older key(s): ${first.current}`);
    expect(stderr).toMatch(/^re-encrypting: \d+\/\d+$/m);
    expect(stderr).toMatch(/\d+ stored secret\(s\): \d+ re-encrypted, 0 encrypted from plain text, 0 already under key/);
    expect(await keyIds()).toEqual(new Set([rotated.current]));
    for (const { route, xname } of WRITES.filter((w) => w.route !== 'smd-import'))
      expect((await readRedfishCredentials(gw.service, xname)).password).toBe(marker(route));
    // Idempotent: re-encrypting under the same key changes nothing.
    expect((await run(['--secrets-key-file', keyFile, '--reencrypt-only'])).stderr).toMatch(
      /: 0 re-encrypted, 0 encrypted from plain text, \d+ already under key/,
    );
  });

  it('--drop-old is refused while a password still needs an old key, then drops it', async () => {
    // A value sealed under the old key (as a gateway that had not seen the new file would write).
    const row = await gw.db.prisma.redfishEndpoint.findFirstOrThrow({ where: { xname: 'x3000c0s1b0', deletedAt: null } });
    await gw.db.prisma.redfishEndpoint.update({
      where: { id: row.id },
      data: { password: sealSecret(first, 'old-key-pw', passwordContext(row.id)) },
    });
    const refused = await run(['--secrets-key-file', keyFile, '--drop-old']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`not dropping: stored secrets still need other keys (1 under key ${first.current})`);
    expect(readKeyringFile(keyFile).keys.size).toBe(2);

    expect((await run(['--secrets-key-file', keyFile, '--reencrypt-only'])).stderr).toMatch(/: 1 re-encrypted/);
    const dropped = await run(['--secrets-key-file', keyFile, '--drop-old']);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.stderr).toContain(`dropped key(s) ${first.current}`);
    const last = readKeyringFile(keyFile);
    expect([...last.keys.keys()]).toEqual([last.current]);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect((await readRedfishCredentials(gw.service, 'x3000c0s1b0')).password).toBe('old-key-pw');
    expect((await run(['--secrets-key-file', keyFile, '--drop-old'])).stderr).toContain('nothing to drop');
    // What the old key sealed cannot be read any more.
    await gw.db.prisma.redfishEndpoint.update({
      where: { id: row.id },
      data: { password: sealSecret(first, 'gone', passwordContext(row.id)) },
    });
    expect((await readRedfishCredentials(gw.service, 'x3000c0s1b0').catch((e) => e)).message).toContain(
      `encrypted with key ${first.current}, which is not in the keyring`,
    );
    await ok(gw, 'PATCH', `${RFE}/x3000c0s1b0`, { Password: 'old-key-pw' });
  });

  it('stops, changing nothing, at a password it cannot decrypt', async () => {
    const row = await gw.db.prisma.redfishEndpoint.findFirstOrThrow({ where: { xname: 'x3000c0s2b0', deletedAt: null } });
    const before = await gw.db.prisma.redfishEndpoint.findMany({ orderBy: { id: 'asc' } });
    await gw.db.prisma.redfishEndpoint.update({
      where: { id: row.id },
      data: { password: sealSecret(first, 'lost', passwordContext(row.id)) },
    });
    const failed = await run(['--secrets-key-file', keyFile]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/the password of Redfish endpoint x3000c0s2b0 cannot be decrypted: .*which is not in the keyring/);
    // The new key was written before: it stays, current, with the older one, so nothing is lost.
    const kept = readKeyringFile(keyFile);
    expect(kept.keys.size).toBe(2);
    expect(failed.stderr).toContain(`nothing was re-encrypted, and ${kept.current} stays current with the older keys kept`);
    const after = await gw.db.prisma.redfishEndpoint.findMany({ orderBy: { id: 'asc' } });
    expect(after.filter((r) => r.id !== row.id)).toEqual(before.filter((r) => r.id !== row.id));
    await gw.db.prisma.redfishEndpoint.update({ where: { id: row.id }, data: { password: before.find((r) => r.id === row.id)?.password } });
  });

  it('explains its flags, and with SECRETS_KEYS re-encrypts but cannot add or drop a key', async () => {
    const help = await run(['--help']);
    expect(help.stdout).toMatch(/--reencrypt-only/);
    expect(help.stdout).toMatch(/--drop-old/);
    const current = readKeyringFile(keyFile);
    const inline = { SECRETS_KEYS: [...current.keys.keys()].map((id) => keyText(current, id)).join(',') };
    const add = await run([], inline);
    expect(add.code).toBe(2);
    expect(add.stderr).toMatch(/the keys come from SECRETS_KEYS, which this command cannot change/);
    const reencrypted = await run(['--reencrypt-only'], inline);
    expect(reencrypted.code, reencrypted.stderr).toBe(0);
    const drop = await run(['--drop-old'], inline);
    expect(drop.code).toBe(0);
    expect(drop.stderr).toContain(`every stored secret is under key ${current.current}: remove the other keys from SECRETS_KEYS`);
    expect((await run(['--reencrypt-only', '--drop-old'])).code).toBe(2);
  });
});

describe('start-up', () => {
  /** The start-up step in-process, its log lines captured. */
  const start = async (legacy: TestGateway, config: KeyConfig) => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    await prepareSecrets(legacy.db, parseDatabaseUrl(legacy.db.url), config, logger);
    return lines;
  };

  it('seals the plaintext passwords of an earlier version, once, and the plaintext is gone from the files', async () => {
    const legacy = await startTestGateway();
    try {
      await ok(legacy, 'POST', RFE, { ID: 'x4000c0s0b0', FQDN: '10.4.0.1', User: 'root' });
      await ok(legacy, 'POST', RFE, { ID: 'x4000c0s1b0', FQDN: '10.4.0.2', Password: 'already-sealed' });
      const sealedBefore = await storedPassword(legacy, 'x4000c0s1b0');
      await legacy.db.prisma.redfishEndpoint.updateMany({ where: { xname: 'x4000c0s0b0' }, data: { password: 'legacy-plain-Zq81' } });
      const { updatedAt, revision } = await legacy.db.prisma.redfishEndpoint.findFirstOrThrow({ where: { xname: 'x4000c0s0b0' } });
      const events = await legacy.db.prisma.changeEvent.count();
      const keyring = keysOf(legacy.db.prisma).keyring() as Keyring;
      // SQLite finds its key file beside the database; PostgreSQL is given the key.
      const config = TEST_ENGINE === 'sqlite' ? { keyFile: '', keys: [] } : { keyFile: '', keys: [keyText(keyring)] };

      const lines = await start(legacy, config);
      expect(lines.find((l) => String(l.msg).startsWith('encrypted 1 BMC password(s) stored in plain text'))).toMatchObject({ sealed: 1 });
      expect(lines.find((l) => l.msg === 'secrets at rest: AES-256-GCM')).toMatchObject({ currentKey: keyring.current });
      const stored = await storedPassword(legacy, 'x4000c0s0b0');
      expect(sealedKeyId(stored)).toBe(keyring.current);
      expect(await storedPassword(legacy, 'x4000c0s1b0')).toBe(sealedBefore);
      expect((await readRedfishCredentials(legacy.service, 'x4000c0s0b0')).password).toBe('legacy-plain-Zq81');
      // Nothing an API shows changed: no event, same revision and updatedAt.
      expect(await legacy.db.prisma.changeEvent.count()).toBe(events);
      expect(await legacy.db.prisma.redfishEndpoint.findFirstOrThrow({ where: { xname: 'x4000c0s0b0' } })).toMatchObject({
        updatedAt,
        revision,
      });
      // On SQLite the file is vacuumed: the bytes of the plaintext are gone, not just the row.
      for (const bytes of await databaseBytes(legacy)) expect(bytes.includes('legacy-plain-Zq81')).toBe(false);

      const again = await start(legacy, config);
      expect(again.some((l) => String(l.msg).startsWith('encrypted'))).toBe(false);
      expect(await storedPassword(legacy, 'x4000c0s0b0')).toBe(stored);
    } finally {
      await legacy.close();
    }
  });

  it('without a key, warns loudly and counts the passwords left in plain text', async () => {
    const legacy = await startTestGateway();
    try {
      await ok(legacy, 'POST', RFE, { ID: 'x4001c0s0b0', FQDN: '10.4.1.1' });
      await legacy.db.prisma.redfishEndpoint.updateMany({ where: { xname: 'x4001c0s0b0' }, data: { password: 'left-plain' } });
      const missing = join(tmpdir(), 'no-such-dir-Zq81', 'keys');
      await expect(start(legacy, { keyFile: missing, keys: [] })).rejects.toThrow(
        TEST_ENGINE === 'sqlite'
          ? /cannot create the key file .*no-such-dir-Zq81\/keys: ENOENT/
          : /keys does not exist: create it with `inventory-gateway rotate-key/,
      );
      if (TEST_ENGINE === 'postgresql') {
        const lines = await start(legacy, { keyFile: '', keys: [] });
        expect(lines.find((l) => l.secrets === 'none')).toMatchObject({ level: 40, msg: NO_KEY_WARNING });
        expect(lines.find((l) => l.plaintext === 1)?.msg).toMatch(/stay in plain text until a key is configured/);
        expect(await storedPassword(legacy, 'x4001c0s0b0')).toBe('left-plain');
        // Read as it is until then: discovery keeps working.
        expect((await readRedfishCredentials(legacy.service, 'x4001c0s0b0')).password).toBe('left-plain');
      }
    } finally {
      await legacy.close();
    }
  });

  it('warns when the key file can be read by others', async () => {
    const legacy = await startTestGateway();
    const folder = mkdtempSync(join(tmpdir(), 'key-mode-'));
    try {
      const keyFile = join(folder, 'keys');
      writeKeyringFile(keyFile, keysOf(legacy.db.prisma).keyring() as Keyring);
      chmodSync(keyFile, 0o644);
      const lines = await start(legacy, { keyFile, keys: [] });
      expect(lines.find((l) => l.keyFile === keyFile)?.msg).toMatch(/has mode 0644: anyone in its group or others can read the keys/);
    } finally {
      await legacy.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.runIf(TEST_ENGINE === 'sqlite')('the gateway process creates a SQLite database its key file, mode 0600, and says where', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'key-file-'));
    try {
      const started = await startGatewayProcess(['--database-url', `file:${join(folder, 'inventory.db')}`], { startupLinesOnly: true });
      await started.stop();
      const keyFile = join(folder, 'inventory.db.keys');
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(readKeyringFile(keyFile).keys.size).toBe(1);
      expect(started.lines.find((l) => l.keyFile === keyFile)?.msg).toMatch(
        /created the key file for secrets at rest: back it up with the database/,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.runIf(TEST_ENGINE === 'postgresql')('the gateway process on PostgreSQL without a key starts and warns loudly', async () => {
    const started = await startGatewayProcess(['--database-url', gw.db.url], {
      env: { SECRETS_KEYS: '', SECRETS_KEY_FILE: '' },
      startupLinesOnly: true,
    });
    await started.stop();
    expect(started.lines.find((l) => l.secrets === 'none')).toMatchObject({ level: 40, msg: NO_KEY_WARNING });
  });

  it('the configuration refuses a malformed key without repeating it, and keys given both ways', () => {
    const bad = 'not-a-key-Zq81';
    expect(() => parseCommandLine([], { SECRETS_KEYS: `${generateKey().toString('hex')},${bad}` })).toThrow(
      'SECRETS_KEYS: item 2: not a 32-byte key in base64 (44 characters) or hex (64 characters)',
    );
    expect(() => parseCommandLine(['--secrets-keys', bad], {})).toThrow(/^--secrets-keys: item 1: not a 32-byte key/);
    expect(() => parseCommandLine(['--secrets-key-file', '/k'], { SECRETS_KEYS: generateKey().toString('hex') })).toThrow(/not both/);
    expect(parseCommandLine(['--secrets-key-file', '/k'], {}).config).toMatchObject({ secretsKeyFile: '/k', secretsKeys: [] });
    expect(helpText()).toContain('--secrets-key-file');
  });
});
