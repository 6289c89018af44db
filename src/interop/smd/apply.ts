// A batch of one collection's SMD records → the services' idempotent `sync…In` writers, in the
// import's transaction. Records are read by the SMD codec in its lenient dialect, as Fabrica
// specs are, so an import accepts what those routes accept; each collection is keyed by SMD's
// natural key (xname, MAC, group label, partition name), so importing again updates and never
// duplicates. Each batch goes to a bulk writer (a few statements per batch, with the meaning of
// writing its records one by one, in order), except groups and partitions, written record by
// record (a site has tens; each one's members are written set-based). A refused record's error
// names the record and its field in SMD's spelling.

import {
  COMPONENT_ENDPOINT_FIELD_NAMES,
  COMPONENT_FIELD_NAMES,
  componentReplacement,
  decodeComponentEndpoint,
  decodeHardwareLocation,
  decodeRedfishEndpoint,
  decodeServiceEndpoint,
  ETHERNET_INTERFACE_FIELD_NAMES,
  ethernetInterfaceReplacement,
  type FieldNames,
  GROUP_FIELD_NAMES,
  get,
  groupReplacement,
  HARDWARE_FIELD_NAMES,
  hardwareInfoPrefix,
  PARTITION_FIELD_NAMES,
  REDFISH_ENDPOINT_FIELD_NAMES,
  SERVICE_ENDPOINT_FIELD_NAMES,
  smdFieldPath,
  smdObject,
} from '../../codecs/smd/index.js';
import { bareMessage } from '../../domain/bare-message.js';
import { InventoryError, onField } from '../../domain/errors.js';
import { normalizeMac } from '../../domain/mac.js';
import { parseXname } from '../../domain/xname.js';
import type { Change, Tx } from '../../services/core/index.js';
import { type EthernetInterfaceInput, writeEthernetInterfacesIn } from '../../services/inventory/index.js';
import {
  firstRound,
  type HardwareLocationSync,
  syncComponentEndpointsIn,
  syncComponentsIn,
  syncGroupIn,
  syncHardwareLocationsIn,
  syncRedfishEndpointsIn,
  syncServiceEndpointsIn,
} from '../../services/smd/index.js';
import type { SmdRecord } from './records.js';

type Body = Record<string, unknown>;

/** How a batch's records are named to the bulk writers, whose errors name `records.<i>.<field>`. */
const LIST = 'records';
const LISTED = /^records\.(\d+)(?:\.(.*))?$/;

interface Mapping<I = unknown> {
  /** Service field → the SMD key it comes from, for errors. */
  names: FieldNames;
  /** The record's natural key, for errors (undefined when it has none). */
  key(body: Body): unknown;
  /** One record as its writer's input. */
  decode(value: unknown): I;
  /** Writes a batch's inputs; answers each input's changes, in order. */
  write(tx: Tx, inputs: I[]): Promise<Change[][]>;
}

/** A record-by-record writer's failure, and which input of the batch it was. */
class RecordFailure extends Error {
  constructor(
    readonly index: number,
    readonly error: unknown,
  ) {
    super('record failed');
  }
}

/** Writes a batch one input at a time, through a single writer. */
const oneByOne =
  <I>(write: (tx: Tx, input: I) => Promise<{ changes: Change[] }>) =>
  async (tx: Tx, inputs: I[]): Promise<Change[][]> => {
    const out: Change[][] = [];
    for (const [i, input] of inputs.entries()) {
      try {
        out.push((await write(tx, input)).changes);
      } catch (error) {
        throw new RecordFailure(i, error);
      }
    }
    return out;
  };

/** A bulk writer's error naming an input (`records.<i>.<field>`): which one, and the error on its own field. */
function listed(error: unknown): { index: number; error: InventoryError } | undefined {
  const match = error instanceof InventoryError && error.field ? LISTED.exec(error.field) : null;
  if (!match) return undefined;
  return { index: Number(match[1]), error: onField(error as InventoryError, match[2]) };
}

