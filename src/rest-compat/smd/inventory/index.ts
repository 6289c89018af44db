// SMD inventory side: EthernetInterfaces, RedfishEndpoints (with discovery payloads),
// ComponentEndpoints, ServiceEndpoints, Hardware, HardwareByFRU, discovery.
import type { RestRouter } from '../../http/router.js';

export function mountInventoryRoutes(_router: RestRouter): void {}
