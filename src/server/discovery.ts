// BMC crawls at start-up: the crawl settings from the configuration, and the watch that
// resumes crawls a stopped replica left running (or marks them failed).
import { readFileSync } from 'node:fs';
import type { Database } from '../db/client.js';
import { configureDiscovery, superviseCrawls, type TlsPolicy } from '../services/discovery/index.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

function tlsPolicy(config: Config): TlsPolicy {
  if (config.discoveryTls === 'ca') return { verify: 'ca', ca: readFileSync(config.discoveryCaFile, 'utf8') };
  if (config.discoveryTls === 'pinned') return { verify: 'pinned', fingerprints: config.discoveryFingerprints };
  return { verify: 'off' };
}

/** Applies the crawl settings and starts watching for interrupted crawls; stop() ends the watch. */
export function startDiscovery(database: Database, config: Config, logger: Logger): { stop(): void } {
  configureDiscovery(database.prisma, {
    concurrency: config.discoveryConcurrency,
    maxTargets: config.discoveryMaxTargets,
    timeoutMs: config.discoveryTimeoutMs,
    retries: config.discoveryRetries,
    auth: config.discoveryAuth,
    tls: tlsPolicy(config),
  });
  const watch = superviseCrawls(database.prisma, logger);
  watch.ready.then(({ resumed, failed }) => {
    if (resumed.length || failed.length) logger.info({ resumed, failed }, 'crawls interrupted by a stop: resumed or marked failed');
  });
  return watch;
}
