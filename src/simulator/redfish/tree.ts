// One BMC's Redfish resource tree, path → JSON body, as a real BMC serves it: every link an
// @odata.id that resolves, every collection with Members and Members@odata.count, every FRU
// with Manufacturer, Model, PartNumber and SerialNumber. Built from the hardware and a vendor
// shape; rebuilt when the hardware changes (a DIMM swap).
import type { BmcHw, Fru, NodeHw } from './hardware.js';
import type { VendorShape } from './vendors.js';

export const ROOT = '/redfish/v1';
export type Resource = Record<string, unknown>;
export type Tree = Map<string, Resource>;

const OK = { State: 'Enabled', Health: 'OK' };
const link = (path: string) => ({ '@odata.id': path });

function fruFields(fru: Fru) {
  return { Manufacturer: fru.manufacturer, Model: fru.model, PartNumber: fru.partNumber, SerialNumber: fru.serialNumber };
}

class TreeBuilder {
  readonly tree: Tree = new Map();

  add(path: string, type: string, body: Resource): string {
    const id = path.slice(path.lastIndexOf('/') + 1);
    this.tree.set(path, { '@odata.id': path, '@odata.type': type, Id: id, Name: body.Name ?? id, ...body });
    return path;
  }

  collection(path: string, type: string, name: string, members: string[]): { '@odata.id': string } {
    this.tree.set(path, {
      '@odata.id': path,
      '@odata.type': `#${type}.${type}`,
      Name: name,
      Members: members.map(link),
      'Members@odata.count': members.length,
    });
    return link(path);
  }
}

