// What a booting node is told about itself: the NoCloud meta-data document as OpenCHAMI's
// metadata-service writes it for the same data (optionally with the top-level keys cloud-init
// itself reads), and the context group templates render with, as metadata-service builds it.
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

/**
 * A group's cloud-init Group (the metadata-service's Group resource), which is joined to the
 * node's SMD group memberships by name, as metadata-service does.
 */
export interface CloudInitGroup {
  description: string | null;
  metaData: Record<string, unknown>;
  /** The template, or null for a metadata-only group (nothing for the node to include). */
  template: string | null;
}

export interface NodeGroup {
  name: string;
  /** The cloud-init Group of that name, or null when there is none (the group is listed, empty). */
  cloudInit: CloudInitGroup | null;
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
  mac?: string;
  interfaces?: Interfaces;
  groups?: Record<string, Record<string, unknown>>;
}

export interface InstanceDataV1 {
  cloud_name: string;
  availability_zone?: string;
  instance_id: string;
  instance_type?: string;
  local_hostname: string;
  region?: string;
  hostname: string;
  local_ipv4?: string;
  cloud_provider?: string;
  public_keys?: string[];
  vendor_data: VendorData;
}

/** The keys cloud-init itself reads from the top of meta-data (metadata-service has none of them). */
export interface CloudInitKeys {
  'public-keys'?: string[];
  region?: string;
  'availability-zone'?: string;
  'cloud-name'?: string;
}

export interface MetaDataDocument extends CloudInitKeys {
  'instance-id': string;
  'local-hostname': string;
  hostname: string;
  'cluster-name': string;
  instance_data: { v1: InstanceDataV1 };
}

/** The instance-id a node gets when none was given: its xname (metadata-service's) or `i-` and a hash of it. */
export const INSTANCE_ID_FORMS = ['xname', 'hashed'] as const;
export type InstanceIdForm = (typeof INSTANCE_ID_FORMS)[number];

/** Choices about the documents that differ from metadata-service's; the defaults are its documents. */
export interface DocumentOptions {
  instanceIdForm: InstanceIdForm;
  /** Also the top-level keys cloud-init itself reads (public-keys, region, availability-zone, cloud-name). */
  cloudInitKeys: boolean;
}

export const METADATA_SERVICE_DOCUMENTS: DocumentOptions = { instanceIdForm: 'xname', cloudInitKeys: false };

/** OpenCHAMI's constant cloud name (v1.cloud_name on the node, lower-cased by cloud-init). */
export const CLOUD_NAME = 'OpenCHAMI';
/** The NID width when none is set: metadata-service reads an unset (0) nid_length as 4 digits. */
export const DEFAULT_NID_LENGTH = 4;
/**
 * The hostname prefix when neither a short name nor a cluster name is set (SMD's "nid000001"
 * convention). metadata-service leaves the prefix empty, naming the node a bare number: a
 * hostname we deliberately do not hand out.
 */
export const DEFAULT_HOSTNAME_PREFIX = 'nid';

/** The `i-` form: cloud-init's instance-id spelling, stable per xname. */
function hashedInstanceId(xname: string): string {
  return `i-${createHash('sha256').update(xname).digest('hex').slice(0, 8)}`;
}

/**
 * The instance-id stored for a node whose instance info names none: its xname. Stored ids
 * derived from the node's own xname (this one, or the `i-` form stored before) mean "the
 * default" and follow the configured form (see instanceIdOf).
 */
export function storedDefaultInstanceId(xname: string): string {
  return xname;
}

/** The node's instance-id: the one its instance info names, unless that is derived from its xname, then the configured form. */
export function instanceIdOf(xname: string, stored: string | null | undefined, form: InstanceIdForm): string {
  const given = stored && stored !== xname && stored !== hashedInstanceId(xname) ? stored : undefined;
  return given ?? (form === 'xname' ? xname : hashedInstanceId(xname));
}

/**
 * OpenCHAMI's generated hostname: the short name, else the first two characters of the
 * cluster name, then the NID zero-padded to nidLength (wider NIDs are not truncated). A node
 * without a NID is called by its xname (metadata-service prints NID 0, so every such node
 * would share one hostname).
 */
