// Secrets at rest: AES-256-GCM, a random 96-bit IV per value, the 128-bit tag checked on
// every read. A sealed value is one self-describing text kept in the column it protects:
//
//   enc:v1:<key id>:<base64 IV>:<base64 tag>:<base64 ciphertext>
//
// The additional authenticated data is the header (version and key id) and a context naming
// the column and the row ("RedfishEndpoint.password:<row id>"): a value copied into another
// row, or whose header was edited, does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MALFORMED = 'enc:v1 secret';
const SEALED = /^enc:v1:([0-9a-f]{16}):([A-Za-z0-9+/]{16}):([A-Za-z0-9+/]{22}==):([A-Za-z0-9+/]*={0,2})$/;

/** A sealed value that cannot be opened: unknown key, wrong key, altered or malformed. */
export class SecretError extends Error {
  override name = 'SecretError';
}

/**
 * Whether a stored value is sealed. Anything that starts like a sealed value counts, so a
 * damaged one fails to open instead of passing for a plaintext password.
 */
export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

/** The id of the key a sealed value names, or undefined when it is not sealed. */
export function sealedKeyId(stored: string): string | undefined {
  return isSealed(stored) ? stored.slice(PREFIX.length).split(':', 1)[0] : undefined;
}

/** The column and row a value belongs to, authenticated with it: "RedfishEndpoint.password:<id>". */
export const secretContext = (model: string, column: string, rowId: string) => `${model}.${column}:${rowId}`;

const additionalData = (keyId: string, context: string) => Buffer.from(`${PREFIX}${keyId}:${context}`, 'utf8');

/** Encrypts `plaintext` under the keyring's current key, bound to `context`. */
export function sealSecret(keyring: Keyring, plaintext: string, context: string): string {
  const key = keyring.keys.get(keyring.current) as Buffer;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(keyring.current, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${PREFIX}${keyring.current}:${iv.toString('base64')}:${tag.toString('base64')}:${ciphertext.toString('base64')}`;
}

/** Decrypts a sealed value of `context`; SecretError when it cannot be (never returns garbage). */
export function openSecret(keyring: Keyring, sealed: string, context: string): string {
  const parts = SEALED.exec(sealed);
  if (!parts) throw new SecretError(`${context}: the stored value is not a well-formed ${MALFORMED}`);
  const [, keyId, iv, tag, ciphertext] = parts;
  // Base64 decoding forgives trailing and padding bits: only the canonical text is accepted,
  // so that no edit of the stored text goes unnoticed.
  if ([iv, tag, ciphertext].some((b64) => Buffer.from(b64, 'base64').toString('base64') !== b64))
    throw new SecretError(`${context}: the stored value is not a well-formed ${MALFORMED}`);
  const key = keyring.keys.get(keyId);
  if (!key)
    throw new SecretError(`${context}: encrypted with key ${keyId}, which is not in the keyring (${[...keyring.keys.keys()].join(', ')})`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(keyId, context));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretError(`${context}: does not authenticate under key ${keyId}: the value was altered, or copied from another row`);
  }
}
