// The seven Fabrica kinds of the OpenCHAMI inventory-service: their collection path, how an
// entity is shown as a spec (the SMD JSON shape, from the shared projections) and how a spec
// becomes a service input.

import { COMPONENT_FIELD_NAMES, componentInputFromSmd, componentReplacementFromSmd } from '../../codecs/smd/component.js';
import { COMPONENT_ENDPOINT_FIELD_NAMES, componentEndpointInputFromSmd } from '../../codecs/smd/component-endpoint.js';
import {
  ETHERNET_INTERFACE_FIELD_NAMES,
  ethernetInterfaceInputFromSmd,
  ethernetInterfaceReplacementFromSmd,
  smdEthernetInterface,
} from '../../codecs/smd/ethernet-interface.js';
import type { FieldNames } from '../../codecs/smd/fields.js';
import { GROUP_FIELD_NAMES, groupInputFromSmd, groupReplacementFromSmd, smdGroup } from '../../codecs/smd/group.js';
import { HARDWARE_FIELD_NAMES, hardwareInputFromSmd } from '../../codecs/smd/hardware.js';
import { REDFISH_ENDPOINT_FIELD_NAMES, redfishEndpointInputFromSmd } from '../../codecs/smd/redfish-endpoint.js';
import { SERVICE_ENDPOINT_FIELD_NAMES, serviceEndpointInputFromSmd } from '../../codecs/smd/service-endpoint.js';
import type { FabricaEntities, FabricaInputs, FabricaKind } from '../../services/fabrica/index.js';
import { componentEndpointJson } from '../smd/inventory/component-endpoints.js';
import { locationJson } from '../smd/inventory/hardware.js';
import { endpointJson } from '../smd/inventory/redfish-endpoints.js';
import { serviceEndpointJson } from '../smd/inventory/service-endpoints.js';
import { componentJson } from '../smd/state/component-filter.js';

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
    spec: componentJson,
    input: (spec) => componentInputFromSmd(spec),
    replacement: (spec) => componentReplacementFromSmd(spec),
    fields: COMPONENT_FIELD_NAMES,
    description: 'An xname position and its SMD state (spec = SMD State/Components entry; unique spec.ID).',
  },
  ComponentEndpoint: {
    kind: 'ComponentEndpoint',
    path: '/componentendpoints',
    spec: componentEndpointJson,
    input: (spec) => componentEndpointInputFromSmd(spec),
    replacement: (spec) => componentEndpointInputFromSmd(spec),
    fields: COMPONENT_ENDPOINT_FIELD_NAMES,
    description: 'A Redfish component endpoint behind a Redfish endpoint (spec = SMD ComponentEndpoint; unique spec.ID).',
  },
  EthernetInterface: {
    kind: 'EthernetInterface',
    path: '/ethernetinterfaces',
    spec: smdEthernetInterface,
    input: (spec) => ethernetInterfaceInputFromSmd(spec),
    replacement: (spec) => ethernetInterfaceReplacementFromSmd(spec),
    fields: ETHERNET_INTERFACE_FIELD_NAMES,
    conflictFields: { ...ETHERNET_INTERFACE_FIELD_NAMES, macAddress: 'ID' },
    description: 'A network interface with a MAC address (spec = SMD EthernetInterface; unique spec.ID, the MAC without separators).',
  },
  Group: {
    kind: 'Group',
    path: '/groups',
    spec: smdGroup,
    input: (spec) => groupInputFromSmd(spec),
    replacement: (spec) => groupReplacementFromSmd(spec),
    fields: GROUP_FIELD_NAMES,
    description: 'An SMD group of components (spec = SMD group; unique spec.label).',
  },
  Hardware: {
    kind: 'Hardware',
    path: '/hardwares',
    spec: locationJson,
    input: (spec) => hardwareInputFromSmd(spec),
    replacement: (spec) => hardwareInputFromSmd(spec),
    fields: HARDWARE_FIELD_NAMES,
    description: 'Hardware inventory by location: a position and the device installed in it (spec = SMD HWInvByLoc; unique spec.ID).',
  },
  RedfishEndpoint: {
    kind: 'RedfishEndpoint',
    path: '/redfishendpoints',
    spec: endpointJson,
    input: (spec) => redfishEndpointInputFromSmd(spec),
    replacement: (spec) => redfishEndpointInputFromSmd(spec),
    fields: REDFISH_ENDPOINT_FIELD_NAMES,
    description: 'A BMC or other Redfish service (spec = SMD RedfishEndpoint, Password write-only; unique spec.ID).',
  },
  ServiceEndpoint: {
    kind: 'ServiceEndpoint',
    path: '/serviceendpoints',
    spec: serviceEndpointJson,
    input: (spec) => serviceEndpointInputFromSmd(spec),
    replacement: (spec) => serviceEndpointInputFromSmd(spec),
    fields: SERVICE_ENDPOINT_FIELD_NAMES,
    description:
      'A Redfish service of a Redfish endpoint (spec = SMD ServiceEndpoint; unique spec.RedfishType + "-" + spec.RedfishEndpointID).',
  },
};
