// The vendor shapes a simulated BMC can serve. The hardware is the same; what differs is
// what a crawler has to cope with on real sites: resource ids, how many systems one BMC
// manages, the chassis layout, the service root's Vendor/Product and the Oem sections.
import type { BmcHw, NodeHw } from './hardware.js';

export const BMC_VENDORS = ['hpe-cray', 'dell-idrac', 'openbmc', 'supermicro'] as const;
export type BmcVendor = (typeof BMC_VENDORS)[number];

export interface ChassisShape {
  id: string;
  chassisType: 'Enclosure' | 'Blade' | 'Sled' | 'RackMount';
  /** The cluster device whose FRU identity the chassis reports. */
  part: 'chassis' | 'blade';
  /** Chassis id this one sits in. */
  containedBy?: string;
  /** Whether Power (power supplies) and Thermal (fans) hang below it. */
  powerAndCooling: boolean;
  /** Whether the node systems sit in it. */
  holdsSystems: boolean;
}

export interface VendorShape {
  vendor: BmcVendor;
  vendorName: string;
  product: string;
  redfishVersion: string;
  firmwareVersion: string;
  biosVersion: string;
  /** What POST …/Actions/ComputerSystem.Reset would take (PCS and SMD record it). */
  resetTypes: string[];
  managerId: string;
  managerNicId: string;
  /** The nodes of the BMC that this vendor's BMC serves as Systems (an iDRAC manages one). */
  nodes(bmc: BmcHw): NodeHw[];
  systemId(nodeIndex: number): string;
  chassis: ChassisShape[];
  cpuId(i: number): string;
  gpuId(i: number): string;
  dimmId(i: number): string;
  storageId: string;
  driveId(i: number): string;
  nicId: string;
  pcieId: string;
  psuId(i: number): string;
  fanId(i: number): string;
  oem?(bmc: BmcHw): Record<string, unknown>;
}

/** HPE Cray EX node card controller (nC): one BMC for the two nodes of a blade. */
const HPE_CRAY: VendorShape = {
  vendor: 'hpe-cray',
  vendorName: 'HPE',
  product: 'HPE Cray EX nC',
  redfishVersion: '1.7.0',
  firmwareVersion: 'nc.1.9.14',
  biosVersion: 'ex425.bios-1.8.2',
  resetTypes: ['Off', 'On', 'ForceOff', 'ForceRestart', 'GracefulShutdown'],
  managerId: 'BMC',
  managerNicId: 'ManagementEthernet',
  nodes: (bmc) => bmc.nodes,
  systemId: (i) => `Node${i}`,
  chassis: [
    { id: 'Enclosure', chassisType: 'Enclosure', part: 'chassis', powerAndCooling: true, holdsSystems: false },
    { id: 'Blade', chassisType: 'Blade', part: 'blade', containedBy: 'Enclosure', powerAndCooling: false, holdsSystems: true },
  ],
  cpuId: (i) => `CPU${i}`,
  gpuId: (i) => `GPU${i}`,
  dimmId: (i) => `DIMM${i}`,
  storageId: '1',
  driveId: (i) => `${i}`,
  nicId: 'HPCNet0',
  pcieId: 'NIC0',
  psuId: (i) => `${i}`,
  fanId: (i) => `${i}`,
  oem: (bmc) => ({ Cray: { Xname: bmc.xname } }),
};

const DIMM_BANKS = 'ABCDEFGH';

