// What the faces (REST families, GraphQL, interop, CLI, server) may use of the history services.
// Code under src/services imports the files themselves; everything else imports this index.
export type { FieldChange } from './diff.js';
export {
  createSnapshot,
  devicesAsOf,
  diffInventory,
  type EventFilter,
  type HistoryPoint,
  type InventoryDiff,
  listEvents,
  listSnapshots,
  setPinned,
  snapshotInventory,
} from './history.js';
export { findVersion, headOf, headVersion, listVersions, type VersionScope } from './reference-versions.js';
export { applyPolicy, getPolicy, putPolicy } from './retention.js';
