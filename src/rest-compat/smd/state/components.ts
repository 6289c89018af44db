// /State/Components: the collection (GET with SMD's filters, POST upsert, DELETE all), one
// component (GET/PUT/DELETE), ByNID, Query, and the single and bulk PATCH operations.
// Status codes are the ones clients switch on: 204 from POST/PUT and every PATCH (PCS needs 204
// from BulkStateData), 404 "no such xname." for a missing or invalid xname on GET.
import { ConflictError, NotFoundError, ValidationError } from '../../../domain/errors.js';
import { normalizeXname } from '../../../domain/xname.js';
import type { ServiceContext } from '../../../services/core/index.js';
import {
  type ComponentFields,
  type ComponentInput,
  deleteAllComponents,
  deleteComponent,
  findComponent,
  findComponentByNid,
  findComponents,
  requireComponentIds,
  setComponentFields,
  setComponentNids,
  setComponentStates,
  updateComponents,
  upsertSmdComponents,
  withNidRanges,
} from '../../../services/smd/index.js';
import { json, noContent } from '../../http/respond.js';
import type { RestRequest, RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import {
  componentArray,
  componentJson,
  fieldSetFromBody,
  fieldSetFromQuery,
  filterFromBody,
  filterFromQuery,
  withFilterPrefix,
} from './component-filter.js';
import {
  asObject,
  decodeError,
  get,
  message,
  type Obj,
  optArray,
  optBool,
  optObject,
  optString,
  optStringList,
  readObject,
} from './wire.js';

const BASE = '/State/Components';

/** SMD's json.Number NID: absent or "" → not given; negative or not an integer → "no NID". */
function decodeNid(value: unknown, field: string): number | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (Number.isNaN(n)) throw decodeError(value, field, 'json.Number');
  return Number.isInteger(n) && n >= 0 ? n : null;
}

interface DecodedComponent {
  /** The raw strings, for SMD's "state 'X' is invalid" wording. */
  raw: Record<string, string>;
  input: ComponentInput;
}

/** One base.Component of a request body. Type is ignored: it follows from the xname. */
function decodeComponent(value: unknown, struct: string): DecodedComponent {
  const obj = asObject(value, 'base.Component');
  const text = (name: string) => optString(obj, name, struct) ?? '';
  const raw = {
    xname: text('ID'),
    state: text('State'),
    flag: text('Flag'),
    role: text('Role'),
    subRole: text('SubRole'),
    netType: text('NetType'),
    arch: text('Arch'),
    class: text('Class'),
  };
  const optional = (v: string) => (v === '' ? undefined : v);
  const input: ComponentInput = {
    xname: raw.xname,
    state: raw.state === '' ? undefined : raw.state,
    flag: optional(raw.flag),
    enabled: optBool(obj, 'Enabled', struct),
    softwareStatus: optional(text('SoftwareStatus')),
    role: optional(raw.role),
    subRole: optional(raw.subRole),
    nid: decodeNid(get(obj, 'NID'), `${struct}.NID`),
    subtype: optional(text('Subtype')),
    netType: optional(raw.netType),
    arch: optional(raw.arch),
    class: optional(raw.class),
    reservationDisabled: optBool(obj, 'ReservationDisabled', struct) || undefined,
    locked: optBool(obj, 'Locked', struct) || undefined,
  };
  return { raw, input };
}

/** SMD's VerifyNormalize wording for the field a ValidationError names. */
const PHRASES: Record<string, string> = {
  xname: 'xname ID',
  state: 'state',
  flag: 'flag',
  role: 'role',
  subRole: 'subRole',
  netType: 'netType',
  arch: 'arch',
  class: 'class',
};

/**
 * Runs an upsert, answering validation errors as SMD does ("couldn't validate components:
 * state 'X' is invalid") and a NID conflict (SMD does not check NIDs) as a 409.
 */
