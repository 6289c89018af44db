// Named fixtures (Redwood's "scenarios"): a test names the set-up it needs instead of writing
// its own. Each scenario arranges its rows through the services, as any writer must, and
// answers what a test refers to (xnames, ids). Large data sets come from the synthetic-cluster
// generator (src/fixtures/synthetic-cluster.ts, loaded by src/fixtures/seed.ts), not from here.
import type { ServiceContext } from '../../src/services/core/context.js';
import { createDevice } from '../../src/services/inventory/index.js';
import { createComponent, createComponents, installDevice } from '../../src/services/smd/index.js';

const SLOTS = [0, 1, 2, 3, 4, 5, 6, 7];
const SERVICE_SLOTS = [6, 7];
const bmc = (slot: number) => `x1c0s${slot}b0`;
const node = (slot: number, n = 0) => `${bmc(slot)}n${n}`;
const nodesOf = (slots: number[]) => slots.flatMap((slot) => [node(slot, 0), node(slot, 1)]);

/** Chassis x1c0's positions, named before they exist (a `describe` body may use them). */
export const SMD_CHASSIS = {
  /** The BMC of a slot: x1c0s<slot>b0. */
  bmc,
  /** Node `n` (0 or 1) of a slot: x1c0s<slot>b0n<n>. */
  node,
  /** The eight BMCs, slot order. */
  bmcs: SLOTS.map(bmc),
  /** The sixteen nodes in xname order, their NIDs 1–16 in the same order. */
  nodes: nodesOf(SLOTS),
  /** The nodes of slots 6 and 7, role Service (the others are Compute). */
  serviceNodes: nodesOf(SERVICE_SLOTS),
};

/**
 * Chassis x1c0 as SMD holds it after discovery: slots s0–s7, each with its BMC x1c0s<slot>b0
 * (NodeBMC, Ready) and two nodes x1c0s<slot>b0n0 and …n1 (Node, On, NIDs 1–16 in xname order;
 * Compute in slots 0–5, Service in slots 6 and 7). No cabinet or chassis component, no groups,
 * no devices, no interfaces. Answers SMD_CHASSIS.
 */
export async function smdChassis(service: ServiceContext): Promise<typeof SMD_CHASSIS> {
  await createComponents(service, [
    ...SMD_CHASSIS.bmcs.map((xname) => ({ xname, state: 'Ready' })),
    ...SMD_CHASSIS.nodes.map((xname, i) => ({
      xname,
      state: 'On',
      nid: i + 1,
      role: SMD_CHASSIS.serviceNodes.includes(xname) ? 'Service' : 'Compute',
    })),
  ]);
  return SMD_CHASSIS;
}

export interface InstalledNodeOptions {
  xname: string;
  serialNumber: string;
  manufacturer?: string;
  partNumber?: string;
  /** The position's SMD state (the service's default when not given). */
  state?: string;
  nid?: number;
}

/**
 * A node position with a node device installed in it: the component `xname`, a Node device
 * (manufacturer HPE unless given) with the serial and part number given, and the open
 * installation between them. Answers the component's and the device's ids.
 */
export async function installedNode(service: ServiceContext, options: InstalledNodeOptions) {
  const { xname, serialNumber, manufacturer = 'HPE', partNumber, state, nid } = options;
  const component = await createComponent(service, { xname, state, nid });
  const device = await createDevice(service, { deviceType: 'Node', manufacturer, partNumber, serialNumber });
  await installDevice(service, xname, device.id);
  return { xname: component.xname, componentId: component.id, deviceId: device.id };
}
