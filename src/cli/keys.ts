// The keys for secrets at rest, as the commands take them: --secrets-key-file, else the
// server's environment variables (SECRETS_KEY_FILE, SECRETS_KEYS), else the key file beside
// a SQLite database.
import type { Database } from '../db/client.js';
import type { DatabaseTarget } from '../db/database-url.js';
import { attachKeys, type KeyConfig, type KeySource, resolveKeySource } from '../services/core/index.js';

export const KEY_FILE_FLAG = { 'secrets-key-file': { type: 'string' } } as const;

/** The flag's help, its text starting at `column` as the command's other flags do. */
export function keyFileUsage(column: number): string {
  const flag = '  --secrets-key-file PATH';
  const indent = ' '.repeat(column);
  const head = flag.length < column ? flag.padEnd(column) : `${flag}\n${indent}`;
  return `${head}the keyring that encrypts BMC passwords (default: SECRETS_KEY_FILE or
${indent}SECRETS_KEYS, else <database file>.keys beside a SQLite database)`;
}

export function keyConfig(flag: string | undefined, env: NodeJS.ProcessEnv): KeyConfig {
  if (flag) return { keyFile: flag, keys: [] };
  const keys = (env.SECRETS_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return { keyFile: env.SECRETS_KEY_FILE ?? '', keys };
}

/** Finds the database's keys (creating a SQLite database's key file) and attaches them to it. */
export function attachCommandKeys(database: Database, target: DatabaseTarget, config: KeyConfig): KeySource {
  const { source } = resolveKeySource(config, target);
  attachKeys(database.prisma, source);
  return source;
}
