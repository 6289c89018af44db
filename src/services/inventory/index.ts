// What the faces (REST families, GraphQL, interop, CLI, server) may use of the inventory services.
// Code under src/services imports the files themselves; everything else imports this index.
export {
  connectCable,
  connectCableIn,
  createCable,
  createCableIn,
  deleteCable,
  disconnectCable,
  disconnectCableIn,
  restoreCable,
  updateCable,
  updateCableIn,
} from './cable.js';
export { createCablesIn, type NewCable } from './cable-bulk.js';
export {
  createDevice,
  createDeviceIn,
  type DeviceInput,
  deleteDevice,
  deleteDeviceIn,
  moveDevice,
  restoreDevice,
  restoreDeviceIn,
  updateDevice,
  updateDeviceIn,
} from './device.js';
export {
  type BulkOptions,
  type CreateOptions,
  checkLaterParents,
  createDevicesIn,
  type DeviceUpdate,
  type NewDevice,
  updateDevicesIn,
} from './device-bulk.js';
export { type DeviceListCursor, type DeviceListFilter, type DeviceView, getDevice, listDevices, type Page } from './device-queries.js';
export { checkFields } from './device-rules.js';
export {
  addIpAddress,
  createEthernetInterface,
  createInterface,
  createInterfaceIn,
  deleteEthernetInterfaces,
  deleteInterface,
  deleteInterfaceIn,
  type EthernetInterfaceInput,
  type InterfaceInput,
  type IpAddressInput,
  removeIpAddress,
  restoreInterface,
  setIpAddressNetwork,
  updateEthernetInterface,
  updateInterface,
  updateInterfaceIn,
  writeEthernetInterfacesIn,
} from './interface.js';
export { createInterfacesIn, type InterfaceUpdate, type NewInterface, updateInterfacesIn } from './interface-bulk.js';
export {
  type EthernetInterfaceFilter,
  type EthernetInterfaceView,
  findEthernetInterface,
  listEthernetInterfaces,
} from './interface-queries.js';
export {
  createLocation,
  createLocationIn,
  deleteLocation,
  type LocationInput,
  restoreLocation,
  updateLocation,
  updateLocationIn,
} from './location.js';
export { createRack, createRackIn, deleteRack, type RackInput, restoreRack, updateRack, updateRackIn } from './rack.js';
export {
  AVAILABILITY_SOURCES,
  type AvailabilitySource,
  countNodes,
  findCluster,
  findFlavor,
  findGrid,
  findNode,
  findSite,
  listClusters,
  listFlavors,
  listNodes,
  listSites,
  type NodeView,
  nodeAvailability,
  nodePages,
} from './reference-queries.js';
