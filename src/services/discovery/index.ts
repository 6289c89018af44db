// What the faces (REST families, GraphQL, CLI, server) may use of discovery: crawls of BMCs
// for the Collection API and SMD's Discover, their credentials, progress and options.
// Code under src/services imports the files themselves; everything else imports this index.

export { type CrawlLogger, crawlsInFlight } from './crawl-runner.js';
export { CRAWL_METADATA_TYPE, type CrawlProgress, type TargetFailure } from './crawl-store.js';
export {
  type BmcCredentialView,
  deleteBmcCredential,
  listBmcCredentials,
  putBmcCredential,
} from './credentials.js';
export { configureDiscovery, DEFAULT_DISCOVERY_OPTIONS, type DiscoveryOptions, discoveryOptionsOf } from './options.js';
export { nextProgress } from './progress.js';
export { normalizeFingerprint, type TlsPolicy } from './redfish-client.js';
export { isTargetScan, startScanCrawl } from './scan-crawl.js';
export { startDiscover } from './smd-discover.js';
export { type ResumeReport, resumeOrphanedCrawls, superviseCrawls } from './supervisor.js';
export { TARGET_ERROR_KINDS, type TargetErrorKind } from './target-error.js';
