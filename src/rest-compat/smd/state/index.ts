// SMD state side: State/Components, Defaults/NodeMaps, memberships, groups, partitions,
// locks and reservations, sysinfo/powermaps, Subscriptions/SCN.
import type { RestRouter } from '../../http/router.js';

export function mountStateRoutes(_router: RestRouter): void {}
