// What a crawl learns from one BMC, in neutral terms: read from Redfish (redfish-reader.ts),
// mapped to a scan payload (scan-mapping.ts) and to SMD's records (smd-mapping.ts).

/** A field-replaceable unit's identity, as Redfish resources carry it. */
export interface Fru {
  /** The resource's path on its BMC (@odata.id). */
  uri: string;
  id: string;
  name: string | null;
  manufacturer: string | null;
  model: string | null;
  partNumber: string | null;
  serialNumber: string | null;
}

export interface NetworkInterface {
  uri: string;
  id: string;
  mac: string | null;
  ipv4: string[];
  enabled: boolean;
  description: string | null;
  hostname: string | null;
}

export interface Processor extends Fru {
  /** Redfish ProcessorType: CPU, GPU, Accelerator, FPGA, DSP … */
  processorType: string;
  socket: string | null;
  totalCores: number | null;
}

export interface Dimm extends Fru {
  capacityMiB: number | null;
  speedMhz: number | null;
  locator: string | null;
}

export interface Drive extends Fru {
  capacityBytes: number | null;
  mediaType: string | null;
}

export interface PcieDevice extends Fru {
  deviceType: string | null;
  /** Its functions' DeviceClass (NetworkController, DisplayController …), first function first. */
  deviceClasses: string[];
  /** The system EthernetInterfaces its functions link: a network adapter's MACs. */
  interfaceUris: string[];
}

export interface ComputerSystem extends Fru {
  uuid: string | null;
  systemType: string | null;
  powerState: string | null;
  biosVersion: string | null;
  resetTypes: string[];
  chassisUris: string[];
  processors: Processor[];
  memory: Dimm[];
  drives: Drive[];
  pcieDevices: PcieDevice[];
  interfaces: NetworkInterface[];
}

export interface Chassis extends Fru {
  chassisType: string | null;
  /** The chassis this one is contained by (Links.ContainedBy). */
  containedBy: string | null;
  powerSupplies: Fru[];
  fans: Fru[];
  networkAdapters: Fru[];
  /** Power control ids, as SMD records them for a node's power URL. */
  powerControlIds: string[];
}

export interface Manager extends Fru {
  managerType: string | null;
  uuid: string | null;
  firmwareVersion: string | null;
  resetTypes: string[];
  commandShell: string[];
  /** Links.ManagerForChassis. */
  chassisUris: string[];
  interfaces: NetworkInterface[];
}

export interface BmcInventory {
  /** Where it answered (host or host:port). */
  address: string;
  /** Its xname when it is a known RedfishEndpoint. */
  xname: string | null;
  serviceRoot: { uuid: string | null; redfishVersion: string; vendor: string | null; product: string | null };
  systems: ComputerSystem[];
  chassis: Chassis[];
  managers: Manager[];
}