export function buildTree(bmc: BmcHw, shape: VendorShape, host: string): Tree {
  const t = new TreeBuilder();
  const nodes = shape.nodes(bmc);
  const managerPath = `${ROOT}/Managers/${shape.managerId}`;
  const systemPaths = nodes.map((_, i) => `${ROOT}/Systems/${shape.systemId(i)}`);
  const chassisPath = (id: string) => `${ROOT}/Chassis/${id}`;
  const systemsChassis = shape.chassis.find((c) => c.holdsSystems) ?? shape.chassis[0];

  t.tree.set('/redfish', { v1: `${ROOT}/` });
  t.add(ROOT, '#ServiceRoot.v1_5_0.ServiceRoot', {
    Id: 'RootService',
    Name: 'Root Service',
    RedfishVersion: shape.redfishVersion,
    UUID: bmc.uuid,
    Vendor: shape.vendorName,
    Product: shape.product,
    Systems: link(`${ROOT}/Systems`),
    Chassis: link(`${ROOT}/Chassis`),
    Managers: link(`${ROOT}/Managers`),
    SessionService: link(`${ROOT}/SessionService`),
    Links: { Sessions: link(`${ROOT}/SessionService/Sessions`) },
    ...(shape.oem ? { Oem: shape.oem(bmc) } : {}),
  });
  t.add(`${ROOT}/SessionService`, '#SessionService.v1_1_8.SessionService', {
    Name: 'Session Service',
    ServiceEnabled: true,
    SessionTimeout: 1800,
    Status: OK,
    Sessions: link(`${ROOT}/SessionService/Sessions`),
  });

  t.collection(`${ROOT}/Systems`, 'ComputerSystemCollection', 'Computer System Collection', systemPaths);
  for (const [i, node] of nodes.entries()) {
    addSystem(t, shape, node, systemPaths[i] as string, managerPath, chassisPath(systemsChassis?.id ?? ''));
  }

  t.collection(
    `${ROOT}/Chassis`,
    'ChassisCollection',
    'Chassis Collection',
    shape.chassis.map((c) => chassisPath(c.id)),
  );
  for (const c of shape.chassis) {
    const path = chassisPath(c.id);
    const part = c.part === 'chassis' ? bmc.chassis : bmc.blade;
    const contains = shape.chassis.filter((other) => other.containedBy === c.id).map((other) => link(chassisPath(other.id)));
    const body: Resource = {
      Name: c.id,
      ChassisType: c.chassisType,
      ...fruFields(part),
      PowerState: 'On',
      Status: OK,
      Links: {
        ManagedBy: [link(managerPath)],
        ...(c.containedBy ? { ContainedBy: link(chassisPath(c.containedBy)) } : {}),
        ...(contains.length ? { Contains: contains } : {}),
        ...(c.holdsSystems ? { ComputerSystems: systemPaths.map(link) } : {}),
      },
    };
    if (c.powerAndCooling) {
      body.Power = link(`${path}/Power`);
      body.Thermal = link(`${path}/Thermal`);
      t.add(`${path}/Power`, '#Power.v1_5_4.Power', {
        Name: 'Power',
        PowerSupplies: bmc.powerSupplies.map((psu, k) => ({
          '@odata.id': `${path}/Power#/PowerSupplies/${k}`,
          MemberId: shape.psuId(k),
          Name: `Power Supply ${k + 1}`,
          PowerSupplyType: 'AC',
          PowerCapacityWatts: psu.capacityWatts,
          ...fruFields(psu),
          Status: OK,
        })),
        'PowerSupplies@odata.count': bmc.powerSupplies.length,
        PowerControl: [
          {
            '@odata.id': `${path}/Power#/PowerControl/0`,
            MemberId: '0',
            Name: 'Chassis Power Control',
            PowerConsumedWatts: 310 * shape.nodes(bmc).length,
            PowerCapacityWatts: bmc.powerSupplies.reduce((sum, psu) => sum + psu.capacityWatts, 0),
          },
        ],
        'PowerControl@odata.count': 1,
      });
      t.add(`${path}/Thermal`, '#Thermal.v1_5_3.Thermal', {
        Name: 'Thermal',
        Fans: bmc.fans.map((fan, k) => ({
          '@odata.id': `${path}/Thermal#/Fans/${k}`,
          MemberId: shape.fanId(k),
          Name: `Fan ${k + 1}`,
          Reading: 6000 + 120 * k,
          ReadingUnits: 'RPM',
          ...fruFields(fan),
          Status: OK,
        })),
        'Fans@odata.count': bmc.fans.length,
        Temperatures: [],
        'Temperatures@odata.count': 0,
      });
    }
    t.add(path, '#Chassis.v1_10_0.Chassis', body);
  }

  t.collection(`${ROOT}/Managers`, 'ManagerCollection', 'Manager Collection', [managerPath]);
  const managerNic = `${managerPath}/EthernetInterfaces/${shape.managerNicId}`;
  t.add(managerPath, '#Manager.v1_10_0.Manager', {
    Name: 'Manager',
    ManagerType: 'BMC',
    ...fruFields(bmc.fru),
    FirmwareVersion: shape.firmwareVersion,
    UUID: bmc.uuid,
    CommandShell: { ServiceEnabled: true, MaxConcurrentSessions: 4, ConnectTypesSupported: ['SSH'] },
    SerialConsole: { ServiceEnabled: true, MaxConcurrentSessions: 1, ConnectTypesSupported: ['SSH', 'IPMI'] },
    Actions: {
      '#Manager.Reset': {
        target: `${managerPath}/Actions/Manager.Reset`,
        'ResetType@Redfish.AllowableValues': ['ForceRestart', 'GracefulRestart'],
      },
    },
    PowerState: 'On',
    Status: OK,
    EthernetInterfaces: t.collection(`${managerPath}/EthernetInterfaces`, 'EthernetInterfaceCollection', 'Manager NICs', [managerNic]),
    Links: {
      ManagerForServers: systemPaths.map(link),
      'ManagerForServers@odata.count': systemPaths.length,
      ManagerForChassis: shape.chassis.map((c) => link(chassisPath(c.id))),
      'ManagerForChassis@odata.count': shape.chassis.length,
    },
    ...(shape.oem ? { Oem: shape.oem(bmc) } : {}),
  });
  t.add(managerNic, '#EthernetInterface.v1_6_0.EthernetInterface', {
    Name: 'Manager Ethernet Interface',
    InterfaceEnabled: true,
    LinkStatus: 'LinkUp',
    MACAddress: bmc.macAddress,
    PermanentMACAddress: bmc.macAddress,
    SpeedMbps: 1000,
    HostName: bmc.xname,
    IPv4Addresses: [{ Address: host, SubnetMask: '255.0.0.0', AddressOrigin: 'Static' }],
    Status: OK,
  });
  return t.tree;
}

