// A crawl's BMC inventories as a Collection scan payload (fru-tracker's rawData), which the
// scans service matches and diffs as it does a pushed one. The tree: chassis (a blade is a
// ComputeModule) → BMC (the Manager) and node (the ComputerSystem) → processors (CPU as
// Processor, GPU), DIMMs (Memory), drives, NICs (network adapters, else one per system
// interface, by MAC); chassis → power supplies and fans.
//
// Redfish paths repeat on every BMC, so an item's redfish_uri is its path prefixed by its
// BMC's xname (else its address): "x1000c0s0b0/redfish/v1/Systems/Node0/Memory/DIMM3".
// Parents are named by redfish_parent_uri. A chassis with the identity of a system (a rack
// server's chassis and system share the service tag) is that system: its parts hang off the
// node. Volatile state (power state, health) is not reported, so rescanning unchanged
// hardware proposes nothing.
import type { ScannedItem } from '../scans/payload.js';
import type { BmcInventory, ComputerSystem, Fru, NetworkInterface } from './redfish-model.js';

/** A scanned item as the crawl proposes it: the scans service's item before it is placed in the scan. */
export type RawScanItem = Omit<ScannedItem, 'index' | 'parentSerialNumber'> & {
  /**
   * An enclosure around this BMC's own chassis that holds none of its systems (a Cray EX
   * cabinet chassis every blade's BMC reports): reported for the tree, but what else it holds
   * is not this BMC's to report, so the scan proposes no removal below it. Not sent as data.
   */
  shared?: boolean;
};

const CHASSIS_TYPES: Record<string, string> = { Blade: 'ComputeModule', Sled: 'ComputeModule' };
const MANAGER_TYPES: Record<string, string> = { BMC: 'NodeBMC', EnclosureManager: 'ChassisBMC', RackManager: 'RackBMC' };
/** A PCIe device's type by its first function's class (a GPU also listed as a processor is reported once). */
const PCIE_CLASSES: Record<string, string> = {
  DisplayController: 'GPU',
  ProcessingAccelerators: 'Accelerator',
  MassStorageController: 'StorageController',
};
const PROCESSOR_TYPES: Record<string, string> = { CPU: 'Processor', GPU: 'GPU' };

/** The BMC's xname followed by n<i>: the node position SMD gives its i-th system. */
export const nodeXname = (bmcXname: string, index: number) => `${bmcXname}n${index}`;

/** Properties without the absent values (the store keeps what was found, not nulls). */
function props(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)),
  );
}

const macs = (interfaces: NetworkInterface[]) => interfaces.map((i) => i.mac?.toLowerCase()).filter((m): m is string => !!m);

const identity = (f: { manufacturer: string | null; serialNumber: string | null }) =>
  f.serialNumber ? `${f.manufacturer ?? ''}\u0000${f.serialNumber}` : undefined;

