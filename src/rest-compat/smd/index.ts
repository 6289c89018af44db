// SMD (State Manager) /hsm/v2, as PCS, BSS, coresmd, the ochami CLI, magellan and the
// cloud-init services call it. Each resource's routes live in their own file; SMD's JSON is
// decoded and encoded by the SMD codec (src/codecs/smd).
import { RestRouter } from '../http/router.js';
import { smdBehaviour } from './errors.js';
import { mountInventoryRoutes } from './inventory/index.js';
import { SMD_PREFIX } from './prefix.js';
import { mountServiceRoutes } from './service-routes.js';
import { mountStateRoutes } from './state/index.js';

export { SMD_PREFIX };

export function createSmdRouter(): RestRouter {
  const router = new RestRouter(SMD_PREFIX, smdBehaviour, 'smd');
  mountServiceRoutes(router);
  mountStateRoutes(router);
  mountInventoryRoutes(router);
  return router;
}
