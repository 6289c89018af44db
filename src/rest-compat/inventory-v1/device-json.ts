// The RFD 112 Device document: the answer's shape, and the writable fields a POST or PATCH
// body may carry (checked here, so every unknown or read-only member is named at once).
import type { DeviceInput, DeviceView } from '../../services/inventory/index.js';
import { InventoryV1Error } from './errors.js';
import type { SchemaVersion } from './media.js';

export const API_VERSION = 'inventory/v1';
export const KIND = 'Device';

export function deviceJson(device: DeviceView, schemaVersion: SchemaVersion) {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    schemaVersion,
    id: device.id,
    deviceType: device.deviceType,
    manufacturer: device.manufacturer,
    model: device.model,
    partNumber: device.partNumber,
    serialNumber: device.serialNumber,
    parentID: device.parentId,
    childrenDeviceIds: device.childrenDeviceIds,
    properties: device.properties,
    createdAt: device.createdAt.toISOString(),
    updatedAt: device.updatedAt.toISOString(),
    deletedAt: device.deletedAt?.toISOString() ?? null,
  };
}

/** Body members written as given (null clears; deviceType cannot be cleared). */
const WRITABLE = ['deviceType', 'manufacturer', 'model', 'partNumber', 'serialNumber', 'parentID', 'properties'] as const;
const READ_ONLY = ['id', 'childrenDeviceIds', 'createdAt', 'updatedAt', 'deletedAt'];
/** Envelope members a body may repeat, if it repeats them right. */
const ENVELOPE: Record<string, string> = { apiVersion: API_VERSION, kind: KIND, schemaVersion: 'v1' };

export type DeviceBody = Partial<Record<(typeof WRITABLE)[number], unknown>>;

/** The body as device members; 422 listing every unknown, read-only or mismatched member. */
export function readDeviceBody(body: unknown): DeviceBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InventoryV1Error(422, 'the body must be a JSON object (a Device)', { field: 'body' });
  }
  const invalidParams: Array<{ name: string; reason: string }> = [];
  for (const [name, value] of Object.entries(body)) {
    if ((WRITABLE as readonly string[]).includes(name)) continue;
    if (name in ENVELOPE) {
      if (value !== ENVELOPE[name]) invalidParams.push({ name, reason: `must be ${JSON.stringify(ENVELOPE[name])}` });
    } else if (READ_ONLY.includes(name)) invalidParams.push({ name, reason: 'is read-only' });
    else invalidParams.push({ name, reason: `is not a Device member (writable: ${WRITABLE.join(', ')})` });
  }
  if (invalidParams.length > 0) {
    // A member named "" is shown quoted, so the detail and `field` still name it.
    const shown = (name: string) => name || '""';
    throw new InventoryV1Error(422, invalidParams.map((p) => `${shown(p.name)} ${p.reason}`).join('; '), {
      field: shown(invalidParams[0].name),
      invalidParams,
    });
  }
  return body as DeviceBody;
}

/** The service input for the members present; `properties` is passed as already resolved. */
export function deviceInput(body: DeviceBody, properties: unknown): DeviceInput {
  if (body.parentID !== undefined && body.parentID !== null && typeof body.parentID !== 'string') {
    throw new InventoryV1Error(422, 'parentID: must be a device id (string) or null', { field: 'parentID' });
  }
  return {
    deviceType: body.deviceType as string | undefined,
    manufacturer: body.manufacturer as string | null | undefined,
    model: body.model as string | null | undefined,
    partNumber: body.partNumber as string | null | undefined,
    serialNumber: body.serialNumber as string | null | undefined,
    parentId: body.parentID as string | null | undefined,
    properties,
  };
}
