// What a booting node is told about itself: the NoCloud meta-data document (OpenCHAMI's shape,
// plus the top-level keys cloud-init itself reads) and the context group templates render with.
// Pure functions of a NodeIdentity, which the identity service reads from the store.
import { createHash } from 'node:crypto';

export interface ClusterDefaultsFields {
  clusterName: string | null;
  shortName: string | null;
  nidLength: number;
  baseUrl: string | null;
  cloudProvider: string | null;
  region: string | null;
  availabilityZone: string | null;
  publicKeys: unknown;
}

export interface InstanceInfoFields {
  instanceId: string;
  localHostname: string | null;
  hostname: string | null;
  clusterName: string | null;
  region: string | null;
  availabilityZone: string | null;
  cloudProvider: string | null;
  instanceType: string | null;
  cloudInitBaseUrl: string | null;
  publicKeys: unknown;
}

export interface NodeGroup {
  name: string;
  description: string | null;
  /** The group template's metaData ({} without a template). */
  metaData: Record<string, unknown>;
  /** The stored template, or null when the group has none. */
  template: string | null;
}

export interface NodeInterface {
  name: string | null;
  mac: string | null;
  description: string | null;
  enabled: boolean;
  addresses: Array<{ address: string; network: string | null }>;
}

/** A node as the NoCloud documents need it, found from the address it asked from. */
export interface NodeIdentity {
  xname: string;
  nid: number | null;
  role: string | null;
  subRole: string | null;
  /** The address the node asked from (its boot IP, or its registered boot IP when it asked through its tunnel). */
  bootIp: string;
  /** The MAC of the interface holding the boot IP, when known. */
  bootMac: string | null;
  interfaces: NodeInterface[];
  /** Live memberships of live SMD groups (not partitions), by group name. */
  groups: NodeGroup[];
  instanceInfo: InstanceInfoFields | null;
  clusterDefaults: ClusterDefaultsFields | null;
}

type Interfaces = Array<Record<string, unknown>>;

export interface VendorData {
  version: string;
  cloud_init_base_url?: string;
  cluster_name?: string;
  nid?: number;
  role?: string;
  sub_role?: string;
  mac?: string;
  ip?: string;
  interfaces?: Interfaces;
  groups: Record<string, Record<string, unknown>>;
}

export interface InstanceDataV1 {
  cloud_name: string;
  instance_id: string;
  local_hostname: string;
  hostname: string;
  local_ipv4?: string;
  cloud_provider?: string;
  region?: string;
  availability_zone?: string;
  instance_type?: string;
  public_keys?: string[];
  vendor_data: VendorData;
}

export interface MetaDataDocument {
  'instance-id': string;
  'local-hostname': string;
  hostname: string;
  'cluster-name'?: string;
  'public-keys'?: string[];
  region?: string;
  'availability-zone'?: string;
  'cloud-name': string;
  instance_data: { v1: InstanceDataV1 };
}

/** OpenCHAMI's constant cloud name (v1.cloud_name on the node, lower-cased by cloud-init). */
export const CLOUD_NAME = 'OpenCHAMI';
/** The NID width when no cluster defaults exist (the schema's default for nidLength). */
export const DEFAULT_NID_LENGTH = 3;
/** The hostname prefix when neither a short name nor a cluster name is set (SMD's "nid000001" convention). */
export const DEFAULT_HOSTNAME_PREFIX = 'nid';

/** The instance-id a node gets unless told otherwise: stable per xname, in cloud-init's `i-` form. */
export function defaultInstanceId(xname: string): string {
  return `i-${createHash('sha256').update(xname).digest('hex').slice(0, 8)}`;
}

/**
 * OpenCHAMI's generated hostname: the short name, else the first two characters of the
 * cluster name, then the NID zero-padded to nidLength (wider NIDs are not truncated). A node
 * without a NID is called by its xname.
 */
export function generatedHostname(node: Pick<NodeIdentity, 'xname' | 'nid' | 'clusterDefaults'>, clusterName: string | undefined): string {
  if (node.nid === null) return node.xname;
  const defaults = node.clusterDefaults;
  const prefix = defaults?.shortName || clusterName?.slice(0, 2) || DEFAULT_HOSTNAME_PREFIX;
  return `${prefix}${String(node.nid).padStart(defaults?.nidLength ?? DEFAULT_NID_LENGTH, '0')}`;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Drops undefined, null and "" values and empty lists, as OpenCHAMI's omitempty does. */
function compact<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(
    Object.entries(obj).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)),
  ) as T;
}

