// Bulk load: writes a whole inventory (for example the synthetic cluster) in ONE transaction,
// model by model in foreign-key order, in chunks, and appends one 'created' change-log event
// per row in the same transaction. Rows arrive complete (ids, Json columns), so nothing is
// read back; the only reads are the emptiness checks.
//
// Two ways to write a chunk (same rows, same transaction, same change log):
// - 'insert' (default): one multi-row INSERT per chunk through tx.$executeRawUnsafe, with
//   every value a bind parameter and column types taken from the Prisma data model.
// - 'createMany': Prisma's createMany per chunk. Measured on this 2-core box it costs about
//   0.45 ms per 17-column row inside Prisma (query compilation and parameter mapping), so
//   20k devices (~42k rows plus ~42k events) take 26–38 s on either engine, against 3–5 s
//   for 'insert'. Kept for comparison and as the conservative path.
import { randomUUID } from 'node:crypto';
import { chunks, insertRows, MAX_BIND_PARAMETERS, type Row } from '../../db/bulk-insert.js';
import { type Db, engineOf, type Prisma, type Tx } from '../../db/client.js';
import type { Engine } from '../../db/engine-schema.js';
import { afterBulkWrite } from '../../db/planner-statistics.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import type { ServiceContext } from './context.js';
import { rawQueryCause, translateDatabaseError } from './transaction.js';

type WithId<T> = T & { id: string };
export type LocationRow = WithId<Prisma.LocationCreateManyInput>;
export type RackRow = WithId<Prisma.RackCreateManyInput>;
export type DeviceRow = WithId<Prisma.DeviceCreateManyInput>;
export type ComponentRow = WithId<Prisma.ComponentCreateManyInput>;
export type InstallationRow = WithId<Prisma.InstallationCreateManyInput>;
export type InterfaceRow = WithId<Prisma.InterfaceCreateManyInput>;
export type IpAddressRow = WithId<Prisma.IpAddressCreateManyInput>;
export type CableRow = WithId<Prisma.CableCreateManyInput>;
export type CableTerminationRow = WithId<Prisma.CableTerminationCreateManyInput>;
export type GroupRow = WithId<Prisma.GroupCreateManyInput>;
export type GroupMemberRow = WithId<Prisma.GroupMemberCreateManyInput>;
export type ClusterDefaultsRow = WithId<Prisma.ClusterDefaultsCreateManyInput>;
export type RedfishEndpointRow = WithId<Prisma.RedfishEndpointCreateManyInput>;

/** Plain rows per Prisma model, each list in foreign-key order (parents before children). */
export interface InventoryRows {
  locations: LocationRow[];
  racks: RackRow[];
  devices: DeviceRow[];
  components: ComponentRow[];
  installations: InstallationRow[];
  interfaces: InterfaceRow[];
  ipAddresses: IpAddressRow[];
  cables: CableRow[];
  cableTerminations: CableTerminationRow[];
  groups: GroupRow[];
  groupMembers: GroupMemberRow[];
  clusterDefaults: ClusterDefaultsRow[];
  redfishEndpoints: RedfishEndpointRow[];
}

/** The InventoryRows keys in foreign-key order: what must exist before what. */
export const INVENTORY_ORDER: ReadonlyArray<keyof InventoryRows> = [
  'locations',
  'racks',
  'devices',
  'components',
  'installations',
  'interfaces',
  'ipAddresses',
  'cables',
  'cableTerminations',
  'groups',
  'groupMembers',
  'clusterDefaults',
  'redfishEndpoints',
];

export function emptyInventory(): InventoryRows {
  return Object.fromEntries(INVENTORY_ORDER.map((key) => [key, []])) as unknown as InventoryRows;
}

/** Row counts per InventoryRows key. */
export function countRows(rows: InventoryRows): Record<keyof InventoryRows, number> {
  return Object.fromEntries(INVENTORY_ORDER.map((key) => [key, rows[key].length])) as Record<keyof InventoryRows, number>;
}

