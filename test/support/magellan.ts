// What magellan (OpenCHAMI's BMC discovery tool) POSTs to /hsm/v2/Inventory/RedfishEndpoints.

export const MAGELLAN_PASSWORD = 'bmc-Pa55word!';

/**
 * What magellan POSTs for one BMC (modelled on OpenCHAMI inventory-service's
 * redfish-endpoint-x1000c0s0b{0..4}.json): SchemaVersion 1, an IP as FQDN, a Manager with its
 * NIC, and Systems with UUIDs, reset actions, NICs, chassis links and power controls.
 */
export function magellanPayload(b: number, options: { systems?: number; mac?: string } = {}) {
  const host = `https://172.16.0.${100 + b}`;
  const systems = Array.from({ length: options.systems ?? 1 }, (_, s) => ({
    uri: `${host}/redfish/v1/Systems/Self${s}`,
    uuid: `f044ec78-34ad-4d0a-9f3a-39ebbea8a5${b}${s}`,
    name: `compute${b}-${s}`,
    system_type: 'Physical',
    manufacturer: 'Supermicro',
    actions: ['On', 'ForceOff', 'GracefulShutdown', 'ForceRestart'],
    ethernet_interfaces: [
      {
        uri: `${host}/redfish/v1/Systems/Self${s}/EthernetInterfaces/1`,
        mac: options.mac ?? `52:54:00:be:e${b}:0${s}`,
        ip: `172.16.1.${10 * b + s}`,
        name: `eth${s}`,
        description: `Interface 0 for compute${b}`,
      },
    ],
    links: { chassis: [`/redfish/v1/Chassis/1`], managers: ['/redfish/v1/Managers/1'] },
    power: { state: 'On', power_control_ids: ['/redfish/v1/Chassis/1/Power#/PowerControl/0'] },
  }));
  return {
    SchemaVersion: 1,
    ID: `x1000c0s0b${b}`,
    Type: '',
    Name: '',
    FQDN: `172.16.0.${100 + b}`,
    User: 'root',
    Password: MAGELLAN_PASSWORD,
    MACRequired: true,
    MACAddr: `de:ca:fc:0f:fe:e${b}`,
    UUID: `7c5175c2-c739-4f30-bad9-f02dae3d1e4${b}`,
    DiscoveryInfo: { LastDiscoveryStatus: '' },
    Systems: systems,
    Managers: [
      {
        uri: `${host}/redfish/v1/Managers/1`,
        uuid: `7c5175c2-c739-4f30-bad9-f02dae3d1e4${b}`,
        name: 'Manager',
        type: 'BMC',
        firmware_version: '1.0',
        actions: ['ForceRestart', 'GracefulRestart'],
        command_shell: ['SSH', 'IPMI'],
        ethernet_interfaces: [
          {
            uri: `${host}/redfish/v1/Managers/1/EthernetInterfaces/1`,
            mac: `DE:CA:FC:0F:FE:E${b}`,
            ip: `172.16.0.${100 + b}`,
            name: 'bmc',
            description: `Interface for BMC x1000c0s0b${b}`,
            enabled: true,
          },
        ],
      },
    ],
  };
}
