// Redfish endpoints (BMCs, PDU controllers, management switches) and the component and
// service endpoints found behind them. An endpoint's password is write-only: every query
// here omits it, so it never reaches a result, the change log or a log line; it is stored
// sealed (AES-256-GCM, bound to the row: redfish-credentials.ts), never in plain text.
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { createManyReturning } from '../../db/bulk-insert.js';
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { optionalMac } from '../../domain/mac.js';
import { REDFISH_ENDPOINT_TYPES } from '../../domain/redfish-endpoint-types.js';
import { requireXname } from '../../domain/smd-names.js';
import { stableJson } from '../../domain/stable-json.js';
import {
  defined,
  fieldPath,
  oneOf,
  optionalBoolean,
  optionalObject,
  optionalText,
  refuseRepeats,
  requireItems,
  requireObject,
  requireSomeChange,
  requireText,
} from '../../domain/validate.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { findLiveByXname, restored, softDeleted } from '../core/lookup.js';
import { type WriteResult, write } from '../core/transaction.js';
import { sealPassword } from './redfish-credentials.js';
import { type Indexed, inRounds } from './rounds.js';

/** HMS types that may be Redfish endpoints (SMD: controllers and management switches): one list, in src/domain. */
export { REDFISH_ENDPOINT_TYPES };

export const COMPONENT_ENDPOINT_TYPES = [
  'ComponentEndpointChassis',
  'ComponentEndpointComputerSystem',
  'ComponentEndpointManager',
  'ComponentEndpointPowerDistribution',
  'ComponentEndpointOutlet',
] as const;

export interface RedfishEndpointFields {
  name?: string | null;
  hostname?: string | null;
  domain?: string | null;
  fqdn?: string | null;
  ipAddress?: string | null;
  macAddr?: string | null;
  enabled?: boolean;
  uuid?: string | null;
  username?: string | null;
  /** Write-only. */
  password?: string | null;
  useSsdp?: boolean;
  macRequired?: boolean;
  rediscoverOnUpdate?: boolean;
  templateId?: string | null;
  discoveryInfo?: Record<string, unknown> | null;
}

export interface RedfishEndpointInput extends RedfishEndpointFields {
  /** The endpoint's xname; SMD falls back to the hostname when it is missing. */
  xname?: string | null;
}

export interface ComponentEndpointInput {
  xname: string;
  redfishEndpointXname: string;
  redfishType: string;
  odataId: string;
  componentEndpointType: string;
  redfishSubtype?: string | null;
  domain?: string | null;
  fqdn?: string | null;
  macAddr?: string | null;
  uuid?: string | null;
  redfishUrl?: string | null;
  enabled?: boolean;
  info?: Record<string, unknown> | null;
}

export interface ServiceEndpointInput {
  redfishEndpointXname: string;
  redfishType: string;
  odataId: string;
  redfishSubtype?: string | null;
  uuid?: string | null;
  redfishUrl?: string | null;
  serviceInfo?: Record<string, unknown> | null;
}

export const WITHOUT_PASSWORD = { password: true } as const;
const MAX_PASSWORD_LENGTH = 1024;

export type EndpointRow = Prisma.RedfishEndpointGetPayload<{ omit: typeof WITHOUT_PASSWORD }>;

interface Address {
  /** As given (SMD keeps it empty when only ID or FQDN named the endpoint). */
  hostname: string | null;
  domain: string | null;
  fqdn: string;
  ipAddress: string | null;
}

const trimDots = (text: string) => text.replace(/^[./ ]+|[./ ]+$/g, '');

const EUI64 = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){6}$/i;

/**
 * An endpoint's MACAddr: it must be a MAC (any common spelling, or an 8-octet EUI-64 as
 * SMD's contract tests post) and reads back as posted, case and separators included, as SMD
 * keeps it; null or "" clears it.
 */
function keptMac(value: unknown, field: string): string | null | undefined {
  if (typeof value === 'string' && EUI64.test(value.trim())) return value.trim();
  const checked = optionalMac(value, field);
  return typeof checked === 'string' ? (value as string).trim() : checked;
}

/** The address in canonical form when `text` is an IP address (brackets allowed around IPv6). */
function ipOf(text: string): string | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) ? bare.toLowerCase() : undefined;
}

/**
 * SMD's address rules (rf.NewRedfishEPDescription): Hostname is a base name or an IP; a missing
 * Hostname or Domain is taken from the FQDN; with neither, the FQDN is the xname and Hostname
 * stays empty, as SMD reads it back; the FQDN must equal Hostname.Domain, and an IP hostname
 * must agree with IPAddress.
 */
