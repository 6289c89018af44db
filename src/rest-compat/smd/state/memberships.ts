// /memberships: one entry per component (boot-service sends ?type=node, cloud-init one GET per
// node), with the same component filters as /State/Components.
import { badQueryParam, filterFromQuery, membershipJson, noSuchMemberText, smdNotFound } from '../../../codecs/smd/index.js';
import { normalizeXname } from '../../../domain/xname.js';
import { findMembership, findMemberships } from '../../../services/smd/index.js';
import { json } from '../../http/respond.js';
import type { RestRouter } from '../../http/router.js';

export function mountMembershipRoutes(router: RestRouter): void {
  router.get('/memberships', async ({ query, ctx }) => {
    const memberships = await findMemberships(ctx.service, filterFromQuery(query)).catch((error) => {
      throw badQueryParam(error);
    });
    return json(memberships.map(membershipJson));
  });
  router.get('/memberships/:xname', async ({ params, ctx }) => {
    const membership = await findMembership(ctx.service, params.xname ?? '');
    if (!membership) throw smdNotFound(noSuchMemberText(normalizeXname(params.xname ?? '')));
    return json(membershipJson(membership));
  });
}
