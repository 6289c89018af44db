// The four resources of the metadata-service's generated API, each a view of the store through
// the same services GraphQL uses: how a row reads as a spec, and how a spec is written back.
// A spec given to POST or PUT is the whole resource: fields left out are cleared.
import { createHash } from 'node:crypto';
import { DEFAULT_NID_LENGTH } from '../../domain/nocloud-metadata.js';
import { isClientTemplate } from '../../domain/templates.js';
import {
  type ClusterDefaultsInput,
  type ClusterDefaultsRow,
  deleteClusterDefaults,
  deleteGroupTemplate,
  deleteInstanceInfo,
  deleteWireguardPeer,
  findClusterDefaults,
  findGroupTemplate,
  findInstanceInfo,
  findWireguardPeer,
  type GroupTemplateInput,
  type GroupTemplateRow,
  type InstanceInfoInput,
  type InstanceInfoRow,
  listClusterDefaults,
  listGroupTemplates,
  listInstanceInfos,
  listWireguardPeers,
  type ResourceRef,
  type SetMode,
  setClusterDefaults,
  setGroupTemplate,
  setInstanceInfo,
  setWireguardPeer,
  type TunnelNetwork,
  type WireguardPeerRow,
} from '../../services/cloud-init/index.js';
import type { ServiceContext } from '../../services/core/index.js';

type Spec = Record<string, unknown>;

export interface ResourceKind<Row> {
  kind: string;
  /** The collection under the base path (the metadata-service's spelling, "clusterdefaultss" included). */
  collection: string;
  uidPrefix: string;
  /** Spec field (or metadata.name) by the service input field an error names. */
  fields: Record<string, string>;
  list(ctx: ServiceContext): Promise<Row[]>;
  find(ctx: ServiceContext, ref: ResourceRef): Promise<Row | null>;
  name(row: Row): string;
  rowId(row: Row): string;
  stamps(row: Row): { createdAt: Date; updatedAt: Date };
  spec(row: Row): Spec;
  status(row: Row): Spec;
  /** Writes the whole spec of the resource `name` (undefined: the kind has one resource). */
  write(ctx: ServiceContext, name: string | undefined, spec: Spec, mode: SetMode): Promise<unknown>;
  remove(ctx: ServiceContext, name: string): Promise<unknown>;
}

/** [spec field, service input field] pairs of a kind whose spec maps one to one onto its input. */
type FieldTable = ReadonlyArray<readonly [string, string]>;

/** The service input of a whole spec: every field of the table, null where the spec has none. */
function inputOf<T>(spec: Spec, table: FieldTable): T {
  return Object.fromEntries(table.map(([specField, inputField]) => [inputField, spec[specField] ?? null])) as T;
}

/** The spec of a row through the table, without empty fields (as Go's omitempty writes it). */
function specOf(row: Record<string, unknown>, table: FieldTable): Spec {
  return Object.fromEntries(
    table
      .map(([specField, inputField]) => [specField, row[inputField]])
      .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)),
  );
}

const errorFields = (table: FieldTable, extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(table.map(([specField, inputField]) => [inputField, `spec.${specField}`])),
  ...extra,
});

const CLUSTER_DEFAULTS_FIELDS: FieldTable = [
  ['cluster_name', 'clusterName'],
  ['short_name', 'shortName'],
  ['nid_length', 'nidLength'],
  ['base_url', 'baseUrl'],
  ['boot_subnet', 'bootSubnet'],
  ['wg_subnet', 'wgSubnet'],
  ['cloud_provider', 'cloudProvider'],
  ['region', 'region'],
  ['availability_zone', 'availabilityZone'],
  ['public_keys', 'publicKeys'],
];

/** OpenCHAMI reads a NID length of 0 as 4 digits; ours must be 1 to 9. */
const OPENCHAMI_UNSET_NID_LENGTH = 4;

export const clusterDefaultsKind: ResourceKind<ClusterDefaultsRow> = {
  kind: 'ClusterDefaults',
  collection: 'clusterdefaultss',
  uidPrefix: 'clusterdefaults',
  fields: errorFields(CLUSTER_DEFAULTS_FIELDS, { id: 'metadata.name' }),
  list: listClusterDefaults,
  find: findClusterDefaults,
  name: (row) => row.name,
  rowId: (row) => row.id,
  stamps: (row) => ({ createdAt: row.updatedAt, updatedAt: row.updatedAt }),
  spec: (row) => specOf(row, CLUSTER_DEFAULTS_FIELDS),
  status: () => ({}),
  write(ctx, name, spec, mode) {
    const input = inputOf<ClusterDefaultsInput>(spec, CLUSTER_DEFAULTS_FIELDS);
    input.nidLength = input.nidLength === 0 ? OPENCHAMI_UNSET_NID_LENGTH : (input.nidLength ?? DEFAULT_NID_LENGTH);
    return setClusterDefaults(ctx, input, mode, name);
  },
  remove: (ctx) => deleteClusterDefaults(ctx),
};

