// `inventory-gateway rotate-key`: puts the secrets at rest (BMC passwords) under a new key.
// The new key goes into the key file first, as its current key, with the old keys kept; then
// every secret is re-encrypted under it in one transaction. Until told to drop them (another
// run with --drop-old, refused while any secret still needs one), the old keys stay readable,
// so a gateway or a backup that still holds values sealed under them keeps working.
import { existsSync } from 'node:fs';
import { openDatabase } from '../db/client.js';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from '../db/database-url.js';
import {
  attachKeys,
  defaultKeyFile,
  generateKey,
  type Keyring,
  keyringOf,
  readKeyringFile,
  resolveKeySource,
  staticKeys,
  writeKeyringFile,
} from '../services/core/index.js';
import { redfishPasswordKeyUsage, resealRedfishPasswords } from '../services/smd/index.js';
import { parseFlags, UsageError } from './flags.js';
import { KEY_FILE_FLAG, keyConfig, keyFileUsage } from './keys.js';

export const ROTATE_KEY_USAGE = () => `Encrypt the stored secrets (BMC passwords) under a new key.

usage: inventory-gateway rotate-key [--database-url URL] [--secrets-key-file PATH] [--reencrypt-only | --drop-old] [--quiet]

Without options: adds a new random key to the key file as its current key (creating the file,
mode 0600, when there is none), then re-encrypts every stored secret under it in one transaction
(and encrypts any still in plain text). The old keys stay in the file, still able to decrypt.
A running gateway reads the changed file at its next use of a secret; no restart is needed.

  --database-url URL       file:./path.db or postgresql://… (default: DATABASE_URL, else ${DEFAULT_DATABASE_URL})
${keyFileUsage(27)}
  --reencrypt-only         add no key: re-encrypt everything under the current key (the first one), e.g. after
                           putting a new key first in SECRETS_KEYS or in a key file shared by several replicas
  --drop-old               remove every key but the current one from the key file; refused while a stored
                           secret still needs one of them (with SECRETS_KEYS: only checks; edit the variable)
  --quiet                  no progress on standard error

Copy a changed key file to every replica that reads its own copy before re-encrypting, and
keep the old keys until then. Exit status: 0 done, 1 refused or failed, 2 bad arguments.`;

/** Where the command reads its environment and writes its output (the process's, unless a test says). */
export interface CommandIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