function resolveAddress(
  xname: string,
  input: Pick<RedfishEndpointFields, 'hostname' | 'domain' | 'fqdn' | 'ipAddress'>,
  path?: string,
): Address {
  const at = (name: string) => fieldPath(path, name);
  let hostname = trimDots(optionalText(input.hostname, at('hostname')) ?? '');
  let domain = trimDots(optionalText(input.domain, at('domain')) ?? '');
  const givenFqdn = optionalText(input.fqdn, at('fqdn')) ?? '';
  let hostIsIp = false;
  if (hostname) {
    const ip = ipOf(hostname);
    if (ip) [hostname, hostIsIp] = [ip, true];
    else if (hostname.includes('.'))
      throw new ValidationError(at('hostname'), `${JSON.stringify(hostname)} is not a base name or IP address`);
  }
  if (givenFqdn) {
    const fqdnIp = ipOf(givenFqdn);
    if (fqdnIp && !hostname) [hostname, hostIsIp] = [fqdnIp, true];
    const [head, ...rest] = givenFqdn.split('.');
    const fqdnHost = trimDots(head);
    // null is "no Hostname" said outright (an SMD dump's ""): kept empty, not taken from the FQDN.
    if (!hostname && input.hostname !== null) hostname = fqdnHost;
    if (!domain && (hostname || xname) === fqdnHost) domain = trimDots(rest.join('.'));
  }
  const host = hostname || xname;
  const fqdn = domain && !hostIsIp ? `${host}.${domain}` : host;
  const expected = givenFqdn ? (ipOf(givenFqdn) ?? givenFqdn) : fqdn;
  if (fqdn !== expected) throw new ValidationError(at('fqdn'), `host/domain conflicts with FQDN: '${fqdn}' != '${expected}'`);

  const givenIp = optionalText(input.ipAddress, at('ipAddress'));
  let ipAddress = hostIsIp ? hostname : null;
  if (givenIp) {
    const ip = ipOf(givenIp);
    if (!ip) throw new ValidationError(at('ipAddress'), `IPAddress is not a valid IP address: '${givenIp}'`);
    if (hostIsIp && ip !== hostname)
      throw new ValidationError(at('ipAddress'), `hostname IP address conflicts with given IP address: '${hostname}' != '${ip}'`);
    ipAddress = ip;
  }
  return { hostname: hostname || null, domain: domain || null, fqdn, ipAddress };
}

/** The endpoint's xname and type; a non-controller type is refused as SMD does. */
function endpointXname(raw: unknown, field: string): { xname: string; type: string } {
  const parsed = requireXname(typeof raw === 'string' ? trimDots(raw) : raw, field);
  if (!(REDFISH_ENDPOINT_TYPES as readonly string[]).includes(parsed.type)) {
    throw new ValidationError(field, `xname ID ${parsed.xname} has wrong type for RF endpoint: ${parsed.type}`);
  }
  return parsed;
}

/** Kept exactly as given (spaces may matter); "" or null clears it. */
function checkPassword(value: unknown, field: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > MAX_PASSWORD_LENGTH)
    throw new ValidationError(field, `must be a string of at most ${MAX_PASSWORD_LENGTH} characters`);
  return value;
}

function checkEndpointFields(input: RedfishEndpointFields, path?: string) {
  const at = (name: string) => fieldPath(path, name);
  return defined({
    name: optionalText(input.name, at('name')),
    macAddr: keptMac(input.macAddr, at('macAddr')),
    enabled: optionalBoolean(input.enabled, at('enabled')),
    uuid: optionalText(input.uuid, at('uuid'), 64),
    username: optionalText(input.username, at('username')),
    password: checkPassword(input.password, at('password')),
    useSsdp: optionalBoolean(input.useSsdp, at('useSsdp')),
    macRequired: optionalBoolean(input.macRequired, at('macRequired')),
    rediscoverOnUpdate: optionalBoolean(input.rediscoverOnUpdate, at('rediscoverOnUpdate')),
    templateId: optionalText(input.templateId, at('templateId')),
    discoveryInfo: (input.discoveryInfo === null ? {} : optionalObject(input.discoveryInfo, at('discoveryInfo'))) as
      | Prisma.InputJsonObject
      | undefined,
  });
}

export function checkNewEndpoint(input: RedfishEndpointInput, path?: string) {
  requireObject(input, path ?? 'input');
  const hostname = typeof input.hostname === 'string' ? trimDots(input.hostname) : '';
  const { xname, type } = endpointXname(input.xname || hostname || undefined, fieldPath(path, 'xname'));
  return {
    path,
    xname,
    data: {
      discoveryInfo: { LastDiscoveryStatus: 'NotYetQueried' },
      ...checkEndpointFields(input, path),
      ...resolveAddress(xname, input, path),
      xname,
      type,
    },
  };
}

export type NewEndpoint = ReturnType<typeof checkNewEndpoint>;

/** SMD refuses a second live endpoint with the same xname or the same FQDN. */
export async function refuseTakenEndpoints(tx: Tx, items: Array<{ path?: string; xname: string; fqdn: string; id?: string }>) {
  const taken = await tx.redfishEndpoint.findMany({
    where: { deletedAt: null, OR: [{ xname: { in: items.map((i) => i.xname) } }, { fqdn: { in: items.map((i) => i.fqdn) } }] },
    select: { id: true, xname: true, fqdn: true },
  });
  for (const item of items) {
    const clash = taken.find((t) => t.id !== item.id && (t.xname === item.xname || t.fqdn === item.fqdn));
    if (!clash) continue;
    if (clash.xname === item.xname)
      throw new ConflictError(fieldPath(item.path, 'xname'), `a live Redfish endpoint ${item.xname} already exists`);
    throw new ConflictError(fieldPath(item.path, 'fqdn'), `Redfish endpoint ${clash.xname} already has FQDN ${item.fqdn}`);
  }
}

