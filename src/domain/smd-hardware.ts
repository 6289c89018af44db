// SMD's hardware-inventory rules as values: which HMS types have inventory (HWInvByLoc /
// HWInvByFRU), and the FRU id SMD gives a part. The service and the SMD codec both use them.

/** The HMS types SMD keeps hardware inventory for. */
export const HARDWARE_TYPES: readonly string[] = [
  'Cabinet',
  'Chassis',
  'ComputeModule',
  'RouterModule',
  'NodeEnclosure',
  'HSNBoard',
  'MgmtSwitch',
  'MgmtHLSwitch',
  'CDUMgmtSwitch',
  'Node',
  'Processor',
  'NodeAccel',
  'Memory',
  'Drive',
  'NodeHsnNic',
  'CabinetPDU',
  'CabinetPDUOutlet',
  'CabinetPDUPowerConnector',
  'CMMRectifier',
  'NodeEnclosurePowerSupply',
  'NodeAccelRiser',
  'NodeBMC',
  'RouterBMC',
];

/**
 * SMD's getStandardFRUID: <Type>.<Manufacturer>.<PartNumber>.<SerialNumber> (punctuation
 * dropped, empty parts left out) when there is a serial and a manufacturer or part number,
 * and it fits in 255 characters; FRUIDfor<id> otherwise.
 */
export function standardFruId(
  type: string,
  id: string,
  manufacturer: string | null,
  partNumber: string | null,
  serialNumber: string | null,
): string {
  const clean = (v: string | null) => (v ?? '').replace(/[^a-zA-Z0-9]/g, '');
  const [m, p, s] = [clean(manufacturer), clean(partNumber), clean(serialNumber)];
  if ((m || p) && s) {
    const fruId = [type, m, p, s].filter(Boolean).join('.');
    if (fruId.length <= 255) return fruId;
  }
  return `FRUIDfor${id}`;
}
