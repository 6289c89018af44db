// The test databases (PostgreSQL schemas, SQLite folders) a test file has created and not yet
// destroyed: database.ts adds and removes them. Kept apart from database.ts so that the check
// after every file (destroyed-databases.ts) loads nothing of the gateway into files that never
// open a database.
export const openDatabases = new Set<string>();
