// SMD's locks and reservations (/locks, CompLockV2): the filter and key bodies, the status
// query, and the Counts/Success/Failure answers PCS's client library reads. Only /hsm/v2
// speaks them (strict).
import type { LockFilter, LockStatus, ReservationKey, ReservationResult, UpdateResult } from '../../services/smd/index.js';
import { SmdRuleError } from './errors.js';
import { asObject, filterValues, type Obj, optArray, optInt, optString } from './go-json.js';
import { parseGoBool, type QueryValues, rfc3339Seconds } from './values.js';

/** sm.CompLockV2Filter: ComponentIDs plus the filter fields, the model and the duration. */
export function decodeLockFilter(value: unknown): LockFilter {
  const struct = 'sm.CompLockV2Filter';
  const body = asObject(value, struct);
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

/** sm.CompLockV2ReservationFilter: reservation keys, the model and the duration (release, renew). */
export function decodeReservationFilter(value: unknown) {
  const struct = 'sm.CompLockV2ReservationFilter';
  const body = asObject(value, struct);
  return {
    reservationKeys: decodeKeys(body, 'ReservationKeys', struct),
    processingModel: optString(body, 'ProcessingModel', struct),
    reservationDuration: optInt(body, 'ReservationDuration', struct),
  };
}

/** sm.CompLockV2DeputyKeyArray: the deputy keys to check. */
export function decodeDeputyKeys(value: unknown): ReservationKey[] {
  const struct = 'sm.CompLockV2DeputyKeyArray';
  return decodeKeys(asObject(value, struct), 'DeputyKeys', struct);
}

/** GET status: Type, State, Role, Subrole, Locked, Reserved and ReservationDisabled (any case). */
export function lockFilterFromQuery(query: QueryValues): LockFilter {
  const values = (name: string) => (query.has(name) ? query.all(name) : undefined);
  const reserved = values('reserved');
  if (reserved && parseGoBool(reserved[0]) === undefined) throw new SmdRuleError(`bad 'Reserved' query parameter: ${reserved[0]}`);
  return {
    type: values('type'),
    state: values('state'),
    role: values('role'),
    subRole: values('subrole'),
    locked: values('locked'),
    reserved,
    reservationDisabled: values('reservationdisabled'),
  };
}

function lockStatusJson(s: LockStatus): Obj {
  const out: Obj = { ID: s.id, Locked: s.locked, Reserved: s.reserved };
  if (s.creationTime) out.CreationTime = rfc3339Seconds(s.creationTime);
  if (s.expirationTime) out.ExpirationTime = rfc3339Seconds(s.expirationTime);
  out.ReservationDisabled = s.reservationDisabled;
  return out;
}

/** The status answer; NotFound only when some IDs were not found. */
export function lockStatusesJson(components: readonly LockStatus[], notFound: readonly string[] = []): Obj {
  return { Components: components.map(lockStatusJson), ...(notFound.length ? { NotFound: notFound } : {}) };
}

const failureJson = (f: { id: string; reason: string }) => ({ ID: f.id, Reason: f.reason });

/** sm.CompLockV2UpdateResult: Counts, Success and Failure. */
export function lockUpdateJson(r: UpdateResult): Obj {
  return {
    Counts: { Total: r.counts.total, Success: r.counts.success, Failure: r.counts.failure },
    Success: { ComponentIDs: r.success },
    Failure: r.failure.map(failureJson),
  };
}

/** sm.CompLockV2ReservationResult: the reservations made or checked, and the failures. */
export function reservationJson(r: ReservationResult): Obj {
  return {
    Success: r.success.map((s) => {
      const out: Obj = { ID: s.id, DeputyKey: s.deputyKey };
      if (s.reservationKey) out.ReservationKey = s.reservationKey;
      if (s.creationTime) out.CreationTime = rfc3339Seconds(s.creationTime);
      if (s.expirationTime) out.ExpirationTime = rfc3339Seconds(s.expirationTime);
      return out;
    }),
    Failure: r.failure.map(failureJson),
  };
}
