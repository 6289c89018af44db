// SMD state side: State/Components, Defaults/NodeMaps, memberships, groups, partitions,
// locks and reservations, sysinfo/powermaps, Subscriptions/SCN. One file per resource; each
// handler decodes SMD's request, calls the services and shapes SMD's JSON.
import type { RestRouter } from '../../http/router.js';
import { mountComponentRoutes } from './components.js';
import { mountGroupRoutes } from './groups.js';
import { mountLockRoutes } from './locks.js';
import { mountMembershipRoutes } from './memberships.js';
import { mountNodeMapRoutes } from './node-maps.js';
import { mountPartitionRoutes } from './partitions.js';
import { mountPowerMapRoutes } from './power-maps.js';
import { mountSubscriptionRoutes } from './subscriptions.js';

export function mountStateRoutes(router: RestRouter): void {
  mountComponentRoutes(router);
  mountNodeMapRoutes(router);
  mountMembershipRoutes(router);
  mountGroupRoutes(router);
  mountPartitionRoutes(router);
  mountLockRoutes(router);
  mountPowerMapRoutes(router);
  mountSubscriptionRoutes(router);
}
