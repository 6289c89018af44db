// What the faces (REST families, GraphQL, interop, CLI, server) may use of the cloud-init services.
// Code under src/services imports the files themselves; everything else imports this index.
export {
  type ClusterDefaultsInput,
  deleteClusterDefaults,
  deleteGroupTemplate,
  deleteInstanceInfo,
  type GroupTemplateInput,
  type InstanceInfoInput,
  type SetMode,
  setClusterDefaults,
  setGroupTemplate,
  setInstanceInfo,
} from './cloud-init.js';
export { findNodeByAddress } from './nocloud-identity.js';
export {
  type ClusterDefaultsRow,
  findClusterDefaults,
  findGroupTemplate,
  findInstanceInfo,
  findWireguardPeer,
  type GroupTemplateRow,
  type InstanceInfoRow,
  listClusterDefaults,
  listGroupTemplates,
  listInstanceInfos,
  listWireguardPeers,
  type ResourceRef,
  type WireguardPeerRow,
} from './nocloud-resources.js';
export {
  deleteWireguardPeer,
  registerWireguardPeer,
  removeWireguardPeer,
  setWireguardPeer,
  type TunnelNetwork,
  tunnelNetwork,
} from './wireguard.js';
