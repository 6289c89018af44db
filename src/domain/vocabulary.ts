// Closed vocabularies shared by every API family.

export const DEVICE_STATUSES = ['planned', 'staged', 'active', 'inactive', 'failed', 'maintenance', 'decommissioned'] as const;
export const RACK_FACES = ['front', 'rear'] as const;
export const CABLE_ENDS = ['A', 'B'] as const;
export const INTERFACE_KINDS = ['ethernet', 'infiniband', 'hsn', 'console', 'power', 'bmc', 'other'] as const;
/**
 * cluster: a set of devices within a site (the reference repository's clusters); flavor: a VM
 * shape a site offers (the reference repository's flavors), a named record without members.
 */
export const GROUP_KINDS = ['group', 'partition', 'cluster', 'flavor'] as const;

/** SMD component enumerations, canonical spelling (input is matched case-insensitively). */
export const COMPONENT_STATES = ['Unknown', 'Empty', 'Populated', 'Off', 'On', 'Standby', 'Halt', 'Ready'] as const;
export const COMPONENT_FLAGS = ['Unknown', 'OK', 'Warning', 'Alert', 'Locked'] as const;
export const COMPONENT_ROLES = ['Compute', 'Service', 'System', 'Application', 'Storage', 'Management'] as const;
export const COMPONENT_SUBROLES = ['Master', 'Worker', 'Storage'] as const;
export const NET_TYPES = ['Sling', 'Infiniband', 'Ethernet', 'OEM', 'None'] as const;
export const ARCHES = ['X86', 'ARM', 'Other', 'UNKNOWN'] as const;
export const CLASSES = ['River', 'Mountain', 'Hill'] as const;
export const LOCATION_TYPES = ['site', 'building', 'room', 'row', 'floor', 'cage', 'other'] as const;
export const CABLE_STATUSES = ['planned', 'connected', 'decommissioning'] as const;
export const LENGTH_UNITS = ['m', 'cm', 'ft', 'in'] as const;
