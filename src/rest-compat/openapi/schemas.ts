// Hand-written JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12) of the main request and
// response bodies: the SMD JSON shapes (which are also the Fabrica specs), the Fabrica
// envelope and requests, errors, GraphQL and the operational endpoints.
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
const bool = (description?: string): Schema => ({ type: 'boolean', ...(description ? { description } : {}) });
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const obj = (properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
  ...extra,
});
const array = (items: Schema, description?: string): Schema => ({ type: 'array', items, ...(description ? { description } : {}) });
const freeObject = (description?: string): Schema => ({
  type: 'object',
  additionalProperties: true,
  ...(description ? { description } : {}),
});

const XNAME = str('An xname, normalised to lower case without leading zeros.', { examples: ['x3000c0s19b1n0'] });
const STATES = ['Unknown', 'Empty', 'Populated', 'Off', 'On', 'Standby', 'Halt', 'Ready'];
const FLAGS = ['Unknown', 'OK', 'Warning', 'Alert', 'Locked'];

export const SMD_SCHEMAS: Record<string, Schema> = {
  SmdComponent: obj(
    {
      ID: XNAME,
      Type: str('HMS type, derived from the ID.', { examples: ['Node'] }),
      State: str(undefined, { enum: STATES }),
      Flag: str(undefined, { enum: FLAGS }),
      Enabled: bool(),
      SoftwareStatus: str(),
      Role: str(undefined, { examples: ['Compute', 'Service', 'Management'] }),
      SubRole: str(undefined, { examples: ['Master', 'Worker', 'Storage'] }),
      NID: int('Node ID, unique among live components.'),
      Subtype: str(),
      NetType: str(undefined, { enum: ['Sling', 'Infiniband', 'Ethernet', 'OEM', 'None'] }),
      Arch: str(undefined, { enum: ['X86', 'ARM', 'Other', 'UNKNOWN'] }),
      Class: str(undefined, { enum: ['River', 'Mountain', 'Hill'] }),
      ReservationDisabled: bool(),
      Locked: bool(),
    },
    ['ID'],
    { description: 'An SMD component: an xname position and its state. Unset optional fields are omitted.' },
  ),
  SmdComponentArray: obj({ Components: array(ref('SmdComponent')) }, ['Components'], { description: "SMD's wrapped component list." }),
  SmdIpAddress: obj({ IPAddress: str(undefined, { examples: ['10.1.0.5'] }), Network: str(undefined, { examples: ['NMN'] }) }, [
    'IPAddress',
  ]),
  SmdEthernetInterface: obj(
    {
      ID: str('The MAC address in lower case without separators.', { examples: ['a4bf0138f0ae'] }),
      Description: str(),
      MACAddress: str(undefined, { examples: ['a4:bf:01:38:f0:ae'] }),
      LastUpdate: str('RFC 3339 time of the last change.', { format: 'date-time' }),
      ComponentID: str('The xname of the owning position; "" for none.'),
      Type: str('The HMS type of ComponentID.'),
      IPAddresses: array(ref('SmdIpAddress')),
    },
    ['MACAddress'],
    { description: 'An SMD component Ethernet interface (CompEthInterfaceV2).' },
  ),
  SmdGroup: obj(
    {
      label: str('Lower-case label, unique among groups.', { examples: ['compute'] }),
      description: str(),
      exclusiveGroup: str('A component may be in only one group with the same exclusiveGroup.'),
      tags: array(str()),
      members: obj({ ids: array(XNAME) }),
    },
    ['label'],
    { description: 'An SMD group of components.' },
  ),
  SmdMembership: obj({ id: XNAME, groupLabels: array(str()), partitionName: str() }, ['id']),
  SmdDiscoveryInfo: obj({
    LastDiscoveryAttempt: str(undefined, { format: 'date-time' }),
    LastDiscoveryStatus: str(),
    RedfishVersion: str(),
  }),
  SmdRedfishEndpoint: obj(
    {
      ID: XNAME,
      Type: str(undefined, { examples: ['NodeBMC'] }),
      Name: str(),
      Hostname: str(),
      Domain: str(),
      FQDN: str(),
      Enabled: bool(),
      UUID: str(),
      User: str(),
      Password: str('Write-only: accepted on writes, always answered as "".'),
      UseSSDP: bool(),
      MACRequired: bool(),
      MACAddr: str(),
      IPAddress: str(),
      RediscoverOnUpdate: bool(),
      TemplateID: str(),
      DiscoveryInfo: ref('SmdDiscoveryInfo'),
    },
    ['ID'],
    { description: 'A Redfish endpoint (BMC, PDU controller, management switch).' },
  ),
  SmdRedfishEndpointArray: obj({ RedfishEndpoints: array(ref('SmdRedfishEndpoint')) }, ['RedfishEndpoints']),
  SmdComponentEndpoint: obj(
    {
      ID: XNAME,
      Type: str(),
      Domain: str(),
      FQDN: str(),
      RedfishType: str(undefined, { examples: ['ComputerSystem'] }),
      RedfishSubtype: str(),
      MACAddr: str(),
      UUID: str(),
      OdataID: str(undefined, { examples: ['/redfish/v1/Systems/Self'] }),
      RedfishEndpointID: XNAME,
      Enabled: bool(),
      RedfishEndpointFQDN: str(),
      RedfishURL: str(),
      ComponentEndpointType: str(undefined, {
        enum: [
          'ComponentEndpointChassis',
          'ComponentEndpointComputerSystem',
          'ComponentEndpointManager',
          'ComponentEndpointPowerDistribution',
          'ComponentEndpointOutlet',
        ],
      }),
      RedfishChassisInfo: freeObject(),
      RedfishSystemInfo: freeObject(),
      RedfishManagerInfo: freeObject(),
      RedfishPDUInfo: freeObject(),
      RedfishOutletInfo: freeObject(),
    },
    ['ID', 'RedfishEndpointID', 'RedfishType', 'OdataID', 'ComponentEndpointType'],
    { description: 'A component behind a Redfish endpoint, with the Redfish info block of its type.' },
  ),
  SmdComponentEndpointArray: obj({ ComponentEndpoints: array(ref('SmdComponentEndpoint')) }, ['ComponentEndpoints']),
  SmdServiceEndpoint: obj(
    {
      RedfishEndpointID: XNAME,
      RedfishType: str(undefined, { examples: ['UpdateService'] }),
      RedfishSubtype: str(),
      UUID: str(),
      OdataID: str(),
      RedfishEndpointFQDN: str(),
      RedfishURL: str(),
      ServiceInfo: freeObject(),
    },
    ['RedfishEndpointID', 'RedfishType', 'OdataID'],
    { description: 'A Redfish service of a Redfish endpoint.' },
  ),
  SmdServiceEndpointArray: obj({ ServiceEndpoints: array(ref('SmdServiceEndpoint')) }, ['ServiceEndpoints']),
  SmdHWInvByFRU: obj(
    { FRUID: str(), Type: str(), Subtype: str(), HWInventoryByFRUType: str(undefined, { examples: ['HWInvByFRUNode'] }) },
    ['FRUID'],
    { description: 'A field-replaceable unit; its *FRUInfo block (NodeFRUInfo …) depends on the type.', additionalProperties: true },
  ),
  SmdHWInvByLoc: obj(
    {
      ID: XNAME,
      Type: str(),
      Ordinal: int(),
      Status: str(undefined, { examples: ['Populated', 'Empty'] }),
      HWInventoryByLocationType: str(undefined, { examples: ['HWInvByLocNode'] }),
      PopulatedFRU: ref('SmdHWInvByFRU'),
    },
    ['ID'],
    {
      description: 'Hardware inventory at a location; its *LocationInfo block (NodeLocationInfo …) depends on the type.',
      additionalProperties: true,
    },
  ),
  SmdMessage: obj({ code: int(), message: str() }, ['code', 'message'], {
    description: 'SMD\'s plain answer, e.g. {"code":0,"message":"deleted 1 entry"}.',
  }),
  SmdUri: obj({ URI: str() }, ['URI']),
  Problem: obj(
    { type: str(undefined, { examples: ['about:blank'] }), title: str(), detail: str(), status: int(), instance: str() },
    ['title', 'status'],
    { description: 'RFC 7807 problem details, as SMD answers errors (application/problem+json).' },
  ),
};

