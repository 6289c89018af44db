// The test databases a test file has created and not yet destroyed (database.ts adds and removes
// them). Kept apart from database.ts so that the check after every file (destroyed-databases.ts)
// loads nothing of the gateway into files that never open a database.
const open = new Set<string>();

export const openDatabases = {
  add: (name: string) => open.add(name),
  delete: (name: string) => open.delete(name),
  list: () => [...open],
};
