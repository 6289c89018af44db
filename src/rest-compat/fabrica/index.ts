// Fabrica-style resource routes (/components, /groups …): the OpenCHAMI inventory-service API.
// Each kind gets the routes Fabrica generates:
//   GET    /<plural>              bare JSON array of envelopes
//   POST   /<plural>              {metadata, spec, labels?, annotations?} → 201 envelope
//   GET    /<plural>/{uid}
//   PUT    /<plural>/{uid}        replaces the spec; metadata.name renames; labels/annotations merge
//   PATCH  /<plural>/{uid}        merge patch, JSON Patch or shorthand patch of the spec
//   DELETE /<plural>/{uid}        200 {message, uid}
//   GET|PUT|PATCH /<plural>/{uid}/status
// The spec of every kind is the SMD JSON of its entity, encoded by the same SMD codec the
// SMD routes use, so both families show the same data.
import { InventoryError } from '../../domain/errors.js';
import {
  createFabricaResource,
  deleteFabricaResource,
  FABRICA_KINDS,
  type FabricaItem,
  type FabricaKind,
  type FabricaMetaInput,
  getFabricaResource,
  listFabricaResources,
  setFabricaStatus,
  updateFabricaResource,
} from '../../services/fabrica/index.js';
import { json, readJson } from '../http/respond.js';
import { type RestHandler, type RestRequest, RestRouter } from '../http/router.js';
import { FabricaError, fabricaBehaviour, inventoryErrorResponse } from './errors.js';
import { FABRICA_KIND_ROUTES, type FabricaKindRoutes } from './kinds.js';
import { applyPatch, PatchError, patchFormat } from './patch.js';

export const FABRICA_API_VERSION = 'v1';

const HEADERS = { 'cache-control': 'private, must-revalidate' };