export function generatedHostname(node: Pick<NodeIdentity, 'xname' | 'nid' | 'clusterDefaults'>, clusterName: string | undefined): string {
  if (node.nid === null) return node.xname;
  const defaults = node.clusterDefaults;
  const prefix = defaults?.shortName || clusterName?.slice(0, 2) || DEFAULT_HOSTNAME_PREFIX;
  return `${prefix}${String(node.nid).padStart(defaults?.nidLength || DEFAULT_NID_LENGTH, '0')}`;
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

/**
 * Every group the node is in, as metadata-service lists them: a group with a cloud-init Group
 * shows its description and metaData (metaData keys win), one without shows nothing.
 */
function groupEntries(node: NodeIdentity): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    node.groups.map((g) => [g.name, g.cloudInit ? { description: g.cloudInit.description ?? '', ...g.cloudInit.metaData } : {}]),
  );
}

/**
 * The /meta-data document, metadata-service's for the same data (see DocumentOptions for
 * what may differ). `baseUrl` is where the node fetches its group documents (the caller
 * resolves InstanceInfo, ClusterDefaults or the request's own address).
 */
export function metaDataDocument(
  node: NodeIdentity,
  baseUrl: string,
  options: DocumentOptions = METADATA_SERVICE_DOCUMENTS,
): MetaDataDocument {
  const info = node.instanceInfo;
  const defaults = node.clusterDefaults;
  const clusterName = info?.clusterName ?? defaults?.clusterName ?? '';
  const generated = generatedHostname(node, clusterName || undefined);
  const localHostname = info?.localHostname ?? generated;
  const hostname = info?.hostname ?? generated;
  const instanceId = instanceIdOf(node.xname, info?.instanceId, options.instanceIdForm);
  const region = orUndefined(info?.region ?? defaults?.region);
  const availabilityZone = orUndefined(info?.availabilityZone ?? defaults?.availabilityZone);
  // The cluster's keys, then the node's, as metadata-service appends them.
  const publicKeys = [...stringList(defaults?.publicKeys), ...stringList(info?.publicKeys)];
  const vendorData: VendorData = compact({
    version: '1.0',
    cloud_init_base_url: baseUrl,
    cluster_name: clusterName,
    nid: node.nid ?? undefined,
    role: orUndefined(node.role),
    mac: orUndefined(node.bootMac),
    interfaces: interfaceList(node),
    groups: node.groups.length ? groupEntries(node) : undefined,
  });
  const cloudInitKeys: CloudInitKeys = options.cloudInitKeys
    ? compact({ 'public-keys': publicKeys, region, 'availability-zone': availabilityZone, 'cloud-name': CLOUD_NAME })
    : {};
  return {
    'instance-id': instanceId,
    'local-hostname': localHostname,
    hostname,
    'cluster-name': clusterName,
    ...cloudInitKeys,
    instance_data: {
      v1: compact({
        cloud_name: CLOUD_NAME,
        availability_zone: availabilityZone,
        instance_id: instanceId,
        instance_type: orUndefined(info?.instanceType),
        local_hostname: localHostname,
        region,
        hostname,
        local_ipv4: node.bootIp,
        cloud_provider: orUndefined(info?.cloudProvider ?? defaults?.cloudProvider),
        public_keys: publicKeys,
        vendor_data: vendorData,
      }),
    },
  };
}

/**
 * What metadata-service hands a server-rendered template as `ds` (the datasource): the node's
 * identity under flat names, `vendor_data` and the whole `meta_data` document.
 */
export function datasourceContext(meta: MetaDataDocument): Record<string, unknown> {
  const v1 = meta.instance_data.v1;
  const vendorData = v1.vendor_data;
  return {
    instance_id: meta['instance-id'],
    local_hostname: meta['local-hostname'],
    hostname: meta.hostname,
    cluster_name: meta['cluster-name'],
    cloud_name: v1.cloud_name,
    availability_zone: v1.availability_zone,
    instance_type: v1.instance_type,
    region: v1.region,
    local_ipv4: v1.local_ipv4,
    cloud_provider: v1.cloud_provider,
    public_keys: v1.public_keys ?? [],
    vendor_data: vendorData,
    base_url: vendorData.cloud_init_base_url,
    nid: vendorData.nid,
    role: vendorData.role,
    mac: vendorData.mac,
    ip: v1.local_ipv4,
    interfaces: vendorData.interfaces ?? [],
    meta_data: meta,
  };
}

/**
 * What a server-rendered group template sees: `ds` as metadata-service builds it; the same
 * names at top level too (and `sub_role`), as earlier metadata-service versions passed them;
 * and the group's metaData at top level, overriding built-in names.
 */
export function templateContext(
  node: Pick<NodeIdentity, 'subRole'>,
  meta: MetaDataDocument,
  groupMetaData: Record<string, unknown>,
): Record<string, unknown> {
  const ds = datasourceContext(meta);
  return { ...ds, sub_role: orUndefined(node.subRole), ds, ...groupMetaData };
}
