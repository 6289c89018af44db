// Walks one BMC's Redfish tree — service root → Systems (processors, memory, storage drives,
// PCIe devices, NICs), Chassis (power supplies, fans, network adapters), Managers (the BMC
// and its NICs) — into the neutral model. Absent parts (Status.State "Absent") are skipped.
// Both the older inline shapes (Power, Thermal, PCIeDevices as a list of links) and the newer
// subsystems (PowerSubsystem, ThermalSubsystem, PCIeDevices collection) are read.
import { mapLimit } from './pool.js';
import type { RedfishClient } from './redfish-client.js';
import type {
  BmcInventory,
  Chassis,
  ComputerSystem,
  Dimm,
  Drive,
  Fru,
  Manager,
  NetworkInterface,
  PcieDevice,
  Processor,
} from './redfish-model.js';
import { TargetError } from './target-error.js';

type Resource = Record<string, unknown>;

const SERVICE_ROOT = '/redfish/v1/';
/** Resources read at once from one BMC (its connections are bounded by the client too). */
const PER_BMC = 4;

const isObject = (v: unknown): v is Resource => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const linkOf = (v: unknown): string | null => (isObject(v) ? text(v['@odata.id']) : null);
const linksOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(linkOf).filter((l): l is string => l !== null) : []);
const absent = (r: Resource) => isObject(r.Status) && r.Status.State === 'Absent';
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

function fru(r: Resource, fallbackUri: string): Fru {
  return {
    uri: text(r['@odata.id']) ?? fallbackUri,
    id: text(r.Id) ?? text(r.MemberId) ?? fallbackUri.split('/').at(-1) ?? '',
    name: text(r.Name),
    manufacturer: text(r.Manufacturer),
    model: text(r.Model),
    partNumber: text(r.PartNumber),
    serialNumber: text(r.SerialNumber),
  };
}

function resetTypes(r: Resource, action: string): string[] {
  const actions = isObject(r.Actions) ? r.Actions[action] : undefined;
  return isObject(actions) ? strings(actions['ResetType@Redfish.AllowableValues']) : [];
}

class TreeReader {
  constructor(private readonly client: RedfishClient) {}

  get(uri: string): Promise<Resource> {
    return this.client.get(uri);
  }

  /** The members of the collection at `uri` (none when the link is missing). */
  async members(uri: string | null): Promise<Resource[]> {
    if (!uri) return [];
    const collection = await this.get(uri);
    return this.resources(linksOf(collection.Members));
  }

  resources(uris: string[]): Promise<Resource[]> {
    return mapLimit(uris, PER_BMC, (uri) => this.get(uri));
  }

  async interfaces(uri: string | null): Promise<NetworkInterface[]> {
    return (await this.members(uri)).map((r) => ({
      uri: text(r['@odata.id']) ?? '',
      id: text(r.Id) ?? '',
      mac: text(r.MACAddress) ?? text(r.PermanentMACAddress),
      ipv4: Array.isArray(r.IPv4Addresses)
        ? r.IPv4Addresses.map((a) => (isObject(a) ? text(a.Address) : null)).filter((a): a is string => !!a)
        : [],
      enabled: r.InterfaceEnabled !== false,
      description: text(r.Description),
      hostname: text(r.HostName),
    }));
  }

  async system(r: Resource): Promise<ComputerSystem> {
    const uri = text(r['@odata.id']) ?? '';
    const [processors, memory, drives, pcieDevices, interfaces] = await Promise.all([
      this.members(linkOf(r.Processors)),
      this.members(linkOf(r.Memory)),
      this.drives(linkOf(r.Storage)),
      Array.isArray(r.PCIeDevices) ? this.resources(linksOf(r.PCIeDevices)) : this.members(linkOf(r.PCIeDevices)),
      this.interfaces(linkOf(r.EthernetInterfaces)),
    ]);
    return {
      ...fru(r, uri),
      uuid: text(r.UUID),
      systemType: text(r.SystemType),
      powerState: text(r.PowerState),
      biosVersion: text(r.BiosVersion),
      resetTypes: resetTypes(r, '#ComputerSystem.Reset'),
      chassisUris: isObject(r.Links) ? linksOf(r.Links.Chassis) : [],
      processors: processors
        .filter((p) => !absent(p))
        .map(
          (p): Processor => ({
            ...fru(p, uri),
            processorType: text(p.ProcessorType) ?? 'CPU',
            socket: text(p.Socket),
            totalCores: num(p.TotalCores),
          }),
        ),
      memory: memory
        .filter((m) => !absent(m))
        .map(
          (m): Dimm => ({
            ...fru(m, uri),
            capacityMiB: num(m.CapacityMiB),
            speedMhz: num(m.OperatingSpeedMhz),
            locator: text(m.DeviceLocator) ?? (isObject(m.MemoryLocation) ? text(m.MemoryLocation.Slot?.toString()) : null),
          }),
        ),
      drives,
      pcieDevices: await mapLimit(
        pcieDevices.filter((d) => !absent(d)),
        PER_BMC,
        (d) => this.pcieDevice(d, uri),
      ),
      interfaces,
    };
  }

  /** A PCIe device with what its functions say: their class and the interfaces they link. */
  async pcieDevice(d: Resource, systemUri: string): Promise<PcieDevice> {
    const functionsLink = linkOf(d.PCIeFunctions);
    const functions = functionsLink
      ? await this.members(functionsLink)
      : await this.resources(isObject(d.Links) ? linksOf(d.Links.PCIeFunctions) : []);
    return {
      ...fru(d, systemUri),
      deviceType: text(d.DeviceType),
      deviceClasses: functions.map((f) => text(f.DeviceClass)).filter((c): c is string => c !== null),
      interfaceUris: functions.flatMap((f) => (isObject(f.Links) ? linksOf(f.Links.EthernetInterfaces) : [])),
    };
  }