async function upsert(ctx: ServiceContext, items: DecodedComponent[], force: boolean, plural: boolean): Promise<void> {
  const prefix = plural ? "couldn't validate components: " : "couldn't validate component: ";
  try {
    await upsertSmdComponents(
      ctx,
      items.map((i) => i.input),
      { force },
      'components',
    );
  } catch (error) {
    if (error instanceof ValidationError && error.field) {
      const [, index, name] = error.field.split('.');
      const phrase = PHRASES[name];
      const raw = items[Number(index)]?.raw[name];
      if (phrase && raw !== undefined) throw new SmdError(400, `${prefix}${phrase} '${raw}' is invalid`);
      throw new SmdError(400, `${prefix}${error.message}`);
    }
    if (error instanceof ConflictError)
      throw new SmdError(409, `operation '${plural ? 'Post Components' : 'PUT'}' failed: ${error.message}`);
    throw error;
  }
}

async function postComponents({ request, ctx }: RestRequest): Promise<Response> {
  const body = await readObject(request, 'sm.ComponentsPost');
  const list = optArray(body, 'Components', 'sm.ComponentsPost', '[]*base.Component') ?? [];
  const items = list.map((item) => decodeComponent(item, 'sm.ComponentsPost.Components'));
  if (items.length === 0 || items[0].raw.xname === '') throw new SmdError(400, 'Missing Components');
  await upsert(ctx.service, items, optBool(body, 'force', 'sm.ComponentsPost') ?? false, true);
  return noContent();
}

async function putComponent({ request, params, ctx }: RestRequest): Promise<Response> {
  const xname = normalizeXname(params.xname ?? '');
  const body = await readObject(request, 'sm.ComponentPut');
  const item = decodeComponent(optObject(body, 'component', 'sm.ComponentPut', 'base.Component') ?? {}, 'sm.ComponentPut.component');
  if (item.raw.xname === '') item.raw.xname = item.input.xname = xname;
  else if (normalizeXname(item.raw.xname) !== xname) throw new SmdError(400, 'ID in URL and POST body do not match');
  await upsert(ctx.service, [item], optBool(body, 'force', 'sm.ComponentPut') ?? false, false);
  return noContent();
}

async function deleteOne({ params, ctx }: RestRequest): Promise<Response> {
  try {
    await deleteComponent(ctx.service, params.xname ?? '');
  } catch (error) {
    if (error instanceof ValidationError) throw new SmdError(400, 'invalid xname');
    if (error instanceof NotFoundError) throw new SmdError(404, 'no such xname.');
    throw error;
  }
  return message('deleted 1 entry');
}

async function deleteAll({ ctx }: RestRequest): Promise<Response> {
  const count = await deleteAllComponents(ctx.service);
  if (count === 0) throw new SmdError(404, 'no entries to delete');
  return message(`deleted ${count} entries`);
}

async function queryPost({ request, ctx }: RestRequest): Promise<Response> {
  const body = await readObject(request, 'main.CompQueryIn');
  const ids = optStringList(body, 'ComponentIDs', 'main.CompQueryIn') ?? [];
  if (ids.length === 0) throw new SmdError(400, 'Missing IDs');
  const filter = filterFromBody(body);
  const fields = fieldSetFromBody(body);
  const rows = await withFilterPrefix(() =>
    findComponents(ctx.service, filter, fields, { ids, descendants: (filter.type?.length ?? 0) > 0 }),
  );
  return componentArray(rows);
}

async function queryGet({ params, query, ctx }: RestRequest): Promise<Response> {
  const filter = filterFromQuery(query);
  const scope = { ids: [normalizeXname(params.xname ?? '')], descendants: (filter.type?.length ?? 0) > 0 };
  return componentArray(await withFilterPrefix(() => findComponents(ctx.service, filter, fieldSetFromQuery(query), scope)));
}

async function byNidQuery({ request, ctx }: RestRequest): Promise<Response> {
  const body = await readObject(request, 'main.NIDQueryIn');
  const ranges = optStringList(body, 'NIDRanges', 'main.NIDQueryIn') ?? [];
  if (ranges.length === 0) throw new SmdError(400, 'Missing NID ranges');
  const fields = fieldSetFromBody(body);
  const rows = await withFilterPrefix(() => findComponents(ctx.service, withNidRanges(filterFromBody(body), ranges), fields));
  return componentArray(rows);
}

