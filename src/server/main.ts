// Starts the gateway: reads the configuration, opens (and migrates) the database, serves the
// app over HTTP, and shuts down gracefully on SIGTERM/SIGINT.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { openDatabase } from '../db/client.js';
import { parseDatabaseUrl, redactUrl } from '../db/database-url.js';
import { loadSiteRoles } from '../services/smd/index.js';
import { createApp } from './app.js';
import { announceAuth, authOptionsFromConfig } from './auth/index.js';
import { TrustedProxies } from './client-address.js';
import { ConfigError, helpText, parseCommandLine } from './config.js';
import { startDiscovery } from './discovery.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { prepareSecrets } from './secrets.js';
import { drainAndClose } from './shutdown.js';
import { tuneV8ForServing } from './v8-settings.js';

const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;

let parsed: ReturnType<typeof parseCommandLine>;
try {
  parsed = parseCommandLine(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`inventory-gateway: ${error.message}\n`);
  process.exit(2);
}
if (parsed.help) {
  process.stdout.write(helpText());
  process.exit(0);
}
if (parsed.version) {
  process.stdout.write(`${version}\n`);
  process.exit(0);
}

const { config } = parsed;
tuneV8ForServing();
const logger = createLogger(config.logLevel);
const target = parseDatabaseUrl(config.databaseUrl);

let database: Awaited<ReturnType<typeof openDatabase>>;
try {
  database = await openDatabase(target, { poolSize: config.poolSize });
} catch (error) {
  logger.fatal({ err: error, database: redactUrl(config.databaseUrl) }, 'cannot open the database');
  process.exit(1);
}
logger.info(
  { engine: database.engine, database: redactUrl(target.url), appliedMigrations: database.appliedMigrations },
  database.appliedMigrations.length ? 'database migrated' : 'database is up to date',
);
try {
  await prepareSecrets(database, target, { keyFile: config.secretsKeyFile, keys: config.secretsKeys }, logger);
} catch (error) {
  logger.fatal({ err: error }, 'cannot use the keys for secrets at rest');
  await database.close();
  process.exit(1);
}
if (config.hmsConfig) {
  try {
    logger.info(
      { file: config.hmsConfig, ...loadSiteRoles(config.hmsConfig) },
      "SMD's Role and SubRole lists include the site's additions",
    );
  } catch (error) {
    logger.fatal({ err: error, file: config.hmsConfig }, 'cannot read the hms_config.json of --hms-config');
    await database.close();
    process.exit(1);
  }
}
// Imported only with --demo: the synthetic-cluster generator and the Redfish simulator (with its
// X.509 stack) are no part of a production gateway's memory.
const demoBmcs = config.demo ? await startDemo(database, logger) : undefined;

const metrics = createMetrics();
const auth = authOptionsFromConfig(config);
const app = createApp({
  database,
  logger,
  metrics,
  graphiql: config.graphiql,
  trustedProxies: new TrustedProxies(config.trustedProxies),
  bodyLimits: config,
  auth,
  reference: { availability: config.referenceAvailability },
  graphqlLimits: config,
  nocloud: {
    basePath: config.nocloudBasePath,
    documents: { instanceIdForm: config.nocloudInstanceId, cloudInitKeys: config.nocloudTopLevelKeys },
    wireguard: config.wireguardCidr
      ? { cidr: config.wireguardCidr, serverPublicKey: config.wireguardServerKey, endpoint: config.wireguardEndpoint }
      : undefined,
  },
});
announceAuth(logger, auth);
let crawls: { stop(): void };
try {
  crawls = startDiscovery(database, config, logger);
} catch (error) {
  logger.fatal({ err: error }, 'cannot set up BMC discovery');
  process.exit(1);
}
// Not awaited: the provider may come up after the gateway; tokens are checked once it answers.
if (app.auth.enabled) {
  app.auth.fetchKeys().then(
    (keys) => logger.info({ keys }, "fetched the identity provider's keys (JWKS)"),
    (error) =>
      logger.warn({ err: error }, "cannot fetch the identity provider's keys (JWKS) yet: tokens cannot be verified (503) until it answers"),
  );
}
if (config.trustedProxies.length === 0)
  logger.info('no trusted proxies: X-Forwarded-For and Forwarded are ignored, node identity is the TCP peer');
await app.feedReady;
const server = createServer(app.handler);
server.keepAliveTimeout = 65_000;

server.on('error', (error) => {
  logger.fatal({ err: error, port: config.port, host: config.host }, 'cannot listen');
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { port, host: config.host, version },
    `inventory gateway listening: http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`,
  );
});

async function startDemo(db: typeof database, log: typeof logger) {
  const [{ loadDemoIfEmpty }, { startDemoBmcs }] = await Promise.all([import('./demo.js'), import('./demo-bmcs.js')]);
  return startDemoBmcs(db, log, await loadDemoIfEmpty(db, log));
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests in flight');
    crawls.stop();
    await drainAndClose(server, 10_000);
    await demoBmcs?.close();
    await database.close();
    metrics.stop();
    logger.info('stopped');
    process.exit(0);
  });
}