export const FABRICA_SCHEMAS: Record<string, Schema> = {
  FabricaStringMap: { type: 'object', additionalProperties: { type: 'string' } },
  FabricaMetadata: obj(
    {
      name: str('Set by the client; defaults to the natural key. Not unique.'),
      uid: str('Minted by the server on first sight: "<kind lower case>-<8 hex digits>". Never changes.', {
        readOnly: true,
        examples: ['component-673d2bde'],
      }),
      labels: ref('FabricaStringMap'),
      annotations: ref('FabricaStringMap'),
      createdAt: str(undefined, { format: 'date-time', readOnly: true }),
      updatedAt: str(undefined, { format: 'date-time', readOnly: true }),
    },
    ['name', 'uid', 'createdAt', 'updatedAt'],
  ),
  FabricaStatus: obj({ phase: str(), message: str(), ready: bool() }, ['ready'], {
    description: 'The status sub-resource; changed only through /{uid}/status.',
  }),
  FabricaMetadataInput: obj({ name: str(), labels: ref('FabricaStringMap'), annotations: ref('FabricaStringMap') }),
  FabricaDeleteResponse: obj({ message: str(undefined, { examples: ['Component deleted successfully'] }), uid: str() }, ['message', 'uid']),
  FabricaError: obj({ error: str(), code: int('The HTTP status.') }, ['error', 'code'], { description: 'Every Fabrica-route error.' }),
  JsonPatch: array(
    obj(
      {
        op: str(undefined, { enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] }),
        path: str('A JSON Pointer (RFC 6901).'),
        from: str(),
        value: {},
      },
      ['op', 'path'],
    ),
    'RFC 6902 JSON Patch.',
  ),
};

