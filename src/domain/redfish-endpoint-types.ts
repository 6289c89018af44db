// The HMS types a Redfish endpoint's xname may have (SMD's RedfishEndpoint rule): BMCs, PDU
// controllers and management switches.

export const REDFISH_ENDPOINT_TYPES = [
  'NodeBMC',
  'ChassisBMC',
  'RouterBMC',
  'CabinetPDUController',
  'MgmtSwitch',
  'MgmtHLSwitch',
  'CDUMgmtSwitch',
] as const;

/** Whether an HMS type is one a Redfish endpoint may have. */
export function isRedfishEndpointType(type: string | undefined): boolean {
  return (REDFISH_ENDPOINT_TYPES as readonly string[]).includes(type ?? '');
}
