// Helpers for the tests of list writers: one write with its statement count, and a refusal.
import { expect } from 'vitest';
import type { Tx } from '../../src/db/client.js';
import { withStatementScope } from '../../src/db/sql-counter.js';
import { InventoryError } from '../../src/domain/errors.js';
import type { ServiceContext } from '../../src/services/core/context.js';
import { type WriteResult, write } from '../../src/services/core/transaction.js';

/** Runs `work` as one write; answers its result, its changes and the statements it took. */
export async function measured<T>(ctx: ServiceContext, work: (tx: Tx) => Promise<WriteResult<T>>) {
  const scope = { statements: 0 };
  const done = await withStatementScope(scope, () =>
    write(ctx, async (tx) => {
      const written = await work(tx);
      return { result: written, changes: written.changes };
    }),
  );
  return { result: done.result, changes: done.changes, statements: scope.statements };
}

/** The InventoryError `work` fails with (the test fails when it succeeds or fails otherwise). */
export async function refusal(work: () => Promise<unknown>): Promise<InventoryError> {
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InventoryError);
  return error as InventoryError;
}
