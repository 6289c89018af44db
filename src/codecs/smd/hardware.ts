// SMD hardware inventory by location (HWInvByLoc; the Fabrica Hardware spec) → the hardware
// inventory service, with SMD's FRUID rule. The JSON a location is shown as is SMD's
// locationJson (rest-compat/smd/inventory/hardware.ts).
import { ValidationError } from '../../domain/errors.js';
import { requireXname } from '../../domain/smd-names.js';
import { xnameType } from '../../domain/xname.js';
import { HARDWARE_TYPES, type HardwareLocationInput, standardFruId } from '../../services/smd/index.js';
import { type FieldNames, pick, smdInteger, smdObject } from './fields.js';

export const HARDWARE_FIELD_NAMES: FieldNames = {
  xname: 'ID',
  ordinal: 'Ordinal',
  locationInfo: 'LocationInfo',
  fru: 'PopulatedFRU',
  input: 'spec',
};

/** SMD's names for the HMS types whose inventory blocks are not named after the type itself. */
const INFO_PREFIX: Readonly<Record<string, string>> = {
  CabinetPDU: 'PDU',
  CabinetPDUOutlet: 'Outlet',
  CabinetPDUPowerConnector: 'Outlet',
};

/** The prefix of a type's HWInvByLoc*, HWInvByFRU*, *LocationInfo and *FRUInfo names. */
export function hardwareInfoPrefix(type: string): string {
  return INFO_PREFIX[type] ?? type;
}

/**
 * An HWInvByLoc body as a service input. As in SMD: the ID is an xname of a type with hardware
 * inventory, PopulatedFRU and its <Type>FRUInfo block are required, and the FRUID is SMD's
 * standard one (<Type>.<Manufacturer>.<PartNumber>.<SerialNumber>, else FRUIDfor<xname>;
 * outlets keep the one given). The <Type>LocationInfo block defaults to {}.
 */
export function hardwareInputFromSmd(value: unknown, field = 'input'): HardwareLocationInput {
  const body = smdObject(value, field);
  const { xname } = requireXname(pick(body, 'ID'), 'ID');
  const type = xnameType(xname) as string;
  if (!HARDWARE_TYPES.includes(type))
    throw new ValidationError('ID', `${xname} is a ${type}: hardware inventory is kept for ${HARDWARE_TYPES.join(', ')}`);
  const prefix = hardwareInfoPrefix(type);
  const populated = pick(body, 'PopulatedFRU');
  if (populated === undefined || populated === null) throw new ValidationError('PopulatedFRU', 'is required');
  const fruBody = smdObject(populated, 'PopulatedFRU');
  const infoValue = pick(fruBody, `${prefix}FRUInfo`);
  if (infoValue === undefined || infoValue === null) throw new ValidationError(`PopulatedFRU.${prefix}FRUInfo`, 'is required');
  const fruInfo = smdObject(infoValue, `PopulatedFRU.${prefix}FRUInfo`);
  const locationValue = pick(body, `${prefix}LocationInfo`);
  const locationInfo = locationValue === undefined || locationValue === null ? {} : smdObject(locationValue, `${prefix}LocationInfo`);
  const info = (name: string) => {
    const v = pick(fruInfo, name);
    return typeof v === 'string' ? v : null;
  };
  const manufacturer = type === 'NodeAccelRiser' ? info('Producer') : info('Manufacturer');
  const partNumber = type === 'CMMRectifier' || type === 'NodeEnclosurePowerSupply' ? null : info('PartNumber');
  const serialNumber = info('SerialNumber');
  const givenFruId = pick(fruBody, 'FRUID');
  const fruId =
    prefix === 'Outlet'
      ? (typeof givenFruId === 'string' && givenFruId) || `FRUIDfor${xname}`
      : standardFruId(type, xname, manufacturer, partNumber, serialNumber);
  const ordinal = smdInteger(pick(body, 'Ordinal'));
  if (ordinal !== undefined && ordinal !== null && (typeof ordinal !== 'number' || !Number.isInteger(ordinal) || ordinal < 0)) {
    throw new ValidationError('Ordinal', 'must be a non-negative integer');
  }
  return {
    xname,
    ...(typeof ordinal === 'number' ? { ordinal } : {}),
    locationInfo,
    fru: { fruId, manufacturer, partNumber: info('PartNumber'), serialNumber, model: info('Model'), fruInfo },
  };
}
