// One SMD record → the services' idempotent `sync…In` writers, in the import's transaction.
// Records are read by the SMD codec in its lenient dialect, as Fabrica specs are, so an
// import accepts what those routes accept; each collection is keyed by SMD's natural key
// (xname, MAC, group label, partition name), so importing again updates and never duplicates.
// A refused record's error names the record and its field in SMD's spelling.

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
import { InventoryError } from '../../domain/errors.js';
import { parseXname } from '../../domain/xname.js';
import type { Change, Tx } from '../../services/core/index.js';
import { writeEthernetInterfacesIn } from '../../services/inventory/index.js';
import {
  syncComponentEndpointIn,
  syncComponentIn,
  syncGroupIn,
  syncHardwareLocationIn,
  syncRedfishEndpointIn,
  syncServiceEndpointIn,
} from '../../services/smd/index.js';
import type { SmdRecord } from './records.js';

type Body = Record<string, unknown>;

interface Mapping {
  /** Service field → the SMD key it comes from, for errors. */
  names: FieldNames;
  /** The record's natural key, for errors (undefined when it has none). */
  key(body: Body): unknown;
  write(tx: Tx, value: unknown): Promise<{ changes: Change[] }>;
}

/**
 * An HWInvByLoc: its FRU is installed there; a location without PopulatedFRU (SMD lists empty
 * slots) has nothing installed. Read by the codec's lenient decoder, which requires a FRU.
 */
function syncLocation(tx: Tx, value: unknown) {
  const body = smdObject(value, 'input');
  const populated = get(body, 'PopulatedFRU');
  const position = parseXname(String(get(body, 'ID') ?? ''));
  const empty = populated === undefined || populated === null;
  const readable = empty && position ? { ...body, PopulatedFRU: { [`${hardwareInfoPrefix(position.type)}FRUInfo`]: {} } } : body;
  const input = decodeHardwareLocation(readable, 'lenient');
  return syncHardwareLocationIn(tx, { ...input, status: get(body, 'Status') as string | null | undefined, fru: empty ? null : input.fru });
}

const MAPPINGS: Record<string, Mapping> = {
  'State/Components': {
    names: COMPONENT_FIELD_NAMES,
    key: (body) => get(body, 'ID'),
    write: (tx, value) => syncComponentIn(tx, componentReplacement(value)),
  },
  'Inventory/RedfishEndpoints': {
    names: REDFISH_ENDPOINT_FIELD_NAMES,
    key: (body) => get(body, 'ID'),
    write: (tx, value) => syncRedfishEndpointIn(tx, decodeRedfishEndpoint(value, 'lenient')),
  },
  'Inventory/ComponentEndpoints': {
    names: COMPONENT_ENDPOINT_FIELD_NAMES,
    key: (body) => get(body, 'ID'),
    write: (tx, value) => syncComponentEndpointIn(tx, decodeComponentEndpoint(value)),
  },
  'Inventory/ServiceEndpoints': {
    names: SERVICE_ENDPOINT_FIELD_NAMES,
    key: (body) => `${get(body, 'RedfishType')} of ${get(body, 'RedfishEndpointID')}`,
    write: (tx, value) => syncServiceEndpointIn(tx, decodeServiceEndpoint(value)),
  },
  'Inventory/EthernetInterfaces': {
    names: ETHERNET_INTERFACE_FIELD_NAMES,
    key: (body) => get(body, 'MACAddress') ?? get(body, 'ID'),
    write: (tx, value) => writeEthernetInterfacesIn(tx, [ethernetInterfaceReplacement(value)], 'sync', ''),
  },
  groups: {
    names: GROUP_FIELD_NAMES,
    key: (body) => get(body, 'label'),
    write: (tx, value) => syncGroupIn(tx, groupReplacement(value)),
  },
  partitions: {
    names: PARTITION_FIELD_NAMES,
    key: (body) => get(body, 'name'),
    write: (tx, value) => syncGroupIn(tx, groupReplacement(value, 'partition')),
  },
  'Inventory/Hardware': {
    names: { ...HARDWARE_FIELD_NAMES, status: 'Status' },
    key: (body) => get(body, 'ID'),
    write: syncLocation,
  },
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

/** Applies one record; answers the changes it made (none when the store already matched). */
export async function applyRecord(tx: Tx, record: SmdRecord): Promise<Change[]> {
  const mapping = MAPPINGS[record.collection.path];
  try {
    return (await mapping.write(tx, record.value)).changes;
  } catch (error) {
    const password = passwordOf(record);
    if (password && !(error instanceof InventoryError) && `${(error as Error)?.message}\n${(error as Error)?.stack}`.includes(password)) {
      throw new Error(`${record.collection.path} record ${record.index}: store error (details withheld: they contained a credential)`);
    }
    throw recordError(error, record, mapping);
  }
}
