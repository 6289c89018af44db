// The keys that encrypt secrets at rest (BMC passwords): 32-byte AES-256 keys, one of them
// current (it encrypts new values), the others kept only to decrypt values not yet
// re-encrypted. A key's id is a fingerprint of the key itself, so a value names the key that
// opens it and a keyring needs no ids of its own.
//
// Where keys come from (resolveKeySource):
// - a keyring file: one key per line (base64 or hex), the first line current, `#` comments;
//   written by `inventory-gateway rotate-key` (mode 0600, replaced atomically) and re-read by
//   a running gateway whenever it changes, so a rotation needs no restart;
// - SECRETS_KEYS: comma-separated keys, the first current (fixed while the process runs);
// - on SQLite, when neither is configured, the file `<database file>.keys`, created with a
//   fresh key on first start. On PostgreSQL nothing is created: replicas must share one key,
//   so an operator provides it, and without one no password can be stored.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DatabaseTarget } from '../../db/database-url.js';

export const KEY_BYTES = 32;

export interface Keyring {
  /** The id of the key that encrypts new values. */
  readonly current: string;
  /** Every key by id, the current one first. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** A keyring that cannot be read or is badly formed. Never carries key material. */
export class KeyringError extends Error {
  override name = 'KeyringError';
}

/** The id a value sealed with `key` names: 16 hex digits of a SHA-256 of the key (not the key). */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('inventory-gateway key id\0').update(key).digest('hex').slice(0, 16);
}

export const generateKey = (): Buffer => randomBytes(KEY_BYTES);

/** A 32-byte key written as base64 (standard or URL-safe) or hex; `where` names it in errors. */
export function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  // The text itself is never repeated: it may be a key with a typo.
  if (key?.length !== KEY_BYTES)
    throw new KeyringError(`${where}: not a ${KEY_BYTES}-byte key in base64 (44 characters) or hex (64 characters)`);
  return key;
}

/** A keyring of `keys`, the first current; a key listed twice counts once. */
export function keyringOf(keys: Buffer[], where = 'keyring'): Keyring {
  if (keys.length === 0) throw new KeyringError(`${where}: holds no key`);
  const byId = new Map<string, Buffer>();
  for (const key of keys) if (!byId.has(keyId(key))) byId.set(keyId(key), key);
  return { current: keyId(keys[0]), keys: byId };
}

