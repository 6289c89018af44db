// What a crawl reads: known RedfishEndpoints (by xname, by group, or all of them) and/or
// addresses and IPv4 CIDR ranges with a credential reference. Resolved and checked before the
// crawl starts, each refusal naming its field; the resolved list holds no secret.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Tx } from '../../db/client.js';
import { ValidationError } from '../../domain/errors.js';
import { hostRange, numberToIpv4, parseIpv4Cidr } from '../../domain/ipv4.js';
import { normalizeXname, parentXname } from '../../domain/xname.js';
import { bmcCredentialExists } from './credentials.js';

export interface TargetRequest {
  xnames?: unknown;
  groups?: unknown;
  all?: unknown;
  addresses?: unknown;
  /** The name of a BmcCredential: for addresses, and for endpoints stored without credentials. */
  credentials?: unknown;
}

export interface CrawlTarget {
  /** host or host:port. */
  address: string;
  /** The RedfishEndpoint it is, when it is one. */
  xname: string | null;
  credentials: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ValidationError(field, 'must be a list of strings');
  return value.map((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') throw new ValidationError(`${field}.${i}`, 'must be a non-empty string');
    return item.trim();
  });
}

/** "10.0.0.1", "10.0.0.1:8443", "bmc1.example", "[fe80::1]:443", or "10.0.0.0/24" (its hosts). */
function expandAddress(text: string, field: string, room: number): string[] {
  if (text.includes('/')) {
    let block: ReturnType<typeof parseIpv4Cidr>;
    try {
      block = parseIpv4Cidr(text);
    } catch (error) {
      throw new ValidationError(field, (error as Error).message);
    }
    const { first, last } = hostRange(block);
    const count = last - first + 1;
    if (count > room)
      throw new ValidationError(field, `${text} names ${count} addresses; a crawl reads at most ${room} targets (--discovery-max-targets)`);
    return Array.from({ length: count }, (_, i) => numberToIpv4(first + i));
  }
  const bare = text.replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/^([^:]+):\d+$/, '$1');
  const port = /:(\d+)$/.exec(text.replace(/^\[.*\]/, (m) => m.replace(/:/g, '')))?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw new ValidationError(field, `port ${port} is not 1-65535`);
  if (!isIP(bare) && !/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(bare))
    throw new ValidationError(field, `"${text}" is not an IP address, host name, host:port or IPv4 CIDR`);
  return [text];
}

const ENDPOINT_SELECT = { xname: true, fqdn: true, ipAddress: true, hostname: true, enabled: true } as const;

/** Resolves and checks a crawl's targets, at most `maxTargets` of them. */
export async function resolveTargets(tx: Tx, request: unknown, maxTargets: number, field = 'targets'): Promise<CrawlTarget[]> {
  if (!isObject(request)) throw new ValidationError(field, 'must be an object naming xnames, groups, all, or addresses');
  const xnames = stringList(request.xnames, `${field}.xnames`).map((x) => normalizeXname(x));
  const groups = stringList(request.groups, `${field}.groups`);
  const addresses = stringList(request.addresses, `${field}.addresses`);
  if (request.all !== undefined && typeof request.all !== 'boolean') throw new ValidationError(`${field}.all`, 'must be true or false');
  const all = request.all === true;
  if (request.credentials !== undefined && request.credentials !== null && typeof request.credentials !== 'string')
    throw new ValidationError(`${field}.credentials`, 'must be the name of a BMC credential');
  const credentials = typeof request.credentials === 'string' && request.credentials !== '' ? request.credentials : null;
  if (!xnames.length && !groups.length && !addresses.length && !all)
    throw new ValidationError(field, 'must name at least one target: xnames, groups, all: true, or addresses');
  if (addresses.length && !credentials)
    throw new ValidationError(
      `${field}.credentials`,
      'is required with addresses: the name of a BMC credential (PUT /apis/collection/v1/credentials/{name})',
    );
  if (credentials && !(await bmcCredentialExists(tx, credentials)))
    throw new ValidationError(
      `${field}.credentials`,
      `no BMC credential is named "${credentials}" (PUT /apis/collection/v1/credentials/{name} stores one)`,
    );

  const byAddress = new Map<string, CrawlTarget>();
  const add = (target: CrawlTarget, at: string) => {
    if (byAddress.has(target.address)) return;
    if (byAddress.size >= maxTargets)
      throw new ValidationError(
        at,
        `the crawl would read more than ${maxTargets} targets, the most one crawl may (--discovery-max-targets)`,
      );
    byAddress.set(target.address, target);
  };

  // Known endpoints first: a BMC named both ways is crawled as the endpoint it is.
  const endpoints = new Map<string, { xname: string; fqdn: string | null; ipAddress: string | null; hostname: string | null }>();
  const live = (where: object) =>
    tx.redfishEndpoint.findMany({ where: { deletedAt: null, ...where }, select: ENDPOINT_SELECT, orderBy: { xname: 'asc' } });
  if (all) for (const row of await live({})) endpoints.set(row.xname, row);
  if (xnames.length) {
    const rows = await live({ xname: { in: xnames } });
    for (const row of rows) endpoints.set(row.xname, row);
    const found = new Set(rows.map((r) => r.xname));
    const missing = xnames.findIndex((x) => !found.has(x));
    if (missing >= 0) throw new ValidationError(`${field}.xnames.${missing}`, `no RedfishEndpoint is named ${xnames[missing]}`);
  }
  for (const [i, name] of groups.entries()) {
    const group = await tx.group.findFirst({
      where: { name, deletedAt: null },
      select: { members: { where: { live: true }, select: { component: { select: { xname: true } } } } },
    });
    if (!group) throw new ValidationError(`${field}.groups.${i}`, `no group is named "${name}"`);
    // A member is a BMC itself, or a node whose BMC is the xname one level up.
    const members = group.members.map((m) => m.component?.xname).filter((x): x is string => !!x);
    const candidates = [...new Set(members.flatMap((x) => [x, parentXname(x) ?? x]))];
    for (const row of await live({ xname: { in: candidates } })) endpoints.set(row.xname, row);
  }
  for (const row of endpoints.values())
    add({ address: row.fqdn || row.ipAddress || row.hostname || row.xname, xname: row.xname, credentials }, `${field}.xnames`);

  for (const [i, text] of addresses.entries()) {
    const at = `${field}.addresses.${i}`;
    for (const address of expandAddress(text, at, maxTargets)) add({ address, xname: null, credentials }, at);
  }
  return [...byAddress.values()];
}

/** One key per set of targets: a second crawl of the same set while one runs is refused. */
export function targetsKey(targets: CrawlTarget[]): string {
  return createHash('sha256')
    .update(
      targets
        .map((t) => t.address)
        .sort()
        .join('\n'),
    )
    .digest('hex');
}
