// SMD hardware inventory: by location (/Inventory/Hardware, HWInvByLoc; the Fabrica Hardware
// spec), by FRU (/Inventory/HardwareByFRU, HWInvByFRU), their history (HWInvHist) and the
// Query/{xname} system inventory, ⇄ the hardware-inventory service, with SMD's FRUID rule.
import { ValidationError } from '../../domain/errors.js';
import { HARDWARE_TYPES, standardFruId } from '../../domain/smd-hardware.js';
import { requireXname } from '../../domain/smd-names.js';
import { xnameType } from '../../domain/xname.js';
import type { FruView, HardwareLocationInput, HardwareLocationView, HistoryEvent } from '../../services/smd/index.js';
import { SMD_TEXTS, SmdRuleError } from './errors.js';
import { type FieldNames, type SmdDialect, smdInteger, smdObject } from './fields.js';
import { get, type Obj, objectAt, optArray, optString } from './go-json.js';
import { parseGoBool, parseRfc3339, type QueryValues, smdType, smdXname, timestamp } from './values.js';

export const HARDWARE_FIELD_NAMES: FieldNames = {
  xname: 'ID',
  ordinal: 'Ordinal',
  locationInfo: 'LocationInfo',
  fru: 'PopulatedFRU',
  input: 'spec',
};

export const HARDWARE_TEXTS = { noSuchFru: 'no such FRU ID.', badFruId: 'Invalid FRU ID' } as const;