const PROCESS_IO: CommandIo = {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

interface Options {
  databaseUrl: string;
  keyFile: string;
  keys: string[];
  mode: 'rotate' | 'reencrypt' | 'drop';
  say: (line: string) => void;
}

function parseOptions(argv: string[], io: CommandIo): Options | undefined {
  const values = parseFlags(argv, {
    'database-url': { type: 'string' },
    ...KEY_FILE_FLAG,
    'reencrypt-only': { type: 'boolean' },
    'drop-old': { type: 'boolean' },
    quiet: { type: 'boolean' },
  }).values as Record<string, string | boolean | undefined>;
  if (values.help) return undefined;
  if (values['reencrypt-only'] && values['drop-old'])
    throw new UsageError('--reencrypt-only and --drop-old are separate steps: run one, then the other');
  const { keyFile, keys } = keyConfig(values['secrets-key-file'] as string | undefined, io.env);
  return {
    databaseUrl: (values['database-url'] as string | undefined) ?? io.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    keyFile,
    keys,
    mode: values['drop-old'] ? 'drop' : values['reencrypt-only'] ? 'reencrypt' : 'rotate',
    say: values.quiet ? () => {} : (line) => io.err(`${line}\n`),
  };
}

export async function rotateKeyCommand(argv: string[], io: CommandIo = PROCESS_IO): Promise<number> {
  const options = parseOptions(argv, io);
  if (!options) {
    io.out(`${ROTATE_KEY_USAGE()}\n`);
    return 0;
  }
  const target = parseDatabaseUrl(options.databaseUrl);
  if (options.keys.length && options.mode === 'rotate')
    throw new UsageError(
      'the keys come from SECRETS_KEYS, which this command cannot change: put a new key first in it (e.g. `openssl rand -base64 32`), then run rotate-key --reencrypt-only',
    );
  const path = options.keys.length ? undefined : options.keyFile || defaultKeyFile(target);
  if (!options.keys.length && !path)
    throw new UsageError('a PostgreSQL database has no default key file: give --secrets-key-file PATH (every replica needs the same file)');

  const database = await openDatabase(target);
  try {
    if (options.mode === 'drop') return await dropOldKeys(database.prisma, options, path, io);
    let keyring: Keyring;
    if (options.mode === 'rotate' && path) {
      const old = existsSync(path) ? readKeyringFile(path) : undefined;
      keyring = keyringOf([generateKey(), ...(old?.keys.values() ?? [])]);
      writeKeyringFile(path, keyring);
      options.say(
        `${old ? 'added' : 'created the key file with'} key ${keyring.current} (current) in ${path}${old ? `; kept ${old.keys.size} older key(s): ${[...old.keys.keys()].join(', ')}` : ''}`,
      );
    } else {
      const { source } = resolveKeySource(options, target);
      keyring = source.keyring() as Keyring;
      if (!keyring) throw new UsageError('no key is configured: give --secrets-key-file PATH or SECRETS_KEYS');
    }
    attachKeys(database.prisma, staticKeys(keyring, path ?? 'SECRETS_KEYS'));
    const report = await resealRedfishPasswords(database.prisma, {
      reencrypt: true,
      onProgress: ({ done, total }) => options.say(`re-encrypting: ${done}/${total}`),
    }).catch((error: Error) => {
      // The key file was written first (a key the database depends on must never exist only
      // in memory): say that it now has the new key, and that nothing was re-encrypted.
      if (keyring.keys.size > 1)
        error.message += `; nothing was re-encrypted, and ${keyring.current} stays current with the older keys kept`;
      throw error;
    });
    options.say(
      `${report.total} stored secret(s): ${report.reencrypted} re-encrypted, ${report.sealed} encrypted from plain text, ${report.total - report.reencrypted - report.sealed} already under key ${keyring.current}`,
    );
    if (keyring.keys.size > 1)
      options.say('the older keys stay readable; remove them with rotate-key --drop-old once every replica has this key');
    return 0;
  } finally {
    await database.close();
  }
}

/** Drops every non-current key from the key file once no stored secret needs one. */
async function dropOldKeys(
  db: Parameters<typeof redfishPasswordKeyUsage>[0],
  options: Options,
  path: string | undefined,
  io: CommandIo,
): Promise<number> {
  const keyring = path
    ? readKeyringFile(path)
    : (resolveKeySource(options, parseDatabaseUrl(options.databaseUrl)).source.keyring() as Keyring);
  const usage = await redfishPasswordKeyUsage(db);
  const needed = [...usage].filter(([id]) => id !== keyring.current);
  if (needed.length) {
    const list = needed.map(([id, n]) => `${n} under ${id === 'plaintext' ? 'no key (plain text)' : `key ${id}`}`).join(', ');
    io.err(`inventory-gateway: not dropping: stored secrets still need other keys (${list}); run rotate-key --reencrypt-only first\n`);
    return 1;
  }
  const old = [...keyring.keys.keys()].filter((id) => id !== keyring.current);
  if (!path) {
    options.say(
      `every stored secret is under key ${keyring.current}: remove the other keys from SECRETS_KEYS${old.length ? ` (${old.join(', ')})` : ''}`,
    );
    return 0;
  }
  if (old.length === 0) {
    options.say(`${path} holds only the current key ${keyring.current}: nothing to drop`);
    return 0;
  }
  writeKeyringFile(path, keyringOf([keyring.keys.get(keyring.current) as Buffer]));
  options.say(`dropped key(s) ${old.join(', ')} from ${path}; key ${keyring.current} remains`);
  return 0;
}