/** Inserts checked endpoints in the caller's transaction, refusing taken xnames and FQDNs. */
export async function insertEndpointsIn(tx: Tx, items: NewEndpoint[]): Promise<WriteResult<EndpointRow[]>> {
  for (const field of ['xname', 'fqdn'] as const)
    refuseRepeats(
      items,
      (item) => item.data[field],
      (item) => fieldPath(item.path, field),
    );
  await refuseTakenEndpoints(
    tx,
    items.map((item) => ({ path: item.path, xname: item.xname, fqdn: item.data.fqdn })),
  );
  const rows = await createManyReturning<EndpointRow>(
    tx,
    'RedfishEndpoint',
    items.map((item) => sealedRow(tx, item)),
    WITHOUT_PASSWORD,
  );
  const byXname = new Map(rows.map((row) => [row.xname, row]));
  const ordered = items.map((item) => byXname.get(item.xname) as EndpointRow);
  return {
    result: ordered,
    changes: ordered.map((row): Change => ({ entityType: 'RedfishEndpoint', entityId: row.id, action: 'created', after: row })),
  };
}

/** A new endpoint's row: its id chosen here, so that its password can be sealed to it. */
function sealedRow(tx: Tx, { data, path }: NewEndpoint) {
  const { password, ...fields } = data;
  const id = randomUUID();
  return { ...fields, id, ...(password ? { password: sealPassword(tx, id, password, fieldPath(path, 'password')) } : {}) };
}

function insertEndpoints(ctx: ServiceContext, items: NewEndpoint[]): Promise<EndpointRow[]> {
  for (const field of ['xname', 'fqdn'] as const)
    refuseRepeats(
      items,
      (item) => item.data[field],
      (item) => fieldPath(item.path, field),
    );
  return write(ctx, (tx) => insertEndpointsIn(tx, items));
}

export async function createRedfishEndpoint(ctx: ServiceContext, input: RedfishEndpointInput): Promise<EndpointRow> {
  const [row] = await insertEndpoints(ctx, [checkNewEndpoint(input)]);
  return row;
}

/** Creates every endpoint or none (SMD POST {"RedfishEndpoints":[...]}). */
export async function createRedfishEndpoints(
  ctx: ServiceContext,
  inputs: RedfishEndpointInput[],
  listField = 'redfishEndpoints',
): Promise<EndpointRow[]> {
  return insertEndpoints(
    ctx,
    requireItems(inputs, listField).map((input, i) => checkNewEndpoint(input, `${listField}.${i}`)),
  );
}

/** createRedfishEndpoint in the caller's transaction. */
export async function createRedfishEndpointIn(tx: Tx, input: RedfishEndpointInput): Promise<WriteResult<EndpointRow>> {
  const { result, changes } = await insertEndpointsIn(tx, [checkNewEndpoint(input)]);
  return { result: result[0], changes };
}

/**
 * Creates endpoints in the caller's transaction (every one or none). Errors name the item
 * (`redfishEndpoints.3.fqdn`) when `listField` is given.
 */
export async function createRedfishEndpointsIn(
  tx: Tx,
  inputs: RedfishEndpointInput[],
  listField?: string,
): Promise<WriteResult<EndpointRow[]>> {
  const items =
    listField === undefined
      ? inputs.map((input) => checkNewEndpoint(input))
      : requireItems(inputs, listField).map((input, i) => checkNewEndpoint(input, `${listField}.${i}`));
  return insertEndpointsIn(tx, items);
}

/**
 * SMD PUT: replaces every field of the live endpoint with this xname (omitted ones take their
 * defaults) or creates it. The discovery status is kept. A password that is omitted or ""
 * keeps the stored one, as SMD does when credentials live in Vault.
 */
export async function replaceRedfishEndpointIn(
  tx: Tx,
  input: RedfishEndpointInput,
): Promise<WriteResult<{ row: EndpointRow; created: boolean }>> {
  const checked = checkNewEndpoint(input);
  const before = await tx.redfishEndpoint.findFirst({ where: { xname: checked.xname, deletedAt: null }, omit: WITHOUT_PASSWORD });
  if (!before) {
    const { result, changes } = await insertEndpointsIn(tx, [checked]);
    return { result: { row: result[0], created: true }, changes };
  }
  await refuseTakenEndpoints(tx, [{ xname: checked.xname, fqdn: checked.data.fqdn, id: before.id }]);
  const { discoveryInfo: _kept, ...given } = replacementOf(checked);
  const password = checked.data.password;
  const after = await tx.redfishEndpoint.update({
    where: { id: before.id },
    data: { ...given, ...(password ? { password: sealPassword(tx, before.id, password, 'password') } : {}), revision: { increment: 1 } },
    omit: WITHOUT_PASSWORD,
  });
  return {
    result: { row: after, created: false },
    changes: [{ entityType: 'RedfishEndpoint', entityId: after.id, action: 'updated', before, after }],
  };
}

/** What replacing an endpoint writes: every checked field, defaults for those left out; never the password. */
export function replacementOf(checked: NewEndpoint) {
  const { password: _secret, ...given } = checked.data;
  return {
    name: null,
    uuid: null,
    username: null,
    macAddr: null,
    templateId: null,
    enabled: true,
    useSsdp: false,
    macRequired: false,
    rediscoverOnUpdate: false,
    ...given,
  };
}

/** Whether the row already holds every one of `fields` (JSON columns compared by content). */
export function holds(row: object, fields: object): boolean {
  return Object.entries(fields).every(([field, value]) => stableJson((row as Record<string, unknown>)[field]) === stableJson(value));
}

