// /locks: lock status, admin lock actions, admin reservations and service reservations (PCS).
// Every call answers 200 on success (SMD's code; the swagger says 202) and 400 with SMD's text
// on failure, which is what the PCS client library switches on.
import {
  checkReservations,
  createReservations,
  getLockStatus,
  type LockAction,
  type LockFilter,
  type LockStatus,
  parseGoBool,
  type ReservationKey,
  type ReservationResult,
  releaseReservations,
  removeReservations,
  renewReservations,
  type UpdateResult,
  updateLocks,
} from '../../../services/smd/index.js';
import { json } from '../../http/respond.js';
import type { RestRequest, RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import { asObject, filterValues, type Obj, optArray, optInt, optString, readObject } from './wire.js';

const BASE = '/locks';

/** RFC 3339 in UTC, whole seconds (Go's time.RFC3339). */
const rfc3339 = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** sm.CompLockV2Filter: ComponentIDs plus the filter fields, the model and the duration. */
function decodeLockFilter(body: Obj): LockFilter {
  const struct = 'sm.CompLockV2Filter';
  return {
    id: filterValues(body, 'ComponentIDs'),
    nid: filterValues(body, 'NID'),
    type: filterValues(body, 'Type'),
    state: filterValues(body, 'State'),
    flag: filterValues(body, 'Flag'),
    enabled: filterValues(body, 'Enabled'),
    softwareStatus: filterValues(body, 'SoftwareStatus'),
    role: filterValues(body, 'Role'),
    subRole: filterValues(body, 'Subrole'),
    subtype: filterValues(body, 'Subtype'),
    arch: filterValues(body, 'Arch'),
    class: filterValues(body, 'Class'),
    group: filterValues(body, 'Group'),
    partition: filterValues(body, 'Partition'),
    locked: filterValues(body, 'Locked'),
    reserved: filterValues(body, 'Reserved'),
    reservationDisabled: filterValues(body, 'ReservationDisabled'),
    processingModel: optString(body, 'ProcessingModel', struct),
    reservationDuration: optInt(body, 'ReservationDuration', struct),
  };
}

function decodeKeys(body: Obj, name: string, struct: string): ReservationKey[] {
  return (optArray(body, name, struct, '[]sm.CompLockV2Key') ?? []).map((value) => {
    const key = asObject(value, 'sm.CompLockV2Key');
    return { id: optString(key, 'ID', 'sm.CompLockV2Key') ?? '', key: optString(key, 'Key', 'sm.CompLockV2Key') ?? '' };
  });
}

function decodeReservationFilter(body: Obj) {
  const struct = 'sm.CompLockV2ReservationFilter';
  return {
    reservationKeys: decodeKeys(body, 'ReservationKeys', struct),
    processingModel: optString(body, 'ProcessingModel', struct),
    reservationDuration: optInt(body, 'ReservationDuration', struct),
  };
}

function statusJson(s: LockStatus): Obj {
  const out: Obj = { ID: s.id, Locked: s.locked, Reserved: s.reserved };
  if (s.creationTime) out.CreationTime = rfc3339(s.creationTime);
  if (s.expirationTime) out.ExpirationTime = rfc3339(s.expirationTime);
  out.ReservationDisabled = s.reservationDisabled;
  return out;
}

const failureJson = (f: { id: string; reason: string }) => ({ ID: f.id, Reason: f.reason });

function updateJson(r: UpdateResult): Response {
  return json({
    Counts: { Total: r.counts.total, Success: r.counts.success, Failure: r.counts.failure },
    Success: { ComponentIDs: r.success },
    Failure: r.failure.map(failureJson),
  });
}

function reservationJson(r: ReservationResult): Response {
  return json({
    Success: r.success.map((s) => {
      const out: Obj = { ID: s.id, DeputyKey: s.deputyKey };
      if (s.reservationKey) out.ReservationKey = s.reservationKey;
      if (s.creationTime) out.CreationTime = rfc3339(s.creationTime);
      if (s.expirationTime) out.ExpirationTime = rfc3339(s.expirationTime);
      return out;
    }),
    Failure: r.failure.map(failureJson),
  });
}

async function statusPost({ request, ctx }: RestRequest): Promise<Response> {
  const { components, notFound } = await getLockStatus(ctx.service, decodeLockFilter(await readObject(request, 'sm.CompLockV2Filter')));
  return json({ Components: components.map(statusJson), ...(notFound.length ? { NotFound: notFound } : {}) });
}

/** GET status: Type, State, Role, Subrole, Locked, Reserved and ReservationDisabled (any case). */
async function statusGet({ query, ctx }: RestRequest): Promise<Response> {
  const values = (name: string) => (query.has(name) ? query.all(name) : undefined);
  const reserved = values('reserved');
  if (reserved && parseGoBool(reserved[0]) === undefined) throw new SmdError(400, `bad 'Reserved' query parameter: ${reserved[0]}`);
  const filter: LockFilter = {
    type: values('type'),
    state: values('state'),
    role: values('role'),
    subRole: values('subrole'),
    locked: values('locked'),
    reserved,
    reservationDisabled: values('reservationdisabled'),
  };
  const { components } = await getLockStatus(ctx.service, filter);
  return json({ Components: components.map(statusJson) });
}

function lockAction(action: LockAction) {
  return async ({ request, ctx }: RestRequest) =>
    updateJson(await updateLocks(ctx.service, decodeLockFilter(await readObject(request, 'sm.CompLockV2Filter')), action));
}

async function release({ request, ctx }: RestRequest): Promise<Response> {
  return updateJson(
    await releaseReservations(ctx.service, decodeReservationFilter(await readObject(request, 'sm.CompLockV2ReservationFilter'))),
  );
}

export function mountLockRoutes(router: RestRouter): void {
  router.get(`${BASE}/status`, statusGet);
  router.post(`${BASE}/status`, statusPost);
  router.post(`${BASE}/lock`, lockAction('lock'));
  router.post(`${BASE}/unlock`, lockAction('unlock'));
  router.post(`${BASE}/repair`, lockAction('repair'));
  router.post(`${BASE}/disable`, lockAction('disable'));

  router.post(`${BASE}/reservations`, async ({ request, ctx }) =>
    reservationJson(await createReservations(ctx.service, decodeLockFilter(await readObject(request, 'sm.CompLockV2Filter')), 'admin')),
  );
  router.post(`${BASE}/reservations/release`, release);
  router.post(`${BASE}/reservations/remove`, async ({ request, ctx }) =>
    updateJson(await removeReservations(ctx.service, decodeLockFilter(await readObject(request, 'sm.CompLockV2Filter')))),
  );

  router.post(`${BASE}/service/reservations`, async ({ request, ctx }) =>
    reservationJson(await createReservations(ctx.service, decodeLockFilter(await readObject(request, 'sm.CompLockV2Filter')), 'service')),
  );
  router.post(`${BASE}/service/reservations/renew`, async ({ request, ctx }) =>
    updateJson(await renewReservations(ctx.service, decodeReservationFilter(await readObject(request, 'sm.CompLockV2ReservationFilter')))),
  );
  router.post(`${BASE}/service/reservations/release`, release);
  router.post(`${BASE}/service/reservations/check`, async ({ request, ctx }) => {
    const body = await readObject(request, 'sm.CompLockV2DeputyKeyArray');
    return reservationJson(await checkReservations(ctx.service, decodeKeys(body, 'DeputyKeys', 'sm.CompLockV2DeputyKeyArray')));
  });
}
