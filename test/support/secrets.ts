// Keys for a test database, as the gateway gets them: on SQLite the key file created beside
// the database file on first use; on PostgreSQL (where nothing is created) a random key given
// inline, as SECRETS_KEYS would.
import type { Database } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { attachKeys, generateKey, type KeySource, keyringOf, resolveKeySource, staticKeys } from '../../src/services/core/index.js';

export function attachTestKeys(database: Database, url: string): KeySource {
  const target = parseDatabaseUrl(url);
  const source =
    target.engine === 'sqlite'
      ? resolveKeySource({ keyFile: '', keys: [] }, target).source
      : staticKeys(keyringOf([generateKey()]), 'a test key');
  attachKeys(database.prisma, source);
  return source;
}
