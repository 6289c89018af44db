// /devices: list, create, get, merge-patch, soft delete and restore, all through the device
// service. Every answer is negotiated first, so a refused Accept never writes.
import { ConflictError } from '../../domain/errors.js';
import { createDevice, deleteDevice, getDevice, listDevices, restoreDevice, updateDevice } from '../../services/inventory/index.js';
import { mergePatch } from '../fabrica/patch.js';
import { json, noContent, readJson } from '../http/respond.js';
import type { RestRequest, RestRouter } from '../http/router.js';
import { deviceInput, deviceJson, readDeviceBody } from './device-json.js';
import { encodeListCursor } from './list-cursor.js';
import { includeDeleted, parseListQuery } from './list-query.js';
import { type Negotiated, negotiate, requireJsonBody, requireMergePatch } from './media.js';
import { checkIfMatch, etagOf, hasIfMatch } from './preconditions.js';

/** Tries of an unconditional PATCH that loses a race: its merge is redone on the new revision. */
const UNCONDITIONAL_PATCH_TRIES = 3;

type DeviceRow = Parameters<typeof deviceJson>[0];

function answer(media: Negotiated, device: DeviceRow, status = 200, headers: Record<string, string> = {}): Response {
  return json(deviceJson(device, media.version), status, {
    'content-type': media.contentType,
    etag: etagOf(device.revision),
    vary: 'Accept',
    ...headers,
  });
}

const isStaleRevision = (error: unknown) => error instanceof ConflictError && error.field === 'revision';

async function patchOnce(req: RestRequest, body: ReturnType<typeof readDeviceBody>) {
  const { ctx, params, request } = req;
  const id = params.id as string;
  const current = await getDevice(ctx.service, id);
  checkIfMatch(request, current.revision);
  const properties =
    body.properties === undefined ? undefined : body.properties === null ? {} : mergePatch(current.properties, body.properties);
  // The merge was made on this revision: writing it over a newer one would lose a change.
  await updateDevice(ctx.service, id, deviceInput(body, properties), { expectedRevision: current.revision });
  return getDevice(ctx.service, id);
}

/** RFC 8288 `Link: <…>; rel="next"`: this request's URL with the cursor in place of any offset. */
function nextLink(url: URL, cursor: string): string {
  const next = new URL(url);
  next.searchParams.delete('offset');
  next.searchParams.set('cursor', cursor);
  return `<${next.pathname}${next.search}>; rel="next"`;
}

export function mountDeviceRoutes(router: RestRouter): void {
  router.get('/devices', async ({ ctx, request, url }) => {
    const media = negotiate(request);
    const { filter, page } = parseListQuery(url.searchParams);
    const { items, total, next } = await listDevices(ctx.service, ctx.engine, filter, page);
    const nextCursor = next && encodeListCursor(next);
    return json(
      {
        items: items.map((d) => deviceJson(d, media.version)),
        ...(total === undefined ? {} : { total }),
        limit: page.limit,
        ...(page.offset === undefined ? {} : { offset: page.offset }),
        next: nextCursor,
      },
      200,
      { 'content-type': media.contentType, vary: 'Accept', ...(nextCursor ? { link: nextLink(url, nextCursor) } : {}) },
    );
  });

  router.post('/devices', async ({ ctx, request, url }) => {
    const media = negotiate(request);
    requireJsonBody(request);
    const body = readDeviceBody(await readJson(request));
    const created = await createDevice(ctx.service, deviceInput(body, body.properties ?? undefined));
    const device = await getDevice(ctx.service, created.id);
    return answer(media, device, 201, { location: `${url.pathname.replace(/\/$/, '')}/${device.id}` });
  });

  router.get('/devices/:id', async ({ ctx, request, params, url }) => {
    const media = negotiate(request);
    return answer(media, await getDevice(ctx.service, params.id as string, { includeDeleted: includeDeleted(url.searchParams) }));
  });

  router.patch('/devices/:id', async (req) => {
    const media = negotiate(req.request);
    requireMergePatch(req.request);
    const body = readDeviceBody(await readJson(req.request));
    for (let attempt = 1; ; attempt++) {
      try {
        return answer(media, await patchOnce(req, body));
      } catch (error) {
        if (!isStaleRevision(error) || hasIfMatch(req.request) || attempt === UNCONDITIONAL_PATCH_TRIES) throw error;
      }
    }
  });

  router.delete('/devices/:id', async ({ ctx, request, params }) => {
    negotiate(request);
    const id = params.id as string;
    const current = await getDevice(ctx.service, id);
    checkIfMatch(request, current.revision);
    await deleteDevice(ctx.service, id, hasIfMatch(request) ? { expectedRevision: current.revision } : {});
    return noContent();
  });

  router.post('/devices/:id/restore', async ({ ctx, request, params }) => {
    const media = negotiate(request);
    const restored = await restoreDevice(ctx.service, params.id as string);
    return answer(media, await getDevice(ctx.service, restored.id));
  });
}
