// The one error that sends a document to the resolvers. The planner (plan.ts), the SQL writer
// (sql.ts, prisma-where.ts) and the roots' hooks throw it for what a compiled read does not
// cover — another field, a cursor, a filter the SQL does not write, arguments the resolvers
// refuse with an error of their own — and src/schema/plugins/compiled-execution.ts then lets the
// resolvers answer. Any other error in the compiled path is a real one and is answered as such.

export class NotCompilable extends Error {
  override name = 'NotCompilable';

  /** `reason` says what the compiled read does not cover (logged at debug level). */
  constructor(readonly reason: string) {
    super(`not compilable: ${reason}`);
  }
}
