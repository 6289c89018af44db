// What the faces (REST families, GraphQL, interop, CLI, server) may use of the core services.
// Code under src/services imports the files themselves; everything else imports this index.

// The database handles and errors the faces name in their types (they never open or query it).
export { type Database, type Db, engineOf, type Prisma, type Tx } from '../../db/client.js';
export type { Engine } from '../../db/engine-schema.js';
export { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../../db/unavailable.js';
// Reads by long key lists (bulk imports' batches), the list bound as one parameter.
export { findManyIn } from '../../db/where-in.js';
export { stableJson } from '../../domain/stable-json.js';
export {
  type CableRow,
  type ComponentRow,
  type DeviceRow,
  emptyInventory,
  type GroupRow,
  type InterfaceRow,
  type InventoryRows,
  type LoadOptions,
  type LoadResult,
  type LocationRow,
  loadInventory,
  type RackRow,
} from './bulk-load.js';
export { announceChanges, type ChangeNotice, publishChanges, startChangeFeed, subscribeChanges } from './change-feed.js';
export { type Change, recordChanges } from './change-log.js';
export type { ChangeSource, ServiceContext } from './context.js';
export { attachKeys, keysOf } from './database-secrets.js';
export { checkDatabase } from './health.js';
export {
  ImportInProgressError,
  type ImportOptions,
  type ImportProgress,
  type ImportReport,
  type ImportSession,
  runImport,
} from './import-session.js';
export { eachChecked, type ItemError, itemErrorAsIs } from './item-error.js';
export {
  defaultKeyFile,
  generateKey,
  type KeyConfig,
  type Keyring,
  KeyringError,
  type KeySource,
  keyringOf,
  parseKey,
  readKeyringFile,
  resolveKeySource,
  staticKeys,
  writeKeyringFile,
} from './keyring.js';
export { propertyMatchIds } from './property-match.js';
export { SecretError } from './secrets.js';
export { onCommitted, translateDatabaseError, type WriteResult } from './transaction.js';
export { ancestorIds, checkParents, type ParentLink } from './tree.js';
export { readTreeProfile, type TreeProfile } from './tree-profile-queries.js';
