// /State/Components: the collection (GET with SMD's filters, POST upsert, DELETE all), one
// component (GET/PUT/DELETE), ByNID, Query, and the single and bulk PATCH operations.
// Status codes are the ones clients switch on: 204 from POST/PUT and every PATCH (PCS needs 204
// from BulkStateData), 404 "no such xname." for a missing or invalid xname on GET.
import {
  badQueryParam,
  COMPONENT_TEXTS,
  type ComponentPatch,
  type ComponentPatchOp,
  componentDeleteError,
  componentJson,
  componentPatchError,
  componentsJson,
  componentUpsertError,
  decodeComponentBulkPatch,
  decodeComponentNids,
  decodeComponentPatch,
  decodeComponentPut,
  decodeComponentQuery,
  decodeComponentsPost,
  decodeNidQuery,
  deletedAllText,
  fieldSetFromQuery,
  filterFromQuery,
  SMD_TEXTS,
  smdNotFound,
} from '../../../codecs/smd/index.js';
import { normalizeXname } from '../../../domain/xname.js';
import type { ServiceContext } from '../../../services/core/index.js';
import {
  deleteAllComponents,
  deleteComponent,
  findComponent,
  findComponentByNid,
  findComponents,
  setComponentFields,
  setComponentNids,
  setComponentStates,
  updateComponents,
  upsertSmdComponents,
} from '../../../services/smd/index.js';
import { json, noContent, readJson } from '../../http/respond.js';
import type { RestRequest, RestRouter } from '../../http/router.js';
import { message } from '../respond.js';

const BASE = '/State/Components';

/** A read whose filter errors SMD reports as "bad query param: <error>". */
async function filtered<T>(read: Promise<T>): Promise<T> {
  return read.catch((error) => {
    throw badQueryParam(error);
  });
}

async function postComponents({ request, ctx }: RestRequest): Promise<Response> {
  const { inputs, force } = decodeComponentsPost(await readJson(request));
  await upsertSmdComponents(ctx.service, inputs, { force }, 'components').catch((error) => {
    throw componentUpsertError(error, inputs, true);
  });
  return noContent();
}

async function putComponent({ request, params, ctx }: RestRequest): Promise<Response> {
  const { input, force } = decodeComponentPut(await readJson(request), params.xname ?? '');
  await upsertSmdComponents(ctx.service, [input], { force }, 'components').catch((error) => {
    throw componentUpsertError(error, [input], false);
  });
  return noContent();
}

async function queryPost({ request, ctx }: RestRequest): Promise<Response> {
  const { ids, filter, fields } = decodeComponentQuery(await readJson(request));
  const scope = { ids, descendants: (filter.type?.length ?? 0) > 0 };
  return json(componentsJson(await filtered(findComponents(ctx.service, filter, fields, scope))));
}

async function queryGet({ params, query, ctx }: RestRequest): Promise<Response> {
  const filter = filterFromQuery(query);
  const scope = { ids: [normalizeXname(params.xname ?? '')], descendants: (filter.type?.length ?? 0) > 0 };
  return json(componentsJson(await filtered(findComponents(ctx.service, filter, fieldSetFromQuery(query), scope))));
}

async function byNidQuery({ request, ctx }: RestRequest): Promise<Response> {
  const { filter, fields } = decodeNidQuery(await readJson(request));
  return json(componentsJson(await filtered(findComponents(ctx.service, filter, fields))));
}

/** Applies a decoded PATCH; unknown xnames are skipped. */
async function applyPatch(ctx: ServiceContext, patch: ComponentPatch): Promise<void> {
  switch (patch.op) {
    case 'StateData':
      await setComponentStates(ctx, patch.ids, { state: patch.state, flag: patch.flag, force: patch.force });
      return;
    case 'NID':
      await updateComponents(
        ctx,
        patch.ids.map((xname) => ({ xname, nid: patch.nid })),
        { skipMissing: true },
      );
      return;
    default:
      await setComponentFields(ctx, patch.ids, patch.fields);
  }
}

function patchRoute(op: ComponentPatchOp, decode: (req: RestRequest, body: unknown) => ComponentPatch) {
  return async (req: RestRequest) => {
    const patch = decode(req, await readJson(req.request));
    await applyPatch(req.ctx.service, patch).catch((error) => {
      throw componentPatchError(op, error);
    });
    return noContent();
  };
}

const PATCH_OPS: ComponentPatchOp[] = ['StateData', 'FlagOnly', 'Enabled', 'SoftwareStatus', 'Role'];

export function mountComponentRoutes(router: RestRouter): void {
  router.get(BASE, async ({ query, ctx }) =>
    json(componentsJson(await filtered(findComponents(ctx.service, filterFromQuery(query), fieldSetFromQuery(query))))),
  );
  router.post(BASE, postComponents);
  router.delete(BASE, async ({ ctx }) => message(deletedAllText(await deleteAllComponents(ctx.service))));

  router.post(`${BASE}/Query`, queryPost);
  router.get(`${BASE}/Query/:xname`, queryGet);
  router.post(`${BASE}/ByNID/Query`, byNidQuery);
  router.get(`${BASE}/ByNID/:nid`, async ({ params, ctx }) => {
    const row = await findComponentByNid(ctx.service, params.nid ?? '');
    if (!row) throw smdNotFound(COMPONENT_TEXTS.noSuchNid);
    return json(componentJson(row));
  });

  for (const op of PATCH_OPS) {
    router.patch(
      `${BASE}/Bulk${op}`,
      patchRoute(op, (_req, body) => decodeComponentBulkPatch(op, body)),
    );
    router.patch(
      `${BASE}/:xname/${op}`,
      patchRoute(op, (req, body) => decodeComponentPatch(op, body, req.params.xname ?? '')),
    );
  }
  router.patch(`${BASE}/BulkNID`, async ({ request, ctx }) => {
    const nids = decodeComponentNids(await readJson(request));
    await setComponentNids(ctx.service, nids).catch((error) => {
      throw componentPatchError('NID', error);
    });
    return noContent();
  });
  router.patch(
    `${BASE}/:xname/NID`,
    patchRoute('NID', (req, body) => decodeComponentPatch('NID', body, req.params.xname ?? '')),
  );

  router.get(`${BASE}/:xname`, async ({ params, ctx }) => {
    const row = await findComponent(ctx.service, params.xname ?? '');
    if (!row) throw smdNotFound(SMD_TEXTS.noSuchXname);
    return json(componentJson(row));
  });
  router.put(`${BASE}/:xname`, putComponent);
  router.delete(`${BASE}/:xname`, async ({ params, ctx }) => {
    await deleteComponent(ctx.service, params.xname ?? '').catch((error) => {
      throw componentDeleteError(error);
    });
    return message('deleted 1 entry');
  });
}
