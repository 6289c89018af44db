// The cipher and the keyring behind BMC credentials at rest, without a database: the sealed
// text, what makes it fail to open, key formats, the keyring file and where keys come from.
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createKeyFile,
  fileKeys,
  formatKeyringText,
  generateKey,
  KeyringError,
  keyId,
  keyringOf,
  parseKey,
  parseKeyringText,
  permissionWarning,
  readKeyringFile,
  resolveKeySource,
  writeKeyringFile,
} from '../../src/services/core/keyring.js';
import { isSealed, openSecret, SecretError, sealedKeyId, sealSecret, secretContext } from '../../src/services/core/secrets.js';

const folder = mkdtempSync(join(tmpdir(), 'secret-keys-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const keyring = keyringOf([generateKey(), generateKey()]);
const context = secretContext('RedfishEndpoint', 'password', 'row-1');

describe('sealing', () => {
  it('round-trips under the current key, with a fresh IV every time', () => {
    const a = sealSecret(keyring, 'hunter2 ü', context);
    const b = sealSecret(keyring, 'hunter2 ü', context);
    expect(a).not.toBe(b);
    expect(a.split(':')[3]).not.toBe(b.split(':')[3]);
    expect(isSealed(a)).toBe(true);
    expect(sealedKeyId(a)).toBe(keyring.current);
    expect(openSecret(keyring, a, context)).toBe('hunter2 ü');
    expect(openSecret(keyring, sealSecret(keyring, '', context), context)).toBe('');
    expect(sealedKeyId('plain')).toBeUndefined();
  });

  it('opens a value sealed under an older key that is still in the keyring', () => {
    const older = keyringOf([...keyring.keys.values()].reverse());
    const sealed = sealSecret(older, 'old', context);
    expect(sealedKeyId(sealed)).not.toBe(keyring.current);
    expect(openSecret(keyring, sealed, context)).toBe('old');
  });

  it('refuses another row, another column, an altered byte and a non-canonical text', () => {
    const sealed = sealSecret(keyring, 'pw', context);
    expect(() => openSecret(keyring, sealed, secretContext('RedfishEndpoint', 'password', 'row-2'))).toThrow(SecretError);
    expect(() => openSecret(keyring, sealed, secretContext('RedfishEndpoint', 'username', 'row-1'))).toThrow(/does not authenticate/);
    const parts = sealed.split(':');
    for (const i of [3, 4, 5]) {
      const bytes = Buffer.from(parts[i], 'base64');
      bytes[bytes.length - 1] ^= 0x80;
      const altered = parts.map((p, j) => (j === i ? bytes.toString('base64') : p)).join(':');
      expect(() => openSecret(keyring, altered, context), `part ${i}`).toThrow(/does not authenticate/);
    }
    expect(() => openSecret(keyring, `${sealed}A`, context)).toThrow(/not a well-formed enc:v1 secret/);
    expect(() => openSecret(keyring, 'enc:v1:garbage', context)).toThrow(/not a well-formed/);
    expect(() => openSecret(keyringOf([generateKey()]), sealed, context)).toThrow(/which is not in the keyring/);
  });
});

describe('keys', () => {
  const key = generateKey();

  it('are read as base64 (standard or URL-safe) or hex, and named by a fingerprint', () => {
    expect(parseKey(key.toString('base64'), 'k')).toEqual(key);
    expect(parseKey(key.toString('base64url'), 'k')).toEqual(key);
    expect(parseKey(` ${key.toString('hex')}\n`, 'k')).toEqual(key);
    expect(keyId(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyId(key)).toBe(keyId(Buffer.from(key)));
    expect(keyId(key)).not.toBe(keyId(generateKey()));
  });

  it('of the wrong length or alphabet are refused without being repeated', () => {
    for (const bad of [key.subarray(0, 16).toString('base64'), `${key.toString('hex')}00`, 'x'.repeat(44), '']) {
      const error = (() => {
        try {
          parseKey(bad, 'SECRETS_KEYS item 2');
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error).toBeInstanceOf(KeyringError);
      expect(error?.message).toBe('SECRETS_KEYS item 2: not a 32-byte key in base64 (44 characters) or hex (64 characters)');
    }
  });

  it('make a keyring file that reads back in order, comments and blank lines aside', () => {
    const text = formatKeyringText(keyring);
    expect(text).toContain(`# ${keyring.current} (current)`);
    const back = parseKeyringText(text, 'file');
    expect(back.current).toBe(keyring.current);
    expect([...back.keys.keys()]).toEqual([...keyring.keys.keys()]);
    expect(() => parseKeyringText('# only a comment\n\n', 'file')).toThrow('file: holds no key');
    expect(() => parseKeyringText(`${key.toString('base64')}\nnot-a-key\n`, 'f')).toThrow('f line 2: not a 32-byte key');
  });
});

describe('the keyring file', () => {
  it('is written 0600 and replaced whole', () => {
    const path = join(folder, 'written.keys');
    writeFileSync(path, 'old', { mode: 0o644 });
    writeKeyringFile(path, keyring);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readKeyringFile(path).current).toBe(keyring.current);
    expect(permissionWarning(path)).toBeUndefined();
  });

  it('is read again by a running source when it changes, and kept when it cannot be read', () => {
    const path = join(folder, 'watched.keys');
    const first = createKeyFile(path);
    expect(() => createKeyFile(path)).toThrow(/cannot create the key file .*: EEXIST/);
    const source = fileKeys(path);
    expect(source.keyring()?.current).toBe(first.current);
    const next = keyringOf([generateKey(), ...first.keys.values()]);
    writeKeyringFile(path, next);
    expect(source.keyring()?.current).toBe(next.current);
    writeFileSync(path, 'half-written');
    expect(source.keyring()?.current).toBe(next.current);
    rmSync(path);
    expect(source.keyring()?.current).toBe(next.current);
  });
});

describe('where the keys come from', () => {
  const sqlite = (name: string) => ({ engine: 'sqlite' as const, url: join(folder, name) });
  const postgres = { engine: 'postgresql' as const, url: 'postgresql://postgres@127.0.0.1/test' };
  const none = { keyFile: '', keys: [] };

  it('SQLite: a key file beside the database, created once', () => {
    const made = resolveKeySource(none, sqlite('a.db'));
    expect(made.created).toBe(join(folder, 'a.db.keys'));
    expect(made.source.path).toBe(join(folder, 'a.db.keys'));
    const again = resolveKeySource(none, sqlite('a.db'));
    expect(again.created).toBeUndefined();
    expect(again.source.keyring()?.current).toBe(made.source.keyring()?.current);
    expect(resolveKeySource(none, { engine: 'sqlite', url: ':memory:' }).source.keyring()).toBeDefined();
  });

  it('PostgreSQL: none unless given, and a key file given must exist', () => {
    const nothing = resolveKeySource(none, postgres);
    expect(nothing.source.keyring()).toBeUndefined();
    expect(nothing.source.origin).toBe('no key');
    expect(() => resolveKeySource({ keyFile: join(folder, 'missing.keys'), keys: [] }, postgres)).toThrow(
      /missing\.keys does not exist: create it with `inventory-gateway rotate-key --secrets-key-file/,
    );
    const inline = resolveKeySource({ keyFile: '', keys: [generateKey().toString('hex'), generateKey().toString('base64')] }, postgres);
    expect(inline.source.keyring()?.keys.size).toBe(2);
    expect(inline.source.origin).toBe('SECRETS_KEYS');
  });

  it('refuses keys given both ways, and warns about a key file others can read', () => {
    expect(() => resolveKeySource({ keyFile: 'k', keys: [generateKey().toString('hex')] }, postgres)).toThrow(/not both/);
    const path = join(folder, 'open.keys');
    createKeyFile(path);
    chmodSync(path, 0o640);
    expect(resolveKeySource({ keyFile: path, keys: [] }, postgres).warning).toMatch(/has mode 0640: anyone in its group or others/);
  });
});
