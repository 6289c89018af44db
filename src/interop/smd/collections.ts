// The SMD collections an `smd` import reads and an `smd` export writes. A dump is one JSON
// object whose keys are these /hsm/v2 paths, each holding exactly what `GET /hsm/v2/<path>`
// answers, so a dump is those GETs saved side by side, and pulling from a running SMD reads
// the same answers over HTTP. The list is in the order an import applies them.

export interface SmdCollection {
  /** The path below /hsm/v2, and the collection's key in a dump. */
  readonly path: string;
  /** The key SMD answers the list under ({"Components": [...]}); absent for a bare list. */
  readonly listKey?: string;
  /** The collections whose records this one's records refer to: applied first. */
  readonly needs: readonly string[];
}

const COMPONENTS = 'State/Components';
const REDFISH_ENDPOINTS = 'Inventory/RedfishEndpoints';

export const SMD_COLLECTIONS: readonly SmdCollection[] = [
  { path: COMPONENTS, listKey: 'Components', needs: [] },
  { path: REDFISH_ENDPOINTS, listKey: 'RedfishEndpoints', needs: [COMPONENTS] },
  { path: 'Inventory/ComponentEndpoints', listKey: 'ComponentEndpoints', needs: [COMPONENTS, REDFISH_ENDPOINTS] },
  { path: 'Inventory/ServiceEndpoints', listKey: 'ServiceEndpoints', needs: [COMPONENTS, REDFISH_ENDPOINTS] },
  // An interface's ComponentID and a group's members are positions: components come first.
  { path: 'Inventory/EthernetInterfaces', needs: [COMPONENTS] },
  { path: 'groups', needs: [COMPONENTS] },
  { path: 'partitions', needs: [COMPONENTS] },
  { path: 'Inventory/Hardware', needs: [COMPONENTS] },
];

const BY_PATH = new Map(SMD_COLLECTIONS.map((c) => [c.path, c]));

export function collectionAt(path: string): SmdCollection | undefined {
  return BY_PATH.get(path);
}

export const collectionPaths = () => SMD_COLLECTIONS.map((c) => c.path).join(', ');