/** The items one BMC reports. */
export function scanItemsOf(bmc: BmcInventory): RawScanItem[] {
  const key = bmc.xname ?? bmc.address;
  const at = (path: string) => `${key}${path}`;
  const items: RawScanItem[] = [];
  const add = (deviceType: string, part: Fru, parentUri: string | null, extra: Record<string, unknown> = {}, name = part.name) =>
    items.push({
      deviceType,
      manufacturer: part.manufacturer,
      partNumber: part.partNumber,
      serialNumber: part.serialNumber,
      model: part.model,
      name,
      properties: props({ redfish_uri: at(part.uri), redfish_parent_uri: parentUri ? at(parentUri) : null, ...extra }),
    });

  // A chassis that is a system (same identity) stands for it.
  const systemByIdentity = new Map(bmc.systems.filter(identity).map((s) => [identity(s) as string, s]));
  const standsFor = new Map<string, ComputerSystem>();
  for (const chassis of bmc.chassis) {
    const system = identity(chassis) ? systemByIdentity.get(identity(chassis) as string) : undefined;
    if (system) standsFor.set(chassis.uri, system);
  }
  const known = new Set(bmc.chassis.map((c) => c.uri));
  const chassisParent = (uri: string | null | undefined) => {
    if (!uri || !known.has(uri)) return null;
    return standsFor.get(uri)?.uri ?? uri;
  };

  for (const chassis of bmc.chassis) {
    if (!standsFor.has(chassis.uri)) {
      add(CHASSIS_TYPES[chassis.chassisType ?? ''] ?? 'Chassis', chassis, chassisParent(chassis.containedBy), {
        chassis_type: chassis.chassisType,
      });
      const holdsSystem = bmc.systems.some((s) => s.chassisUris.includes(chassis.uri));
      const containsChassis = bmc.chassis.some((c) => c.containedBy === chassis.uri);
      if (!holdsSystem && containsChassis) (items.at(-1) as RawScanItem).shared = true;
    }
    const self = chassisParent(chassis.uri);
    for (const psu of chassis.powerSupplies) add('PowerSupply', psu, self);
    for (const fan of chassis.fans) add('Fan', fan, self);
    // A chassis holding one system (a blade's node, a rack server): its adapters are that node's NICs.
    const holders = bmc.systems.filter((s) => s.chassisUris.includes(chassis.uri));
    const adapterParent = holders.length === 1 ? (holders[0] as ComputerSystem).uri : self;
    for (const adapter of chassis.networkAdapters) add('NIC', adapter, adapterParent);
  }

  for (const manager of bmc.managers) {
    add(
      MANAGER_TYPES[manager.managerType ?? ''] ?? 'BMC',
      { ...manager, serialNumber: manager.serialNumber },
      chassisParent(manager.chassisUris[0]),
      { xname: bmc.xname, firmware_version: manager.firmwareVersion, mac_addresses: macs(manager.interfaces) },
      bmc.xname ?? manager.name,
    );
  }

  const hasAdapters = bmc.chassis.some((c) => c.networkAdapters.length > 0);
  for (const [i, system] of bmc.systems.entries()) {
    const xname = bmc.xname ? nodeXname(bmc.xname, i) : null;
    // A system's chassis that stands for it is no parent: the chassis that contains that one is.
    const own = bmc.chassis.find((c) => c.uri === system.chassisUris[0]);
    const parent = own && standsFor.get(own.uri) === system ? chassisParent(own.containedBy) : chassisParent(own?.uri);
    add(
      'Node',
      system,
      parent,
      {
        xname,
        uuid: system.uuid,
        system_type: system.systemType,
        bios_version: system.biosVersion,
        mac_addresses: macs(system.interfaces),
      },
      xname ?? system.name,
    );
    for (const cpu of system.processors)
      add(PROCESSOR_TYPES[cpu.processorType] ?? 'Accelerator', cpu, system.uri, {
        processor_type: cpu.processorType,
        socket: cpu.socket,
        total_cores: cpu.totalCores,
      });
    for (const dimm of system.memory)
      add('Memory', dimm, system.uri, { capacity_mib: dimm.capacityMiB, speed_mhz: dimm.speedMhz, slot: dimm.locator });
    for (const drive of system.drives)
      add('Drive', drive, system.uri, { capacity_bytes: drive.capacityBytes, media_type: drive.mediaType });
    // A PCIe network controller is the NIC that holds the system's interfaces it links.
    const nicUris = new Set<string>();
    for (const device of system.pcieDevices) {
      const deviceClass = device.deviceClasses[0] ?? null;
      if (deviceClass === 'NetworkController') {
        const linked = system.interfaces.filter((i) => device.interfaceUris.includes(i.uri));
        for (const i of linked) nicUris.add(i.uri);
        add('NIC', device, system.uri, { mac_addresses: macs(linked) });
      } else add(PCIE_CLASSES[deviceClass ?? ''] ?? 'PCIeDevice', device, system.uri, { pcie_device_class: deviceClass });
    }
    if (!hasAdapters && nicUris.size === 0)
      for (const nic of system.interfaces)
        add(
          'NIC',
          { uri: nic.uri, id: nic.id, name: nic.id, manufacturer: null, model: null, partNumber: null, serialNumber: null },
          system.uri,
          {
            mac_address: nic.mac?.toLowerCase(),
          },
        );
  }
  return items;
}

/**
 * The payload of a crawl: every BMC's items, a part reported twice (a GPU both as a processor
 * and as a PCIe device; a cabinet chassis every blade's BMC reports) once, the first time; the
 * children of a dropped repeat hang off the part that was kept.
 */
export function scanPayloadOf(bmcs: BmcInventory[]): { rawData: RawScanItem[]; sharedUris: Set<string> } {
  const kept = new Map<string, string>();
  const seenUris = new Set<string>();
  const alias = new Map<string, string>();
  const rawData: RawScanItem[] = [];
  for (const bmc of bmcs) {
    for (const item of scanItemsOf(bmc)) {
      const id = identity(item);
      const uri = item.properties.redfish_uri as string;
      const first = id ? kept.get(id) : undefined;
      if (first) alias.set(uri, first);
      if (first || seenUris.has(uri)) continue;
      if (id) kept.set(id, uri);
      seenUris.add(uri);
      rawData.push(item);
    }
  }
  const sharedUris = new Set<string>();
  for (const item of rawData) {
    const parent = item.properties.redfish_parent_uri as string | undefined;
    if (parent && alias.has(parent)) item.properties.redfish_parent_uri = alias.get(parent);
    if (item.shared) sharedUris.add(item.properties.redfish_uri as string);
    delete item.shared;
  }
  return { rawData, sharedUris };
}
