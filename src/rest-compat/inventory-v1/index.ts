// The RFD 112 Inventory API (/apis/inventory/v1): devices as OpenCHAMI's hardware inventory
// contract describes them. Writes are recorded with source "rfd".
import { RestRouter } from '../http/router.js';
import { mountDeviceRoutes } from './device-routes.js';
import { inventoryV1Behaviour } from './errors.js';

export const INVENTORY_V1_PREFIX = '/apis/inventory/v1';

export function createInventoryV1Router(): RestRouter {
  const router = new RestRouter(INVENTORY_V1_PREFIX, inventoryV1Behaviour, 'rfd');
  mountDeviceRoutes(router);
  return router;
}