const orUndefined = (value: string | null | undefined) => value ?? undefined;

function interfaceList(node: NodeIdentity): Interfaces {
  return node.interfaces.map((nic, index) => {
    const [first] = nic.addresses;
    return compact({
      name: nic.name ?? `eth${index}`,
      mac: orUndefined(nic.mac),
      description: orUndefined(nic.description),
      enabled: nic.enabled,
      ip: first?.address,
      network: orUndefined(first?.network),
      ip_addresses:
        nic.addresses.length > 1 ? nic.addresses.map((a) => compact({ ip: a.address, network: orUndefined(a.network) })) : undefined,
    });
  });
}

/** Each group the node is in: its description plus the group template's metaData. */
function groupEntries(node: NodeIdentity): Record<string, Record<string, unknown>> {
  return Object.fromEntries(node.groups.map((g) => [g.name, { ...(g.description ? { description: g.description } : {}), ...g.metaData }]));
}

/**
 * The /meta-data document. `baseUrl` is where the node fetches its group documents (the
 * caller resolves InstanceInfo, ClusterDefaults or the request's own address).
 */
export function metaDataDocument(node: NodeIdentity, baseUrl: string): MetaDataDocument {
  const info = node.instanceInfo;
  const defaults = node.clusterDefaults;
  const clusterName = orUndefined(info?.clusterName ?? defaults?.clusterName);
  const generated = generatedHostname(node, clusterName);
  const localHostname = info?.localHostname ?? info?.hostname ?? generated;
  const hostname = info?.hostname ?? info?.localHostname ?? generated;
  const instanceId = info?.instanceId ?? defaultInstanceId(node.xname);
  const region = orUndefined(info?.region ?? defaults?.region);
  const availabilityZone = orUndefined(info?.availabilityZone ?? defaults?.availabilityZone);
  const publicKeys = [...new Set([...stringList(defaults?.publicKeys), ...stringList(info?.publicKeys)])];
  const vendorData: VendorData = compact({
    version: '1.0',
    cloud_init_base_url: baseUrl,
    cluster_name: clusterName,
    nid: node.nid ?? undefined,
    role: orUndefined(node.role),
    sub_role: orUndefined(node.subRole),
    mac: orUndefined(node.bootMac),
    ip: node.bootIp,
    interfaces: interfaceList(node),
    groups: groupEntries(node),
  });
  return compact({
    'instance-id': instanceId,
    'local-hostname': localHostname,
    hostname,
    'cluster-name': clusterName,
    'public-keys': publicKeys,
    region,
    'availability-zone': availabilityZone,
    'cloud-name': CLOUD_NAME,
    instance_data: {
      v1: compact({
        cloud_name: CLOUD_NAME,
        instance_id: instanceId,
        local_hostname: localHostname,
        hostname,
        local_ipv4: node.bootIp,
        cloud_provider: orUndefined(info?.cloudProvider ?? defaults?.cloudProvider),
        region,
        availability_zone: availabilityZone,
        instance_type: orUndefined(info?.instanceType),
        public_keys: publicKeys,
        vendor_data: vendorData,
      }),
    },
  });
}

/**
 * What a server-rendered group template sees: the flat keys OpenCHAMI documents, the nested
 * `vendor_data` and `meta_data`, cloud-init's `ds.meta_data` spelling, and the group's
 * metaData at top level (overriding built-in keys of the same name).
 */
export function templateContext(meta: MetaDataDocument, groupMetaData: Record<string, unknown>): Record<string, unknown> {
  const v1 = meta.instance_data.v1;
  const vendorData = v1.vendor_data;
  return {
    hostname: meta.hostname,
    local_hostname: meta['local-hostname'],
    instance_id: meta['instance-id'],
    cluster_name: vendorData.cluster_name,
    cloud_provider: v1.cloud_provider,
    region: v1.region,
    availability_zone: v1.availability_zone,
    nid: vendorData.nid,
    role: vendorData.role,
    sub_role: vendorData.sub_role,
    mac: vendorData.mac,
    ip: vendorData.ip,
    interfaces: vendorData.interfaces ?? [],
    public_keys: v1.public_keys ?? [],
    vendor_data: vendorData,
    meta_data: meta,
    ds: { meta_data: meta },
    ...groupMetaData,
  };
}
