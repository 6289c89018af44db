// /locks: lock status, admin lock actions, admin reservations and service reservations (PCS).
// Every call answers 200 on success (SMD's code; the swagger says 202) and 400 with SMD's text
// on failure, which is what the PCS client library switches on.
import {
  decodeDeputyKeys,
  decodeLockFilter,
  decodeReservationFilter,
  lockFilterFromQuery,
  lockStatusesJson,
  lockUpdateJson,
  reservationJson,
} from '../../../codecs/smd/index.js';
import {
  checkReservations,
  createReservations,
  getLockStatus,
  type LockAction,
  releaseReservations,
  removeReservations,
  renewReservations,
  updateLocks,
} from '../../../services/smd/index.js';
import { json, readJson } from '../../http/respond.js';
import type { RestRequest, RestRouter } from '../../http/router.js';

const BASE = '/locks';

function lockAction(action: LockAction) {
  return async ({ request, ctx }: RestRequest) =>
    json(lockUpdateJson(await updateLocks(ctx.service, decodeLockFilter(await readJson(request)), action)));
}

async function release({ request, ctx }: RestRequest): Promise<Response> {
  return json(lockUpdateJson(await releaseReservations(ctx.service, decodeReservationFilter(await readJson(request)))));
}

export function mountLockRoutes(router: RestRouter): void {
  router.get(`${BASE}/status`, async ({ query, ctx }) => {
    const { components } = await getLockStatus(ctx.service, lockFilterFromQuery(query), { emptyIsNone: true });
    return json(lockStatusesJson(components));
  });
  router.post(`${BASE}/status`, async ({ request, ctx }) => {
    const { components, notFound } = await getLockStatus(ctx.service, decodeLockFilter(await readJson(request)));
    return json(lockStatusesJson(components, notFound));
  });
  router.post(`${BASE}/lock`, lockAction('lock'));
  router.post(`${BASE}/unlock`, lockAction('unlock'));
  router.post(`${BASE}/repair`, lockAction('repair'));
  router.post(`${BASE}/disable`, lockAction('disable'));

  router.post(`${BASE}/reservations`, async ({ request, ctx }) =>
    json(reservationJson(await createReservations(ctx.service, decodeLockFilter(await readJson(request)), 'admin'))),
  );
  router.post(`${BASE}/reservations/release`, release);
  router.post(`${BASE}/reservations/remove`, async ({ request, ctx }) =>
    json(lockUpdateJson(await removeReservations(ctx.service, decodeLockFilter(await readJson(request))))),
  );

  router.post(`${BASE}/service/reservations`, async ({ request, ctx }) =>
    json(reservationJson(await createReservations(ctx.service, decodeLockFilter(await readJson(request)), 'service'))),
  );
  router.post(`${BASE}/service/reservations/renew`, async ({ request, ctx }) =>
    json(lockUpdateJson(await renewReservations(ctx.service, decodeReservationFilter(await readJson(request))))),
  );
  router.post(`${BASE}/service/reservations/release`, release);
  router.post(`${BASE}/service/reservations/check`, async ({ request, ctx }) =>
    json(reservationJson(await checkReservations(ctx.service, decodeDeputyKeys(await readJson(request))))),
  );
}
