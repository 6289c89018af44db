// The start-up step for secrets at rest: find the keys (creating the key file beside a new
// SQLite database), attach them to the database, say where they are, and seal the BMC
// passwords an earlier version stored in plain text.
import type { Database } from '../db/client.js';
import type { DatabaseTarget } from '../db/database-url.js';
import { attachKeys, type KeyConfig, resolveKeySource } from '../services/core/index.js';
import { redfishPasswordKeyUsage, resealRedfishPasswords } from '../services/smd/index.js';
import type { Logger } from './logger.js';

export const NO_KEY_WARNING =
  'NO KEY FOR SECRETS: BMC passwords cannot be stored (a write that carries one is refused with a 4xx naming the field). ' +
  'Give every replica the same key file (--secrets-key-file, made by `inventory-gateway rotate-key --secrets-key-file <path>`) or SECRETS_KEYS.';

/** Throws (KeyringError, SecretError) when the keys cannot be used: the gateway must not start then. */
export async function prepareSecrets(database: Database, target: DatabaseTarget, config: KeyConfig, logger: Logger): Promise<void> {
  const { source, created, warning } = resolveKeySource(config, target);
  attachKeys(database.prisma, source);
  if (created)
    logger.warn(
      { keyFile: created },
      `created the key file for secrets at rest: back it up with the database (without it the stored BMC passwords cannot be read), and keep the backups apart`,
    );
  if (warning) logger.warn({ keyFile: source.path }, warning);
  const keyring = source.keyring();
  if (!keyring) {
    logger.warn({ secrets: 'none' }, NO_KEY_WARNING);
    const plaintext = (await redfishPasswordKeyUsage(database.prisma)).get('plaintext') ?? 0;
    if (plaintext)
      logger.warn({ plaintext }, `${plaintext} BMC password(s) stored by an earlier version stay in plain text until a key is configured`);
    return;
  }
  logger.info({ secrets: source.origin, currentKey: keyring.current, keys: keyring.keys.size }, 'secrets at rest: AES-256-GCM');
  const report = await resealRedfishPasswords(database.prisma);
  if (report.sealed)
    logger.info({ sealed: report.sealed }, `encrypted ${report.sealed} BMC password(s) stored in plain text by an earlier version`);
}
