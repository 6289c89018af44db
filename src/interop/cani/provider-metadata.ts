// What a cani record's providerMetadata says about things the gateway keeps in their own rows:
//   - providerMetadata.csm is cani's CSM metadata (pkg/provider/csm/transform/metadata.go):
//     xname, class, role, subRole, nid, state … A device with an xname occupies that SMD
//     position, whose component state these keys are. The gateway also writes there what SMD
//     holds beside them (flag, enabled, softwareStatus, subType, netType, arch) and the
//     position's group and partition memberships (groups, partition); cani keeps them verbatim.
//   - providerMetadata.redfish is cani's Redfish metadata (bmc_fqdn, bmc_hostname,
//     redfish_uuid …). On a BMC's position it describes the Redfish endpoint there; the gateway
//     adds the endpoint's other fields under the same prefixes.
// Keys given here are applied to those rows; a key whose value the row then holds exactly is
// not kept again with the device (the export writes it back from the row).
import { stableJson } from '../../domain/stable-json.js';

type Json = Record<string, unknown>;

/** csm key → the component field it is. */
export const POSITION_KEYS = {
  state: 'state',
  flag: 'flag',
  enabled: 'enabled',
  softwareStatus: 'softwareStatus',
  role: 'role',
  subRole: 'subRole',
  nid: 'nid',
  subType: 'subtype',
  netType: 'netType',
  arch: 'arch',
  class: 'class',
} as const;

/** The component values the export leaves out: a new position has them. */
export const POSITION_DEFAULTS: Record<string, unknown> = { state: 'Unknown', flag: 'OK', enabled: true };

/** redfish key → the Redfish endpoint field it is. */
export const ENDPOINT_KEYS = {
  redfish_name: 'name',
  bmc_hostname: 'hostname',
  bmc_domain: 'domain',
  bmc_fqdn: 'fqdn',
  bmc_ip_address: 'ipAddress',
  bmc_mac_address: 'macAddr',
  redfish_enabled: 'enabled',
  redfish_uuid: 'uuid',
  redfish_username: 'username',
  redfish_use_ssdp: 'useSsdp',
  redfish_mac_required: 'macRequired',
  redfish_rediscover_on_update: 'rediscoverOnUpdate',
  redfish_template_id: 'templateId',
  redfish_discovery_info: 'discoveryInfo',
} as const;

/** The endpoint values the export leaves out: an endpoint given without them gets them. */
export const ENDPOINT_DEFAULTS: Record<string, unknown> = {
  enabled: true,
  useSsdp: false,
  macRequired: false,
  rediscoverOnUpdate: false,
};

export const asObject = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

/** `sub` without the keys whose row field now holds exactly the value given. */
export function withoutHeld(sub: Json, keys: Record<string, string>, row: Json): Json {
  return Object.fromEntries(
    Object.entries(sub).filter(([key, value]) => !(key in keys) || stableJson(row[keys[key]] ?? null) !== stableJson(value ?? null)),
  );
}

/** providerMetadata with `name`'s sub-map replaced (left out when it is empty). */
export function withSubMap(providerMetadata: Json, name: string, sub: Json): Json {
  const { [name]: _old, ...rest } = providerMetadata;
  return Object.keys(sub).length ? { ...providerMetadata, [name]: sub } : rest;
}

/** Whether the kept spelling of a value still means the row's value (case aside). */
export function sameValue(kept: unknown, held: unknown): boolean {
  if (typeof kept === 'string' && typeof held === 'string') return kept.toLowerCase() === held.toLowerCase();
  return stableJson(kept) === stableJson(held);
}

/** An interface's or IP's kept providerMetadata without csm.xname when the row's position is that xname exactly. */
export function withoutPosition(providerMetadata: unknown, xname: string): Json | null {
  const pm = asObject(providerMetadata);
  if (!pm) return null;
  const csm = asObject(pm.csm);
  if (!csm || csm.xname !== xname) return pm;
  const { xname: _held, ...rest } = csm;
  const kept = withSubMap(pm, 'csm', rest);
  return Object.keys(kept).length ? kept : null;
}
