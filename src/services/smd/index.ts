// What the faces (REST families, GraphQL, interop, CLI, server) may use of the smd services.
// Code under src/services imports the files themselves; everything else imports this index.

export {
  type ComponentFields,
  type ComponentInput,
  createComponent,
  createComponents,
  deleteAllComponents,
  deleteComponent,
  installDevice,
  installDeviceIn,
  removeDevice,
  restoreComponent,
  setComponentFields,
  setComponentNids,
  setComponentStates,
  updateComponent,
  updateComponents,
  upsertSmdComponents,
} from './component.js';
export { syncComponentIn, syncComponentsIn } from './component-bulk.js';
export {
  type ComponentFieldSet,
  type ComponentFilterParams,
  findComponent,
  findComponentByNid,
  findComponents,
  findMembership,
  findMemberships,
  type Membership,
  type SmdComponentRow,
} from './component-queries.js';
export { type DiscoveryStatusView, findDiscoveryStatus, listDiscoveryStatus } from './discovery.js';
export {
  addGroupMembers,
  createGroup,
  deleteGroup,
  type GroupInput,
  type GroupKind,
  removeGroupMember,
  restoreGroup,
  setDeviceGroupsIn,
  setGroupMembers,
  syncGroupIn,
  updateGroup,
} from './group.js';
export { type GroupView, getGroup, invalidXnames, listGroupNames, listGroups, requireGroupField } from './group-queries.js';
export {
  deleteFrus,
  deleteHardwareHistory,
  deleteHardwareLocations,
  type FruView,
  type HardwareLocationInput,
  type HardwareLocationSync,
  type HardwareLocationView,
  type HistoryEvent,
  listFrus,
  listHardwareHistory,
  listHardwareLocations,
  loadHardwareLocations,
  syncHardwareLocationIn,
  syncHardwareLocationsIn,
} from './hardware-inventory.js';
export { type DeviceInstall, type InstallOptions, installDevicesIn } from './installation-bulk.js';
export { MAX_NID, nidNumber, withNumberNid } from './nid.js';
export {
  deleteAllNodeMaps,
  deleteNodeMap,
  getNodeMap,
  listNodeMaps,
  type NodeMapInput,
  type NodeMapRow,
  upsertNodeMaps,
} from './node-map.js';
export {
  deleteAllPowerMaps,
  deletePowerMap,
  getPowerMap,
  listPowerMaps,
  type PowerMapInput,
  type PowerMapView,
  upsertPowerMaps,
} from './power-map.js';
export {
  type ComponentEndpointInput,
  createComponentEndpoint,
  createRedfishEndpoint,
  createRedfishEndpoints,
  createServiceEndpoint,
  deleteAllRedfishEndpoints,
  deleteAllServiceEndpoints,
  deleteComponentEndpoint,
  deleteComponentEndpointsEmptying,
  deleteRedfishEndpoint,
  deleteServiceEndpoint,
  REDFISH_ENDPOINT_TYPES,
  type RedfishEndpointFields,
  type RedfishEndpointInput,
  replaceComponentEndpoint,
  replaceServiceEndpoint,
  restoreRedfishEndpoint,
  type ServiceEndpointInput,
  syncComponentEndpointIn,
  syncComponentEndpointsIn,
  syncServiceEndpointIn,
  syncServiceEndpointsIn,
  updateRedfishEndpoint,
} from './redfish.js';
export { syncRedfishEndpointIn, syncRedfishEndpointsIn } from './redfish-bulk.js';
export {
  type RedfishCredentials,
  type ResealProgress,
  type ResealReport,
  readRedfishCredentials,
  redfishPasswordKeyUsage,
  resealRedfishPasswords,
} from './redfish-credentials.js';
export {
  createRedfishEndpointWithInventory,
  type DiscoveredInterface,
  type DiscoveredManager,
  type DiscoveredOutlet,
  type DiscoveredSystem,
  type LegacySystem,
  type RedfishInventory,
  replaceRedfishEndpointWithInventory,
} from './redfish-discovery.js';
export {
  type ComponentEndpointView,
  findComponentEndpoint,
  findRedfishEndpoint,
  findServiceEndpoint,
  listComponentEndpoints,
  listRedfishEndpoints,
  listServiceEndpoints,
  type RedfishEndpointFilter,
  type RedfishEndpointView,
  type ServiceEndpointView,
} from './redfish-queries.js';
export {
  checkReservations,
  createReservations,
  getLockStatus,
  type LockAction,
  type LockFilter,
  type LockStatus,
  type ReservationKey,
  type ReservationResult,
  releaseReservations,
  removeReservations,
  renewReservations,
  type UpdateResult,
  updateLocks,
} from './reservation.js';
export { firstRound } from './rounds.js';
export { type ScnPayload, scnPayloads, startScnDelivery } from './scn-delivery.js';
export {
  createScnSubscription,
  deleteAllScnSubscriptions,
  deleteScnSubscription,
  getScnSubscription,
  listScnSubscriptions,
  parseSubscriptionId,
  patchScnSubscription,
  replaceScnSubscription,
  type ScnSubscriptionInput,
  type ScnSubscriptionView,
  type ScnTriggers,
} from './scn-subscription.js';
export { loadSiteRoles, parseHmsConfig } from './site-roles.js';
