// /Inventory/RedfishEndpoints: the BMCs (and PDU controllers, switches) SMD knows, with the
// OpenCHAMI discovery payloads magellan and ochami POST and PUT (SchemaVersion, Managers,
// Systems, PDUInventory), whose side effects land in the same transaction as the endpoint.
//
// Passwords are accepted and stored, never answered (Password is always "", as SMD answers
// when credentials live in Vault) and never logged: a request's password is scrubbed from any
// unexpected error before it can reach the error log.
import {
  decodeRedfishEndpointPatch,
  decodeRedfishEndpointPut,
  decodeRedfishEndpointsPost,
  deletedText,
  endpointXnameOf,
  REDFISH_ENDPOINT_TEXTS,
  type RedfishEndpointWrite,
  redfishEndpointFilterFromQuery,
  redfishEndpointJson,
  redfishEndpointsJson,
  redfishEndpointWriteError,
  SMD_TEXTS,
  smdBadRequest,
  smdNotFound,
  smdXname,
} from '../../../codecs/smd/index.js';
import { InventoryError } from '../../../domain/errors.js';
import {
  createRedfishEndpoints,
  createRedfishEndpointWithInventory,
  deleteAllRedfishEndpoints,
  deleteRedfishEndpoint,
  findRedfishEndpoint,
  listRedfishEndpoints,
  replaceRedfishEndpointWithInventory,
  updateRedfishEndpoint,
} from '../../../services/smd/index.js';
import { json, noContent, readJson } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { INVENTORY } from '../prefix.js';
import { createdUris, message } from '../respond.js';

const BASE = `${INVENTORY}/RedfishEndpoints`;

/**
 * Runs a write, answering the service's errors in SMD's words for `write`; a request's
 * password is kept out of any other error, which could be logged.
 */
async function smdWrite<T>(write: RedfishEndpointWrite, password: string | null | undefined, work: Promise<T>, xname?: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (password && !(error instanceof InventoryError)) {
      const text = `${(error as Error)?.message ?? ''}\n${(error as Error)?.stack ?? ''}`;
      if (text.includes(password)) throw new Error('store error (details withheld: they contained a credential)');
    }
    throw redfishEndpointWriteError(write, error, xname);
  }
}

export function mountRedfishEndpointRoutes(router: RestRouter): void {
  const path = '/Inventory/RedfishEndpoints';

  router.get(path, async ({ query, ctx }) =>
    json(redfishEndpointsJson(await listRedfishEndpoints(ctx.service, redfishEndpointFilterFromQuery(query)))),
  );

  router.post(path, async ({ request, ctx }) => {
    const post = decodeRedfishEndpointsPost(await readJson(request));
    if (post.kind === 'one') {
      const { input, inventory } = post;
      const row = await smdWrite('post-one', input.password, createRedfishEndpointWithInventory(ctx.service, input, inventory));
      return createdUris([`${BASE}/${row.xname}`], BASE);
    }
    if (post.inputs.length === 0) return createdUris([], BASE);
    const password = post.inputs.find((input) => input.password)?.password;
    const rows = await smdWrite('post-list', password, createRedfishEndpoints(ctx.service, post.inputs, 'RedfishEndpoints'));
    return createdUris(
      rows.map((row) => `${BASE}/${row.xname}`),
      BASE,
    );
  });

  router.delete(path, async ({ ctx }) => message(deletedText(await deleteAllRedfishEndpoints(ctx.service))));

  router.get(`${path}/Query/:xname`, async ({ params, ctx }) => {
    const xname = params.xname ?? '';
    if (xname !== '' && xname !== 'all' && xname !== 's0') throw smdBadRequest(REDFISH_ENDPOINT_TEXTS.queryNotImplemented);
    return json(redfishEndpointsJson(await listRedfishEndpoints(ctx.service)));
  });

  router.get(`${path}/:xname`, async ({ params, ctx }) => {
    const xname = smdXname(params.xname ?? '');
    const row = xname ? await findRedfishEndpoint(ctx.service, xname) : null;
    if (!row) throw smdNotFound(SMD_TEXTS.noSuchXname);
    return json(redfishEndpointJson(row));
  });

  router.put(`${path}/:xname`, async ({ params, request, ctx }) => {
    const { input, inventory } = decodeRedfishEndpointPut(await readJson(request), params.xname ?? '');
    const { row, created } = await smdWrite('put', input.password, replaceRedfishEndpointWithInventory(ctx.service, input, inventory));
    if (created) return noContent();
    return json(redfishEndpointJson(row));
  });

  router.patch(`${path}/:xname`, async ({ params, request, ctx }) => {
    const { xname, fields } = decodeRedfishEndpointPatch(await readJson(request), params.xname ?? '');
    if (Object.keys(fields).length === 0) {
      const row = await findRedfishEndpoint(ctx.service, xname);
      if (!row) throw smdNotFound(REDFISH_ENDPOINT_TEXTS.noSuchEntry(xname));
      return json(redfishEndpointJson(row));
    }
    const row = await smdWrite('patch', fields.password, updateRedfishEndpoint(ctx.service, xname, fields), xname);
    return json(redfishEndpointJson(row));
  });

  router.delete(`${path}/:xname`, async ({ params, ctx }) => {
    const xname = endpointXnameOf(params.xname ?? '', SMD_TEXTS.notAnXnameId, () => SMD_TEXTS.noSuchXname);
    await smdWrite('delete', undefined, deleteRedfishEndpoint(ctx.service, xname));
    return message('deleted 1 entry');
  });
}