/** The fields of SMD's CompUpdate (PATCH bodies), decoded with Go's types. */
interface CompUpdate {
  ids: unknown[] | undefined;
  state: string;
  flag: string;
  enabled: boolean | undefined;
  softwareStatus: string | undefined;
  role: string | undefined;
  subRole: string | undefined;
  nid: number | undefined;
  force: boolean;
}

function decodeUpdate(body: Obj): CompUpdate {
  const struct = 'main.CompUpdate';
  const nid = get(body, 'NID');
  if (nid !== undefined && nid !== null && (typeof nid !== 'number' || !Number.isInteger(nid)))
    throw decodeError(nid, `${struct}.NID`, 'int64');
  return {
    ids: optArray(body, 'ComponentIDs', struct, '[]string'),
    state: optString(body, 'State', struct) ?? '',
    flag: optString(body, 'Flag', struct) ?? '',
    enabled: optBool(body, 'Enabled', struct),
    softwareStatus: optString(body, 'SoftwareStatus', struct),
    role: optString(body, 'Role', struct),
    subRole: optString(body, 'SubRole', struct),
    nid: nid === null ? undefined : (nid as number | undefined),
    force: optBool(body, 'Force', struct) ?? false,
  };
}

type PatchOp = 'StateData' | 'FlagOnly' | 'Enabled' | 'SoftwareStatus' | 'Role' | 'NID';

const NO_MATCH = 'a required argument did not match any valid input';

/** Maps the service's field errors to SMD's texts for the op; other errors pass. */
function patchError(error: unknown, texts: Record<string, string>): unknown {
  if (error instanceof ValidationError && error.field) {
    const name = error.field.split('.').pop() as string;
    if (texts[name]) return new SmdError(400, texts[name]);
    if (/^(xnames|components)\.\d+$/.test(error.field) || name === 'xname') return new SmdError(400, 'invalid xname ID');
    return new SmdError(400, error.message);
  }
  if (error instanceof ConflictError) return new SmdError(409, error.message);
  return error;
}

/**
 * SMD's doCompUpdate: the IDs first ("Missing IDs", "invalid xname ID"), then the op's own
 * field ("Missing State" …), then the values. Unknown xnames are skipped; the answer is 204.
 */
async function applyPatch(ctx: ServiceContext, op: PatchOp, update: CompUpdate): Promise<Response> {
  const ids = requireComponentIds(update.ids);
  const fields = (patch: ComponentFields, texts: Record<string, string>) =>
    setComponentFields(ctx, ids, patch).catch((error) => {
      throw patchError(error, texts);
    });
  switch (op) {
    case 'StateData':
      if (update.state === '') throw new SmdError(400, 'Missing State');
      await setComponentStates(ctx, ids, { state: update.state, flag: update.flag || undefined, force: update.force }).catch((error) => {
        throw patchError(error, {
          state: 'Argument was not a valid HMS State',
          flag: 'Argument was not a valid HMS Flag',
          force: 'operation not allowed and not forced.',
        });
      });
      break;
    case 'FlagOnly':
      if (update.flag === '') throw new SmdError(400, 'Missing Flag');
      await fields({ flag: update.flag }, { flag: NO_MATCH });
      break;
    case 'Enabled':
      if (update.enabled === undefined) throw new SmdError(400, 'Missing Enabled field');
      await fields({ enabled: update.enabled }, {});
      break;
    case 'SoftwareStatus':
      if (update.softwareStatus === undefined) throw new SmdError(400, 'Missing SoftwareStatus');
      await fields({ softwareStatus: update.softwareStatus }, {});
      break;
    case 'Role':
      if (update.role === undefined) throw new SmdError(400, 'Missing Role');
      // SMD refuses an empty Role; the service would read "" as "clear it".
      if (update.role === '') throw new SmdError(400, NO_MATCH);
      await fields({ role: update.role, subRole: update.subRole || null }, { role: NO_MATCH, subRole: NO_MATCH });
      break;
    case 'NID': {
      if (update.nid === undefined) throw new SmdError(400, 'Missing NID');
      const nid = update.nid < 0 ? null : update.nid;
      await updateComponents(
        ctx,
        ids.map((xname) => ({ xname, nid })),
        { skipMissing: true },
      ).catch((error) => {
        throw patchError(error, {});
      });
      break;
    }
  }
  return noContent();
}

