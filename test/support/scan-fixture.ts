// A node with four DIMMs, and the scan payloads that report it (as fru-tracker's rawData).

import type { ServiceContext } from '../../src/services/core/context.js';
import { createDevice } from '../../src/services/inventory/device.js';

const NODE_URI = '/redfish/v1/Systems/n0';
const dimmUri = (slot: number) => `/redfish/v1/Systems/n0/Memory/${slot}`;

export async function createNodeWithDimms(service: ServiceContext, serialPrefix: string) {
  const node = await createDevice(service, {
    deviceType: 'Node',
    manufacturer: 'HPE',
    serialNumber: `${serialPrefix}-NODE`,
    properties: { redfish_uri: NODE_URI },
  });
  const dimms = [];
  for (let slot = 0; slot < 4; slot++) {
    dimms.push(
      await createDevice(service, {
        deviceType: 'Memory',
        manufacturer: 'Micron',
        partNumber: 'MTA36',
        serialNumber: `${serialPrefix}-DIMM-${slot}`,
        parentId: node.id,
        properties: { redfish_uri: dimmUri(slot), redfish_parent_uri: NODE_URI },
      }),
    );
  }
  return { node, dimms };
}

/** The node as a scan reports it after DIMM slot 2 was replaced and a GPU added. */
export function replacedDimmAndNewGpu(serialPrefix: string) {
  const dimm = (slot: number, serial: string) => ({
    deviceType: 'Memory',
    manufacturer: 'Micron',
    partNumber: 'MTA36',
    serialNumber: serial,
    parentSerialNumber: `${serialPrefix}-NODE`,
    properties: { redfish_uri: dimmUri(slot), redfish_parent_uri: NODE_URI },
  });
  return {
    rawData: [
      { deviceType: 'Node', manufacturer: 'HPE', serialNumber: `${serialPrefix}-NODE`, properties: { redfish_uri: NODE_URI } },
      dimm(0, `${serialPrefix}-DIMM-0`),
      dimm(1, `${serialPrefix}-DIMM-1`),
      dimm(2, `${serialPrefix}-DIMM-NEW`),
      dimm(3, `${serialPrefix}-DIMM-3`),
      {
        deviceType: 'GPU',
        manufacturer: 'NVIDIA',
        partNumber: 'H100',
        serialNumber: `${serialPrefix}-GPU-0`,
        properties: { redfish_uri: '/redfish/v1/Systems/n0/Processors/GPU0', redfish_parent_uri: NODE_URI },
      },
    ],
  };
}