/**
 * Bind parameters per statement. 32,766 is SQLite's SQLITE_MAX_VARIABLE_NUMBER (since 3.32,
 * as bundled by better-sqlite3) and half PostgreSQL's 65,535, so one chunk size fits both.
 * (Prisma's createMany splits further where it assumes a lower limit: 999 for SQLite.)
 */

/** What each InventoryRows list is called in the change log (= its Prisma model and table). */
const MODELS: Record<keyof InventoryRows, string> = {
  locations: 'Location',
  racks: 'Rack',
  devices: 'Device',
  components: 'Component',
  installations: 'Installation',
  interfaces: 'Interface',
  ipAddresses: 'IpAddress',
  cables: 'Cable',
  cableTerminations: 'CableTermination',
  groups: 'Group',
  groupMembers: 'GroupMember',
  clusterDefaults: 'ClusterDefaults',
  redfishEndpoints: 'RedfishEndpoint',
};

export { MAX_BIND_PARAMETERS };

export interface LoadProgress {
  /** The model being written ("Device"), or "ChangeEvent" for the log. */
  entityType: string;
  done: number;
  total: number;
  /** Rows (entities and events) written so far, of `rowsTotal`. */
  rowsDone: number;
  rowsTotal: number;
}

export interface LoadOptions {
  onProgress?: (progress: LoadProgress) => void;
  /** Load even though the database already has devices (ids and keys must not collide). */
  allowNonEmpty?: boolean;
  /** How chunks are written; see the top of this file. */
  strategy?: 'insert' | 'createMany';
  /** The database engine; found from the client when omitted. */
  engine?: Engine;
  /** Interactive-transaction timeout; the default suits ~100k devices on a slow machine. */
  timeoutMs?: number;
  /** Bind parameters per statement (default MAX_BIND_PARAMETERS). */
  maxParameters?: number;
}

export interface LoadResult {
  /** Rows created per InventoryRows key. */
  counts: Record<keyof InventoryRows, number>;
  /** Change-log events appended (one per created row). */
  events: number;
  /** INSERT statements (or createMany calls) issued. */
  batches: number;
  seconds: number;
}

function engineFor(db: Db, given: Engine | undefined): Engine {
  return given ?? engineOf(db);
}

/** Writes rows of one model with Prisma createMany; returns the number of calls. */
async function createManyRows(tx: Tx, model: string, rows: readonly Row[], maxParameters: number, onChunk: (n: number) => void) {
  const delegate = (tx as unknown as Record<string, { createMany(args: { data: object[] }): Promise<unknown> }>)[
    model.charAt(0).toLowerCase() + model.slice(1)
  ] as { createMany(args: { data: object[] }): Promise<unknown> };
  const columns = (rows[0] ? Object.keys(rows[0]).length : 1) + 4;
  let calls = 0;
  for (const chunk of chunks(rows, Math.max(1, Math.floor(maxParameters / columns)))) {
    await delegate.createMany({ data: chunk });
    calls += 1;
    onChunk(chunk.length);
  }
  return calls;
}

/**
 * A failed raw INSERT arrives as P2010 ("raw query failed") carrying the driver's constraint
 * error; turn unique and foreign-key violations into the errors services answer with.
 */
function rawQueryError(error: unknown): unknown {
  const cause = rawQueryCause(error);
  if (!cause) return error;
  const table = String(cause.table ?? 'record');
  // SQLite names the columns; PostgreSQL the index ("Component_xname_live_key").
  const fields: string[] =
    cause.constraint?.fields ??
    (typeof cause.constraint?.index === 'string'
      ? cause.constraint.index
          .replace(new RegExp(`^${table}_`), '')
          .replace(/_(key|fkey)$/, '')
          .split('_')
      : []);
  const named = fields.filter((f) => f !== 'live' && f !== 'open');
  if (cause.kind === 'UniqueConstraintViolation') {
    return new ConflictError(
      named.join('.') || 'id',
      `bulk load: a live ${table} with the same ${named.join(', ') || 'key'} already exists`,
    );
  }
  if (cause.kind === 'ForeignKeyConstraintViolation') {
    return new ValidationError(named[0] ?? 'reference', `bulk load: a ${table} row refers to a row that does not exist`);
  }
  return error;
}

