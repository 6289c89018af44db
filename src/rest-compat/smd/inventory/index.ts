// SMD inventory side: EthernetInterfaces, RedfishEndpoints (with discovery payloads),
// ComponentEndpoints, ServiceEndpoints, Hardware, HardwareByFRU, discovery.
import type { RestRouter } from '../../http/router.js';
import { mountComponentEndpointRoutes } from './component-endpoints.js';
import { mountDiscoveryRoutes } from './discovery.js';
import { mountEthernetInterfaceRoutes } from './ethernet-interfaces.js';
import { mountHardwareRoutes } from './hardware.js';
import { mountRedfishEndpointRoutes } from './redfish-endpoints.js';
import { mountServiceEndpointRoutes } from './service-endpoints.js';

export function mountInventoryRoutes(router: RestRouter): void {
  mountEthernetInterfaceRoutes(router);
  mountRedfishEndpointRoutes(router);
  mountComponentEndpointRoutes(router);
  mountServiceEndpointRoutes(router);
  mountDiscoveryRoutes(router);
  mountHardwareRoutes(router);
}