const GROUP_FIELDS: FieldTable = [
  ['description', 'description'],
  ['template', 'template'],
  ['metaData', 'metaData'],
  ['osVersion', 'osVersion'],
];

/** The metadata-service's template version: "v-" and 8 hex digits of the template's sha256. */
function templateVersion(template: string): string {
  return `v-${createHash('sha256').update(template).digest('hex').slice(0, 8)}`;
}

export const groupKind: ResourceKind<GroupTemplateRow> = {
  kind: 'Group',
  collection: 'groups',
  uidPrefix: 'group',
  fields: errorFields(GROUP_FIELDS, { groupName: 'metadata.name' }),
  list: listGroupTemplates,
  find: findGroupTemplate,
  name: (row) => row.group.name,
  rowId: (row) => row.id,
  stamps: (row) => row,
  spec: (row) => specOf({ ...row, description: row.group.description, metaData: row.metaData }, GROUP_FIELDS),
  // Every stored template passed validation; who renders it decides which variables it may use.
  status: (row) => ({
    valid: true,
    currentTemplateVersion: templateVersion(row.template),
    renderedBy: isClientTemplate(row.template) ? 'node' : 'server',
  }),
  write: (ctx, name, spec, mode) => setGroupTemplate(ctx, name ?? '', inputOf<GroupTemplateInput>(spec, GROUP_FIELDS), mode),
  remove: (ctx, name) => deleteGroupTemplate(ctx, name),
};

const INSTANCE_INFO_FIELDS: FieldTable = [
  ['instance_id', 'instanceId'],
  ['local_hostname', 'localHostname'],
  ['hostname', 'hostname'],
  ['cluster_name', 'clusterName'],
  ['region', 'region'],
  ['availability_zone', 'availabilityZone'],
  ['cloud_provider', 'cloudProvider'],
  ['instance_type', 'instanceType'],
  ['cloud_init_base_url', 'cloudInitBaseUrl'],
  ['public_keys', 'publicKeys'],
];

export const instanceInfoKind: ResourceKind<InstanceInfoRow> = {
  kind: 'InstanceInfo',
  collection: 'instanceinfos',
  uidPrefix: 'instanceinfo',
  fields: errorFields(INSTANCE_INFO_FIELDS, { xname: 'metadata.name' }),
  list: listInstanceInfos,
  find: findInstanceInfo,
  name: (row) => row.component.xname,
  rowId: (row) => row.id,
  stamps: (row) => row,
  spec: (row) => specOf(row, INSTANCE_INFO_FIELDS),
  status: () => ({}),
  write: (ctx, name, spec, mode) => setInstanceInfo(ctx, name ?? '', inputOf<InstanceInfoInput>(spec, INSTANCE_INFO_FIELDS), mode),
  remove: (ctx, name) => deleteInstanceInfo(ctx, name),
};

export function wireguardPeerKind(network: TunnelNetwork | undefined): ResourceKind<WireguardPeerRow> {
  return {
    kind: 'WireGuardPeer',
    collection: 'wireguardpeers',
    uidPrefix: 'wireguardpeer',
    fields: { publicKey: 'spec.public_key', allowedIp: 'spec.allowed_ip', xname: 'metadata.name' },
    list: listWireguardPeers,
    find: findWireguardPeer,
    name: (row) => row.component.xname,
    rowId: (row) => row.id,
    stamps: (row) => row,
    spec: (row) => ({ public_key: row.publicKey, allowed_ip: `${row.tunnelIp}/32` }),
    status: (row) => (row.clientIp ? { client_ip: row.clientIp } : {}),
    write: (ctx, name, spec, mode) =>
      setWireguardPeer(ctx, name ?? '', { publicKey: spec.public_key, allowedIp: spec.allowed_ip }, mode, network),
    remove: (ctx, name) => deleteWireguardPeer(ctx, name),
  };
}