/** The envelope, create and update schemas of one Fabrica kind whose spec is `specSchema`. */
export function fabricaKindSchemas(kind: string, specSchema: string, naturalKey: string): Record<string, Schema> {
  return {
    [kind]: obj(
      {
        apiVersion: str(undefined, { const: 'v1' }),
        kind: str(undefined, { const: kind }),
        metadata: ref('FabricaMetadata'),
        id: str(`The natural key (${naturalKey}), unique among live ${kind} resources.`, { readOnly: true }),
        spec: ref(specSchema),
        status: ref('FabricaStatus'),
      },
      ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
      { description: `A Fabrica ${kind} resource.` },
    ),
    [`${kind}CreateRequest`]: obj(
      {
        metadata: ref('FabricaMetadataInput'),
        spec: ref(specSchema),
        labels: ref('FabricaStringMap'),
        annotations: ref('FabricaStringMap'),
      },
      ['spec'],
      { description: "Top-level labels and annotations are merged into metadata's." },
    ),
    [`${kind}UpdateRequest`]: obj(
      {
        metadata: ref('FabricaMetadataInput'),
        spec: ref(specSchema),
        labels: ref('FabricaStringMap'),
        annotations: ref('FabricaStringMap'),
      },
      [],
      {
        description:
          'spec replaces the whole spec (omit it to change metadata only); a non-empty metadata.name renames; labels and annotations are merged, never removed.',
      },
    ),
  };
}

export const COMMON_SCHEMAS: Record<string, Schema> = {
  GraphQLRequest: obj({ query: str(), variables: freeObject(), operationName: str() }, ['query']),
  GraphQLResponse: obj({ data: freeObject(), errors: array(freeObject()), extensions: freeObject() }),
  Health: obj({ status: str(undefined, { const: 'ok' }) }, ['status']),
  Ready: obj(
    {
      status: str(undefined, { enum: ['ready', 'unavailable'] }),
      engine: str(undefined, { enum: ['sqlite', 'postgresql'] }),
      reason: str(),
    },
    ['status'],
  ),
};

export const schemaRef = ref;
