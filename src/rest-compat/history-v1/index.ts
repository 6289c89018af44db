// The History API of OpenCHAMI RFD 112 (/apis/history/v1): the change log as CloudEvents,
// snapshots of the device inventory rebuilt from that log, diffs, and retention.
// Applying the retention policy is the custom method `POST /policy:apply`.
import { ValidationError } from '../../domain/errors.js';
import {
  applyPolicy,
  createSnapshot,
  diffInventory,
  getPolicy,
  listEvents,
  listSnapshots,
  putPolicy,
  setPinned,
  snapshotInventory,
} from '../../services/history/index.js';
import type { QueryParams } from '../http/query.js';
import { json, readJson } from '../http/respond.js';
import { RestRouter } from '../http/router.js';
import { toCloudEvent } from './cloudevent.js';
import { historyBehaviour } from './errors.js';
import { eventFilter } from './events-query.js';

export const HISTORY_PREFIX = '/apis/history/v1';

function required(query: QueryParams, name: string): string {
  const value = query.get(name);
  if (!value) throw new ValidationError(name, 'is required: a snapshot id or an RFC 3339 time');
  return value;
}

export function createHistoryRouter(): RestRouter {
  const router = new RestRouter(HISTORY_PREFIX, historyBehaviour, 'rfd');

  router.get('/events', async ({ query, ctx }) => {
    const { items, next } = await listEvents(ctx.service, eventFilter(query));
    return json({ items: items.map(toCloudEvent), next });
  });

  router.get('/snapshots', async ({ ctx }) => json({ items: await listSnapshots(ctx.service) }));
  router.post('/snapshots', async ({ request, ctx }) => json(await createSnapshot(ctx.service, (await readJson(request)) as object), 201));
  router.get('/snapshots/diff', async ({ query, ctx }) =>
    json(await diffInventory(ctx.service, required(query, 'from'), required(query, 'to'))),
  );
  router.get('/snapshots/:id', async ({ params, ctx }) => json(await snapshotInventory(ctx.service, params.id ?? '')));
  router.post('/snapshots/:id/pin', async ({ params, ctx }) => json(await setPinned(ctx.service, params.id ?? '', true)));
  router.delete('/snapshots/:id/pin', async ({ params, ctx }) => json(await setPinned(ctx.service, params.id ?? '', false)));

  router.get('/policy', async ({ ctx }) => json(await getPolicy(ctx.service)));
  router.put('/policy', async ({ request, ctx }) =>
    json(await putPolicy(ctx.service, (await readJson(request)) as Record<string, unknown>)),
  );
  // find-my-way reads "::" as a literal colon.
  router.post('/policy::apply', async ({ ctx }) => json(await applyPolicy(ctx.service)));

  return router;
}
