// Named BMC credentials, for crawls of addresses (a RedfishEndpoint's own credentials serve
// crawls of it). The password is sealed as a RedfishEndpoint's is, bound to its row, and only
// readBmcCredential opens it, for the crawler; no answer and no change-log event carries it.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { optionalText, requireText } from '../../domain/validate.js';
import type { ServiceContext } from '../core/context.js';
import { openStored, sealForStorage } from '../core/database-secrets.js';
import { secretContext } from '../core/secrets.js';
import { write } from '../core/transaction.js';
import { type ReadSource, readerOf } from '../inventory/interface-queries.js';

const ENTITY = 'BmcCredential';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface BmcCredentialView {
  name: string;
  username: string;
  createdAt: Date;
  updatedAt: Date;
}

const view = (row: BmcCredentialView): BmcCredentialView => ({
  name: row.name,
  username: row.username,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const passwordContext = (id: string) => secretContext(ENTITY, 'password', id);

export function requireCredentialName(value: unknown, field = 'name'): string {
  const name = requireText(value, field, 64);
  if (!NAME.test(name)) throw new ValidationError(field, 'letters, digits, ".", "_" and "-", starting with a letter or digit');
  return name;
}

/** Creates or replaces the credential `name`; `created` says which. */
export function putBmcCredential(
  ctx: ServiceContext,
  name: string,
  input: { username?: unknown; password?: unknown },
): Promise<{ credential: BmcCredentialView; created: boolean }> {
  const checked = requireCredentialName(name);
  const username = requireText(input.username, 'username', 256);
  const password = optionalText(input.password, 'password', 1024);
  if (password === undefined || password === null) throw new ValidationError('password', 'is required');
  return write(ctx, async (tx) => {
    const before = await tx.bmcCredential.findUnique({ where: { name: checked }, omit: { password: true } });
    const id = before?.id ?? randomUUID();
    const sealed = sealForStorage(tx, password, passwordContext(id), 'password');
    const after = await tx.bmcCredential.upsert({
      where: { name: checked },
      create: { id, name: checked, username, password: sealed },
      update: { username, password: sealed },
      omit: { password: true },
    });
    return {
      result: { credential: view(after), created: !before },
      changes: [
        {
          entityType: ENTITY,
          entityId: id,
          action: before ? 'updated' : 'created',
          before: before ? view(before) : undefined,
          after: view(after),
        },
      ],
    };
  });
}

export async function listBmcCredentials(source: ReadSource): Promise<BmcCredentialView[]> {
  const rows = await readerOf(source).bmcCredential.findMany({ omit: { password: true }, orderBy: { name: 'asc' } });
  return rows.map(view);
}

export function deleteBmcCredential(ctx: ServiceContext, name: string): Promise<void> {
  return write(ctx, async (tx) => {
    const before = await tx.bmcCredential.findUnique({ where: { name }, omit: { password: true } });
    if (!before) throw new NotFoundError(ENTITY, name, 'name');
    await tx.bmcCredential.delete({ where: { id: before.id } });
    return { result: undefined, changes: [{ entityType: ENTITY, entityId: before.id, action: 'deleted', before: view(before) }] };
  });
}

/** Whether a credential of that name exists (a crawl's reference is checked before it starts). */
export async function bmcCredentialExists(tx: Tx, name: string): Promise<boolean> {
  return (await tx.bmcCredential.count({ where: { name } })) > 0;
}

/** The credential's user and password, decrypted: for the crawler only, never for an answer. */
export async function readBmcCredential(source: ReadSource, name: string): Promise<{ username: string; password: string } | null> {
  const db = readerOf(source);
  const row = await db.bmcCredential.findUnique({ where: { name } });
  if (!row) return null;
  return { username: row.username, password: openStored(db, row.password, passwordContext(row.id)) };
}
