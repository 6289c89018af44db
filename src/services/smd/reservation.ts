// SMD component locks and reservations (locks API v2, as PCS uses it): admin locks
// (lock/unlock, repair/disable), admin reservations (non-expiring, on locked components) and
// service reservations (1–15 minutes, on unlocked components). ProcessingModel "rigid" is all
// or nothing and its first failure is the error; "flexible" reports failures per component.
// An expired reservation is gone: reads ignore it and every write first removes expired ones.
// Messages are SMD's (pkg/sm/complocks.go, hmsds); the REST layer adds no prefix.
import { randomUUID } from 'node:crypto';
import type { Prisma, Tx } from '../../db/client.js';
import { ConflictError } from '../../domain/errors.js';
import { parseXname } from '../../domain/xname.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { write } from '../core/transaction.js';
import { type ComponentFilterParams, componentFilterWhere, FILTER_ERRORS, parseGoBool, SmdRuleError } from './component-queries.js';

export type ProcessingModel = 'rigid' | 'flexible';
export type LockAction = 'lock' | 'unlock' | 'repair' | 'disable';
export type FailureReason = 'NotFound' | 'Locked' | 'Unlocked' | 'Disabled' | 'Reserved' | 'ServerError';

/** SMD's CompLockV2Filter: a component filter plus the processing model and duration. */
export interface LockFilter extends ComponentFilterParams {
  processingModel?: string | null;
  reservationDuration?: number | null;
  /** Status reads only: keep reserved (true) or unreserved (false) components; first value counts. */
  reserved?: string[];
}

export interface ReservationKey {
  id: string;
  key: string;
}

export interface Failure {
  id: string;
  reason: FailureReason;
}

export interface UpdateResult {
  counts: { total: number; success: number; failure: number };
  success: string[];
  failure: Failure[];
}

export interface ReservationSuccess {
  id: string;
  deputyKey: string;
  reservationKey?: string;
  creationTime?: Date;
  expirationTime?: Date | null;
}

export interface ReservationResult {
  success: ReservationSuccess[];
  failure: Failure[];
}

export interface LockStatus {
  id: string;
  locked: boolean;
  reserved: boolean;
  creationTime?: Date;
  expirationTime?: Date | null;
  reservationDisabled: boolean;
}

export const LOCK_ERRORS = {
  processingModel: 'Invalid Processing Model',
  duration: 'Invalid Reservation Duration',
  durationPositive: 'ReservationDuration must be greater than 0',
  locked: 'Component is Locked',
  unlocked: 'Component is Unlocked',
  disabled: 'Component reservations are disabled',
  reserved: 'Component is Reserved',
  notFound: 'Component not found',
  reservationKey: 'Reservation Key required for operation',
  deputyKey: 'Deputy Key required for operation',
  // base.ErrHMSTypeInvalid: what SMD answers for a key whose ID is not an xname.
  keyId: 'got HMSTypeInvalid instead of valid type',
} as const;

const ENTITY = 'Reservation';
const MAX_DURATION = 15;

const fail = (message: string) => new SmdRuleError(message);

/** SMD's VerifyNormalizeProcessingModel: "" is rigid, otherwise rigid or flexible in any case. */
function processingModel(raw: string | null | undefined): ProcessingModel {
  if (!raw) return 'rigid';
  const lower = raw.toLowerCase();
  if (lower === 'rigid' || lower === 'flexible') return lower;
  throw fail(LOCK_ERRORS.processingModel);
}

/** The model and duration of a filter, checked as SMD's VerifyNormalize checks them. */
function checkFilter(filter: { processingModel?: string | null; reservationDuration?: number | null }) {
  const model = processingModel(filter.processingModel);
  const duration = filter.reservationDuration ?? 0;
  if (duration > MAX_DURATION) throw fail(LOCK_ERRORS.duration);
  return { model, duration };
}

/** Keys normalised as SMD's CompLockV2Key.VerifyNormalize: the ID an xname, the key lower-cased. */
function checkKeys(keys: ReservationKey[]): ReservationKey[] {
  return keys.map((k) => {
    const parsed = parseXname(String(k.id ?? ''));
    if (!parsed) throw fail(LOCK_ERRORS.keyId);
    return { id: parsed.xname, key: String(k.key ?? '').toLowerCase() };
  });
}

