// /partitions: the /groups routes with `name` for `label`, no exclusive groups and no PUT
// members. A component is in at most one partition.
import type { RestRouter } from '../../http/router.js';
import { mountGroupFamily } from './groups.js';

export function mountPartitionRoutes(router: RestRouter): void {
  mountGroupFamily(router, 'partition');
}
