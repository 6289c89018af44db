// /Inventory/Hardware (HWInvByLoc), /Inventory/HardwareByFRU (HWInvByFRU) and their History:
// SMD's hardware inventory, shaped from positions, their installed devices and the
// installation history (services/smd/hardware-inventory.ts).
import { xnameType } from '../../../domain/xname.js';
import {
  deleteFrus,
  deleteHardwareHistory,
  deleteHardwareLocations,
  type FruView,
  HARDWARE_TYPES,
  type HardwareLocationInput,
  type HardwareLocationView,
  type HistoryEvent,
  listFrus,
  listHardwareHistory,
  listHardwareLocations,
  loadHardwareLocations,
  standardFruId,
} from '../../../services/smd/index.js';
import type { QueryParams } from '../../http/query.js';
import { json } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import {
  asSmd,
  type Body,
  deletedCount,
  field,
  list,
  message,
  obj,
  readObject,
  rfc3339,
  smdType,
  smdXname,
  str,
  timestamp,
} from './common.js';

/** Per HMS type: the name SMD gives its *LocationInfo / *FRUInfo blocks, and its Query array. */
const KINDS: Record<string, { key: string; array: string }> = {
  Cabinet: { key: 'Cabinet', array: 'Cabinets' },
  Chassis: { key: 'Chassis', array: 'Chassis' },
  ComputeModule: { key: 'ComputeModule', array: 'ComputeModules' },
  RouterModule: { key: 'RouterModule', array: 'RouterModules' },
  NodeEnclosure: { key: 'NodeEnclosure', array: 'NodeEnclosures' },
  HSNBoard: { key: 'HSNBoard', array: 'HSNBoards' },
  MgmtSwitch: { key: 'MgmtSwitch', array: 'MgmtSwitches' },
  MgmtHLSwitch: { key: 'MgmtHLSwitch', array: 'MgmtHLSwitches' },
  CDUMgmtSwitch: { key: 'CDUMgmtSwitch', array: 'CDUMgmtSwitches' },
  Node: { key: 'Node', array: 'Nodes' },
  Processor: { key: 'Processor', array: 'Processors' },
  NodeAccel: { key: 'NodeAccel', array: 'NodeAccels' },
  Memory: { key: 'Memory', array: 'Memory' },
  Drive: { key: 'Drive', array: 'Drives' },
  NodeHsnNic: { key: 'NodeHsnNic', array: 'NodeHsnNics' },
  CabinetPDU: { key: 'PDU', array: 'CabinetPDUs' },
  CabinetPDUOutlet: { key: 'Outlet', array: 'CabinetPDUPowerConnectors' },
  CabinetPDUPowerConnector: { key: 'Outlet', array: 'CabinetPDUPowerConnectors' },
  CMMRectifier: { key: 'CMMRectifier', array: 'CMMRectifiers' },
  NodeEnclosurePowerSupply: { key: 'NodeEnclosurePowerSupply', array: 'NodeEnclosurePowerSupplies' },
  NodeAccelRiser: { key: 'NodeAccelRiser', array: 'NodeAccelRisers' },
  NodeBMC: { key: 'NodeBMC', array: 'NodeBMCs' },
  RouterBMC: { key: 'RouterBMC', array: 'RouterBMCs' },
};

/** The types NestNodesOnly files under their node. */
const NESTED_UNDER_NODE = new Set(['Processor', 'NodeAccel', 'Memory', 'Drive', 'NodeHsnNic', 'NodeAccelRiser']);

const keyOf = (type: string) => KINDS[type]?.key ?? type;

export function fruJson(fru: FruView) {
  const key = keyOf(fru.type);
  return { FRUID: fru.fruId, Type: fru.type, Subtype: '', HWInventoryByFRUType: `HWInvByFRU${key}`, [`${key}FRUInfo`]: fru.fruInfo };
}

export function locationJson(loc: HardwareLocationView): Record<string, unknown> {
  const key = keyOf(loc.type);
  const out: Record<string, unknown> = {
    ID: loc.xname,
    Type: loc.type,
    Ordinal: loc.ordinal,
    Status: loc.status,
    HWInventoryByLocationType: `HWInvByLoc${key}`,
    [`${key}LocationInfo`]: loc.locationInfo,
  };
  if (loc.fru) out.PopulatedFRU = fruJson(loc.fru);
  return out;
}