async function findLiveEndpoint(tx: Tx, xname: string, field = 'xname'): Promise<EndpointRow> {
  const row = await tx.redfishEndpoint.findFirst({ where: { xname, deletedAt: null }, omit: WITHOUT_PASSWORD });
  if (!row) throw new NotFoundError('RedfishEndpoint', xname, field);
  return row;
}

const ADDRESS_FIELDS = ['hostname', 'domain', 'fqdn', 'ipAddress'] as const;

/**
 * Changes the fields given. When an address field is given the address is worked out again
 * as SMD's PATCH does: the fields given over the stored Hostname, Domain, FQDN and IPAddress,
 * checked together (a Hostname that no longer matches the stored FQDN is refused; SMD
 * answers that with a 500, here it is a 400 naming the FQDN).
 */
export async function updateRedfishEndpoint(ctx: ServiceContext, xname: string, input: RedfishEndpointFields): Promise<EndpointRow> {
  const key = endpointXname(xname, 'xname').xname;
  const fields = checkEndpointFields(input);
  const readdressed = ADDRESS_FIELDS.some((f) => input[f] !== undefined);
  if (!readdressed) requireSomeChange(fields);
  return write(ctx, (tx) => changeEndpoint(tx, key, input, fields, readdressed));
}

async function changeEndpoint(
  tx: Tx,
  key: string,
  input: RedfishEndpointFields,
  fields: ReturnType<typeof checkEndpointFields>,
  readdressed: boolean,
): Promise<WriteResult<EndpointRow>> {
  const before = await findLiveEndpoint(tx, key);
  let address: Partial<Address> = {};
  if (readdressed) {
    // A stored empty field is one not given (SMD's PATCH fills it from the others again).
    const stored = <K extends (typeof ADDRESS_FIELDS)[number]>(field: K) =>
      input[field] !== undefined ? input[field] : (before[field] ?? undefined);
    address = resolveAddress(key, {
      hostname: stored('hostname'),
      domain: stored('domain'),
      fqdn: stored('fqdn'),
      ipAddress: stored('ipAddress'),
    });
    await refuseTakenEndpoints(tx, [{ xname: key, fqdn: address.fqdn as string, id: before.id }]);
  }
  const password = fields.password && sealPassword(tx, before.id, fields.password, 'password');
  const after = await tx.redfishEndpoint.update({
    where: { id: before.id },
    data: { ...fields, ...(password ? { password } : {}), ...address, revision: { increment: 1 } },
    omit: WITHOUT_PASSWORD,
  });
  return { result: after, changes: [{ entityType: 'RedfishEndpoint', entityId: after.id, action: 'updated', before, after }] };
}

/**
 * Soft delete, with the component and service endpoints behind it (same deletedAt, so a
 * restore finds them). As in SMD, the components it served go to state Empty.
 */
export async function deleteRedfishEndpoint(ctx: ServiceContext, xname: string): Promise<EndpointRow> {
  const key = endpointXname(xname, 'xname').xname;
  return write(ctx, (tx) => deleteRedfishEndpointIn(tx, key));
}

/** deleteRedfishEndpoint in the caller's transaction. */
export async function deleteRedfishEndpointIn(tx: Tx, xname: string): Promise<WriteResult<EndpointRow>> {
  const key = endpointXname(xname, 'xname').xname;
  const before = await findLiveEndpoint(tx, key);
  const gone = softDeleted();
  const componentEndpoints = await tx.componentEndpoint.findMany({ where: { redfishEndpointId: before.id, deletedAt: null } });
  const serviceEndpoints = await tx.serviceEndpoint.findMany({ where: { redfishEndpointId: before.id, deletedAt: null } });
  await tx.componentEndpoint.updateMany({ where: { id: { in: componentEndpoints.map((c) => c.id) } }, data: gone });
  await tx.serviceEndpoint.updateMany({ where: { id: { in: serviceEndpoints.map((s) => s.id) } }, data: gone });
  const emptied = await emptyComponents(
    tx,
    componentEndpoints.map((c) => c.xname),
  );
  const after = await tx.redfishEndpoint.update({
    where: { id: before.id },
    data: { ...gone, revision: { increment: 1 } },
    omit: WITHOUT_PASSWORD,
  });
  const changes: Change[] = [
    ...componentEndpoints.map(
      (c): Change => ({ entityType: 'ComponentEndpoint', entityId: c.id, action: 'deleted', before: c, after: { ...c, ...gone } }),
    ),
    ...serviceEndpoints.map(
      (s): Change => ({ entityType: 'ServiceEndpoint', entityId: s.id, action: 'deleted', before: s, after: { ...s, ...gone } }),
    ),
    ...emptied,
    { entityType: 'RedfishEndpoint', entityId: after.id, action: 'deleted', before, after },
  ];
  return { result: after, changes };
}

async function emptyComponents(tx: Tx, xnames: string[]): Promise<Change[]> {
  if (xnames.length === 0) return [];
  const where = { deletedAt: null, xname: { in: xnames }, state: { not: 'Empty' } };
  const befores = await tx.component.findMany({ where });
  if (befores.length === 0) return [];
  await tx.component.updateMany({ where: { id: { in: befores.map((c) => c.id) } }, data: { state: 'Empty', revision: { increment: 1 } } });
  return befores.map((before) => ({
    entityType: 'Component',
    entityId: before.id,
    action: 'updated',
    before,
    after: { ...before, state: 'Empty', revision: before.revision + 1 },
  }));
}

