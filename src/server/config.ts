// Configuration: command-line flags > environment > config file (YAML or JSON) > defaults.
// One table describes every option; parsing, validation and --help all come from it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from '../db/database-url.js';
import { INSTANCE_ID_FORMS, type InstanceIdForm } from '../domain/nocloud-metadata.js';
import { PAGE_SIZE_CEILING } from '../schema/builder.js';
import { DEFAULT_GRAPHQL_LIMITS as LIMITS, loadPersistedDocuments } from '../schema/plugins/limits.js';
import { parseKey } from '../services/core/index.js';
import { AVAILABILITY_SOURCES, type AvailabilitySource } from '../services/inventory/index.js';
import { DEFAULT_BODY_LIMITS } from './body-limits.js';
import { TrustedProxies } from './client-address.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  logLevel: string;
  demo: boolean;
  graphiql: boolean;
  poolSize: number;
  /** The keyring file for secrets at rest ('' = beside a SQLite database, none on PostgreSQL). */
  secretsKeyFile: string;
  /** Keys given inline instead of a file, the first current. */
  secretsKeys: string[];
  trustedProxies: string[];
  nocloudBasePath: string;
  /** The instance-id of a node whose instance info names none (xname, or hashed: i- and 8 hex). */
  nocloudInstanceId: InstanceIdForm;
  /** Also public-keys, region, availability-zone and cloud-name at the top of meta-data. */
  nocloudTopLevelKeys: boolean;
  wireguardCidr: string;
  wireguardServerKey: string;
  wireguardEndpoint: string;
  referenceAvailability: AvailabilitySource;
  /** SMD's hms_config.json: the site's Role and SubRole additions ('' = SMD's base lists only). */
  hmsConfig: string;
  /** jwks or off; when not given, jwks if a JWKS URL is set, else off. */
  auth: 'jwks' | 'off';
  jwksUrl: string;
  jwtIssuer: string;
  jwtAudience: string[];
  jwtRolesClaim: string;
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
  maxPageSize: number;
  persistedDocuments: string;
  persistedOnly: boolean;
  introspection: boolean;
  maxBodyBytes: number;
  maxImportBodyBytes: number;
  /** BMC crawls (Collection scans of targets, SMD Discover). */
  discoveryConcurrency: number;
  discoveryMaxTargets: number;
  discoveryTimeoutMs: number;
  discoveryRetries: number;
  discoveryAuth: 'basic' | 'session';
  discoveryTls: 'off' | 'ca' | 'pinned';
  discoveryCaFile: string;
  discoveryFingerprints: string[];
}

type Kind = 'string' | 'int' | 'boolean' | 'list';

interface OptionSpec {
  key: keyof Config;
  flag: string;
  env: string;
  kind: Kind;
  default: Config[keyof Config];
  help: string;
  check?: (value: never) => string | undefined;
}

