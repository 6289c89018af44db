// How this gateway crawls BMCs: set once per database client at start-up (configureDiscovery,
// from the server's flags), read by the crawls; defaults for anything not set (tests, the CLI).

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { clientOf, type Db, type Tx } from '../../db/client.js';
import { CLIENT_DEFAULTS, type TlsPolicy } from './redfish-client.js';

export interface DiscoveryOptions {
  /** BMCs read at once. */
  concurrency: number;
  /** Most targets one crawl may name (an address range is counted host by host). */
  maxTargets: number;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxResponseBytes: number;
  auth: 'basic' | 'session';
  tls: TlsPolicy;
  /** How long a replica's claim on a crawl lasts without renewal; renewed every third of it. */
  leaseMs: number;
  /** This process, as a lease names its holder. */
  replicaId: string;
}

export const DEFAULT_DISCOVERY_OPTIONS: DiscoveryOptions = {
  concurrency: 64,
  maxTargets: 4096,
  timeoutMs: CLIENT_DEFAULTS.timeoutMs,
  retries: CLIENT_DEFAULTS.retries,
  backoffMs: CLIENT_DEFAULTS.backoffMs,
  maxResponseBytes: CLIENT_DEFAULTS.maxResponseBytes,
  auth: 'basic',
  tls: { verify: 'off' },
  leaseMs: 30_000,
  replicaId: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
};

const configured = new WeakMap<object, DiscoveryOptions>();

export function configureDiscovery(db: Db, options: Partial<DiscoveryOptions>): DiscoveryOptions {
  const merged = { ...discoveryOptionsOf(db), ...options };
  configured.set(db, merged);
  return merged;
}

export function discoveryOptionsOf(db: Db | Tx): DiscoveryOptions {
  return configured.get(clientOf(db)) ?? DEFAULT_DISCOVERY_OPTIONS;
}