/** Brings a deleted endpoint back with the component and service endpoints deleted with it. */
export async function restoreRedfishEndpoint(ctx: ServiceContext, id: string): Promise<EndpointRow> {
  return write(ctx, async (tx) => {
    const before = await tx.redfishEndpoint.findUnique({ where: { id }, omit: WITHOUT_PASSWORD });
    if (!before) throw new NotFoundError('RedfishEndpoint', id);
    if (!before.deletedAt) return { result: before, changes: [] };
    await refuseTakenEndpoints(tx, [{ xname: before.xname, fqdn: before.fqdn ?? before.xname, id }]);
    const together = { redfishEndpointId: id, deletedAt: before.deletedAt };
    const componentEndpoints = await tx.componentEndpoint.findMany({ where: together, select: { xname: true } });
    const retaken = await tx.componentEndpoint.findFirst({
      where: { deletedAt: null, xname: { in: componentEndpoints.map((c) => c.xname) } },
    });
    if (retaken)
      throw new ConflictError(
        'componentEndpoints',
        `component endpoint ${retaken.xname} was created again since the delete: delete it first`,
      );
    await tx.componentEndpoint.updateMany({ where: together, data: restored() });
    await tx.serviceEndpoint.updateMany({ where: together, data: restored() });
    const after = await tx.redfishEndpoint.update({
      where: { id },
      data: { ...restored(), revision: { increment: 1 } },
      omit: WITHOUT_PASSWORD,
    });
    return { result: after, changes: [{ entityType: 'RedfishEndpoint', entityId: id, action: 'restored', before, after }] };
  });
}

function checkComponentEndpoint(input: ComponentEndpointInput, path?: string) {
  const at = (name: string) => fieldPath(path, name);
  requireObject(input, path ?? 'input');
  const { xname, type } = requireXname(input.xname, at('xname'));
  return {
    path,
    endpointXname: endpointXname(input.redfishEndpointXname, at('redfishEndpointXname')).xname,
    data: {
      xname,
      type,
      redfishType: requireText(input.redfishType, at('redfishType'), 64),
      odataId: requireText(input.odataId, at('odataId'), 1024),
      componentEndpointType: oneOf(input.componentEndpointType, COMPONENT_ENDPOINT_TYPES, at('componentEndpointType')),
      redfishSubtype: optionalText(input.redfishSubtype, at('redfishSubtype'), 64) ?? null,
      domain: optionalText(input.domain, at('domain')) ?? null,
      fqdn: optionalText(input.fqdn, at('fqdn')) ?? null,
      macAddr: optionalMac(input.macAddr, at('macAddr')) ?? null,
      uuid: optionalText(input.uuid, at('uuid'), 64) ?? null,
      redfishUrl: optionalText(input.redfishUrl, at('redfishUrl'), 2048) ?? null,
      enabled: optionalBoolean(input.enabled, at('enabled')) ?? true,
      info: (optionalObject(input.info ?? {}, at('info')) ?? {}) as Prisma.InputJsonObject,
    },
  };
}

/**
 * Writes a component endpoint: `create` refuses a live one with the same xname, `replace`
 * overwrites every field of it (omitted ones take their defaults) or creates it.
 */
function putComponentEndpoint(ctx: ServiceContext, input: ComponentEndpointInput, mode: 'create' | 'replace') {
  const checked = checkComponentEndpoint(input);
  return write(ctx, (tx) => putComponentEndpointIn(tx, checked, mode));
}

/** `sync` is `replace` that writes nothing when the live one already has every field. */
type PutMode = 'create' | 'replace' | 'sync';

/** The live Redfish endpoints the items name, by xname; one missing is NOT_FOUND naming its item. */
async function liveParents(tx: Tx, items: Array<{ path?: string; endpointXname: string }>): Promise<Map<string, EndpointRow>> {
  const rows = await tx.redfishEndpoint.findMany({
    where: { deletedAt: null, xname: { in: [...new Set(items.map((item) => item.endpointXname))] } },
    omit: WITHOUT_PASSWORD,
  });
  const byXname = new Map(rows.map((row) => [row.xname, row]));
  const missing = items.find((item) => !byXname.has(item.endpointXname));
  if (missing) throw new NotFoundError('RedfishEndpoint', missing.endpointXname, fieldPath(missing.path, 'redfishEndpointXname'));
  return byXname;
}

type RecordModel = 'ComponentEndpoint' | 'ServiceEndpoint';

/**
 * Writes one round of puts (at most one per row): a live row is replaced by its fields (one
 * UPDATE each; `sync` leaves one that already has them), the others are inserted together.
 */
