// /memberships: one entry per component (boot-service sends ?type=node, cloud-init one GET per
// node), with the same component filters as /State/Components.
import { normalizeXname } from '../../../domain/xname.js';
import { findMembership, findMemberships, type Membership } from '../../../services/smd/index.js';
import { json } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';
import { SmdError } from '../errors.js';
import { filterFromQuery, withFilterPrefix } from './component-filter.js';

/** SMD's Membership: partitionName always present ("" when none), groupLabels [] when none. */
const membershipJson = (m: Membership) => ({ id: m.xname, groupLabels: m.groupLabels, partitionName: m.partitionName });

export function mountMembershipRoutes(router: RestRouter): void {
  router.get('/memberships', async ({ query, ctx }) => {
    const filter = filterFromQuery(query);
    const memberships = await withFilterPrefix(() => findMemberships(ctx.service, filter));
    return json(memberships.map(membershipJson));
  });
  router.get('/memberships/:xname', async ({ params, ctx }) => {
    const membership = await findMembership(ctx.service, params.xname ?? '');
    if (!membership) throw new SmdError(404, `No such xname: ${normalizeXname(params.xname ?? '')}`);
    return json(membershipJson(membership));
  });
}