function bulkPatch(op: PatchOp) {
  return async ({ request, ctx }: RestRequest) => applyPatch(ctx.service, op, decodeUpdate(await readObject(request, 'main.CompUpdate')));
}

function singlePatch(op: PatchOp) {
  return async ({ request, params, ctx }: RestRequest) => {
    const body = await readObject(request, 'main.compPatchIn');
    const xname = params.xname ?? '';
    const id = optString(body, 'ID', 'main.compPatchIn') ?? '';
    // SMD compares the body's ID with the URL's as given (not normalised).
    if (id !== '' && id !== xname) throw new SmdError(400, 'ID in URL and PATCH body do not match');
    return applyPatch(ctx.service, op, { ...decodeUpdate(body), ids: [id || xname] });
  };
}

/** PATCH BulkNID: each item its own NID; every item or none. */
async function bulkNid({ request, ctx }: RestRequest): Promise<Response> {
  const body = await readObject(request, 'main.componentArrayIn');
  const list = optArray(body, 'Components', 'main.componentArrayIn', '[]base.Component') ?? [];
  const items = list.map((value) => {
    const obj = asObject(value, 'base.Component');
    return { id: optString(obj, 'ID', 'base.Component') ?? '', nid: get(obj, 'NID') };
  });
  if (items.length === 0 || items[0].id === '') throw new SmdError(400, 'Missing Components');
  const inputs = items.map((item) => {
    // SMD needs an integral json.Number here; a negative one unsets the NID.
    const nid = item.nid === undefined || item.nid === null || item.nid === '' ? undefined : decodeNid(item.nid, 'base.Component.NID');
    const integral = typeof item.nid === 'number' ? Number.isInteger(item.nid) : typeof item.nid === 'string' && /^-?\d+$/.test(item.nid);
    if (nid === undefined || !integral) throw new SmdError(400, 'NID value missing.  Use NID < 0 to unset.');
    return { xname: item.id, nid };
  });
  try {
    await setComponentNids(ctx.service, inputs);
  } catch (error) {
    throw patchError(error, {});
  }
  return noContent();
}

const PATCH_OPS: PatchOp[] = ['StateData', 'FlagOnly', 'Enabled', 'SoftwareStatus', 'Role'];

export function mountComponentRoutes(router: RestRouter): void {
  router.get(BASE, async ({ query, ctx }) => {
    const filter = filterFromQuery(query);
    return componentArray(await withFilterPrefix(() => findComponents(ctx.service, filter, fieldSetFromQuery(query))));
  });
  router.post(BASE, postComponents);
  router.delete(BASE, deleteAll);

  router.post(`${BASE}/Query`, queryPost);
  router.get(`${BASE}/Query/:xname`, queryGet);
  router.post(`${BASE}/ByNID/Query`, byNidQuery);
  router.get(`${BASE}/ByNID/:nid`, async ({ params, ctx }) => {
    const row = await findComponentByNid(ctx.service, params.nid ?? '');
    if (!row) throw new SmdError(404, 'no such NID.');
    return json(componentJson(row));
  });

  for (const op of PATCH_OPS) {
    router.patch(`${BASE}/Bulk${op}`, bulkPatch(op));
    router.patch(`${BASE}/:xname/${op}`, singlePatch(op));
  }
  router.patch(`${BASE}/BulkNID`, bulkNid);
  router.patch(`${BASE}/:xname/NID`, singlePatch('NID'));

  router.get(`${BASE}/:xname`, async ({ params, ctx }) => {
    const row = await findComponent(ctx.service, params.xname ?? '');
    if (!row) throw new SmdError(404, 'no such xname.');
    return json(componentJson(row));
  });
  router.put(`${BASE}/:xname`, putComponent);
  router.delete(`${BASE}/:xname`, deleteOne);
}
