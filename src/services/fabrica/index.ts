// What the faces (REST families, GraphQL, interop, CLI, server) may use of the fabrica services.
// Code under src/services imports the files themselves; everything else imports this index.
export {
  createFabricaResource,
  deleteFabricaResource,
  FABRICA_KINDS,
  type FabricaEntities,
  type FabricaInputs,
  type FabricaItem,
  type FabricaKind,
  type FabricaMetaInput,
  getFabricaResource,
  listFabricaResources,
  setFabricaStatus,
  updateFabricaResource,
} from './resource.js';
