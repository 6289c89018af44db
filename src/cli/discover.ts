// `inventory-gateway discover`: crawls BMCs from the command line, against the database
// directly, as the gateway's POST /apis/collection/v1/scans (targets) and SMD's Discover do.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { openDatabase } from '../db/client.js';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from '../db/database-url.js';
import {
  configureDiscovery,
  crawlsInFlight,
  type DiscoveryOptions,
  nextProgress,
  startDiscover,
  startScanCrawl,
} from '../services/discovery/index.js';
import { findOperation } from '../services/scans/index.js';
import { parseFlags, UsageError } from './flags.js';
import { attachCommandKeys, KEY_FILE_FLAG, keyConfig, keyFileUsage } from './keys.js';

export const DISCOVER_USAGE = () => `Read hardware inventory from Redfish BMCs.

usage: inventory-gateway discover (--xnames LIST | --groups LIST | --all | --addresses LIST --credentials NAME)
                                  [--smd] [--policy review|approve-additions] [--concurrency N] [--timeout-ms N]
                                  [--auth basic|session] [--tls off|ca|pinned] [--ca-file PEM] [--fingerprints LIST]
                                  [--database-url URL] [--secrets-key-file PATH] [--quiet]

Targets: known RedfishEndpoints by xname, by group (its BMCs, or its nodes' BMCs) or all of them,
and/or addresses (IP, host, host:port, IPv4 CIDR) read with a stored BMC credential
(PUT /apis/collection/v1/credentials/{name}).

By default the crawl is a Collection scan: what the BMCs answer is matched against the inventory
and the proposed diff is stored for review (GET /apis/collection/v1/scans/{id}/diff, then
approve); --policy approve-additions applies new devices at once. With --smd it is SMD's
Discover instead (endpoints only): components, ComponentEndpoints, EthernetInterfaces and
HardwareInventory are written at once, as SMD does.

  --concurrency N          BMCs read at once (default 64)
  --timeout-ms N           per Redfish request (default 10000)
  --auth basic|session     how to authenticate to the BMCs (default basic)
  --tls off|ca|pinned      verify BMC certificates: not at all (default), against --ca-file, or
                           against --fingerprints (SHA-256, comma-separated)
  --database-url URL       file:./path.db or postgresql://… (default: DATABASE_URL, else ${DEFAULT_DATABASE_URL})
${keyFileUsage(27)}
  --quiet                  no progress on standard error

Prints the finished Operation as JSON. Exit status: 0 done (some targets may have failed: see
"failures"), 1 refused or failed, 2 bad arguments.`;

const list = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

function crawlSettings(values: Record<string, string | boolean | undefined>): Partial<DiscoveryOptions> {
  const settings: Partial<DiscoveryOptions> = {};
  const int = (flag: string) => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < 1)
      throw new UsageError(`--${flag} must be a whole number of 1 or more`);
    return Number(raw);
  };
  const concurrency = int('concurrency');
  const timeoutMs = int('timeout-ms');
  if (concurrency) settings.concurrency = concurrency;
  if (timeoutMs) settings.timeoutMs = timeoutMs;
  if (values.auth !== undefined) {
    if (values.auth !== 'basic' && values.auth !== 'session') throw new UsageError('--auth must be basic or session');
    settings.auth = values.auth;
  }
  if (values.tls === 'ca') {
    if (typeof values['ca-file'] !== 'string') throw new UsageError('--tls ca needs --ca-file <bundle.pem>');
    settings.tls = { verify: 'ca', ca: readFileSync(values['ca-file'], 'utf8') };
  } else if (values.tls === 'pinned') {
    const fingerprints = list(values.fingerprints) ?? [];
    if (!fingerprints.length) throw new UsageError('--tls pinned needs --fingerprints <sha256>[,<sha256>…]');
    settings.tls = { verify: 'pinned', fingerprints };
  } else if (values.tls !== undefined && values.tls !== 'off') throw new UsageError('--tls must be off, ca or pinned');
  return settings;
}

export async function discoverCommand(argv: string[]): Promise<number> {
  const values = parseFlags(argv, {
    xnames: { type: 'string' },
    groups: { type: 'string' },
    all: { type: 'boolean' },
    addresses: { type: 'string' },
    credentials: { type: 'string' },
    smd: { type: 'boolean' },
    policy: { type: 'string' },
    concurrency: { type: 'string' },
    'timeout-ms': { type: 'string' },
    auth: { type: 'string' },
    tls: { type: 'string' },
    'ca-file': { type: 'string' },
    fingerprints: { type: 'string' },
    'database-url': { type: 'string' },
    ...KEY_FILE_FLAG,
    quiet: { type: 'boolean' },
  }).values as Record<string, string | boolean | undefined>;
  if (values.help) {
    process.stdout.write(`${DISCOVER_USAGE()}\n`);
    return 0;
  }
  const targets = {
    xnames: list(values.xnames),
    groups: list(values.groups),
    all: values.all === true ? true : undefined,
    addresses: list(values.addresses),
    credentials: values.credentials,
  };
  if (values.smd && (targets.groups || targets.addresses)) throw new UsageError('--smd discovers RedfishEndpoints: use --xnames or --all');
  if (!targets.xnames && !targets.groups && !targets.all && !targets.addresses)
    throw new UsageError('name the targets: --xnames, --groups, --all or --addresses with --credentials');
  const settings = crawlSettings(values);
  const say = values.quiet ? () => {} : (line: string) => process.stderr.write(`${line}\n`);

  const target = parseDatabaseUrl((values['database-url'] as string | undefined) ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  const database = await openDatabase(target);
  try {
    attachCommandKeys(database, target, keyConfig(values['secrets-key-file'] as string | undefined, process.env));
    configureDiscovery(database.prisma, settings);
    const actor = `cli:${userInfo().username}`;
    let name: string;
    if (values.smd) {
      const status = await startDiscover({ db: database.prisma, source: 'smd', actor }, { xnames: targets.xnames });
      name = String((status.details as { Operation?: string }).Operation);
    } else {
      const operation = await startScanCrawl({ db: database.prisma, source: 'scan', actor }, { targets, policy: values.policy });
      name = operation.name;
    }
    const id = name.replace(/^operations\//, '');
    say(`crawling: ${name}`);
    let last = '';
    for (;;) {
      const operation = await findOperation(database.prisma, id);
      const m = operation.metadata as { targetsDone?: number; targetsTotal?: number; targetsFailed?: number };
      const line = `${m.targetsDone ?? 0}/${m.targetsTotal ?? 0} targets read, ${m.targetsFailed ?? 0} failed`;
      if (line !== last) say((last = line));
      if (operation.done) {
        await Promise.all(crawlsInFlight());
        process.stdout.write(`${JSON.stringify(operation, null, 2)}\n`);
        return (operation.result as { error?: unknown } | undefined)?.error ? 1 : 0;
      }
      await nextProgress(id, 1000);
    }
  } finally {
    await database.close();
  }
}