/** Per HMS type: the prefix of its *LocationInfo / *FRUInfo blocks, and its array in a Query answer. */
const KINDS: Readonly<Record<string, { key: string; array: string }>> = {
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

/** The prefix of a type's HWInvByLoc*, HWInvByFRU*, *LocationInfo and *FRUInfo names (PDU, Outlet for the PDU types). */
export function hardwareInfoPrefix(type: string): string {
  return KINDS[type]?.key ?? type;
}

// --- encoding -----------------------------------------------------------------------------------

export function fruJson(fru: FruView): Obj {
  const key = hardwareInfoPrefix(fru.type);
  return { FRUID: fru.fruId, Type: fru.type, Subtype: '', HWInventoryByFRUType: `HWInvByFRU${key}`, [`${key}FRUInfo`]: fru.fruInfo };
}

export function locationJson(loc: HardwareLocationView): Obj {
  const key = hardwareInfoPrefix(loc.type);
  const out: Obj = {
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

export function historyEventJson(e: HistoryEvent) {
  return { ID: e.xname, FRUID: e.fruId, Timestamp: timestamp(e.timestamp), EventType: e.eventType };
}

/** SMD's HWInvHistResp: events grouped by location (or FRU), groups in order of first event. */
export function historyGroupsJson(events: readonly HistoryEvent[], by: 'xname' | 'fruId') {
  const groups = new Map<string, ReturnType<typeof historyEventJson>[]>();
  for (const e of events) {
    const id = by === 'xname' ? e.xname : e.fruId;
    const list = groups.get(id) ?? [];
    list.push(historyEventJson(e));
    groups.set(id, list);
  }
  return { Components: [...groups].map(([ID, History]) => ({ ID, History })) };
}

// --- decoding -----------------------------------------------------------------------------------

/** The FRU a location body carries: SMD's standard FRUID (outlets keep the one given). */
function fruOf(type: string, xname: string, fruInfo: Obj, givenFruId: string | undefined): HardwareLocationInput['fru'] {
  const info = (name: string) => {
    const v = get(fruInfo, name);
    return typeof v === 'string' ? v : null;
  };
  const manufacturer = type === 'NodeAccelRiser' ? info('Producer') : info('Manufacturer');
  const partNumber = type === 'CMMRectifier' || type === 'NodeEnclosurePowerSupply' ? null : info('PartNumber');
  const serialNumber = info('SerialNumber');
  const fruId =
    hardwareInfoPrefix(type) === 'Outlet'
      ? givenFruId || `FRUIDfor${xname}`
      : standardFruId(type, xname, manufacturer, partNumber, serialNumber);
  return { fruId, manufacturer, partNumber: info('PartNumber'), serialNumber, model: info('Model'), fruInfo };
}

/** SMD's NewHWInvByLocs checks, in SMD's order and words. */
function strictLocation(value: unknown): HardwareLocationInput {
  const loc = objectAt(value, 'Hardware');
  const xname = smdXname(optString(loc, 'ID') ?? '');
  const type = xname ? xnameType(xname) : undefined;
  if (!xname || !type) throw new SmdRuleError('ID is empty or not a valid xname');
  const populated = get(loc, 'PopulatedFRU');
  if (populated === undefined || populated === null) throw new SmdRuleError('PopulatedFRU must be populated');
  const fruBody = objectAt(populated, 'PopulatedFRU');
  if (!HARDWARE_TYPES.includes(type)) throw new SmdRuleError('HMSType value not supported for this operation');
  const key = hardwareInfoPrefix(type);
  const locationInfo = get(loc, `${key}LocationInfo`);
  if (locationInfo === undefined || locationInfo === null) throw new SmdRuleError('Component location info is empty');
  const fruInfo = get(fruBody, `${key}FRUInfo`);
  if (fruInfo === undefined || fruInfo === null) throw new SmdRuleError('FRU info is empty');
  const fru = fruOf(type, xname, objectAt(fruInfo, `${key}FRUInfo`), key === 'Outlet' ? optString(fruBody, 'FRUID') : undefined);
  return { xname, locationInfo: objectAt(locationInfo, `${key}LocationInfo`), fru };
}

/** The Fabrica spec's checks: ValidationErrors naming the field; LocationInfo defaults to {}, Ordinal is read. */
function lenientLocation(value: unknown, at: string): HardwareLocationInput {
  const body = smdObject(value, at);
  const { xname } = requireXname(get(body, 'ID'), 'ID');
  const type = xnameType(xname) as string;
  if (!HARDWARE_TYPES.includes(type))
    throw new ValidationError('ID', `${xname} is a ${type}: hardware inventory is kept for ${HARDWARE_TYPES.join(', ')}`);
  const prefix = hardwareInfoPrefix(type);
  const populated = get(body, 'PopulatedFRU');
  if (populated === undefined || populated === null) throw new ValidationError('PopulatedFRU', 'is required');
  const fruBody = smdObject(populated, 'PopulatedFRU');
  const infoValue = get(fruBody, `${prefix}FRUInfo`);
  if (infoValue === undefined || infoValue === null) throw new ValidationError(`PopulatedFRU.${prefix}FRUInfo`, 'is required');
  const fruInfo = smdObject(infoValue, `PopulatedFRU.${prefix}FRUInfo`);
  const locationValue = get(body, `${prefix}LocationInfo`);
  const locationInfo = locationValue === undefined || locationValue === null ? {} : smdObject(locationValue, `${prefix}LocationInfo`);
  const givenFruId = get(fruBody, 'FRUID');
  const fru = fruOf(type, xname, fruInfo, typeof givenFruId === 'string' ? givenFruId : undefined);
  const ordinal = smdInteger(get(body, 'Ordinal'));
  if (ordinal !== undefined && ordinal !== null && (typeof ordinal !== 'number' || !Number.isInteger(ordinal) || ordinal < 0)) {
    throw new ValidationError('Ordinal', 'must be a non-negative integer');
  }
  return { xname, ...(typeof ordinal === 'number' ? { ordinal } : {}), locationInfo, fru };
}

/**
 * An HWInvByLoc body as a service input: the ID is an xname of a type with hardware inventory,
 * PopulatedFRU and its <Type>FRUInfo block are required, and the FRUID is SMD's standard one
 * (<Type>.<Manufacturer>.<PartNumber>.<SerialNumber>, else FRUIDfor<xname>; outlets keep the
 * one given).
 * - strict (POST /Inventory/Hardware): SMD's checks in SMD's order and words; the
 *   <Type>LocationInfo block is required too, and Ordinal is SMD's own.
 * - lenient (Fabrica specs, SMD dumps; `at` names the value when it is not an object):
 *   ValidationErrors naming the field; <Type>LocationInfo defaults to {}; Ordinal is read.
 */
export function decodeHardwareLocation(value: unknown, dialect: SmdDialect, at = 'input'): HardwareLocationInput {
  return dialect === 'strict' ? strictLocation(value) : lenientLocation(value, at);
}

/** POST /Inventory/Hardware: `{"Hardware": [HWInvByLoc, ...]}`. */
export function decodeHardwarePost(value: unknown): HardwareLocationInput[] {
  const body = objectAt(value, '');
  return (optArray(body, 'Hardware', undefined, 'array') ?? []).map(strictLocation);
}

// --- query parameters ---------------------------------------------------------------------------

function xnamesOf(values: string[]): string[] | undefined {
  if (!values.length) return undefined;
  return values.map((v) => {
    const x = smdXname(v);
    if (!x) throw new SmdRuleError('Invalid xname');
    return x;
  });
}

/** One xname of a path (History/{xname}), in SMD's words when it is none. */
export const hardwareXnameOf = (raw: string) => (xnamesOf([raw]) as string[])[0];

function typesOf(values: string[]): string[] | undefined {
  if (!values.length) return undefined;
  return values.map((v) => {
    const t = smdType(v);
    if (!t) throw new SmdRuleError('Invalid HMS type');
    return t;
  });
}

function partitionsOf(values: string[]): string[] | undefined {
  if (!values.length) return undefined;
  return values.map((p) => {
    if (!/^[-a-z0-9:._]+$/.test(p.toLowerCase())) throw new SmdRuleError('Invalid partition');
    return p.toLowerCase();
  });
}

const orUndefined = (values: string[]) => (values.length ? values : undefined);

/** GET /Inventory/Hardware's filter. */
export function hardwareFilterFromQuery(query: QueryValues) {
  return {
    xnames: xnamesOf(query.all('id')),
    types: typesOf(query.all('type')),
    manufacturers: orUndefined(query.all('manufacturer')),
    partNumbers: orUndefined(query.all('partnumber')),
    serialNumbers: orUndefined(query.all('serialnumber')),
    fruIds: orUndefined(query.all('fruid')),
    partitions: partitionsOf(query.all('partition')),
  };
}

/** GET /Inventory/HardwareByFRU's filter. */
export function fruFilterFromQuery(query: QueryValues) {
  return {
    fruIds: orUndefined(query.all('fruid')),
    types: typesOf(query.all('type')),
    manufacturers: orUndefined(query.all('manufacturer')),
    partNumbers: orUndefined(query.all('partnumber')),
    serialNumbers: orUndefined(query.all('serialnumber')),
  };
}

/** The history filters: eventtype, starttime, endtime, and (`withIds`) the id and fruid lists. */
export function historyFilterFromQuery(query: QueryValues, withIds: boolean) {
  const eventTypes = query.all('eventtype');
  const times = (name: string) => {
    const raw = query.get(name);
    if (raw === undefined || raw === '') return undefined;
    const date = parseRfc3339(raw);
    if (!date) throw new SmdRuleError(SMD_TEXTS.notRfc3339);
    return date;
  };
  const filter = {
    eventTypes: eventTypes.length
      ? eventTypes.map((t) => {
          const known = ['Added', 'Removed', 'Scanned', 'Detected'].find((k) => k.toLowerCase() === t.toLowerCase());
          if (!known) throw new SmdRuleError('Invalid HWInvHist event type');
          return known;
        })
      : undefined,
    start: times('starttime'),
    end: times('endtime'),
  };
  return withIds ? { ...filter, xnames: xnamesOf(query.all('id')), fruIds: orUndefined(query.all('fruid')) } : filter;
}

function queryBool(query: QueryValues, name: string): boolean | undefined {
  if (!query.has(name)) return undefined;
  const value = parseGoBool(query.get(name) ?? '');
  if (value === undefined) throw new SmdRuleError(`Invalid boolean for ${name}`);
  return value;
}

/** GET Query/{xname}: what to read and how to answer it. */
export interface HardwareQuery {
  /** The path as given (the answer's XName). */
  raw: string;
  /** The component asked for; undefined for the whole system (all, s0) or a partition. */
  xname: string | undefined;
  types: string[] | undefined;
  partitions: string[] | undefined;
  parents: boolean;
  children: boolean;
  format: 'FullyFlat' | 'NestNodesOnly';
}

export function decodeHardwareQuery(raw: string, query: QueryValues): HardwareQuery {
  const lower = raw.trim().toLowerCase();
  const everything = lower === '' || lower === 'all' || lower === 's0';
  const xname = everything ? undefined : smdXname(raw);
  if (!everything && !xname) throw new SmdRuleError('Invalid xname');
  const partitions = partitionsOf(query.all('partition')) ?? [];
  const isPartition = xname !== undefined && xnameType(xname) === 'Partition';
  if (isPartition) partitions.push(xname as string);
  const parents = queryBool(query, 'parents') ?? false;
  const children = queryBool(query, 'children') ?? !parents;
  const formatRaw = query.get('format');
  let format: HardwareQuery['format'] = 'NestNodesOnly';
  if (formatRaw !== undefined) {
    const found = (['FullyFlat', 'NestNodesOnly'] as const).find((f) => f.toLowerCase() === formatRaw.toLowerCase());
    if (!found) throw new SmdRuleError('Invalid format');
    format = found;
  }
  return {
    raw,
    xname: isPartition ? undefined : xname,
    types: typesOf(query.all('type')),
    partitions: partitions.length ? partitions : undefined,
    parents,
    children,
    format,
  };
}

/** The types NestNodesOnly files under their node. */
const NESTED_UNDER_NODE = new Set(['Processor', 'NodeAccel', 'Memory', 'Drive', 'NodeHsnNic', 'NodeAccelRiser']);

const isDescendant = (x: string, of: string) => x === of || (x.startsWith(of) && /^[a-z]/.test(x.slice(of.length)));

/**
 * SMD's SystemHWInventory for a Query: the locations of the component asked for (with its
 * children and/or parents), in one array per type, NestNodesOnly filing node parts under their node.
 */
export function systemInventoryJson(all: readonly HardwareLocationView[], q: HardwareQuery): Obj {
  const { xname } = q;
  const locations = xname
    ? all.filter(
        (loc) => loc.xname === xname || (q.children && isDescendant(loc.xname, xname)) || (q.parents && isDescendant(xname, loc.xname)),
      )
    : all;
  const out: Obj = { XName: q.raw, Format: q.format };
  const shaped = locations.map((loc) => ({ loc, json: locationJson(loc) }));
  const nodes = new Map(shaped.filter((s) => s.loc.type === 'Node').map((s) => [s.loc.xname, s.json]));
  for (const { loc, json: item } of shaped) {
    const kind = KINDS[loc.type];
    if (!kind) continue;
    let target = out;
    if (q.format === 'NestNodesOnly' && NESTED_UNDER_NODE.has(loc.type)) {
      const node = [...nodes.keys()].find((n) => isDescendant(loc.xname, n) && loc.xname !== n);
      if (node) target = nodes.get(node) as Obj;
    }
    const array = (target[kind.array] as unknown[] | undefined) ?? [];
    array.push(item);
    target[kind.array] = array;
  }
  return out;
}
