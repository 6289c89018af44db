// The keys of one database's secrets. Whoever opens the database (server start-up, a CLI
// command, a test) attaches its KeySource to the Prisma client; services find it from the
// client or from a transaction on it, as engineOf finds the engine.
import { clientOf, type Db, type Tx } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import { type KeySource, NO_KEYS } from './keyring.js';
import { isSealed, openSecret, SecretError, sealSecret } from './secrets.js';

const sources = new WeakMap<object, KeySource>();

export function attachKeys(db: Db, source: KeySource): void {
  sources.set(db, source);
}

/** The key source attached to `db` (or to the client of the transaction `db`); none when not attached. */
export function keysOf(db: Db | Tx): KeySource {
  return sources.get(clientOf(db)) ?? NO_KEYS;
}

/**
 * `plaintext` sealed for storage in the row and column `context` names. Without a key the
 * write is refused, naming `field`: storing it in plain text is what this exists to prevent.
 */
export function sealForStorage(db: Db | Tx, plaintext: string, context: string, field: string): string {
  const keyring = keysOf(db).keyring();
  if (!keyring)
    throw new ValidationError(
      field,
      'cannot store a BMC password: this gateway has no key to encrypt it (configure --secrets-key-file or SECRETS_KEYS); send the write without the password',
    );
  return sealSecret(keyring, plaintext, context);
}

/**
 * The plaintext of a stored value: a sealed one decrypted (SecretError when it cannot be),
 * one stored before encryption existed (not yet sealed at start-up) as it is.
 */
export function openStored(db: Db | Tx, stored: string, context: string): string {
  if (!isSealed(stored)) return stored;
  const keyring = keysOf(db).keyring();
  if (!keyring)
    throw new SecretError(`${context}: is encrypted and this gateway has no key (configure --secrets-key-file or SECRETS_KEYS)`);
  return openSecret(keyring, stored, context);
}