/** The row as its 'created' event records it: no write-only secrets, no `live` flag. */
function snapshot(row: Row): Prisma.InputJsonValue {
  const { password: _secret, live: _live, ...rest } = row;
  return rest as Prisma.InputJsonValue;
}

/**
 * Loads `rows` in one transaction with their change-log events. Refuses (ValidationError on
 * "database") when the database already has devices, unless `allowNonEmpty`; the
 * ClusterDefaults row is then kept as it is when one exists.
 */
export async function loadInventory(ctx: ServiceContext, rows: InventoryRows, options: LoadOptions = {}): Promise<LoadResult> {
  const started = performance.now();
  const maxParameters = Math.min(options.maxParameters ?? MAX_BIND_PARAMETERS, MAX_BIND_PARAMETERS);
  const strategy = options.strategy ?? 'insert';
  const engine = engineFor(ctx.db, options.engine);
  const counts = Object.fromEntries(INVENTORY_ORDER.map((key) => [key, 0])) as Record<keyof InventoryRows, number>;
  const rowsTotal = INVENTORY_ORDER.reduce((sum, key) => sum + rows[key].length, 0) * 2;
  let rowsDone = 0;
  let events = 0;
  let batches = 0;

  try {
    await ctx.db.$transaction(
      async (tx: Tx) => {
        const existing = await tx.device.findFirst({ select: { id: true } });
        let keepDefaults = false;
        if (existing) {
          if (!options.allowNonEmpty) {
            throw new ValidationError(
              'database',
              'already holds devices, and a bulk load only fills an empty inventory unless allowNonEmpty is set',
            );
          }
          keepDefaults = (await tx.clusterDefaults.findFirst({ select: { id: true } })) !== null;
        }
        const now = new Date();
        for (const key of INVENTORY_ORDER) {
          const model = MODELS[key];
          const list = (key === 'clusterDefaults' && keepDefaults ? [] : rows[key]) as unknown as Row[];
          if (list.length === 0) continue;
          const progress = (entityType: string, total: number) => {
            let done = 0;
            return (n: number) => {
              done += n;
              rowsDone += n;
              options.onProgress?.({ entityType, done, total, rowsDone, rowsTotal });
            };
          };
          const eventRows: Row[] = list.map((row) => ({
            eventId: randomUUID(),
            occurredAt: now,
            actor: ctx.actor ?? null,
            source: ctx.source,
            requestId: ctx.requestId ?? null,
            entityType: model,
            entityId: String(row.id),
            action: 'created',
            after: snapshot(row),
          }));
          if (strategy === 'insert') {
            batches += await insertRows(tx, engine, model, list, now, maxParameters, progress(model, list.length));
            batches += await insertRows(tx, engine, 'ChangeEvent', eventRows, now, maxParameters, progress('ChangeEvent', list.length));
          } else {
            batches += await createManyRows(tx, model, list, maxParameters, progress(model, list.length));
            const logged = eventRows.map(({ eventId: _id, occurredAt: _at, ...event }) => event);
            batches += await createManyRows(tx, 'ChangeEvent', logged, maxParameters, progress('ChangeEvent', list.length));
          }
          counts[key] = list.length;
          events += list.length;
        }
      },
      { timeout: options.timeoutMs ?? 30 * 60_000, maxWait: 10_000 },
    );
  } catch (error) {
    throw translateDatabaseError(rawQueryError(error));
  }
  await afterBulkWrite(ctx.db, events, engine);
  return { counts, events, batches, seconds: (performance.now() - started) / 1000 };
}
