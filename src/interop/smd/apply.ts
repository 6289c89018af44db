// One SMD record → the services' idempotent `sync…In` writers, in the import's transaction.
// Records are read with the same SMD JSON projections the /hsm/v2 and Fabrica routes use, so
// an import accepts what those routes accept; each collection is keyed by SMD's natural key
// (xname, MAC, group label, partition name), so importing again updates and never duplicates.
// A refused record's error names the record and its field in SMD's spelling.

import { COMPONENT_FIELD_NAMES, componentReplacementFromSmd } from '../../codecs/smd/component.js';
import { COMPONENT_ENDPOINT_FIELD_NAMES, componentEndpointInputFromSmd } from '../../codecs/smd/component-endpoint.js';
import { ETHERNET_INTERFACE_FIELD_NAMES, ethernetInterfaceReplacementFromSmd } from '../../codecs/smd/ethernet-interface.js';
import { bareMessage, type FieldNames, pick, smdFieldPath, smdObject } from '../../codecs/smd/fields.js';
import { GROUP_FIELD_NAMES, groupReplacementFromSmd } from '../../codecs/smd/group.js';
import { HARDWARE_FIELD_NAMES, hardwareInfoPrefix, hardwareInputFromSmd } from '../../codecs/smd/hardware.js';
import { REDFISH_ENDPOINT_FIELD_NAMES, redfishEndpointInputFromSmd } from '../../codecs/smd/redfish-endpoint.js';
import { SERVICE_ENDPOINT_FIELD_NAMES, serviceEndpointInputFromSmd } from '../../codecs/smd/service-endpoint.js';
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

/** A partition is a group with `name` for `label` and no exclusive group. */
function partitionInput(value: unknown) {
  const body = smdObject(value, 'input');
  return { ...groupReplacementFromSmd({ ...body, label: pick(body, 'name') }), kind: 'partition', exclusiveGroup: null };
}

/**
 * An HWInvByLoc: its FRU is installed there; a location without PopulatedFRU (SMD lists empty
 * slots) has nothing installed. Read with the projection SMD's POST uses, which requires a FRU.
 */
function syncLocation(tx: Tx, value: unknown) {
  const body = smdObject(value, 'input');
  const populated = pick(body, 'PopulatedFRU');
  const position = parseXname(String(pick(body, 'ID') ?? ''));
  const empty = populated === undefined || populated === null;
  const readable = empty && position ? { ...body, PopulatedFRU: { [`${hardwareInfoPrefix(position.type)}FRUInfo`]: {} } } : body;
  const input = hardwareInputFromSmd(readable);
  return syncHardwareLocationIn(tx, { ...input, status: pick(body, 'Status') as string | null | undefined, fru: empty ? null : input.fru });
}

const MAPPINGS: Record<string, Mapping> = {
  'State/Components': {
    names: COMPONENT_FIELD_NAMES,
    key: (body) => pick(body, 'ID'),
    write: (tx, value) => syncComponentIn(tx, componentReplacementFromSmd(value)),
  },
  'Inventory/RedfishEndpoints': {
    names: REDFISH_ENDPOINT_FIELD_NAMES,
    key: (body) => pick(body, 'ID'),
    write: (tx, value) => syncRedfishEndpointIn(tx, redfishEndpointInputFromSmd(value)),
  },
  'Inventory/ComponentEndpoints': {
    names: COMPONENT_ENDPOINT_FIELD_NAMES,
    key: (body) => pick(body, 'ID'),
    write: (tx, value) => syncComponentEndpointIn(tx, componentEndpointInputFromSmd(value)),
  },
  'Inventory/ServiceEndpoints': {
    names: SERVICE_ENDPOINT_FIELD_NAMES,
    key: (body) => `${pick(body, 'RedfishType')} of ${pick(body, 'RedfishEndpointID')}`,
    write: (tx, value) => syncServiceEndpointIn(tx, serviceEndpointInputFromSmd(value)),
  },
  'Inventory/EthernetInterfaces': {
    names: ETHERNET_INTERFACE_FIELD_NAMES,
    key: (body) => pick(body, 'MACAddress') ?? pick(body, 'ID'),
    write: (tx, value) => writeEthernetInterfacesIn(tx, [ethernetInterfaceReplacementFromSmd(value)], 'sync', ''),
  },
  groups: {
    names: GROUP_FIELD_NAMES,
    key: (body) => pick(body, 'label'),
    write: (tx, value) => syncGroupIn(tx, groupReplacementFromSmd(value)),
  },
  partitions: {
    names: { ...GROUP_FIELD_NAMES, name: 'name' },
    key: (body) => pick(body, 'name'),
    write: (tx, value) => syncGroupIn(tx, partitionInput(value)),
  },
  'Inventory/Hardware': {
    names: { ...HARDWARE_FIELD_NAMES, status: 'Status' },
    key: (body) => pick(body, 'ID'),
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
  const password = body && typeof body === 'object' ? pick(body, 'Password') : undefined;
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