function historyJson(e: HistoryEvent) {
  return { ID: e.xname, FRUID: e.fruId, Timestamp: timestamp(e.timestamp), EventType: e.eventType };
}

/** SMD's HWInvHistResp: events grouped by location (or FRU), groups in order of first event. */
function historyGroups(events: HistoryEvent[], by: 'xname' | 'fruId') {
  const groups = new Map<string, ReturnType<typeof historyJson>[]>();
  for (const e of events) {
    const id = by === 'xname' ? e.xname : e.fruId;
    const list = groups.get(id) ?? [];
    list.push(historyJson(e));
    groups.set(id, list);
  }
  return { Components: [...groups].map(([ID, History]) => ({ ID, History })) };
}

// --- query parameters ------------------------------------------------------------------------

function xnamesOf(values: string[], detail = 'Invalid xname'): string[] | undefined {
  if (!values.length) return undefined;
  return values.map((v) => {
    const x = smdXname(v);
    if (!x) throw new SmdError(400, detail);
    return x;
  });
}

function typesOf(values: string[]): string[] | undefined {
  if (!values.length) return undefined;
  return values.map((v) => {
    const t = smdType(v);
    if (!t) throw new SmdError(400, 'Invalid HMS type');
    return t;
  });
}

function partitionsOf(values: string[]): string[] | undefined {
  if (!values.length) return undefined;
  return values.map((p) => {
    if (!/^[-a-z0-9:._]+$/.test(p.toLowerCase())) throw new SmdError(400, 'Invalid partition');
    return p.toLowerCase();
  });
}

const orUndefined = (values: string[]) => (values.length ? values : undefined);

function historyFilterOf(query: QueryParams) {
  const eventTypes = query.all('eventtype');
  const times = (name: string) => {
    const raw = query.get(name);
    if (raw === undefined || raw === '') return undefined;
    const date = rfc3339(raw);
    if (!date) throw new SmdError(400, 'bad query param: Argument was not in a valid RFC3339 time format');
    return date;
  };
  return {
    eventTypes: eventTypes.length
      ? eventTypes.map((t) => {
          const known = ['Added', 'Removed', 'Scanned', 'Detected'].find((k) => k.toLowerCase() === t.toLowerCase());
          if (!known) throw new SmdError(400, 'Invalid HWInvHist event type');
          return known;
        })
      : undefined,
    start: times('starttime'),
    end: times('endtime'),
  };
}

function parseBool(raw: string, name: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  throw new SmdError(400, `Invalid boolean for ${name}`);
}

// --- POST body -----------------------------------------------------------------------------------

/** SMD's NewHWInvByLocs checks, in SMD's order, and the FRUID SMD computes. */
function locationInput(value: unknown): HardwareLocationInput {
  const loc = obj(value, 'Hardware');
  const xname = smdXname(str(loc, 'ID') ?? '');
  const type = xname ? xnameType(xname) : undefined;
  if (!xname || !type) throw new SmdError(400, 'ID is empty or not a valid xname');
  const populated = field(loc, 'PopulatedFRU');
  if (populated === undefined || populated === null) throw new SmdError(400, 'PopulatedFRU must be populated');
  const fruBody = obj(populated, 'PopulatedFRU');
  if (!HARDWARE_TYPES.includes(type)) throw new SmdError(400, 'HMSType value not supported for this operation');
  const key = keyOf(type);
  const locationInfo = field(loc, `${key}LocationInfo`);
  if (locationInfo === undefined || locationInfo === null) throw new SmdError(400, 'Component location info is empty');
  const fruInfoValue = field(fruBody, `${key}FRUInfo`);
  if (fruInfoValue === undefined || fruInfoValue === null) throw new SmdError(400, 'FRU info is empty');
  const fruInfo = obj(fruInfoValue, `${key}FRUInfo`);
  const info = (name: string) => {
    const v = field(fruInfo, name);
    return typeof v === 'string' ? v : null;
  };
  const manufacturer = type === 'NodeAccelRiser' ? info('Producer') : info('Manufacturer');
  const partNumber = type === 'CMMRectifier' || type === 'NodeEnclosurePowerSupply' ? null : info('PartNumber');
  const serialNumber = info('SerialNumber');
  const outlet = key === 'Outlet';
  const fruId = outlet ? str(fruBody, 'FRUID') || `FRUIDfor${xname}` : standardFruId(type, xname, manufacturer, partNumber, serialNumber);
  return {
    xname,
    locationInfo: obj(locationInfo, `${key}LocationInfo`),
    fru: { fruId, manufacturer, partNumber: info('PartNumber'), serialNumber, model: info('Model'), fruInfo },
  };
}

