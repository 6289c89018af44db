// What each simulated BMC manages, read from the synthetic cluster (the one generator of test
// data): the BMC and its blade, chassis and nodes with their DIMMs, GPUs and NIC carry exactly
// the serials, parts and MACs the gateway's demo cluster holds for them. Hardware the cluster
// does not model (CPUs, drives, power supplies, fans) is derived from the seed and the xname
// alone, so a rescan of unchanged hardware reads identical data in any run. So are the
// Redfish UUIDs: the cluster's row ids depend on the cluster's size, a BMC's UUID must not.
import { createPrng } from '../../fixtures/prng.js';
import { generateCluster, NODES_PER_BLADE, type SyntheticCluster } from '../../fixtures/synthetic-cluster.js';

export interface Fru {
  manufacturer: string;
  model: string;
  partNumber: string;
  serialNumber: string;
}

export interface DimmHw extends Fru {
  locator: string;
  capacityMiB: number;
  speedMts: number;
}
export interface GpuHw extends Fru {
  memoryGiB: number;
}
export interface CpuHw extends Fru {
  cores: number;
  threads: number;
}
export interface DriveHw extends Fru {
  capacityBytes: number;
}
export interface NicHw extends Fru {
  macAddress: string;
  speedMbps: number;
}
export interface PsuHw extends Fru {
  capacityWatts: number;
}

export interface NodeHw {
  xname: string;
  uuid: string;
  fru: Fru;
  powerState: 'On' | 'Off';
  cpus: CpuHw[];
  dimms: DimmHw[];
  gpus: GpuHw[];
  drives: DriveHw[];
  nic: NicHw;
}

export interface BmcHw {
  xname: string;
  uuid: string;
  fru: Fru;
  macAddress: string;
  blade: Fru & { xname: string };
  chassis: Fru & { xname: string };
  powerSupplies: PsuHw[];
  fans: Fru[];
  nodes: NodeHw[];
}

type DeviceRow = SyntheticCluster['devices'][number];

const CPU = { manufacturer: 'AMD', model: 'AMD EPYC 7763 64-Core Processor', partNumber: '100-000000312', cores: 64, threads: 128 };
const DRIVE = { manufacturer: 'Samsung', model: 'MZQL23T8HCLS-00A07', partNumber: 'MZQL23T8HCLS-00A07', capacityBytes: 3_840_755_982_336 };
const PSU = { manufacturer: 'Delta Electronics', model: 'ECD16010092', partNumber: 'P38997-B21', capacityWatts: 3000 };
const FAN = { manufacturer: 'Delta Electronics', model: 'PFR0912XHE', partNumber: 'P35720-001' };
const CPUS_PER_NODE = 2;
const DRIVES_PER_NODE = 1;
const PSUS_PER_BMC = 2;
const FANS_PER_BMC = 4;

/** A replacement DIMM's part number per manufacturer: the same capacity, another revision. */
const REPLACEMENT_PART: Record<string, string> = {
  Micron: 'MTA36ASF8G72PZ-3G2R1',
  Samsung: 'M393A8G40BB4-CWE',
  'SK Hynix': 'HMAA8GR7AJR4N-XN',
};

function fru(row: DeviceRow): Fru {
  return {
    manufacturer: row.manufacturer ?? '',
    model: row.model ?? '',
    partNumber: row.partNumber ?? '',
    serialNumber: row.serialNumber ?? '',
  };
}