function updateResult(success: string[], failure: Failure[]): UpdateResult {
  return { counts: { total: success.length + failure.length, success: success.length, failure: failure.length }, success, failure };
}

/** What the change log keeps of a reservation: never its private reservation key. */
function reservationSnapshot(
  row: { componentId: string; kind: string; deputyKey: string; createdAt: Date; expiresAt: Date | null },
  xname: string,
) {
  return {
    componentId: row.componentId,
    xname,
    kind: row.kind,
    deputyKey: row.deputyKey,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

/** Removes expired reservations (SMD's expiry job, run by every write here). */
async function purgeExpired(tx: Tx, now: Date): Promise<Change[]> {
  const expired = await tx.reservation.findMany({
    where: { expiresAt: { lte: now } },
    include: { component: { select: { xname: true } } },
  });
  if (expired.length === 0) return [];
  await tx.reservation.deleteMany({ where: { id: { in: expired.map((r) => r.id) } } });
  return expired.map((r) => ({ entityType: ENTITY, entityId: r.id, action: 'deleted', before: reservationSnapshot(r, r.component.xname) }));
}

const live = (now: Date): Prisma.ReservationWhereInput => ({ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });

/** The live components the filter selects, in xname order; none is SMD's "Component not found". */
async function filteredComponents(db: Tx | ServiceContext['db'], filter: ComponentFilterParams, now: Date) {
  const rows = await db.component.findMany({
    where: componentFilterWhere(filter),
    include: { reservation: true },
    orderBy: { xname: 'asc' },
  });
  if (rows.length === 0) throw fail(LOCK_ERRORS.notFound);
  return rows.map((row) => ({
    ...row,
    reservation: row.reservation && (!row.reservation.expiresAt || row.reservation.expiresAt > now) ? row.reservation : null,
  }));
}

type FilteredComponent = Awaited<ReturnType<typeof filteredComponents>>[number];

function statusOf(row: FilteredComponent): LockStatus {
  return {
    id: row.xname,
    locked: row.locked,
    reserved: row.reservation !== null,
    ...(row.reservation ? { creationTime: row.reservation.createdAt, expirationTime: row.reservation.expiresAt } : {}),
    reservationDisabled: row.reservationDisabled,
  };
}

/**
 * Lock status of the components the filter selects. `notFound` lists the ComponentIDs asked
 * for that are not in the answer. An empty answer is SMD's "Component not found", unless
 * `emptyIsNone`: GET /locks/status answers a filter that selects nothing with no components,
 * as Cray's SMD does (its contract tests expect it; OpenCHAMI's build still answers 400).
 */
export async function getLockStatus(
  ctx: ServiceContext,
  filter: LockFilter,
  options: { emptyIsNone?: boolean } = {},
): Promise<{ components: LockStatus[]; notFound: string[] }> {
  checkFilter(filter);
  const now = new Date();
  let rows: FilteredComponent[];
  try {
    rows = await filteredComponents(ctx.db, filter, now);
  } catch (error) {
    if (options.emptyIsNone && error instanceof SmdRuleError && error.message === LOCK_ERRORS.notFound)
      return { components: [], notFound: [] };
    throw error;
  }
  let components = rows.map(statusOf);
  if (filter.reserved?.length) {
    const reserved = parseGoBool(filter.reserved[0]);
    if (reserved === undefined) throw fail(FILTER_ERRORS.badArg);
    components = components.filter((c) => c.reserved === reserved);
  }
  if (components.length === 0) {
    if (options.emptyIsNone) return { components: [], notFound: [] };
    throw fail(LOCK_ERRORS.notFound);
  }
  const asked = (filter.id ?? []).map((id) => parseXname(id)?.xname ?? id);
  const found = new Set(components.map((c) => c.id));
  const notFound = components.length === asked.length ? [] : asked.filter((id) => !found.has(id));
  return { components, notFound };
}

function componentChange(before: FilteredComponent, data: { locked?: boolean; reservationDisabled?: boolean }): Change {
  const { reservation: _reservation, ...row } = before;
  return {
    entityType: 'Component',
    entityId: row.id,
    action: 'updated',
    before: row,
    after: { ...row, ...data, revision: row.revision + 1 },
  };
}

async function setComponentFlags(
  tx: Tx,
  rows: FilteredComponent[],
  data: { locked?: boolean; reservationDisabled?: boolean },
): Promise<Change[]> {
  const changed = rows.filter((row) => Object.entries(data).some(([k, v]) => row[k as keyof FilteredComponent] !== v));
  if (changed.length === 0) return [];
  await tx.component.updateMany({ where: { id: { in: changed.map((r) => r.id) } }, data: { ...data, revision: { increment: 1 } } });
  return changed.map((row) => componentChange(row, data));
}

async function deleteReservations(
  tx: Tx,
  rows: Array<{ id: string; componentId: string; kind: string; deputyKey: string; createdAt: Date; expiresAt: Date | null }>,
  xnameOf: (componentId: string) => string,
) {
  if (rows.length === 0) return [];
  await tx.reservation.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
  return rows.map(
    (r): Change => ({ entityType: ENTITY, entityId: r.id, action: 'deleted', before: reservationSnapshot(r, xnameOf(r.componentId)) }),
  );
}

/** Why an operation may not touch a component: the reason reported and SMD's detail text. */
type Refusal = [FailureReason, string];

/**
 * Splits the selected components into the ones an operation may change and the failures.
 * Rigid processing throws at the first refusal; a reserved component is refused last.
 */
function screen(rows: FilteredComponent[], model: ProcessingModel, refusalOf: (row: FilteredComponent) => Refusal | undefined) {
  const failure: Failure[] = [];
  const candidates: FilteredComponent[] = [];
  for (const row of rows) {
    const refusal = refusalOf(row);
    if (!refusal) {
      candidates.push(row);
      continue;
    }
    if (model === 'rigid') throw fail(refusal[1]);
    failure.push({ id: row.xname, reason: refusal[0] });
  }
  const reserved = candidates.filter((row) => row.reservation);
  if (reserved.length && model === 'rigid') throw fail(LOCK_ERRORS.reserved);
  for (const row of reserved) failure.push({ id: row.xname, reason: 'Reserved' });
  return { targets: candidates.filter((row) => !row.reservation), failure };
}

/**
 * Admin lock actions on the components the filter selects. lock/unlock: a component whose
 * reservations are disabled, that is already (un)locked, or that is reserved, fails. disable
 * also removes the components' reservations; repair and disable never fail per component.
 */
export async function updateLocks(ctx: ServiceContext, filter: LockFilter, action: LockAction): Promise<UpdateResult> {
  const { model } = checkFilter(filter);
  return write(ctx, async (tx) => {
    const now = new Date();
    const purged = await purgeExpired(tx, now);
    const rows = await filteredComponents(tx, filter, now);
    if (action === 'repair' || action === 'disable') {
      const xnameOf = new Map(rows.map((r) => [r.id, r.xname]));
      const held = rows.flatMap((r) => (r.reservation ? [r.reservation] : []));
      const released = action === 'disable' ? await deleteReservations(tx, held, (id) => xnameOf.get(id) ?? '') : [];
      const changes = await setComponentFlags(tx, rows, { reservationDisabled: action === 'disable' });
      return {
        result: updateResult(
          rows.map((r) => r.xname),
          [],
        ),
        changes: [...purged, ...released, ...changes],
      };
    }
    const locking = action === 'lock';
    // A component already in the wanted state is refused before a disabled one (SMD's order).
    const { targets, failure } = screen(rows, model, (row) =>
      row.locked === locking
        ? locking
          ? ['Locked', LOCK_ERRORS.locked]
          : ['Unlocked', LOCK_ERRORS.unlocked]
        : row.reservationDisabled
          ? ['Disabled', LOCK_ERRORS.disabled]
          : undefined,
    );
    // SMD answers a flexible request in which no component could change with 400 "Component is
    // Reserved", whatever the reasons; here it is a 200 listing every failure.
    const changes = await setComponentFlags(tx, targets, { locked: locking });
    return {
      result: updateResult(
        targets.map((r) => r.xname),
        failure,
      ),
      changes: [...purged, ...changes],
    };
  });
}

/**
 * Creates reservations on the components the filter selects. `service` reservations expire
 * after ReservationDuration minutes (1–15) and need unlocked components; `admin` ones never
 * expire and need locked components. A component already reserved fails with Reserved.
 */
export async function createReservations(ctx: ServiceContext, filter: LockFilter, kind: 'admin' | 'service'): Promise<ReservationResult> {
  const checked = checkFilter(filter);
  const duration = kind === 'admin' ? 0 : checked.duration;
  if (kind === 'service' && duration <= 0) throw fail(LOCK_ERRORS.durationPositive);
  try {
    return await reserveIn(ctx, filter, kind, checked.model, duration);
  } catch (error) {
    // A concurrent request reserved one of the components first (the unique key refused ours).
    if (error instanceof ConflictError) throw fail(LOCK_ERRORS.reserved);
    throw error;
  }
}

async function reserveIn(
  ctx: ServiceContext,
  filter: LockFilter,
  kind: 'admin' | 'service',
  model: ProcessingModel,
  duration: number,
): Promise<ReservationResult> {
  return write(ctx, async (tx) => {
    const now = new Date();
    const purged = await purgeExpired(tx, now);
    const rows = await filteredComponents(tx, filter, now);
    const { targets: free, failure } = screen(rows, model, (row) =>
      row.reservationDisabled
        ? ['Disabled', LOCK_ERRORS.disabled]
        : duration === 0 && !row.locked
          ? ['Unlocked', LOCK_ERRORS.unlocked]
          : duration > 0 && row.locked
            ? ['Locked', LOCK_ERRORS.locked]
            : undefined,
    );
    const expiresAt = duration > 0 ? new Date(now.getTime() + duration * 60_000) : null;
    const data = free.map((row) => ({
      componentId: row.id,
      kind,
      deputyKey: `${row.xname}:dk:${randomUUID()}`,
      reservationKey: `${row.xname}:rk:${randomUUID()}`,
      createdAt: now,
      expiresAt,
    }));
    const created = data.length ? await tx.reservation.createManyAndReturn({ data }) : [];
    const xnameOf = new Map(free.map((row) => [row.id, row.xname]));
    const success = created.map((r) => ({
      id: xnameOf.get(r.componentId) as string,
      deputyKey: r.deputyKey,
      reservationKey: r.reservationKey,
      ...(r.expiresAt ? { expirationTime: r.expiresAt } : {}),
    }));
    const changes = created.map(
      (r): Change => ({
        entityType: ENTITY,
        entityId: r.id,
        action: 'created',
        after: reservationSnapshot(r, xnameOf.get(r.componentId) as string),
      }),
    );
    return { result: { success, failure }, changes: [...purged, ...changes] };
  });
}

/**
 * Per-key outcome as SMD reports it: rigid fails with "Component not found" unless every key
 * matched; flexible lists the keys that matched as successes and the others as NotFound.
 */
function keyedResult(keys: ReservationKey[], matched: string[], model: ProcessingModel): UpdateResult {
  if (matched.length === keys.length) return updateResult(matched, []);
  if (model === 'rigid') throw fail(LOCK_ERRORS.notFound);
  const hit = new Set(matched);
  return updateResult(
    keys.filter((k) => hit.has(k.id)).map((k) => k.id),
    keys.filter((k) => !hit.has(k.id)).map((k) => ({ id: k.id, reason: 'NotFound' })),
  );
}

/** Releases reservations by their reservation keys (admin and service release). */
export async function releaseReservations(
  ctx: ServiceContext,
  filter: { reservationKeys?: ReservationKey[] | null; processingModel?: string | null; reservationDuration?: number | null },
): Promise<UpdateResult> {
  const { model } = checkFilter(filter);
  const keys = checkKeys(filter.reservationKeys ?? []);
  if (keys.length === 0) {
    if (model === 'rigid') throw fail(LOCK_ERRORS.reservationKey);
    return updateResult([], []);
  }
  if (keys.some((k) => k.key === '')) {
    // SMD's DeleteCompReservationsTx words a missing reservation key as a deputy key.
    if (model === 'rigid') throw fail(LOCK_ERRORS.deputyKey);
    return updateResult(
      [],
      keys.map((k) => ({ id: k.id, reason: 'ServerError' })),
    );
  }
  return write(ctx, async (tx) => {
    const now = new Date();
    const purged = await purgeExpired(tx, now);
    const rows = await tx.reservation.findMany({
      where: { reservationKey: { in: keys.map((k) => k.key) } },
      include: { component: { select: { xname: true } } },
    });
    const xnameOf = new Map(rows.map((r) => [r.componentId, r.component.xname]));
    const released = await deleteReservations(tx, rows, (id) => xnameOf.get(id) ?? '');
    return {
      result: keyedResult(
        keys,
        rows.map((r) => r.component.xname),
        model,
      ),
      changes: [...purged, ...released],
    };
  });
}

/** Removes the reservations of the components the filter selects, without keys (admin). */
export async function removeReservations(ctx: ServiceContext, filter: LockFilter): Promise<UpdateResult> {
  const { model } = checkFilter(filter);
  return write(ctx, async (tx) => {
    const now = new Date();
    const purged = await purgeExpired(tx, now);
    const rows = await filteredComponents(tx, filter, now);
    const reservations = rows.flatMap((r) => (r.reservation ? [r.reservation] : []));
    const xnameOf = new Map(rows.map((r) => [r.id, r.xname]));
    const released = await deleteReservations(tx, reservations, (id) => xnameOf.get(id) ?? '');
    const keys = rows.map((r) => ({ id: r.xname, key: '' }));
    return {
      result: keyedResult(
        keys,
        reservations.map((r) => xnameOf.get(r.componentId) as string),
        model,
      ),
      changes: [...purged, ...released],
    };
  });
}

/** Renews service reservations by their reservation keys for ReservationDuration more minutes. */
export async function renewReservations(
  ctx: ServiceContext,
  filter: { reservationKeys?: ReservationKey[] | null; processingModel?: string | null; reservationDuration?: number | null },
): Promise<UpdateResult> {
  const { model, duration } = checkFilter(filter);
  const keys = checkKeys(filter.reservationKeys ?? []);
  if (duration <= 0) throw fail(LOCK_ERRORS.durationPositive);
  if (keys.length === 0 || keys.some((k) => k.key === '')) {
    if (model === 'rigid') throw fail(LOCK_ERRORS.reservationKey);
    return updateResult(
      [],
      keys.map((k) => ({ id: k.id, reason: 'ServerError' })),
    );
  }
  return write(ctx, async (tx) => {
    const now = new Date();
    const purged = await purgeExpired(tx, now);
    const rows = await tx.reservation.findMany({
      where: { reservationKey: { in: keys.map((k) => k.key) }, expiresAt: { not: null } },
      include: { component: { select: { xname: true } } },
    });
    const expiresAt = new Date(now.getTime() + duration * 60_000);
    if (rows.length) await tx.reservation.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { expiresAt } });
    const changes = rows.map(
      (r): Change => ({
        entityType: ENTITY,
        entityId: r.id,
        action: 'updated',
        before: reservationSnapshot(r, r.component.xname),
        after: reservationSnapshot({ ...r, expiresAt }, r.component.xname),
      }),
    );
    return {
      result: keyedResult(
        keys,
        rows.map((r) => r.component.xname),
        model,
      ),
      changes: [...purged, ...changes],
    };
  });
}

/** The reservations behind these deputy keys, if still held (service check); never fails per key. */
export async function checkReservations(ctx: ServiceContext, deputyKeys: ReservationKey[] | null | undefined): Promise<ReservationResult> {
  const keys = checkKeys(deputyKeys ?? []);
  if (keys.length === 0 || keys.some((k) => k.key === '')) throw fail(LOCK_ERRORS.deputyKey);
  const now = new Date();
  const rows = await ctx.db.reservation.findMany({
    where: { deputyKey: { in: keys.map((k) => k.key) }, ...live(now) },
    include: { component: { select: { xname: true } } },
  });
  const success = rows.map((r) => ({
    id: r.component.xname,
    deputyKey: r.deputyKey,
    creationTime: r.createdAt,
    expirationTime: r.expiresAt,
  }));
  const found = new Set(success.map((s) => s.id));
  return { success, failure: keys.filter((k) => !found.has(k.id)).map((k) => ({ id: k.id, reason: 'NotFound' as const })) };
}
