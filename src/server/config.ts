// Configuration: command-line flags > environment > config file (YAML or JSON) > defaults.
// One table describes every option; parsing, validation and --help all come from it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from '../db/database-url.js';
import { TrustedProxies } from './client-address.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  logLevel: string;
  demo: boolean;
  graphiql: boolean;
  poolSize: number;
  trustedProxies: string[];
  nocloudBasePath: string;
  wireguardCidr: string;
  wireguardServerKey: string;
  wireguardEndpoint: string;
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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const OPTIONS: readonly OptionSpec[] = [
  { key: 'port', flag: 'port', env: 'PORT', kind: 'int', default: 8080, help: 'TCP port to listen on', check: (v: number) => (v >= 0 && v <= 65535 ? undefined : 'must be 0-65535') },
  { key: 'host', flag: 'host', env: 'HOST', kind: 'string', default: '0.0.0.0', help: 'address to listen on (127.0.0.1 for this machine only)' },
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
  { key: 'logLevel', flag: 'log-level', env: 'LOG_LEVEL', kind: 'string', default: 'info', help: `one of ${LOG_LEVELS.join(', ')}`, check: (v: string) => (LOG_LEVELS.includes(v) ? undefined : `must be one of ${LOG_LEVELS.join(', ')}`) },
  { key: 'demo', flag: 'demo', env: 'INVENTORY_DEMO', kind: 'boolean', default: false, help: 'load a small demo cluster when the database is empty' },
  { key: 'graphiql', flag: 'graphiql', env: 'GRAPHIQL', kind: 'boolean', default: true, help: 'serve GraphiQL at /graphql to browsers (--no-graphiql to turn off)' },
  { key: 'poolSize', flag: 'pool-size', env: 'DATABASE_POOL_SIZE', kind: 'int', default: 10, help: 'PostgreSQL connections per process', check: (v: number) => (v >= 1 && v <= 1000 ? undefined : 'must be 1-1000') },
  {
    key: 'trustedProxies',
    flag: 'trusted-proxies',
    env: 'TRUSTED_PROXIES',
    kind: 'list',
    default: [],
    help: 'comma-separated CIDRs of proxies whose X-Forwarded-For is believed (NoCloud node identity); none by default',
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
    check: (v: string) => (/^\/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]$/.test(v) ? undefined : 'must be a path like /cloud-init (no trailing slash)'),
  },
  { key: 'wireguardCidr', flag: 'wireguard-cidr', env: 'WIREGUARD_CIDR', kind: 'string', default: '', help: 'tunnel addresses for POST /wg-init (e.g. 10.89.0.0/16); empty turns WireGuard bootstrap off' },
  { key: 'wireguardServerKey', flag: 'wireguard-server-key', env: 'WIREGUARD_SERVER_KEY', kind: 'string', default: '', help: "the WireGuard server's public key, returned to nodes by /wg-init" },
  { key: 'wireguardEndpoint', flag: 'wireguard-endpoint', env: 'WIREGUARD_ENDPOINT', kind: 'string', default: '', help: 'the WireGuard server as nodes reach it, host:port (e.g. 10.1.0.1:51820)' },
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
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${path}: must be a mapping of option names to values`);
  const known = new Set(OPTIONS.map((o) => o.key as string));
  const unknown = Object.keys(parsed).filter((k) => !known.has(k));
  if (unknown.length) throw new ConfigError(`config file ${path}: unknown option(s) ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
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
