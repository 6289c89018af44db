// Stable UUIDs for things a cani file leaves without one: an interface whose id is cani's nil
// placeholder, the rack cani's v1alpha1 migration adds for each cabinet. cani draws a random
// UUID there (uuid.New()); a name-based one (RFC 9562 version 5, SHA-1) gives the same id on
// every import, so importing a file again changes nothing.
import { createHash } from 'node:crypto';

/** This importer's own namespace for name-based ids. */
const NAMESPACE = Buffer.from('8c3e0f4a5b6d4e7fa1b2c3d4e5f60718', 'hex');

export function derivedId(...name: string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name.join('\u0000')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