/** The keyring file's text: one key per line, the first current. */
export function parseKeyringText(text: string, where: string): Keyring {
  const keys: Buffer[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const content = line.replace(/#.*/, '').trim();
    if (content) keys.push(parseKey(content, `${where} line ${i + 1}`));
  }
  return keyringOf(keys, where);
}

export function formatKeyringText(keyring: Keyring): string {
  const lines = [
    '# inventory-gateway keyring: AES-256-GCM keys for the secrets stored in the database (BMC passwords).',
    '# One key per line (base64); the first encrypts new values, the others only decrypt older ones.',
    '# Back this file up with the database: without it the stored passwords cannot be read.',
    '# Rotate with `inventory-gateway rotate-key`; do not edit while it runs.',
  ];
  for (const [id, key] of keyring.keys) {
    lines.push(`# ${id}${id === keyring.current ? ' (current)' : ''}`, key.toString('base64'));
  }
  return `${lines.join('\n')}\n`;
}

export function readKeyringFile(path: string): Keyring {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeyringError(`cannot read the key file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseKeyringText(text, path);
}

/**
 * Writes the keyring to `path`, readable by its owner only (0600), through a temporary file
 * renamed over it, so a reader sees the old keyring or the new one, never half of one.
 */
export function writeKeyringFile(path: string, keyring: Keyring): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  rmSync(temporary, { force: true }); // a leftover could have another mode: 'wx' creates it 0600
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, formatKeyringText(keyring));
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
}

/** A warning when the key file can be read by its group or others, else undefined. */
export function permissionWarning(path: string): string | undefined {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return `the key file ${path} has mode 0${mode.toString(8)}: anyone in its group or others can read the keys (chmod 600 it)`;
}

/** Where the keys of a running gateway or command come from. */
export interface KeySource {
  /** The keyring now, or undefined when no key is configured. */
  keyring(): Keyring | undefined;
  /** For logs and errors: "key file /data/inventory.db.keys", "SECRETS_KEYS", "no key". */
  readonly origin: string;
  /** The keyring file, when the keys come from one. */
  readonly path?: string;
}

export const NO_KEYS: KeySource = { keyring: () => undefined, origin: 'no key' };

export function staticKeys(keyring: Keyring, origin: string): KeySource {
  return { keyring: () => keyring, origin };
}

/**
 * Keys read from a keyring file and read again when the file changes (rotate-key replaces
 * it), checked with one stat per use: secrets are written and read rarely. When the file
 * cannot be read any more (removed, being edited) the last keyring read stays in use.
 */
export function fileKeys(path: string): KeySource {
  let keyring = readKeyringFile(path);
  let seen = fingerprint(path);
  return {
    origin: `key file ${path}`,
    path,
    keyring() {
      const now = fingerprint(path);
      if (now && now !== seen) {
        try {
          keyring = readKeyringFile(path);
          seen = now;
        } catch {
          // Keep the keyring read before: a half-edited file must not stop writes.
        }
      }
      return keyring;
    },
  };
}

function fingerprint(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return undefined;
  }
}

/** The default keyring file of a SQLite database: beside it, `<file>.keys`. */
export const defaultKeyFile = (target: DatabaseTarget): string | undefined =>
  target.engine === 'sqlite' && target.url !== ':memory:' ? `${target.url}.keys` : undefined;

export interface KeyConfig {
  /** --secrets-key-file: the keyring file ('' for none). */
  keyFile: string;
  /** SECRETS_KEYS: keys as text, the first current (empty for none). */
  keys: string[];
}

export interface ResolvedKeys {
  source: KeySource;
  /** The keyring file created by this call (a first start on SQLite). */
  created?: string;
  /** Why the key file is risky (group or other can read it), to log. */
  warning?: string;
}

/**
 * The key source of a database from the configuration: keys given inline, else a key file
 * (given, or beside a SQLite database, created when missing), else none (PostgreSQL without
 * keys: passwords cannot be stored). A key file given for PostgreSQL must exist.
 */
export function resolveKeySource(config: KeyConfig, target: DatabaseTarget): ResolvedKeys {
  if (config.keys.length && config.keyFile)
    throw new KeyringError('give the keys inline (SECRETS_KEYS) or in a key file (--secrets-key-file), not both');
  if (config.keys.length)
    return {
      source: staticKeys(
        keyringOf(
          config.keys.map((k, i) => parseKey(k, `SECRETS_KEYS item ${i + 1}`)),
          'SECRETS_KEYS',
        ),
        'SECRETS_KEYS',
      ),
    };
  if (target.engine === 'sqlite' && target.url === ':memory:' && !config.keyFile)
    return { source: staticKeys(keyringOf([generateKey()]), 'a key for this in-memory database') };
  const path = config.keyFile || defaultKeyFile(target);
  if (!path) return { source: NO_KEYS };
  let created: string | undefined;
  if (!exists(path)) {
    if (target.engine !== 'sqlite')
      throw new KeyringError(
        `the key file ${path} does not exist: create it with \`inventory-gateway rotate-key --secrets-key-file ${path}\` and give every replica the same file`,
      );
    createKeyFile(path);
    created = path;
  }
  return { source: fileKeys(path), created, warning: permissionWarning(path) };
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new KeyringError(`cannot read the key file ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
}

/** A new keyring file with one fresh key; refuses to replace a file that appeared meanwhile. */
export function createKeyFile(path: string): Keyring {
  const keyring = keyringOf([generateKey()]);
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    throw new KeyringError(`cannot create the key file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    writeSync(fd, formatKeyringText(keyring));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return keyring;
}