  /** Drives of every Storage controller of a system. */
  async drives(storageUri: string | null): Promise<Drive[]> {
    const controllers = await this.members(storageUri);
    const drives = await this.resources(controllers.flatMap((c) => linksOf(c.Drives)));
    return drives
      .filter((d) => !absent(d))
      .map((d) => ({ ...fru(d, ''), capacityBytes: num(d.CapacityBytes), mediaType: text(d.MediaType) }));
  }

  async chassis(r: Resource): Promise<Chassis> {
    const uri = text(r['@odata.id']) ?? '';
    const inline = async (link: string | null, key: string): Promise<Resource[]> => {
      if (!link) return [];
      const list = (await this.get(link))[key];
      return Array.isArray(list) ? list.filter(isObject) : [];
    };
    const subsystem = async (link: string | null, key: string): Promise<Resource[]> =>
      link ? this.members(linkOf((await this.get(link))[key])) : [];
    const power = linkOf(r.Power);
    const [psusOld, controls, psusNew, fansOld, fansNew, adapters] = await Promise.all([
      inline(power, 'PowerSupplies'),
      inline(power, 'PowerControl'),
      power ? [] : subsystem(linkOf(r.PowerSubsystem), 'PowerSupplies'),
      inline(linkOf(r.Thermal), 'Fans'),
      r.Thermal ? [] : subsystem(linkOf(r.ThermalSubsystem), 'Fans'),
      this.members(linkOf(r.NetworkAdapters)),
    ]);
    const present = (list: Resource[], kind: string) => list.filter((x) => !absent(x)).map((x, i) => fru(x, `${uri}#/${kind}/${i}`));
    return {
      ...fru(r, uri),
      chassisType: text(r.ChassisType),
      containedBy: isObject(r.Links) ? linkOf(r.Links.ContainedBy) : null,
      powerSupplies: present([...psusOld, ...psusNew], 'PowerSupplies'),
      fans: present([...fansOld, ...fansNew], 'Fans'),
      networkAdapters: present(adapters, 'NetworkAdapters'),
      powerControlIds: controls.map((c) => text(c['@odata.id'])).filter((id): id is string => id !== null),
    };
  }

  async manager(r: Resource): Promise<Manager> {
    const uri = text(r['@odata.id']) ?? '';
    return {
      ...fru(r, uri),
      managerType: text(r.ManagerType),
      uuid: text(r.UUID),
      firmwareVersion: text(r.FirmwareVersion),
      resetTypes: resetTypes(r, '#Manager.Reset'),
      commandShell: isObject(r.CommandShell) ? strings(r.CommandShell.ConnectTypesSupported) : [],
      chassisUris: isObject(r.Links) ? linksOf(r.Links.ManagerForChassis) : [],
      interfaces: await this.interfaces(linkOf(r.EthernetInterfaces)),
    };
  }
}

/**
 * The service root, or not-a-bmc when what answers is not Redfish (HTML, a 404, JSON without
 * RedfishVersion); JSON that does not parse from a Redfish content type is malformed.
 */
async function serviceRoot(client: RedfishClient): Promise<Resource> {
  const answer = await client.send('GET', SERVICE_ROOT, undefined, false);
  const type = String(answer.headers['content-type'] ?? '');
  if (answer.status >= 500) throw new TargetError('bmc-error', `${SERVICE_ROOT}: HTTP ${answer.status}`);
  if (answer.status === 401 || answer.status === 403)
    throw new TargetError('refused-credentials', `${SERVICE_ROOT}: HTTP ${answer.status} (the service root should need no credentials)`);
  if (answer.status !== 200 || !/json/i.test(type))
    throw new TargetError(
      'not-a-bmc',
      `${client.address} is not a Redfish service: ${SERVICE_ROOT} answered HTTP ${answer.status} ${type || 'without a content type'}`,
    );
  let root: unknown;
  try {
    root = JSON.parse(answer.body.toString('utf8'));
  } catch (error) {
    throw new TargetError('malformed-answer', `${SERVICE_ROOT}: not JSON (${(error as Error).message})`);
  }
  if (!isObject(root) || !text(root.RedfishVersion))
    throw new TargetError('not-a-bmc', `${client.address} is not a Redfish service: its ${SERVICE_ROOT} has no RedfishVersion`);
  return root;
}

/** Reads one BMC; TargetError when it cannot (the caller records it against the target). */
export async function readBmc(client: RedfishClient, xname: string | null = null): Promise<BmcInventory> {
  const root = await serviceRoot(client);
  await client.login();
  const reader = new TreeReader(client);
  const [systems, chassis, managers] = await Promise.all([
    reader.members(linkOf(root.Systems)),
    reader.members(linkOf(root.Chassis)),
    reader.members(linkOf(root.Managers)),
  ]);
  const oem = isObject(root.Oem) ? Object.keys(root.Oem)[0] : undefined;
  // HPE Cray EX controllers name their own xname (Oem.Cray.Xname): a BMC found by address keeps it.
  const cray = isObject(root.Oem) && isObject(root.Oem.Cray) ? text(root.Oem.Cray.Xname) : null;
  return {
    address: client.address,
    xname: xname ?? cray,
    serviceRoot: {
      uuid: text(root.UUID),
      redfishVersion: text(root.RedfishVersion) as string,
      vendor: text(root.Vendor) ?? oem ?? null,
      product: text(root.Product),
    },
    systems: await mapLimit(systems, 2, (s) => reader.system(s)),
    chassis: await mapLimit(chassis, 2, (c) => reader.chassis(c)),
    managers: await mapLimit(managers, 2, (m) => reader.manager(m)),
  };
}
