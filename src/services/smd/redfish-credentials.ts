// BMC credentials: RedfishEndpoint.password is stored sealed (AES-256-GCM, see
// core/secrets.ts), bound to its row, and read back in plain text only through
// readRedfishCredentials, for the code that talks to BMCs. No route returns it.
//
// Sealing the rows of earlier versions (start-up) and re-encrypting under a new key
// (`inventory-gateway rotate-key`) rewrite the column only: the endpoint's visible fields,
// revision and updatedAt stay as they were, so no change-log event is written (the log never
// holds passwords, and nothing an API shows has changed).
import { type Db, engineOf, type Tx } from '../../db/client.js';
import { NotFoundError } from '../../domain/errors.js';
import { keysOf, openStored, sealForStorage } from '../core/database-secrets.js';
import { isSealed, openSecret, SecretError, sealedKeyId, sealSecret, secretContext } from '../core/secrets.js';
import { write } from '../core/transaction.js';
import { type ReadSource, readerOf } from '../inventory/interface-queries.js';

/** What a password is bound to: this column of this endpoint row. */
export const passwordContext = (endpointId: string) => secretContext('RedfishEndpoint', 'password', endpointId);

/** The value to store for a password given to endpoint `endpointId`; `field` names it in a refusal. */
export function sealPassword(tx: Tx, endpointId: string, password: string, field: string): string {
  return sealForStorage(tx, password, passwordContext(endpointId), field);
}

/**
 * Whether the stored password is `given`. A stored value that cannot be opened (its key is
 * gone, or it was altered) is not the same: the caller then stores the one given.
 */
export function samePassword(tx: Tx, endpointId: string, stored: string | null, given: string): boolean {
  if (stored === null) return false;
  try {
    return openStored(tx, stored, passwordContext(endpointId)) === given;
  } catch (error) {
    if (error instanceof SecretError) return false;
    throw error;
  }
}

export interface RedfishCredentials {
  xname: string;
  /** Where the BMC answers: its FQDN (an IP when it was given as one). */
  fqdn: string | null;
  ipAddress: string | null;
  username: string | null;
  password: string | null;
}

/**
 * The live endpoint's address and credentials, its password decrypted (for discovery: never
 * answer it to a client). SecretError when the password cannot be decrypted with the
 * configured keys (a wrong or missing key, an altered value).
 */
export async function readRedfishCredentials(source: ReadSource, xname: string): Promise<RedfishCredentials> {
  const db = readerOf(source);
  const row = await db.redfishEndpoint.findFirst({
    where: { xname, deletedAt: null },
    select: { id: true, xname: true, fqdn: true, ipAddress: true, username: true, password: true },
  });
  if (!row) throw new NotFoundError('RedfishEndpoint', xname, 'xname');
  const { id, password, ...rest } = row;
  return { ...rest, password: password === null ? null : openStored(db, password, passwordContext(id)) };
}

export interface ResealProgress {
  done: number;
  total: number;
}

export interface ResealReport {
  /** Passwords stored (live or deleted endpoints). */
  total: number;
  /** Plaintext passwords now sealed. */
  sealed: number;
  /** Passwords moved from an older key to the current one. */
  reencrypted: number;
}

/**
 * Seals every password still in plain text and, with `reencrypt`, re-encrypts every one
 * sealed under a key other than the current one; all in one transaction, idempotent (a
 * second run changes nothing). A value that cannot be decrypted stops it, naming the
 * endpoint, and nothing is written. On SQLite the file is then vacuumed and its WAL
 * truncated, so the old bytes do not linger in free pages.
 */
export async function resealRedfishPasswords(
  db: Db,
  options: { reencrypt?: boolean; onProgress?: (progress: ResealProgress) => void } = {},
): Promise<ResealReport> {
  const keyring = keysOf(db).keyring();
  const rows = await db.redfishEndpoint.findMany({
    where: { password: { not: null } },
    select: { id: true, xname: true, password: true, updatedAt: true },
    orderBy: { id: 'asc' },
  });
  const report: ResealReport = { total: rows.length, sealed: 0, reencrypted: 0 };
  const pending = rows.filter(({ password }) => {
    const keyId = sealedKeyId(password as string);
    return keyId === undefined || (options.reencrypt && keyId !== keyring?.current);
  });
  if (pending.length === 0) return report;
  if (!keyring) throw new SecretError(`${pending.length} stored password(s) need a key and none is configured`);
  await write({ db, source: 'system' }, async (tx) => {
    for (const [i, row] of pending.entries()) {
      const stored = row.password as string;
      const context = passwordContext(row.id);
      let plaintext: string;
      try {
        plaintext = isSealed(stored) ? openSecret(keyring, stored, context) : stored;
      } catch (error) {
        throw new SecretError(`the password of Redfish endpoint ${row.xname} cannot be decrypted: ${(error as Error).message}`);
      }
      // Only if unchanged since it was read (a concurrent write keeps its own value); the
      // endpoint's updatedAt stays: nothing it shows has changed.
      const { count } = await tx.redfishEndpoint.updateMany({
        where: { id: row.id, password: stored },
        data: { password: sealSecret(keyring, plaintext, context), updatedAt: row.updatedAt },
      });
      if (count && isSealed(stored)) report.reencrypted += 1;
      else if (count) report.sealed += 1;
      if ((i + 1) % 200 === 0 || i + 1 === pending.length) options.onProgress?.({ done: i + 1, total: pending.length });
    }
    return { result: undefined, changes: [] };
  });
  if (engineOf(db) === 'sqlite') {
    await db.$executeRawUnsafe('VACUUM');
    await db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
  }
  return report;
}

/** How many stored passwords each key id seals ("plaintext" for those not sealed). */
export async function redfishPasswordKeyUsage(db: Db): Promise<Map<string, number>> {
  const rows = await db.redfishEndpoint.findMany({ where: { password: { not: null } }, select: { password: true } });
  const usage = new Map<string, number>();
  for (const { password } of rows) {
    const id = sealedKeyId(password as string) ?? 'plaintext';
    usage.set(id, (usage.get(id) ?? 0) + 1);
  }
  return usage;
}