const atLeastOne = (v: number) => (v >= 1 ? undefined : 'must be 1 or more');
const atLeastZero = (v: number) => (v >= 0 ? undefined : 'must be 0 or more');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const OPTIONS: readonly OptionSpec[] = [
  {
    key: 'port',
    flag: 'port',
    env: 'PORT',
    kind: 'int',
    default: 8080,
    help: 'TCP port to listen on',
    check: (v: number) => (v >= 0 && v <= 65535 ? undefined : 'must be 0-65535'),
  },
  {
    key: 'host',
    flag: 'host',
    env: 'HOST',
    kind: 'string',
    default: '0.0.0.0',
    help: 'address to listen on (127.0.0.1 for this machine only)',
  },
  {
    key: 'databaseUrl',
    flag: 'database-url',
    env: 'DATABASE_URL',
    kind: 'string',
    default: DEFAULT_DATABASE_URL,
    help: 'file:<path> for embedded SQLite (folder created if missing) or postgresql://user@host:port/db[?schema=name]',
    check: (v: string) => {
      try {
        parseDatabaseUrl(v);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'LOG_LEVEL',
    kind: 'string',
    default: 'info',
    help: `one of ${LOG_LEVELS.join(', ')}`,
    check: (v: string) => (LOG_LEVELS.includes(v) ? undefined : `must be one of ${LOG_LEVELS.join(', ')}`),
  },
  {
    key: 'demo',
    flag: 'demo',
    env: 'INVENTORY_DEMO',
    kind: 'boolean',
    default: false,
    help: 'load a small demo cluster when the database is empty',
  },
  {
    key: 'graphiql',
    flag: 'graphiql',
    env: 'GRAPHIQL',
    kind: 'boolean',
    default: true,
    help: 'serve GraphiQL at /graphql to browsers (--no-graphiql to turn off)',
  },
  {
    key: 'poolSize',
    flag: 'pool-size',
    env: 'DATABASE_POOL_SIZE',
    kind: 'int',
    default: 10,
    help: 'PostgreSQL connections per process',
    check: (v: number) => (v >= 1 && v <= 1000 ? undefined : 'must be 1-1000'),
  },
  {
    key: 'secretsKeyFile',
    flag: 'secrets-key-file',
    env: 'SECRETS_KEY_FILE',
    kind: 'string',
    default: '',
    help: 'keyring file of the keys that encrypt BMC passwords at rest (one base64 or hex 32-byte key per line, the first current). Default: <database file>.keys beside a SQLite database, created on first start; none on PostgreSQL, where passwords are then refused',
  },
  {
    key: 'secretsKeys',
    flag: 'secrets-keys',
    env: 'SECRETS_KEYS',
    kind: 'list',
    default: [],
    help: 'the keys themselves instead of a file: comma-separated 32-byte keys in base64 or hex, the first current (prefer the environment: a flag shows in ps)',
    check: (v: string[]) => {
      try {
        for (const [i, key] of v.entries()) parseKey(key, `item ${i + 1}`);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  },
  {
    key: 'trustedProxies',
    flag: 'trusted-proxies',
    env: 'TRUSTED_PROXIES',
    kind: 'list',
    default: [],
    help: 'comma-separated CIDRs of proxies whose X-Forwarded-For or Forwarded chain is walked from the right to the client (NoCloud node identity); none by default',
    check: (v: string[]) => {
      try {
        new TrustedProxies(v);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  },
  {
    key: 'nocloudBasePath',
    flag: 'nocloud-base-path',
    env: 'NOCLOUD_BASE_PATH',
    kind: 'string',
    default: '/cloud-init',
    help: 'second mount point of the NoCloud documents (they are also served at the root)',
    check: (v: string) =>
      /^\/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]$/.test(v) ? undefined : 'must be a path like /cloud-init (no trailing slash)',
  },
  {
    key: 'nocloudInstanceId',
    flag: 'nocloud-instance-id',
    env: 'NOCLOUD_INSTANCE_ID',
    kind: 'string',
    default: 'xname',
    help: "instance-id of a node whose instance info names none (or names its own xname or i- form): xname, as OpenCHAMI's metadata-service, or hashed, i- and 8 hex digits of the xname's SHA-256 (this gateway's form before)",
    check: (v: string) => (INSTANCE_ID_FORMS.includes(v as InstanceIdForm) ? undefined : `must be one of ${INSTANCE_ID_FORMS.join(', ')}`),
  },
  {
    key: 'nocloudTopLevelKeys',
    flag: 'nocloud-top-level-keys',
    env: 'NOCLOUD_TOP_LEVEL_KEYS',
    kind: 'boolean',
    default: false,
    help: 'also put public-keys, region, availability-zone and cloud-name at the top of meta-data, where cloud-init itself reads them (it then installs the keys for the default user); metadata-service has them under instance_data.v1 only',
  },
  {
    key: 'wireguardCidr',
    flag: 'wireguard-cidr',
    env: 'WIREGUARD_CIDR',
    kind: 'string',
    default: '',
    help: 'tunnel addresses for POST /wg-init (e.g. 10.89.0.0/16); empty turns WireGuard bootstrap off',
  },
  {
    key: 'wireguardServerKey',
    flag: 'wireguard-server-key',
    env: 'WIREGUARD_SERVER_KEY',
    kind: 'string',
    default: '',
    help: "the WireGuard server's public key, returned to nodes by /wg-init",
  },
  {
    key: 'wireguardEndpoint',
    flag: 'wireguard-endpoint',
    env: 'WIREGUARD_ENDPOINT',
    kind: 'string',
    default: '',
    help: 'the WireGuard server as nodes reach it, host:port (e.g. 10.1.0.1:51820)',
  },
  {
    key: 'referenceAvailability',
    flag: 'reference-availability',
    env: 'REFERENCE_AVAILABILITY',
    kind: 'string',
    default: 'none',
    help: 'node availability in the reference API (/sites/…/nodes): none ("unknown") or smd (from SMD reservations of the node\'s position)',
    check: (v: string) =>
      AVAILABILITY_SOURCES.includes(v as AvailabilitySource) ? undefined : `must be one of ${AVAILABILITY_SOURCES.join(', ')}`,
  },
  {
    key: 'hmsConfig',
    flag: 'hms-config',
    env: 'HMS_CONFIG_PATH',
    kind: 'string',
    default: '',
    help: "SMD's hms_config.json: the site's Role and SubRole additions (HMSExtendedDefinitions), shown by /hsm/v2/service/values",
  },
  {
    key: 'auth',
    flag: 'auth',
    env: 'AUTH_MODE',
    kind: 'string',
    default: '',
    help: 'jwks: bearer JWTs required (reads need scope read or role viewer, writes scope write or role operator); off: no authentication (a loud warning at start-up). Default: jwks when --jwks-url is set, else off',
    check: (v: string) => (v === 'jwks' || v === 'off' ? undefined : 'must be jwks or off'),
  },
  {
    key: 'jwksUrl',
    flag: 'jwks-url',
    env: 'JWKS_URL',
    kind: 'string',
    default: '',
    help: "the identity provider's JSON Web Key Set, e.g. https://idp.example/.well-known/jwks.json (keys cached, refetched on rotation)",
    check: (v: string) => (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol) ? undefined : 'must be an http(s) URL'),
  },
  {
    key: 'jwtIssuer',
    flag: 'jwt-issuer',
    env: 'JWT_ISSUER',
    kind: 'string',
    default: '',
    help: 'the iss tokens must carry (any issuer when empty: set it)',
  },
  {
    key: 'jwtAudience',
    flag: 'jwt-audience',
    env: 'JWT_AUDIENCE',
    kind: 'list',
    default: [],
    help: 'comma-separated aud values of which a token must carry one (any audience when empty: set it)',
  },
  {
    key: 'jwtRolesClaim',
    flag: 'jwt-roles-claim',
    env: 'JWT_ROLES_CLAIM',
    kind: 'string',
    default: 'roles',
    help: "the claim listing the caller's roles (viewer, operator, service, admin); a dotted path reaches nested claims, e.g. realm_access.roles",
  },
  {
    key: 'maxDepth',
    flag: 'max-depth',
    env: 'GRAPHQL_MAX_DEPTH',
    kind: 'int',
    default: LIMITS.maxDepth,
    help: 'deepest nesting of fields a GraphQL query may have',
    check: atLeastOne,
  },
  {
    key: 'maxCost',
    flag: 'max-cost',
    env: 'GRAPHQL_MAX_COST',
    kind: 'int',
    default: LIMITS.maxCost,
    help: "most rows a GraphQL query's answer may hold, estimated on this store before it runs (README: GraphQL query limits)",
    check: atLeastOne,
  },
  {
    key: 'maxAliases',
    flag: 'max-aliases',
    env: 'GRAPHQL_MAX_ALIASES',
    kind: 'int',
    default: LIMITS.maxAliases,
    help: 'most aliases in a GraphQL operation',
    check: atLeastZero,
  },
  {
    key: 'maxTokens',
    flag: 'max-tokens',
    env: 'GRAPHQL_MAX_TOKENS',
    kind: 'int',
    default: LIMITS.maxTokens,
    help: 'most tokens in a GraphQL document',
    check: atLeastOne,
  },
  {
    key: 'maxPageSize',
    flag: 'max-page-size',
    env: 'GRAPHQL_MAX_PAGE_SIZE',
    kind: 'int',
    default: LIMITS.maxPageSize,
    help: 'largest first/last a GraphQL list or connection accepts',
    check: (v: number) => (v >= 1 && v <= PAGE_SIZE_CEILING ? undefined : `must be 1-${PAGE_SIZE_CEILING}`),
  },
  {
    key: 'persistedDocuments',
    flag: 'persisted-documents',
    env: 'GRAPHQL_PERSISTED_DOCUMENTS',
    kind: 'string',
    default: LIMITS.persistedDocuments,
    help: 'JSON file of hash → GraphQL document, run by extensions.persistedQuery.sha256Hash',
    check: (v: string) => {
      try {
        if (v) loadPersistedDocuments(v);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  },
  {
    key: 'persistedOnly',
    flag: 'persisted-only',
    env: 'GRAPHQL_PERSISTED_ONLY',
    kind: 'boolean',
    default: LIMITS.persistedOnly,
    help: 'run only the persisted documents (needs --persisted-documents)',
  },
  {
    key: 'introspection',
    flag: 'introspection',
    env: 'GRAPHQL_INTROSPECTION',
    kind: 'boolean',
    default: LIMITS.introspection,
    help: 'answer GraphQL introspection (--no-introspection to turn off)',
  },
  {
    key: 'maxBodyBytes',
    flag: 'max-body-bytes',
    env: 'MAX_BODY_BYTES',
    kind: 'int',
    default: DEFAULT_BODY_LIMITS.maxBodyBytes,
    help: 'largest request body in bytes on every route but the imports, GraphQL included; a larger one is a 413, never read past the limit',
    check: atLeastOne,
  },
  {
    key: 'maxImportBodyBytes',
    flag: 'max-import-body-bytes',
    env: 'MAX_IMPORT_BODY_BYTES',
    kind: 'int',
    default: DEFAULT_BODY_LIMITS.maxImportBodyBytes,
    help: 'largest request body in bytes of POST /apis/import/v1/{format} (a whole inventory, streamed); a larger one is a 413',
    check: atLeastOne,
  },
  {
    key: 'discoveryConcurrency',
    flag: 'discovery-concurrency',
    env: 'DISCOVERY_CONCURRENCY',
    kind: 'int',
    default: 64,
    help: 'BMCs a crawl (a Collection scan of targets, SMD Discover) reads at once',
    check: (v: number) => (v >= 1 && v <= 1024 ? undefined : 'must be 1-1024'),
  },
  {
    key: 'discoveryMaxTargets',
    flag: 'discovery-max-targets',
    env: 'DISCOVERY_MAX_TARGETS',
    kind: 'int',
    default: 4096,
    help: 'most targets one crawl may name (an address range counts host by host); a larger one is refused naming the field',
    check: atLeastOne,
  },
  {
    key: 'discoveryTimeoutMs',
    flag: 'discovery-timeout-ms',
    env: 'DISCOVERY_TIMEOUT_MS',
    kind: 'int',
    default: 10_000,
    help: 'how long one Redfish request to a BMC may take, in milliseconds',
    check: atLeastOne,
  },
  {
    key: 'discoveryRetries',
    flag: 'discovery-retries',
    env: 'DISCOVERY_RETRIES',
    kind: 'int',
    default: 2,
    help: 'retries of a Redfish request that may pass (a timeout, a reset, a 5xx), with exponential backoff',
    check: atLeastZero,
  },
  {
    key: 'discoveryAuth',
    flag: 'discovery-auth',
    env: 'DISCOVERY_AUTH',
    kind: 'string',
    default: 'basic',
    help: 'how crawls authenticate to BMCs: basic, or session (a Redfish session, deleted after the read)',
    check: (v: string) => (['basic', 'session'].includes(v) ? undefined : 'must be basic or session'),
  },
  {
    key: 'discoveryTls',
    flag: 'discovery-tls',
    env: 'DISCOVERY_TLS',
    kind: 'string',
    default: 'off',
    help: 'BMC certificates: off (not verified: BMCs ship self-signed ones), ca (signed by --discovery-ca-file) or pinned (SHA-256 fingerprints in --discovery-fingerprints)',
    check: (v: string) => (['off', 'ca', 'pinned'].includes(v) ? undefined : 'must be off, ca or pinned'),
  },
  {
    key: 'discoveryCaFile',
    flag: 'discovery-ca-file',
    env: 'DISCOVERY_CA_FILE',
    kind: 'string',
    default: '',
    help: 'PEM bundle the BMC certificates must chain to, with --discovery-tls ca',
  },
  {
    key: 'discoveryFingerprints',
    flag: 'discovery-fingerprints',
    env: 'DISCOVERY_FINGERPRINTS',
    kind: 'list',
    default: [],
    help: 'SHA-256 fingerprints (AB:CD:… or hex) of the BMC certificates accepted, with --discovery-tls pinned',
  },
];

export class ConfigError extends Error {}

export interface ParsedCommandLine {
  config: Config;
  help: boolean;
  version: boolean;
  configFile?: string;
}

function convert(spec: OptionSpec, raw: unknown, origin: string): Config[keyof Config] {
  let value: unknown = raw;
  if (spec.kind === 'int') {
    value = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw).trim()) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(value)) throw new ConfigError(`${origin}: ${JSON.stringify(raw)} is not a whole number`);
  } else if (spec.kind === 'boolean') {
    if (typeof raw === 'boolean') value = raw;
    else if (/^(1|true|yes|on)$/i.test(String(raw))) value = true;
    else if (/^(0|false|no|off)$/i.test(String(raw))) value = false;
    else throw new ConfigError(`${origin}: ${JSON.stringify(raw)} is not true or false`);
  } else if (spec.kind === 'list') {
    const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
    if (!items || items.some((i) => typeof i !== 'string')) throw new ConfigError(`${origin}: must be a comma-separated list`);
    value = items.map((i: string) => i.trim()).filter(Boolean);
  } else if (typeof raw !== 'string') {
    throw new ConfigError(`${origin}: must be a string`);
  }
  const problem = spec.check?.(value as never);
  if (problem) throw new ConfigError(`${origin}: ${problem}`);
  return value as Config[keyof Config];
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text); // YAML is a superset of JSON, so both formats parse here
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${(error as Error).message}`);
  }
  if (parsed == null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`config file ${path}: must be a mapping of option names to values`);
  const known = new Set(OPTIONS.map((o) => o.key as string));
  const unknown = Object.keys(parsed).filter((k) => !known.has(k));
  if (unknown.length)
    throw new ConfigError(`config file ${path}: unknown option(s) ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  return parsed as Record<string, unknown>;
}

export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): ParsedCommandLine {
  const flagOptions: Record<string, { type: 'string' | 'boolean' }> = {
    help: { type: 'boolean' },
    version: { type: 'boolean' },
    config: { type: 'string' },
  };
  for (const spec of OPTIONS) {
    flagOptions[spec.flag] = { type: spec.kind === 'boolean' ? 'boolean' : 'string' };
    if (spec.kind === 'boolean') flagOptions[`no-${spec.flag}`] = { type: 'boolean' };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: flagOptions, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (see --help)`);
  }
  const configFile = (values.config as string | undefined) ?? env.INVENTORY_CONFIG;
  const file = configFile ? readConfigFile(configFile) : {};
  const config = {} as Record<keyof Config, Config[keyof Config]>;
  for (const spec of OPTIONS) {
    const flagValue = values[`no-${spec.flag}`] ? false : values[spec.flag];
    if (flagValue !== undefined) config[spec.key] = convert(spec, flagValue, `--${spec.flag}`);
    else if (env[spec.env] !== undefined && env[spec.env] !== '') config[spec.key] = convert(spec, env[spec.env], spec.env);
    else if (file[spec.key] !== undefined) config[spec.key] = convert(spec, file[spec.key], `${configFile}: ${spec.key}`);
    else config[spec.key] = spec.default;
  }
  if (config.secretsKeyFile && (config.secretsKeys as string[]).length)
    throw new ConfigError('give the secrets keys in a file (--secrets-key-file) or inline (SECRETS_KEYS), not both');
  if (config.persistedOnly && !config.persistedDocuments) throw new ConfigError('--persisted-only needs --persisted-documents <file.json>');
  if (!config.auth) config.auth = config.jwksUrl ? 'jwks' : 'off';
  if (config.auth === 'jwks' && !config.jwksUrl) {
    throw new ConfigError(
      "--auth jwks needs --jwks-url <url>, the identity provider's JSON Web Key Set (or --auth off to run without authentication)",
    );
  }
  if (config.discoveryTls === 'ca' && !config.discoveryCaFile)
    throw new ConfigError('--discovery-tls ca needs --discovery-ca-file <bundle.pem>');
  if (config.discoveryTls === 'pinned' && !(config.discoveryFingerprints as string[]).length)
    throw new ConfigError('--discovery-tls pinned needs --discovery-fingerprints <sha256>[,<sha256>…]');
  return { config: config as Config, help: Boolean(values.help), version: Boolean(values.version), configFile };
}

export function helpText(program = 'inventory-gateway'): string {
  const rows = OPTIONS.map((o) => {
    const flag = o.kind === 'boolean' ? `--${o.flag}` : `--${o.flag} <${o.kind === 'int' ? 'n' : o.kind === 'list' ? 'a,b' : 'value'}>`;
    return `  ${flag.padEnd(26)} ${o.help}\n  ${''.padEnd(26)} env ${o.env}, default ${JSON.stringify(o.default)}`;
  });
  return `Usage: ${program} [options]

Serves the hardware inventory as GraphQL (/graphql, with GraphiQL) plus /health, /ready and
/metrics. Pending database migrations are applied at start-up.

Options (flags override environment variables, which override the config file):
  --config <file>            YAML or JSON file with any of the option names below
                             (${OPTIONS.map((o) => o.key).join(', ')});
                             env INVENTORY_CONFIG
${rows.join('\n')}
  --help                     show this text
  --version                  print the version
`;
}
