// The discovery payload a RedfishEndpoint body may carry (magellan's and ochami's): the
// OpenCHAMI SchemaVersion ≥ 1 Managers and Systems, the legacy v1 Systems (raw Redfish), or a
// PDU's outlets. Decoded like the rest of an Inventory body (strict).
import type {
  DiscoveredInterface,
  DiscoveredManager,
  DiscoveredOutlet,
  DiscoveredSystem,
  LegacySystem,
  RedfishInventory,
} from '../../services/smd/index.js';
import { get, type Obj, objectAt, objectList, optBool, optNumber, optString, optStringList } from './go-json.js';

const strings = (obj: Obj, name: string) => optStringList(obj, name, undefined, 'array');

function discoveredInterfaces(body: Obj): DiscoveredInterface[] {
  return objectList(body, 'ethernet_interfaces').map((eth) => ({
    uri: optString(eth, 'uri'),
    mac: optString(eth, 'mac'),
    ip: optString(eth, 'ip'),
    name: optString(eth, 'name'),
    description: optString(eth, 'description'),
    enabled: optBool(eth, 'enabled'),
  }));
}

/** The discovery payload of a single-endpoint body, or undefined when it has none. PDUInventory wins, as in SMD. */
export function decodeRedfishInventory(body: Obj): RedfishInventory | undefined {
  const pdu = get(body, 'PDUInventory');
  if (pdu !== undefined && pdu !== null) {
    const outlets = objectList(objectAt(pdu, 'PDUInventory'), 'Outlets').map(
      (o): DiscoveredOutlet => ({
        originalId: optString(o, 'original_id'),
        idSuffix: optString(o, 'id_suffix'),
        name: optString(o, 'name'),
        state: optString(o, 'state'),
        socketType: optString(o, 'socket_type'),
      }),
    );
    return { pduOutlets: outlets };
  }
  const schemaVersion = optNumber(body, 'SchemaVersion');
  if ((schemaVersion ?? 0) >= 1) {
    const managers = objectList(body, 'Managers').map(
      (m): DiscoveredManager => ({
        uri: optString(m, 'uri'),
        name: optString(m, 'name'),
        ethernetInterfaces: discoveredInterfaces(m),
        actions: strings(m, 'actions'),
        commandShell: strings(m, 'command_shell'),
      }),
    );
    const systems = objectList(body, 'Systems').map((s): DiscoveredSystem => {
      const links = get(s, 'links');
      const power = get(s, 'power');
      return {
        uri: optString(s, 'uri'),
        uuid: optString(s, 'uuid'),
        name: optString(s, 'name'),
        systemType: optString(s, 'system_type'),
        ethernetInterfaces: discoveredInterfaces(s),
        actions: strings(s, 'actions'),
        chassisLinks: links == null ? undefined : strings(objectAt(links, 'links'), 'chassis'),
        powerControlIds: power == null ? undefined : strings(objectAt(power, 'power'), 'power_control_ids'),
      };
    });
    return { schemaVersion, managers, systems };
  }
  const legacy = objectList(body, 'Systems').map((s): LegacySystem => {
    const data = get(s, 'Data');
    return {
      data: data == null ? undefined : objectAt(data, 'Data'),
      ethernetInterfaces: get(s, 'EthernetInterfaces') == null ? undefined : objectList(s, 'EthernetInterfaces'),
    };
  });
  return legacy.length ? { schemaVersion, legacySystems: legacy } : undefined;
}