/** Runs `work` on some of a batch's inputs (`indices`), naming its errors by their index in the batch. */
async function renumbered<T>(indices: number[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const named = listed(error);
    throw named ? new RecordFailure(indices[named.index], named.error) : error;
  }
}

/**
 * EthernetInterfaces through the inventory's list writer, which refuses a MAC given twice: a
 * batch naming one again is written in rounds (the repeat after the first), as one by one.
 */
async function writeEthernetInterfaces(tx: Tx, inputs: EthernetInterfaceInput[]): Promise<Change[][]> {
  const out: Change[][] = new Array(inputs.length);
  let pending = inputs.map((input, index) => ({ index, input }));
  while (pending.length) {
    const { now, later } = firstRound(pending, ({ input }) => [normalizeMac(String(input.macAddress)) ?? String(input.macAddress)]);
    const indices = now.map(({ index }) => index);
    const written = await renumbered(indices, () =>
      writeEthernetInterfacesIn(
        tx,
        now.map(({ input }) => input),
        'sync',
        LIST,
      ),
    );
    // The list writer logs one change per interface written, in input order, naming the interface.
    const changeOf = new Map(written.changes.map((change) => [change.entityId, change]));
    now.forEach(({ index }, i) => {
      const change = changeOf.get(written.result[i].id);
      out[index] = change ? [change] : [];
    });
    pending = later;
  }
  return out;
}

/**
 * An HWInvByLoc: its FRU is installed there; a location without PopulatedFRU (SMD lists empty
 * slots) has nothing installed. Read by the codec's lenient decoder, which requires a FRU.
 */
function decodeLocation(value: unknown): HardwareLocationSync {
  const body = smdObject(value, 'input');
  const populated = get(body, 'PopulatedFRU');
  const position = parseXname(String(get(body, 'ID') ?? ''));
  const empty = populated === undefined || populated === null;
  const readable = empty && position ? { ...body, PopulatedFRU: { [`${hardwareInfoPrefix(position.type)}FRUInfo`]: {} } } : body;
  const input = decodeHardwareLocation(readable, 'lenient');
  return { ...input, status: get(body, 'Status') as string | null | undefined, fru: empty ? null : input.fru };
}

const changesOf = (results: Array<{ changes: Change[] }>) => results.map((r) => r.changes);
const mapping = <I>(m: Mapping<I>) => m as unknown as Mapping;

const MAPPINGS: Record<string, Mapping> = {
  'State/Components': mapping({
    names: COMPONENT_FIELD_NAMES,
    key: (body) => get(body, 'ID'),
    decode: (value) => componentReplacement(value),
    write: async (tx, inputs) => changesOf(await syncComponentsIn(tx, inputs, LIST)),
  }),
  'Inventory/RedfishEndpoints': mapping({
    names: REDFISH_ENDPOINT_FIELD_NAMES,
    key: (body) => get(body, 'ID'),
    decode: (value) => decodeRedfishEndpoint(value, 'lenient'),
    write: async (tx, inputs) => changesOf(await syncRedfishEndpointsIn(tx, inputs, LIST)),
  }),
  'Inventory/ComponentEndpoints': mapping({
    names: COMPONENT_ENDPOINT_FIELD_NAMES,
    key: (body) => get(body, 'ID'),
    decode: (value) => decodeComponentEndpoint(value),
    write: async (tx, inputs) => changesOf(await syncComponentEndpointsIn(tx, inputs, LIST)),
  }),
  'Inventory/ServiceEndpoints': mapping({
    names: SERVICE_ENDPOINT_FIELD_NAMES,
    key: (body) => `${get(body, 'RedfishType')} of ${get(body, 'RedfishEndpointID')}`,
    decode: (value) => decodeServiceEndpoint(value),
    write: async (tx, inputs) => changesOf(await syncServiceEndpointsIn(tx, inputs, LIST)),
  }),
  'Inventory/EthernetInterfaces': mapping({
    names: ETHERNET_INTERFACE_FIELD_NAMES,
    key: (body) => get(body, 'MACAddress') ?? get(body, 'ID'),
    decode: (value) => ethernetInterfaceReplacement(value),
    write: writeEthernetInterfaces,
  }),
  groups: mapping({
    names: GROUP_FIELD_NAMES,
    key: (body) => get(body, 'label'),
    decode: (value) => groupReplacement(value),
    write: oneByOne(syncGroupIn),
  }),
  partitions: mapping({
    names: PARTITION_FIELD_NAMES,
    key: (body) => get(body, 'name'),
    decode: (value) => groupReplacement(value, 'partition'),
    write: oneByOne(syncGroupIn),
  }),
  'Inventory/Hardware': mapping({
    names: { ...HARDWARE_FIELD_NAMES, status: 'Status' },
    key: (body) => get(body, 'ID'),
    decode: decodeLocation,
    write: async (tx, inputs) => changesOf(await syncHardwareLocationsIn(tx, inputs, LIST)),
  }),
};