/** The Fabrica envelope of a resource. Empty labels and annotations are left out, as Fabrica does. */
export function envelope<K extends FabricaKind>(item: FabricaItem<K>, routes: FabricaKindRoutes<K>) {
  const { meta } = item;
  return {
    apiVersion: FABRICA_API_VERSION,
    kind: item.kind,
    metadata: {
      name: meta.name,
      uid: meta.uid,
      ...(Object.keys(meta.labels).length ? { labels: meta.labels } : {}),
      ...(Object.keys(meta.annotations).length ? { annotations: meta.annotations } : {}),
      createdAt: item.createdAt.toISOString(),
      updatedAt: item.updatedAt.toISOString(),
    },
    id: item.naturalKey,
    spec: routes.spec(item.entity),
    status: meta.status,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The request body as an object; 400 otherwise. */
async function bodyObject(req: RestRequest): Promise<Record<string, unknown>> {
  const body = await readJson(req.request);
  if (!isObject(body)) throw new FabricaError(400, 'invalid request body: must be a JSON object');
  return body;
}

/** name, labels and annotations of a create or update body: top-level maps merge into metadata's. */
function metaInput(body: Record<string, unknown>): FabricaMetaInput {
  const metadata = body.metadata;
  if (metadata !== undefined && metadata !== null && !isObject(metadata))
    throw new FabricaError(400, 'invalid request body: metadata must be an object');
  const merged = (key: 'labels' | 'annotations') => {
    const inner = metadata?.[key];
    const outer = body[key];
    if (inner === undefined && outer === undefined) return undefined;
    for (const [where, value] of [
      [`metadata.${key}`, inner],
      [key, outer],
    ] as const) {
      if (value !== undefined && value !== null && !isObject(value))
        throw new FabricaError(400, `validation failed: ${where}: must be an object of strings`);
    }
    return { ...(inner as object | undefined), ...(outer as object | undefined) } as Record<string, string>;
  };
  return { name: metadata?.name as string | undefined, labels: merged('labels'), annotations: merged('annotations') };
}

function mountKind<K extends FabricaKind>(router: RestRouter, routes: FabricaKindRoutes<K>): void {
  const { kind, path } = routes;
  /** Service errors answered with this kind's spec field names. */
  const handle =
    (handler: RestHandler): RestHandler =>
    async (req) => {
      try {
        return await handler(req);
      } catch (error) {
        if (error instanceof InventoryError) {
          const names = error.code === 'CONFLICT' && routes.conflictFields ? routes.conflictFields : routes.fields;
          return inventoryErrorResponse(error, names);
        }
        throw error;
      }
    };
  const show = (item: FabricaItem<K>, status = 200) => json(envelope(item, routes), status, HEADERS);
  const uidOf = (req: RestRequest) => req.params.uid ?? '';

  router.get(
    path,
    handle(async ({ ctx }) =>
      json(
        (await listFabricaResources(ctx.service, kind)).map((item) => envelope(item, routes)),
        200,
        HEADERS,
      ),
    ),
  );

  router.post(
    path,
    handle(async (req) => {
      const body = await bodyObject(req);
      if (body.spec === undefined || body.spec === null) throw new FabricaError(400, 'validation failed: spec is required');
      const input = routes.input(body.spec);
      return show(await createFabricaResource(req.ctx.service, kind, input, metaInput(body)), 201);
    }),
  );

  router.get(
    `${path}/:uid`,
    handle(async (req) => show(await getFabricaResource(req.ctx.service, kind, uidOf(req)))),
  );

  router.put(
    `${path}/:uid`,
    handle(async (req) => {
      const body = await bodyObject(req);
      const meta = metaInput(body);
      const spec = body.spec;
      const updated = await updateFabricaResource(req.ctx.service, kind, uidOf(req), () => ({
        ...meta,
        input: spec === undefined || spec === null ? undefined : routes.replacement(spec),
      }));
      return show(updated);
    }),
  );

  router.patch(
    `${path}/:uid`,
    handle(async (req) => {
      const format = patchFormat(req.request.headers.get('content-type'));
      if (!format)
        throw new FabricaError(
          415,
          `unsupported patch Content-Type ${JSON.stringify(req.request.headers.get('content-type'))}: use application/merge-patch+json, application/json-patch+json or application/shorthand-patch+json`,
        );
      const patch = await readJson(req.request);
      const updated = await updateFabricaResource(req.ctx.service, kind, uidOf(req), (current) => {
        const patched = applyPatch(routes.spec(current.entity), patch, format);
        if (!isObject(patched)) throw new PatchError('the patched spec is not a JSON object');
        return { input: routes.replacement(patched) };
      });
      return show(updated);
    }),
  );

  router.delete(
    `${path}/:uid`,
    handle(async (req) => {
      const removed = await deleteFabricaResource(req.ctx.service, kind, uidOf(req));
      return json({ message: `${kind} deleted successfully`, uid: removed.meta.uid }, 200, HEADERS);
    }),
  );

  router.get(
    `${path}/:uid/status`,
    handle(async (req) => show(await getFabricaResource(req.ctx.service, kind, uidOf(req)))),
  );

  router.put(
    `${path}/:uid/status`,
    handle(async (req) => {
      const status = await bodyObject(req);
      return show(await setFabricaStatus(req.ctx.service, kind, uidOf(req), () => status));
    }),
  );

  router.patch(
    `${path}/:uid/status`,
    handle(async (req) => {
      const format = patchFormat(req.request.headers.get('content-type'));
      if (!format) throw new FabricaError(415, `unsupported patch Content-Type ${JSON.stringify(req.request.headers.get('content-type'))}`);
      const patch = await readJson(req.request);
      const updated = await setFabricaStatus(req.ctx.service, kind, uidOf(req), (current) => {
        const patched = applyPatch(current.meta.status, patch, format);
        if (!isObject(patched)) throw new PatchError('the patched status is not a JSON object');
        const removed = Object.keys(current.meta.status).filter((key) => !(key in patched));
        if (removed.length) throw new PatchError(`a status patch may not remove fields (${removed.join(', ')})`);
        return patched;
      });
      return show(updated);
    }),
  );
}

export function createFabricaRouter(): RestRouter {
  const router = new RestRouter('', fabricaBehaviour, 'fabrica');
  for (const kind of FABRICA_KINDS) mountKind(router, FABRICA_KIND_ROUTES[kind] as FabricaKindRoutes<typeof kind>);
  return router;
}
