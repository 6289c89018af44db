// The reference API's items: the repository's JSON with the fields reference_api_v2's models
// declare (null when the record has none), a cluster's default `queues`, then the current
// `version` and the links. Only the API adds these: exports give the records as stored.
import type { JsonObject } from '../../codecs/reference/codec.js';
import { clusterLinks, flavorLinks, type Link, nodeLinks, siteLinks } from './links.js';

/** Every declared field the record lacks is null (pydantic's Optional[…] = None, serialised). */
const declared = (fields: readonly string[]) => Object.fromEntries(fields.map((field) => [field, null]));

const SITE_FIELDS = declared([
  'uid',
  'name',
  'description',
  'email_contact',
  'latitude',
  'longitude',
  'location',
  'security_contact',
  'site_class',
  'sys_admin_contact',
  'user_support_contact',
  'web',
]);
const CLUSTER_FIELDS = declared(['uid', 'created_at']);
const NODE_FIELDS = declared(['uid', 'node_name', 'node_type']);
const FLAVOR_FIELDS = declared([
  'uid',
  'name',
  'vcpus',
  'ram_size',
  'humanized_ram_size',
  'disk_size',
  'humanized_disk_size',
  'gpu',
  'openstack_properties',
  'su_cost_per_hour',
]);

/** The queues a cluster without any (missing, null or empty) is served with. */
export const DEFAULT_QUEUES = ['admin', 'default'];

function item(fields: JsonObject, record: JsonObject, version: string | null, links: Link[]) {
  // A record's own `version` or `links` keys give way to the API's, as in the original.
  return { ...fields, ...record, version, links };
}

export const siteItem = (record: JsonObject, version: string | null) =>
  item(SITE_FIELDS, record, version, siteLinks(String(record.uid), version));

export function clusterItem(site: string, record: JsonObject, version: string | null) {
  const queues = Array.isArray(record.queues) && record.queues.length > 0 ? record.queues : DEFAULT_QUEUES;
  return item(CLUSTER_FIELDS, { ...record, queues }, version, clusterLinks(site, String(record.uid), version));
}

/** `extra` holds what the gateway adds to a node (its availability). */
export const nodeItem = (site: string, cluster: string, record: JsonObject, version: string | null, extra: object = {}) =>
  item(NODE_FIELDS, { ...record, ...extra }, version, nodeLinks(site, cluster, String(record.uid), version));

export const flavorItem = (site: string, record: JsonObject, version: string | null) =>
  item(FLAVOR_FIELDS, record, version, flavorLinks(site, String(record.uid), version));