/** The error for a refused record: `<collection>.<index>.<SMD field>`, and its key in the message. */
function recordError(error: unknown, record: SmdRecord, mapping: Mapping): unknown {
  if (!(error instanceof InventoryError)) return error;
  const field = error.field
    ? smdFieldPath(error.field, { ...mapping.names, input: '' })
        .split('.')
        .filter(Boolean)
        .join('.')
    : '';
  const body =
    record.value !== null && typeof record.value === 'object' && !Array.isArray(record.value) ? (record.value as Body) : undefined;
  const key = body ? mapping.key(body) : undefined;
  const named = typeof key === 'string' && key !== '' ? ` (${key})` : '';
  const message = `${record.collection.path} record ${record.index}${named}: ${field ? `${field}: ` : ''}${bareMessage(error)}`;
  return new InventoryError(error.code, message, [record.collection.path, record.index, field].filter((part) => part !== '').join('.'));
}

/** A BMC password the record carries (SMD without Vault answers them), to keep out of errors. */
function passwordOf(record: SmdRecord): string | undefined {
  const body = record.value as Body | null;
  const password = body && typeof body === 'object' ? get(body, 'Password') : undefined;
  return typeof password === 'string' && password !== '' ? password : undefined;
}

/** Whether a store error's text holds a password one of the records carries. */
function holdsPassword(error: unknown, records: SmdRecord[]): boolean {
  if (error instanceof InventoryError) return false;
  const text = `${(error as Error)?.message}\n${(error as Error)?.stack}`;
  return records.some((record) => {
    const password = passwordOf(record);
    return password !== undefined && text.includes(password);
  });
}

/** The error a record's failure is reported as. */
function failure(error: unknown, record: SmdRecord, mapping: Mapping): unknown {
  if (holdsPassword(error, [record]))
    return new Error(`${record.collection.path} record ${record.index}: store error (details withheld: they contained a credential)`);
  return recordError(error, record, mapping);
}

/** A bulk writer's error, named after the record it concerns (`records.<i>.<field>`) when it names one. */
function batchFailure(error: unknown, records: SmdRecord[], mapping: Mapping): unknown {
  if (error instanceof RecordFailure) return failure(error.error, records[error.index], mapping);
  const named = listed(error);
  if (named) return failure(named.error, records[named.index], mapping);
  if (holdsPassword(error, records)) {
    const [first, last] = [records[0], records.at(-1) as SmdRecord];
    return new Error(
      `${first.collection.path} records ${first.index}-${last.index}: store error (details withheld: they contained a credential)`,
    );
  }
  return error;
}

/**
 * Applies a batch of one collection's records; answers each record's changes, in order (none
 * for a record the store already matched). Every record is decoded before any is written.
 */
export async function applyBatch(tx: Tx, records: SmdRecord[]): Promise<Change[][]> {
  if (records.length === 0) return [];
  const mapping = MAPPINGS[records[0].collection.path];
  const inputs = records.map((record) => {
    try {
      return mapping.decode(record.value);
    } catch (error) {
      throw failure(error, record, mapping);
    }
  });
  try {
    return await mapping.write(tx, inputs);
  } catch (error) {
    throw batchFailure(error, records, mapping);
  }
}