async function writePuts<R extends { id: string }>(
  tx: Tx,
  model: RecordModel,
  puts: Array<{ index: number; before: R | undefined; fields: Record<string, unknown> }>,
  mode: PutMode,
  results: Array<WriteResult<R>>,
): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: both endpoint kinds; Prisma's delegates share no callable type
  const delegate = (model === 'ComponentEndpoint' ? tx.componentEndpoint : tx.serviceEndpoint) as any;
  const fresh = puts.filter((put) => !put.before).map((put) => ({ ...put, row: { id: randomUUID(), ...put.fields } }));
  for (const { index, before, fields } of puts) {
    if (!before) continue;
    if (mode === 'sync' && holds(before, fields)) {
      results[index] = { result: before, changes: [] };
      continue;
    }
    const after = (await delegate.update({ where: { id: before.id }, data: { ...fields, revision: { increment: 1 } } })) as R;
    results[index] = { result: after, changes: [{ entityType: model, entityId: after.id, action: 'updated', before, after }] };
  }
  const created = new Map(
    (
      await createManyReturning<R>(
        tx,
        model,
        fresh.map(({ row }) => row),
      )
    ).map((row) => [row.id, row]),
  );
  for (const { index, row } of fresh) {
    const after = created.get(row.id) as R;
    results[index] = { result: after, changes: [{ entityType: model, entityId: after.id, action: 'created', after }] };
  }
}

type CheckedComponentEndpoint = ReturnType<typeof checkComponentEndpoint>;
type ComponentEndpointRow = Prisma.ComponentEndpointGetPayload<object>;

/**
 * Puts component endpoints, each as if after the ones before it: the live rows of a whole list
 * read in one query, the new ones inserted together. `create` refuses a live one with the same
 * xname, `replace` overwrites every field of it (omitted ones take their defaults) or creates it.
 */
async function putComponentEndpointsIn(
  tx: Tx,
  items: CheckedComponentEndpoint[],
  mode: PutMode,
): Promise<Array<WriteResult<ComponentEndpointRow>>> {
  const results: Array<WriteResult<ComponentEndpointRow>> = new Array(items.length);
  await inRounds(
    items.map((item, index): Indexed<CheckedComponentEndpoint> => ({ index, item })),
    async (pending) => {
      const parents = await liveParents(
        tx,
        pending.map(({ item }) => item),
      );
      const live = await tx.componentEndpoint.findMany({
        where: { deletedAt: null, xname: { in: pending.map(({ item }) => item.data.xname) } },
      });
      return { parents, live: new Map(live.map((row) => [row.xname, row])) };
    },
    ({ item }) => [item.data.xname],
    async (round, { parents, live }) => {
      const puts = round.map(({ index, item }) => {
        const before = live.get(item.data.xname);
        if (before && mode === 'create')
          throw new ConflictError(fieldPath(item.path, 'xname'), `a live component endpoint ${item.data.xname} already exists`);
        return { index, before, fields: { ...item.data, redfishEndpointId: (parents.get(item.endpointXname) as EndpointRow).id } };
      });
      await writePuts(tx, 'ComponentEndpoint', puts, mode, results);
    },
  );
  return results;
}

async function putComponentEndpointIn(tx: Tx, checked: CheckedComponentEndpoint, mode: PutMode) {
  const [put] = await putComponentEndpointsIn(tx, [checked], mode);
  return put;
}

export const createComponentEndpoint = async (ctx: ServiceContext, input: ComponentEndpointInput) =>
  putComponentEndpoint(ctx, input, 'create');
export const replaceComponentEndpoint = async (ctx: ServiceContext, input: ComponentEndpointInput) =>
  putComponentEndpoint(ctx, input, 'replace');

/** createComponentEndpoint / replaceComponentEndpoint in the caller's transaction. */
export const createComponentEndpointIn = async (tx: Tx, input: ComponentEndpointInput) =>
  putComponentEndpointIn(tx, checkComponentEndpoint(input), 'create');
export const replaceComponentEndpointIn = async (tx: Tx, input: ComponentEndpointInput) =>
  putComponentEndpointIn(tx, checkComponentEndpoint(input), 'replace');
/** replaceComponentEndpointIn that writes nothing when the live one already has every field (imports). */
export const syncComponentEndpointIn = async (tx: Tx, input: ComponentEndpointInput) =>
  putComponentEndpointIn(tx, checkComponentEndpoint(input), 'sync');
/**
 * syncComponentEndpointIn for a list, in a few statements; each input's row and changes in
 * order, as if synced one after the other. Errors name the input (`<listField>.3.odataId`).
 */
export const syncComponentEndpointsIn = async (tx: Tx, inputs: ComponentEndpointInput[], listField?: string) =>
  putComponentEndpointsIn(
    tx,
    inputs.map((input, i) => checkComponentEndpoint(input, listField === undefined ? undefined : `${listField}.${i}`)),
    'sync',
  );

export async function deleteComponentEndpoint(ctx: ServiceContext, xname: string) {
  const key = requireXname(xname, 'xname').xname;
  return write(ctx, (tx) => deleteComponentEndpointIn(tx, key));
}

/** deleteComponentEndpoint in the caller's transaction. */
export async function deleteComponentEndpointIn(tx: Tx, xname: string) {
  const key = requireXname(xname, 'xname').xname;
  const before = await findLiveByXname(tx, 'componentEndpoint', key);
  const after = await tx.componentEndpoint.update({ where: { id: before.id }, data: { ...softDeleted(), revision: { increment: 1 } } });
  const changes: Change[] = [{ entityType: 'ComponentEndpoint', entityId: after.id, action: 'deleted', before, after }];
  return { result: after, changes };
}

