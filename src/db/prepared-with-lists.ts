// Statements that take a list as one array parameter and are prepared all the same. pg-adapter.ts
// leaves such statements unnamed, because after five runs PostgreSQL may settle on one generic plan
// and an import's key reads need theirs made for the list at hand (a plan made while a table was
// small stayed when it was large). A statement registered here is one whose best plan is the same
// for every list it is given (every value found through an index), and whose planning is a large
// part of its cost: the NoCloud identity statement of a 10-address batch on a 10,000-node site
// took 1.1–1.8 ms to plan (10–14 ms on a new connection) and 0.7–1.2 ms to run, on the database's
// CPU, once per boot-storm batch; prepared, PostgreSQL runs it without planning once it keeps its
// generic plan (nocloud-identity-sql.ts hides the list from the planner so that it does). A generic plan
// made while the tables were empty does not stay: PostgreSQL re-plans a prepared statement when
// the statistics of a table it reads change (ANALYZE, planner-statistics.ts, or autovacuum's).
const registered = new Set<string>();

/** Registers `sql` (a constant text) to be prepared despite its list parameter; answers it. */
export function preparedWithLists(sql: string): string {
  registered.add(sql);
  return sql;
}

export function isPreparedWithLists(sql: string): boolean {
  return registered.has(sql);
}