function numberProperty(row: DeviceRow, key: string, fallback: number): number {
  const value = (row.properties as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : fallback;
}

/** Serials for hardware the cluster does not model: from the seed and the xname only. */
function serialMaker(seed: number, xname: string) {
  const prng = createPrng(`${seed}/${xname}`, 7);
  return (code: string) => `${code}${prng.uint32().toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * The hardware behind the first `count` BMCs of the synthetic cluster of `seed` (two nodes per
 * BMC, as the cluster's blades have). Node xnames beyond the BMC's share are never generated.
 */
export function clusterHardware(count: number, seed: number): BmcHw[] {
  const cluster = generateCluster({ nodes: count * NODES_PER_BLADE, seed });
  const byName = new Map(cluster.devices.map((row) => [row.name, row]));
  const children = new Map<string, DeviceRow[]>();
  for (const row of cluster.devices) {
    if (!row.parentId) continue;
    const list = children.get(row.parentId) ?? [];
    list.push(row);
    children.set(row.parentId, list);
  }
  const macOf = new Map<string, string>();
  for (const iface of cluster.interfaces) if (iface.deviceId && iface.macAddress) macOf.set(iface.deviceId, iface.macAddress);
  const state = new Map(cluster.components.map((c) => [c.xname, c.state]));
  const get = (name: string): DeviceRow => {
    const row = byName.get(name);
    if (!row) throw new Error(`BMC simulator: the synthetic cluster has no device "${name}"`);
    return row;
  };

  return cluster.redfishEndpoints.slice(0, count).map((endpoint) => {
    const bmcX = endpoint.xname;
    const bmc = get(bmcX);
    const bladeX = bmcX.replace(/b\d+$/, '');
    const chassisX = bladeX.replace(/s\d+$/, '');
    const serial = serialMaker(seed, bmcX);
    const nodes: NodeHw[] = [];
    for (let n = 0; n < NODES_PER_BLADE; n += 1) {
      const nodeX = `${bmcX}n${n}`;
      const node = byName.get(nodeX);
      if (!node) continue;
      const parts = children.get(node.id) ?? [];
      const of = (type: string) =>
        parts.filter((row) => row.deviceType === type).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
      const nicRow = of('NIC')[0];
      if (!nicRow) throw new Error(`BMC simulator: node ${nodeX} has no NIC`);
      const nodeSerial = serialMaker(seed, nodeX);
      nodes.push({
        xname: nodeX,
        uuid: createPrng(`${seed}/${nodeX}`, 8).uuid(),
        fru: fru(node),
        powerState: state.get(nodeX) === 'Off' ? 'Off' : 'On',
        cpus: Array.from({ length: CPUS_PER_NODE }, () => ({ ...CPU, serialNumber: nodeSerial('CP') })),
        dimms: of('Memory').map((row, d) => ({
          ...fru(row),
          locator: `DIMM${d}`,
          capacityMiB: numberProperty(row, 'capacity_mib', 65536),
          speedMts: numberProperty(row, 'speed_mts', 3200),
        })),
        gpus: of('GPU').map((row) => ({ ...fru(row), memoryGiB: numberProperty(row, 'memory_gib', 40) })),
        drives: Array.from({ length: DRIVES_PER_NODE }, () => ({ ...DRIVE, serialNumber: nodeSerial('S6') })),
        nic: { ...fru(nicRow), macAddress: macOf.get(nicRow.id) ?? '', speedMbps: numberProperty(nicRow, 'speed_gbps', 25) * 1000 },
      });
    }
    return {
      xname: bmcX,
      uuid: createPrng(`${seed}/${bmcX}`, 8).uuid(),
      fru: fru(bmc),
      macAddress: endpoint.macAddr ?? macOf.get(bmc.id) ?? '',
      blade: { ...fru(get(bladeX)), xname: bladeX },
      chassis: { ...fru(get(chassisX)), xname: chassisX },
      powerSupplies: Array.from({ length: PSUS_PER_BMC }, () => ({ ...PSU, serialNumber: serial('PS') })),
      fans: Array.from({ length: FANS_PER_BMC }, () => ({ ...FAN, serialNumber: serial('FN') })),
      nodes,
    };
  });
}

/**
 * Swaps one DIMM for a new part (another serial and part number), in place. The new serial is
 * derived from the node, the slot and the number of swaps so far: it never repeats an earlier
 * one and never collides with the cluster's serials (which have no "R").
 */
export function swapDimm(node: NodeHw, index: number, swaps: number): { old: string; new: string } {
  const dimm = node.dimms[index];
  if (!dimm) throw new RangeError(`${node.xname} has no DIMM ${index} (it has ${node.dimms.length})`);
  const old = dimm.serialNumber;
  const tag = createPrng(node.xname, 9).uint32().toString(16).toUpperCase().padStart(8, '0');
  dimm.serialNumber = `${old.slice(0, 2)}R${tag}${index}${String(swaps).padStart(3, '0')}`;
  dimm.partNumber = REPLACEMENT_PART[dimm.manufacturer] ?? `${dimm.partNumber}-R`;
  return { old, new: dimm.serialNumber };
}