function checkServiceEndpoint(input: ServiceEndpointInput, path?: string) {
  const at = (name: string) => fieldPath(path, name);
  requireObject(input, path ?? 'input');
  return {
    path,
    endpointXname: endpointXname(input.redfishEndpointXname, at('redfishEndpointXname')).xname,
    data: {
      redfishType: requireText(input.redfishType, at('redfishType'), 64),
      odataId: requireText(input.odataId, at('odataId'), 1024),
      redfishSubtype: optionalText(input.redfishSubtype, at('redfishSubtype'), 64) ?? null,
      uuid: optionalText(input.uuid, at('uuid'), 64) ?? null,
      redfishUrl: optionalText(input.redfishUrl, at('redfishUrl'), 2048) ?? null,
      serviceInfo: (optionalObject(input.serviceInfo ?? {}, at('serviceInfo')) ?? {}) as Prisma.InputJsonObject,
    },
  };
}

/** Like putComponentEndpoint, keyed by (Redfish endpoint, Redfish service type). */
function putServiceEndpoint(ctx: ServiceContext, input: ServiceEndpointInput, mode: 'create' | 'replace') {
  const checked = checkServiceEndpoint(input);
  return write(ctx, (tx) => putServiceEndpointIn(tx, checked, mode));
}

type CheckedServiceEndpoint = ReturnType<typeof checkServiceEndpoint>;
type ServiceEndpointRow = Prisma.ServiceEndpointGetPayload<object>;

/** Like putComponentEndpointsIn, each keyed by (Redfish endpoint, Redfish service type). */
async function putServiceEndpointsIn(
  tx: Tx,
  items: CheckedServiceEndpoint[],
  mode: PutMode,
): Promise<Array<WriteResult<ServiceEndpointRow>>> {
  const results: Array<WriteResult<ServiceEndpointRow>> = new Array(items.length);
  const keyOf = (endpointXname: string, redfishType: string) => `${endpointXname}\u0000${redfishType}`;
  await inRounds(
    items.map((item, index): Indexed<CheckedServiceEndpoint> => ({ index, item })),
    async (pending) => {
      const parents = await liveParents(
        tx,
        pending.map(({ item }) => item),
      );
      const xnameOf = new Map([...parents.values()].map((p) => [p.id, p.xname]));
      const live = await tx.serviceEndpoint.findMany({
        where: {
          deletedAt: null,
          redfishEndpointId: { in: [...xnameOf.keys()] },
          redfishType: { in: [...new Set(pending.map(({ item }) => item.data.redfishType))] },
        },
      });
      return { parents, live: new Map(live.map((row) => [keyOf(xnameOf.get(row.redfishEndpointId) as string, row.redfishType), row])) };
    },
    ({ item }) => [keyOf(item.endpointXname, item.data.redfishType)],
    async (round, { parents, live }) => {
      const puts = round.map(({ index, item }) => {
        const before = live.get(keyOf(item.endpointXname, item.data.redfishType));
        if (before && mode === 'create')
          throw new ConflictError(
            fieldPath(item.path, 'redfishType'),
            `Redfish endpoint ${item.endpointXname} already has a live ${item.data.redfishType} service endpoint`,
          );
        return { index, before, fields: { ...item.data, redfishEndpointId: (parents.get(item.endpointXname) as EndpointRow).id } };
      });
      await writePuts(tx, 'ServiceEndpoint', puts, mode, results);
    },
  );
  return results;
}

async function putServiceEndpointIn(tx: Tx, checked: CheckedServiceEndpoint, mode: PutMode) {
  const [put] = await putServiceEndpointsIn(tx, [checked], mode);
  return put;
}

export const createServiceEndpoint = async (ctx: ServiceContext, input: ServiceEndpointInput) => putServiceEndpoint(ctx, input, 'create');
export const replaceServiceEndpoint = async (ctx: ServiceContext, input: ServiceEndpointInput) => putServiceEndpoint(ctx, input, 'replace');

/** createServiceEndpoint / replaceServiceEndpoint in the caller's transaction. */
export const createServiceEndpointIn = async (tx: Tx, input: ServiceEndpointInput) =>
  putServiceEndpointIn(tx, checkServiceEndpoint(input), 'create');
export const replaceServiceEndpointIn = async (tx: Tx, input: ServiceEndpointInput) =>
  putServiceEndpointIn(tx, checkServiceEndpoint(input), 'replace');
/** replaceServiceEndpointIn that writes nothing when the live one already has every field (imports). */
export const syncServiceEndpointIn = async (tx: Tx, input: ServiceEndpointInput) =>
  putServiceEndpointIn(tx, checkServiceEndpoint(input), 'sync');
/** syncServiceEndpointIn for a list, in a few statements (see syncComponentEndpointsIn). */
export const syncServiceEndpointsIn = async (tx: Tx, inputs: ServiceEndpointInput[], listField?: string) =>
  putServiceEndpointsIn(
    tx,
    inputs.map((input, i) => checkServiceEndpoint(input, listField === undefined ? undefined : `${listField}.${i}`)),
    'sync',
  );

export async function deleteServiceEndpoint(ctx: ServiceContext, redfishEndpointXname: string, redfishType: string) {
  const parent = endpointXname(redfishEndpointXname, 'redfishEndpointXname').xname;
  const type = requireText(redfishType, 'redfishType', 64);
  return write(ctx, (tx) => deleteServiceEndpointIn(tx, parent, type));
}

