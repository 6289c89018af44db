// A BMC's inventory as SMD records it after its own discovery (and as magellan posts it):
// the Redfish payload of a RedfishEndpoint (SchemaVersion 2: Managers and Systems, written by
// smd/redfish-discovery.ts into components, ComponentEndpoints and EthernetInterfaces), and
// the HardwareInventory locations of each node: the node, its processors (<node>p<i>), GPUs
// (<node>a<i>) and DIMMs (<node>d<i>), each with its FRU.
import { standardFruId } from '../../domain/smd-hardware.js';
import { xnameType } from '../../domain/xname.js';
import type { HardwareLocationSync } from '../smd/hardware-inventory.js';
import type { DiscoveredInterface, RedfishInventory } from '../smd/redfish-discovery.js';
import type { BmcInventory, Fru, NetworkInterface } from './redfish-model.js';
import { nodeXname } from './scan-mapping.js';

const interfacesOf = (interfaces: NetworkInterface[]): DiscoveredInterface[] =>
  interfaces
    .filter((i) => i.mac)
    .map((i) => ({
      uri: i.uri,
      mac: (i.mac as string).toLowerCase(),
      ip: i.ipv4[0],
      name: i.hostname ?? undefined,
      description: i.description ?? undefined,
      enabled: i.enabled,
    }));

/** The RedfishEndpoint inventory SMD would store for this BMC. */
export function redfishInventoryOf(bmc: BmcInventory): RedfishInventory {
  const powerControls = new Map(bmc.chassis.map((c) => [c.uri, c.powerControlIds]));
  return {
    schemaVersion: 2,
    managers: bmc.managers.map((m) => ({
      uri: m.uri,
      name: m.name ?? undefined,
      ethernetInterfaces: interfacesOf(m.interfaces),
      actions: m.resetTypes,
      commandShell: m.commandShell,
    })),
    systems: bmc.systems.map((s) => ({
      uri: s.uri,
      uuid: s.uuid ?? undefined,
      name: s.name ?? undefined,
      systemType: s.systemType ?? undefined,
      ethernetInterfaces: interfacesOf(s.interfaces),
      actions: s.resetTypes,
      chassisLinks: s.chassisUris,
      powerControlIds: s.chassisUris.flatMap((c) => powerControls.get(c) ?? []),
    })),
  };
}

function location(xname: string, type: string, part: Fru, extra: Record<string, unknown> = {}): HardwareLocationSync {
  const fruInfo = Object.fromEntries(
    Object.entries({
      Manufacturer: part.manufacturer,
      Model: part.model,
      PartNumber: part.partNumber,
      SerialNumber: part.serialNumber,
      ...extra,
    }).filter(([, v]) => v !== null && v !== undefined),
  );
  return {
    xname,
    locationInfo: { Id: part.id, Name: part.name ?? '', Description: part.uri },
    fru: {
      fruId: standardFruId(type, xname, part.manufacturer, part.partNumber, part.serialNumber),
      manufacturer: part.manufacturer,
      partNumber: part.partNumber,
      serialNumber: part.serialNumber,
      model: part.model,
      fruInfo,
    },
  };
}

/**
 * The HardwareInventory locations of the BMC's nodes (only a NodeBMC has nodes: <bmc>n<i>).
 * Positions a type cannot name (a fifth processor socket) are left out, as SMD leaves them.
 */
export function hardwareLocationsOf(bmc: BmcInventory): HardwareLocationSync[] {
  if (!bmc.xname) return [];
  const out: HardwareLocationSync[] = [];
  const push = (xname: string, type: string, part: Fru, extra?: Record<string, unknown>) => {
    if (xnameType(xname) === type) out.push(location(xname, type, part, extra));
  };
  for (const [i, system] of bmc.systems.entries()) {
    const node = nodeXname(bmc.xname, i);
    push(node, 'Node', system, { UUID: system.uuid, SystemType: system.systemType, BiosVersion: system.biosVersion });
    const cpus = system.processors.filter((p) => p.processorType !== 'GPU');
    const gpus = system.processors.filter((p) => p.processorType === 'GPU');
    for (const [p, cpu] of cpus.entries())
      push(`${node}p${p}`, 'Processor', cpu, { ProcessorType: cpu.processorType, TotalCores: cpu.totalCores });
    for (const [a, gpu] of gpus.entries()) push(`${node}a${a}`, 'NodeAccel', gpu);
    for (const [d, dimm] of system.memory.entries()) push(`${node}d${d}`, 'Memory', dimm, { CapacityMiB: dimm.capacityMiB });
  }
  return out;
}
