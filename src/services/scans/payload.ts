// The discovered hardware a scan reports: fru-tracker's DiscoverySnapshot `{rawData: [...]}`
// (or the bare list), checked item by item with errors naming `rawData.<i>.<field>`.
import { ValidationError } from '../../domain/errors.js';
import { validateProperties } from '../../domain/property-keys.js';
import { optionalText, refuseRepeats, requireText } from '../../domain/validate.js';

export interface ScannedItem {
  /** Position in rawData: the item's reference inside the scan. */
  index: number;
  deviceType: string;
  manufacturer: string | null;
  partNumber: string | null;
  serialNumber: string | null;
  model: string | null;
  name: string | null;
  parentSerialNumber: string | null;
  properties: Record<string, unknown>;
}

// Bounded so the matching queries stay within every engine's bind-parameter limit.
export const MAX_SCAN_ITEMS = 10_000;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

export function redfishUri(item: { properties: unknown }): string | undefined {
  const uri = (item.properties as Record<string, unknown> | null)?.redfish_uri;
  return typeof uri === 'string' && uri !== '' ? uri : undefined;
}

export function redfishParentUri(item: ScannedItem): string | undefined {
  const uri = item.properties.redfish_parent_uri;
  return typeof uri === 'string' && uri !== '' ? uri : undefined;
}

function parseItem(value: unknown, index: number): ScannedItem {
  const at = (field: string) => `rawData.${index}.${field}`;
  if (!isObject(value)) throw new ValidationError(`rawData.${index}`, 'must be a JSON object');
  const text = (field: string) => optionalText(value[field], at(field)) ?? null;
  return {
    index,
    deviceType: requireText(value.deviceType, at('deviceType'), 64),
    manufacturer: text('manufacturer'),
    partNumber: text('partNumber'),
    serialNumber: text('serialNumber'),
    model: text('model'),
    name: text('name'),
    parentSerialNumber: text('parentSerialNumber'),
    properties: value.properties == null ? {} : validateProperties(value.properties, at('properties')),
  };
}

/** The scan's items; ValidationError naming the first bad field. */
export function parseScanPayload(body: unknown): ScannedItem[] {
  const raw = Array.isArray(body) ? body : isObject(body) ? body.rawData : undefined;
  if (!Array.isArray(raw)) throw new ValidationError('rawData', 'must be a list of discovered devices (or the body a bare list)');
  if (raw.length === 0) throw new ValidationError('rawData', 'must name at least one device');
  if (raw.length > MAX_SCAN_ITEMS) throw new ValidationError('rawData', `must have at most ${MAX_SCAN_ITEMS} devices`);
  const items = raw.map(parseItem);
  const identity = (item: ScannedItem) =>
    item.serialNumber && (item.manufacturer ? `${item.manufacturer} ${item.serialNumber}` : item.serialNumber);
  refuseRepeats(items, identity, (item) => `rawData.${item.index}.serialNumber`);
  refuseRepeats(items, redfishUri, (item) => `rawData.${item.index}.properties.redfish_uri`);
  return items;
}