/** deleteServiceEndpoint in the caller's transaction. */
export async function deleteServiceEndpointIn(tx: Tx, redfishEndpointXname: string, redfishType: string) {
  const parent = endpointXname(redfishEndpointXname, 'redfishEndpointXname').xname;
  const type = requireText(redfishType, 'redfishType', 64);
  const endpoint = await findLiveEndpoint(tx, parent, 'redfishEndpointXname');
  const before = await tx.serviceEndpoint.findFirst({ where: { redfishEndpointId: endpoint.id, redfishType: type, deletedAt: null } });
  if (!before) throw new NotFoundError('ServiceEndpoint', `${parent}/${type}`, 'redfishType');
  const after = await tx.serviceEndpoint.update({ where: { id: before.id }, data: { ...softDeleted(), revision: { increment: 1 } } });
  const changes: Change[] = [{ entityType: 'ServiceEndpoint', entityId: after.id, action: 'deleted', before, after }];
  return { result: after, changes };
}

// --- SMD collection deletes (DELETE /Inventory/{RedfishEndpoints,ComponentEndpoints,ServiceEndpoints}) ---

/**
 * Soft-deletes every live Redfish endpoint with its component and service endpoints, in one
 * transaction; the components they served go to state Empty. Answers how many endpoints.
 */
export async function deleteAllRedfishEndpoints(ctx: ServiceContext): Promise<number> {
  return write(ctx, async (tx) => {
    const befores = await tx.redfishEndpoint.findMany({ where: { deletedAt: null }, omit: WITHOUT_PASSWORD });
    if (befores.length === 0) return { result: 0, changes: [] };
    const gone = softDeleted();
    const componentEndpoints = await tx.componentEndpoint.findMany({ where: { deletedAt: null } });
    const serviceEndpoints = await tx.serviceEndpoint.findMany({ where: { deletedAt: null } });
    await tx.componentEndpoint.updateMany({ where: { deletedAt: null }, data: gone });
    await tx.serviceEndpoint.updateMany({ where: { deletedAt: null }, data: gone });
    const emptied = await emptyComponents(
      tx,
      componentEndpoints.map((c) => c.xname),
    );
    await tx.redfishEndpoint.updateMany({ where: { deletedAt: null }, data: { ...gone, revision: { increment: 1 } } });
    const changes: Change[] = [
      ...componentEndpoints.map(
        (c): Change => ({ entityType: 'ComponentEndpoint', entityId: c.id, action: 'deleted', before: c, after: { ...c, ...gone } }),
      ),
      ...serviceEndpoints.map(
        (s): Change => ({ entityType: 'ServiceEndpoint', entityId: s.id, action: 'deleted', before: s, after: { ...s, ...gone } }),
      ),
      ...emptied,
      ...befores.map(
        (before): Change => ({
          entityType: 'RedfishEndpoint',
          entityId: before.id,
          action: 'deleted',
          before,
          after: { ...before, ...gone, revision: before.revision + 1 },
        }),
      ),
    ];
    return { result: befores.length, changes };
  });
}

/**
 * SMD DELETE /Inventory/ComponentEndpoints[/{xname}]: soft-deletes the component endpoint with
 * this xname (NOT_FOUND when there is none), or every live one when `xname` is undefined, and
 * sets the components they described to state Empty. Answers how many were deleted.
 */
export async function deleteComponentEndpointsEmptying(ctx: ServiceContext, xname?: string): Promise<number> {
  const key = xname === undefined ? undefined : requireXname(xname, 'xname').xname;
  return write(ctx, async (tx) => {
    const befores =
      key === undefined
        ? await tx.componentEndpoint.findMany({ where: { deletedAt: null } })
        : [await findLiveByXname(tx, 'componentEndpoint', key)];
    if (befores.length === 0) return { result: 0, changes: [] };
    const gone = softDeleted();
    await tx.componentEndpoint.updateMany({
      where: { id: { in: befores.map((c) => c.id) } },
      data: { ...gone, revision: { increment: 1 } },
    });
    const emptied = await emptyComponents(
      tx,
      befores.map((c) => c.xname),
    );
    const changes: Change[] = [
      ...befores.map(
        (c): Change => ({
          entityType: 'ComponentEndpoint',
          entityId: c.id,
          action: 'deleted',
          before: c,
          after: { ...c, ...gone, revision: c.revision + 1 },
        }),
      ),
      ...emptied,
    ];
    return { result: befores.length, changes };
  });
}

/** SMD DELETE /Inventory/ServiceEndpoints: soft-deletes every live service endpoint; answers how many. */
export async function deleteAllServiceEndpoints(ctx: ServiceContext): Promise<number> {
  return write(ctx, async (tx) => {
    const befores = await tx.serviceEndpoint.findMany({ where: { deletedAt: null } });
    if (befores.length === 0) return { result: 0, changes: [] };
    const gone = softDeleted();
    await tx.serviceEndpoint.updateMany({ where: { id: { in: befores.map((s) => s.id) } }, data: { ...gone, revision: { increment: 1 } } });
    const changes = befores.map(
      (s): Change => ({
        entityType: 'ServiceEndpoint',
        entityId: s.id,
        action: 'deleted',
        before: s,
        after: { ...s, ...gone, revision: s.revision + 1 },
      }),
    );
    return { result: befores.length, changes };
  });
}
