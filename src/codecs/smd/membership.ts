// SMD's memberships (/memberships, sm.Membership): one entry per component with the labels of
// its groups and the name of its partition.
import type { Membership } from '../../services/smd/index.js';

/** partitionName always present ("" when none), groupLabels [] when none. */
export const membershipJson = (m: Membership) => ({ id: m.xname, groupLabels: m.groupLabels, partitionName: m.partitionName });

/** GET /memberships/{xname} of a component that does not exist. */
export const noSuchMemberText = (xname: string) => `No such xname: ${xname}`;