/** Dell iDRAC 9: one system per controller, ids named after slots. */
const DELL_IDRAC: VendorShape = {
  vendor: 'dell-idrac',
  vendorName: 'Dell',
  product: 'Integrated Dell Remote Access Controller',
  redfishVersion: '1.11.0',
  firmwareVersion: '6.10.30.00',
  biosVersion: '2.19.1',
  resetTypes: ['On', 'ForceOff', 'ForceRestart', 'GracefulRestart', 'GracefulShutdown', 'PushPowerButton', 'Nmi', 'PowerCycle'],
  managerId: 'iDRAC.Embedded.1',
  managerNicId: 'NIC.1',
  nodes: (bmc) => bmc.nodes.slice(0, 1),
  systemId: () => 'System.Embedded.1',
  chassis: [{ id: 'System.Embedded.1', chassisType: 'Sled', part: 'blade', powerAndCooling: true, holdsSystems: true }],
  cpuId: (i) => `CPU.Socket.${i + 1}`,
  gpuId: (i) => `Video.Slot.${i + 1}-1`,
  dimmId: (i) => `DIMM.Socket.${DIMM_BANKS[Math.floor(i / 4)] ?? 'Z'}${(i % 4) + 1}`,
  storageId: 'CPU.1',
  driveId: (i) => `Disk.Bay.${i}:Enclosure.Internal.0-1`,
  nicId: 'NIC.Slot.1-1-1',
  pcieId: '59-0',
  psuId: (i) => `PSU.Slot.${i + 1}`,
  fanId: (i) => `Fan.Embedded.${i + 1}`,
  oem: (bmc) => ({ Dell: { '@odata.type': '#DellOem.v1_3_0.DellOemResources', ServiceTag: bmc.blade.serialNumber.slice(-7) } }),
};

/** OpenBMC (bmcweb): lower-case singular ids, as on many HPC nodes with open firmware. */
const OPENBMC: VendorShape = {
  vendor: 'openbmc',
  vendorName: 'OpenBMC',
  product: 'OpenBMC bmcweb',
  redfishVersion: '1.17.0',
  firmwareVersion: '2.14.0-dev',
  biosVersion: '1.4.0',
  resetTypes: ['On', 'ForceOff', 'ForceOn', 'ForceRestart', 'GracefulRestart', 'GracefulShutdown', 'PowerCycle', 'Nmi'],
  managerId: 'bmc',
  managerNicId: 'eth0',
  nodes: (bmc) => bmc.nodes.slice(0, 1),
  systemId: () => 'system',
  chassis: [{ id: 'chassis', chassisType: 'RackMount', part: 'blade', powerAndCooling: true, holdsSystems: true }],
  cpuId: (i) => `cpu${i}`,
  gpuId: (i) => `gpu${i}`,
  dimmId: (i) => `dimm${i}`,
  storageId: '1',
  driveId: (i) => `drive${i}`,
  nicId: 'eth0',
  pcieId: 'pcie_card1',
  psuId: (i) => `powersupply${i}`,
  fanId: (i) => `fan${i}`,
};

/** Supermicro: numeric ids from 1, GPUs among the processors as GPU1, GPU2. */
const SUPERMICRO: VendorShape = {
  vendor: 'supermicro',
  vendorName: 'Supermicro',
  product: 'Supermicro Redfish Service',
  redfishVersion: '1.11.0',
  firmwareVersion: '01.01.06',
  biosVersion: '2.6',
  resetTypes: ['On', 'ForceOff', 'GracefulShutdown', 'GracefulRestart', 'ForceRestart', 'Nmi', 'ForceOn'],
  managerId: '1',
  managerNicId: '1',
  nodes: (bmc) => bmc.nodes.slice(0, 1),
  systemId: () => '1',
  chassis: [{ id: '1', chassisType: 'RackMount', part: 'blade', powerAndCooling: true, holdsSystems: true }],
  cpuId: (i) => `${i + 1}`,
  gpuId: (i) => `GPU${i + 1}`,
  dimmId: (i) => `${i + 1}`,
  storageId: 'NVMeSSD',
  driveId: (i) => `${i}`,
  nicId: '1',
  pcieId: 'NIC1',
  psuId: (i) => `${i}`,
  fanId: (i) => `${i}`,
  oem: () => ({ Supermicro: { '@odata.type': '#SmcServiceRoot.v1_0_0.SmcServiceRoot' } }),
};

export const VENDOR_SHAPES: Record<BmcVendor, VendorShape> = {
  'hpe-cray': HPE_CRAY,
  'dell-idrac': DELL_IDRAC,
  openbmc: OPENBMC,
  supermicro: SUPERMICRO,
};