function addSystem(t: TreeBuilder, shape: VendorShape, node: NodeHw, path: string, managerPath: string, chassisPath: string) {
  const processors = [
    ...node.cpus.map((cpu, k) =>
      t.add(`${path}/Processors/${shape.cpuId(k)}`, '#Processor.v1_7_0.Processor', {
        Name: `Processor ${k}`,
        ProcessorType: 'CPU',
        ProcessorArchitecture: 'x86',
        InstructionSet: 'x86-64',
        Socket: `P${k}`,
        TotalCores: cpu.cores,
        TotalThreads: cpu.threads,
        MaxSpeedMHz: 3500,
        ...fruFields(cpu),
        Status: OK,
      }),
    ),
    ...node.gpus.map((gpu, k) =>
      t.add(`${path}/Processors/${shape.gpuId(k)}`, '#Processor.v1_7_0.Processor', {
        Name: `GPU ${k}`,
        ProcessorType: 'GPU',
        Socket: `GPU${k}`,
        ...fruFields(gpu),
        Status: OK,
        Oem: { GpuMemoryGiB: gpu.memoryGiB },
      }),
    ),
  ];
  const dimms = node.dimms.map((dimm, k) =>
    t.add(`${path}/Memory/${shape.dimmId(k)}`, '#Memory.v1_11_0.Memory', {
      Name: dimm.locator,
      MemoryType: 'DRAM',
      MemoryDeviceType: 'DDR4',
      CapacityMiB: dimm.capacityMiB,
      OperatingSpeedMhz: dimm.speedMts,
      DeviceLocator: dimm.locator,
      ...fruFields(dimm),
      Status: OK,
    }),
  );
  const storagePath = `${path}/Storage/${shape.storageId}`;
  const drives = node.drives.map((drive, k) =>
    t.add(`${storagePath}/Drives/${shape.driveId(k)}`, '#Drive.v1_9_0.Drive', {
      Name: `Drive ${k}`,
      MediaType: 'SSD',
      Protocol: 'NVMe',
      CapacityBytes: drive.capacityBytes,
      ...fruFields(drive),
      Status: OK,
    }),
  );
  t.add(storagePath, '#Storage.v1_8_0.Storage', {
    Name: 'NVMe storage',
    Drives: drives.map(link),
    'Drives@odata.count': drives.length,
    StorageControllers: [],
    Status: OK,
  });
  const nicPath = `${path}/EthernetInterfaces/${shape.nicId}`;
  t.add(nicPath, '#EthernetInterface.v1_6_0.EthernetInterface', {
    Name: 'Node Ethernet Interface',
    InterfaceEnabled: true,
    LinkStatus: node.powerState === 'On' ? 'LinkUp' : 'LinkDown',
    MACAddress: node.nic.macAddress,
    PermanentMACAddress: node.nic.macAddress,
    SpeedMbps: node.nic.speedMbps,
    Status: OK,
  });
  // The NIC's FRU identity lives on its PCIe device; its function links the interface (and so the MAC).
  const pciePath = `${path}/PCIeDevices/${shape.pcieId}`;
  t.add(pciePath, '#PCIeDevice.v1_4_0.PCIeDevice', {
    Name: 'Network adapter',
    DeviceType: 'SingleFunction',
    ...fruFields(node.nic),
    Status: OK,
    PCIeFunctions: t.collection(`${pciePath}/PCIeFunctions`, 'PCIeFunctionCollection', 'PCIe functions', [`${pciePath}/PCIeFunctions/0`]),
  });
  t.add(`${pciePath}/PCIeFunctions/0`, '#PCIeFunction.v1_2_3.PCIeFunction', {
    Name: 'Network function',
    FunctionId: 0,
    DeviceClass: 'NetworkController',
    FunctionType: 'Physical',
    Links: { PCIeDevice: link(pciePath), EthernetInterfaces: [link(nicPath)], 'EthernetInterfaces@odata.count': 1 },
    Status: OK,
  });
  t.add(path, '#ComputerSystem.v1_10_0.ComputerSystem', {
    Name: node.xname,
    SystemType: 'Physical',
    HostName: node.xname,
    ...fruFields(node.fru),
    UUID: node.uuid,
    BiosVersion: shape.biosVersion,
    PowerState: node.powerState,
    Status: OK,
    ProcessorSummary: { Count: node.cpus.length, Model: node.cpus[0]?.model ?? '', Status: OK },
    MemorySummary: {
      TotalSystemMemoryGiB: node.dimms.reduce((sum, d) => sum + d.capacityMiB, 0) / 1024,
      Status: OK,
    },
    Processors: t.collection(`${path}/Processors`, 'ProcessorCollection', 'Processors Collection', processors),
    Memory: t.collection(`${path}/Memory`, 'MemoryCollection', 'Memory Collection', dimms),
    Storage: t.collection(`${path}/Storage`, 'StorageCollection', 'Storage Collection', [storagePath]),
    EthernetInterfaces: t.collection(`${path}/EthernetInterfaces`, 'EthernetInterfaceCollection', 'System NICs', [nicPath]),
    PCIeDevices: [link(pciePath)],
    'PCIeDevices@odata.count': 1,
    Links: { Chassis: [link(chassisPath)], ManagedBy: [link(managerPath)] },
    Actions: {
      '#ComputerSystem.Reset': { target: `${path}/Actions/ComputerSystem.Reset`, 'ResetType@Redfish.AllowableValues': shape.resetTypes },
    },
  });
}
