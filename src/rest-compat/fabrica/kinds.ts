// The seven Fabrica kinds of the OpenCHAMI inventory-service: their collection path, how an
// entity is shown as a spec (SMD's JSON, encoded by the SMD codec as /hsm/v2 shows it) and how
// a spec becomes a service input (the codec's lenient dialect).

import {
  COMPONENT_ENDPOINT_FIELD_NAMES,
  COMPONENT_FIELD_NAMES,
  componentEndpointJson,
  componentJson,
  componentReplacement,
  decodeComponent,
  decodeComponentEndpoint,
  decodeEthernetInterface,
  decodeGroup,
  decodeHardwareLocation,
  decodeRedfishEndpoint,
  decodeServiceEndpoint,
  ETHERNET_INTERFACE_FIELD_NAMES,
  ethernetInterfaceJson,
  ethernetInterfaceReplacement,
  type FieldNames,
  GROUP_FIELD_NAMES,
  groupJson,
  groupReplacement,
  HARDWARE_FIELD_NAMES,
  locationJson,
  REDFISH_ENDPOINT_FIELD_NAMES,
  redfishEndpointJson,
  SERVICE_ENDPOINT_FIELD_NAMES,
  serviceEndpointJson,
} from '../../codecs/smd/index.js';
import type { FabricaEntities, FabricaInputs, FabricaKind } from '../../services/fabrica/index.js';
import { withNumberNid } from '../../services/smd/index.js';

export interface FabricaKindRoutes<K extends FabricaKind> {
  kind: K;
  /** The collection path: /components … */
  path: string;
  /** The entity as the spec (SMD JSON). */
  spec(entity: FabricaEntities[K]): unknown;
  /** A POST spec as a service input. */
  input(spec: unknown): FabricaInputs[K];
  /** A PUT spec, or a patched spec, as a service input that replaces the whole spec. */
  replacement(spec: unknown): FabricaInputs[K];
  /** Service field → spec key, for errors. */
  fields: FieldNames;
  /** Overrides of `fields` for 409s: the unique spec field a duplicate collides on. */
  conflictFields?: FieldNames;
  /** One sentence for the API documentation. */
  description: string;
}

type KindTable = { [K in FabricaKind]: FabricaKindRoutes<K> };

export const FABRICA_KIND_ROUTES: KindTable = {
  Component: {
    kind: 'Component',
    path: '/components',
    spec: (row) => componentJson(withNumberNid(row)),
    input: (spec) => decodeComponent(spec, 'lenient'),
    replacement: (spec) => componentReplacement(spec),
    fields: COMPONENT_FIELD_NAMES,
    description: 'An xname position and its SMD state (spec = SMD State/Components entry; unique spec.ID).',
  },
  ComponentEndpoint: {
    kind: 'ComponentEndpoint',
    path: '/componentendpoints',
    spec: componentEndpointJson,
    input: (spec) => decodeComponentEndpoint(spec),
    replacement: (spec) => decodeComponentEndpoint(spec),
    fields: COMPONENT_ENDPOINT_FIELD_NAMES,
    description: 'A Redfish component endpoint behind a Redfish endpoint (spec = SMD ComponentEndpoint; unique spec.ID).',
  },
  EthernetInterface: {
    kind: 'EthernetInterface',
    path: '/ethernetinterfaces',
    spec: ethernetInterfaceJson,
    input: (spec) => decodeEthernetInterface(spec, 'lenient'),
    replacement: (spec) => ethernetInterfaceReplacement(spec),
    fields: ETHERNET_INTERFACE_FIELD_NAMES,
    conflictFields: { ...ETHERNET_INTERFACE_FIELD_NAMES, macAddress: 'ID' },
    description: 'A network interface with a MAC address (spec = SMD EthernetInterface; unique spec.ID, the MAC without separators).',
  },
  Group: {
    kind: 'Group',
    path: '/groups',
    spec: (entity) => groupJson(entity),
    input: (spec) => decodeGroup(spec, 'lenient'),
    replacement: (spec) => groupReplacement(spec),
    fields: GROUP_FIELD_NAMES,
    description: 'An SMD group of components (spec = SMD group; unique spec.label).',
  },
  Hardware: {
    kind: 'Hardware',
    path: '/hardwares',
    spec: locationJson,
    input: (spec) => decodeHardwareLocation(spec, 'lenient'),
    replacement: (spec) => decodeHardwareLocation(spec, 'lenient'),
    fields: HARDWARE_FIELD_NAMES,
    description: 'Hardware inventory by location: a position and the device installed in it (spec = SMD HWInvByLoc; unique spec.ID).',
  },
  RedfishEndpoint: {
    kind: 'RedfishEndpoint',
    path: '/redfishendpoints',
    spec: redfishEndpointJson,
    input: (spec) => decodeRedfishEndpoint(spec, 'lenient'),
    replacement: (spec) => decodeRedfishEndpoint(spec, 'lenient'),
    fields: REDFISH_ENDPOINT_FIELD_NAMES,
    description: 'A BMC or other Redfish service (spec = SMD RedfishEndpoint, Password write-only; unique spec.ID).',
  },
  ServiceEndpoint: {
    kind: 'ServiceEndpoint',
    path: '/serviceendpoints',
    spec: serviceEndpointJson,
    input: (spec) => decodeServiceEndpoint(spec),
    replacement: (spec) => decodeServiceEndpoint(spec),
    fields: SERVICE_ENDPOINT_FIELD_NAMES,
    description:
      'A Redfish service of a Redfish endpoint (spec = SMD ServiceEndpoint; unique spec.RedfishType + "-" + spec.RedfishEndpointID).',
  },
};
