// A transaction as the services' write() opens one (its client knows its engine, so raw SQL and
// bulk writers work), for tests that call `…In(tx, …)` writers directly. A `scope` given is reset
// and counts the transaction's statements.
import { bindEngine, type Tx } from '../../src/db/client.js';
import { type StatementScope, withStatementScope } from '../../src/db/sql-counter.js';
import type { TestDatabase } from './database.js';

export function inTransaction<T>(db: TestDatabase, work: (tx: Tx) => Promise<T>, scope: StatementScope = { statements: 0 }): Promise<T> {
  return db.prisma.$transaction(
    (tx) => {
      bindEngine(tx as Tx, db.prisma);
      scope.statements = 0;
      return withStatementScope(scope, () => work(tx as Tx));
    },
    { timeout: 60_000 },
  );
}