// --- Query/{xname} -------------------------------------------------------------------------------

const isDescendant = (x: string, of: string) => x === of || (x.startsWith(of) && /^[a-z]/.test(x.slice(of.length)));

function systemInventory(locations: HardwareLocationView[], xname: string, format: string) {
  const out: Record<string, unknown> = { XName: xname, Format: format };
  const shaped = locations.map((loc) => ({ loc, json: locationJson(loc) }));
  const nodes = new Map(shaped.filter((s) => s.loc.type === 'Node').map((s) => [s.loc.xname, s.json]));
  for (const { loc, json: item } of shaped) {
    const kind = KINDS[loc.type];
    if (!kind) continue;
    let target = out;
    if (format === 'NestNodesOnly' && NESTED_UNDER_NODE.has(loc.type)) {
      const node = [...nodes.keys()].find((n) => isDescendant(loc.xname, n) && loc.xname !== n);
      if (node) target = nodes.get(node) as Record<string, unknown>;
    }
    const array = (target[kind.array] as unknown[] | undefined) ?? [];
    array.push(item);
    target[kind.array] = array;
  }
  return out;
}

export function mountHardwareRoutes(router: RestRouter): void {
  const hw = '/Inventory/Hardware';
  const byFru = '/Inventory/HardwareByFRU';

  router.get(hw, async ({ query, ctx }) => {
    const locations = await listHardwareLocations(ctx.service, {
      xnames: xnamesOf(query.all('id')),
      types: typesOf(query.all('type')),
      manufacturers: orUndefined(query.all('manufacturer')),
      partNumbers: orUndefined(query.all('partnumber')),
      serialNumbers: orUndefined(query.all('serialnumber')),
      fruIds: orUndefined(query.all('fruid')),
      partitions: partitionsOf(query.all('partition')),
    });
    return json(locations.map(locationJson));
  });

  router.post(hw, async ({ request, ctx }) => {
    const body: Body = await readObject(request);
    const items = (list(body, 'Hardware') ?? []).map(locationInput);
    const count = await loadHardwareLocations(ctx.service, items).catch((e) => {
      throw asSmd(e, { BAD_USER_INPUT: (err) => err.message, CONFLICT: (err) => err.message });
    });
    return message(`Created ${count} entries`);
  });

  router.delete(hw, async ({ ctx }) => deletedCount(await deleteHardwareLocations(ctx.service)));

  // History (static paths before /{xname}).
  router.get(`${hw}/History`, async ({ query, ctx }) => {
    const events = await listHardwareHistory(ctx.service, {
      ...historyFilterOf(query),
      xnames: xnamesOf(query.all('id')),
      fruIds: orUndefined(query.all('fruid')),
    });
    return json(historyGroups(events, 'xname'));
  });
  router.delete(`${hw}/History`, async ({ ctx }) => deletedCount(await deleteHardwareHistory(ctx.service)));
  router.get(`${hw}/History/:xname`, async ({ params, query, ctx }) => {
    const [xname] = xnamesOf([params.xname ?? '']) as string[];
    const events = await listHardwareHistory(ctx.service, { ...historyFilterOf(query), xnames: [xname] });
    return json({ ID: params.xname, History: events.map(historyJson) });
  });
  router.delete(`${hw}/History/:xname`, async ({ params, ctx }) => {
    const [xname] = xnamesOf([params.xname ?? '']) as string[];
    return deletedCount(await deleteHardwareHistory(ctx.service, { xnames: [xname] }));
  });

  router.get(`${hw}/Query/:xname`, async ({ params, query, ctx }) => {
    const raw = params.xname ?? '';
    const lower = raw.trim().toLowerCase();
    const everything = lower === '' || lower === 'all' || lower === 's0';
    const xname = everything ? undefined : smdXname(raw);
    if (!everything && !xname) throw new SmdError(400, 'Invalid xname');
    const partitions = partitionsOf(query.all('partition')) ?? [];
    const isPartition = xname !== undefined && xnameType(xname) === 'Partition';
    if (isPartition) partitions.push(xname as string);
    const parents = query.has('parents') ? parseBool(query.get('parents') ?? '', 'parents') : false;
    const children = query.has('children') ? parseBool(query.get('children') ?? '', 'children') : !parents;
    const formatRaw = query.get('format');
    let format = 'NestNodesOnly';
    if (formatRaw !== undefined) {
      const found = ['FullyFlat', 'NestNodesOnly'].find((f) => f.toLowerCase() === formatRaw.toLowerCase());
      if (!found) throw new SmdError(400, 'Invalid format');
      format = found;
    }
    let locations = await listHardwareLocations(ctx.service, {
      types: typesOf(query.all('type')),
      partitions: partitions.length ? partitions : undefined,
    });
    if (xname && !isPartition) {
      locations = locations.filter(
        (loc) => loc.xname === xname || (children && isDescendant(loc.xname, xname)) || (parents && isDescendant(xname, loc.xname)),
      );
    }
    return json(systemInventory(locations, raw, format));
  });

  router.get(`${hw}/:xname`, async ({ params, ctx }) => {
    const xname = smdXname(params.xname ?? '');
    const [loc] = xname ? await listHardwareLocations(ctx.service, { xnames: [xname] }) : [];
    if (!loc) throw new SmdError(404, 'no such xname.');
    return json(locationJson(loc));
  });

  router.delete(`${hw}/:xname`, async ({ params, ctx }) => {
    const xname = smdXname(params.xname ?? '');
    if (!xname) throw new SmdError(404, 'no such xname.');
    await deleteHardwareLocations(ctx.service, xname).catch((e) => {
      throw asSmd(e, { NOT_FOUND: 'no such xname.' });
    });
    return message('deleted 1 entry');
  });

  router.get(byFru, async ({ query, ctx }) => {
    const frus = await listFrus(ctx.service, {
      fruIds: orUndefined(query.all('fruid')),
      types: typesOf(query.all('type')),
      manufacturers: orUndefined(query.all('manufacturer')),
      partNumbers: orUndefined(query.all('partnumber')),
      serialNumbers: orUndefined(query.all('serialnumber')),
    });
    return json(frus.map(fruJson));
  });

  router.delete(byFru, async ({ ctx }) =>
    deletedCount(
      await deleteFrus(ctx.service).catch((e) => {
        throw asSmd(e, { CONFLICT: (err) => err.message });
      }),
    ),
  );

  router.get(`${byFru}/History`, async ({ query, ctx }) => {
    const events = await listHardwareHistory(ctx.service, {
      ...historyFilterOf(query),
      xnames: xnamesOf(query.all('id')),
      fruIds: orUndefined(query.all('fruid')),
    });
    return json(historyGroups(events, 'fruId'));
  });
  router.get(`${byFru}/History/:fruid`, async ({ params, query, ctx }) => {
    const fruId = params.fruid ?? '';
    if (!fruId) throw new SmdError(400, 'Invalid FRU ID');
    const events = await listHardwareHistory(ctx.service, { ...historyFilterOf(query), fruIds: [fruId] });
    return json({ ID: fruId, History: events.map(historyJson) });
  });
  router.delete(`${byFru}/History/:fruid`, async ({ params, ctx }) =>
    deletedCount(await deleteHardwareHistory(ctx.service, { fruIds: [params.fruid ?? ''] })),
  );

  router.get(`${byFru}/:fruid`, async ({ params, ctx }) => {
    const [fru] = await listFrus(ctx.service, { fruIds: [params.fruid ?? ''] });
    if (!fru) throw new SmdError(404, 'no such FRU ID.');
    return json(fruJson(fru));
  });

  router.delete(`${byFru}/:fruid`, async ({ params, ctx }) => {
    await deleteFrus(ctx.service, params.fruid ?? '').catch((e) => {
      throw asSmd(e, { NOT_FOUND: 'no such FRU ID.', CONFLICT: (err) => err.message });
    });
    return message('deleted 1 entry');
  });
}
