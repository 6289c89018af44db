// cani's v1alpha1 datastore — one "Hardware" map of every piece of hardware — upgraded record
// by record as cani's own migration does (pkg/datastores/migrate.go, migrateV1Alpha1):
//   - the System root becomes a location "System" of type "system";
//   - a Cabinet becomes a cabinet device AND a rack of the same name, the device in the rack
//     (cani draws the rack's UUID at random; here it is derived from the cabinet's, so the
//     same file always gives the same rack);
//   - anything else becomes a device of the mapped type under its Parent;
//   - CSM metadata is flattened into providerMetadata.csm (locationOrdinal, locationPath as
//     "System:0->Cabinet:3000", hmnVlan, role, subRole, nid, aliases); an empty status is
//     "Staged", a known one takes cani's spelling. Properties and Architecture are dropped, as
//     cani drops them.
// The result is a v1alpha2 record, read from then on like any other (cani then back-fills
// parents, a no-op here since every device has one).
import { ValidationError } from '../../domain/errors.js';
import { derivedId } from './derived-id.js';
import { normalizedCaniStatus } from './statuses.js';
import { LEGACY_SECTION, NIL_UUID, type Section } from './vocabulary.js';

type Json = Record<string, unknown>;

export interface UpgradedRecord {
  section: Section;
  key: string;
  value: Json;
}

/** Legacy HardwareType → cani type (mapLegacyType); others are lower-cased. */
const LEGACY_TYPES: Record<string, string> = {
  Cabinet: 'cabinet',
  Chassis: 'chassis',
  NodeBlade: 'blade',
  NodeCard: 'nodecard',
  Node: 'node',
  ManagementSwitch: 'mgmt-switch',
  ManagementSwitchEnclosure: 'mgmt-switch',
  ManagementSwitchController: 'mgmt-switch',
  HighSpeedSwitch: 'hsn-switch',
  HighSpeedSwitchEnclosure: 'hsn-switch',
  HighSpeedSwitchController: 'hsn-switch',
  CabinetPDU: 'cabinet-pdu',
  CabinetPDUController: 'cabinet-pdu',
  CoolingDistributionUnit: 'cdu',
  ChassisManagementModule: 'module',
  CabinetEnvironmentalController: 'module',
  NodeController: 'module',
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const object = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
/** Go's zero values are left out, as its omitempty writer leaves them out. */
const present = (record: Json): Json =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== '' && value !== NIL_UUID));

function locationPath(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((token) => `${text(object(token).HardwareType)}:${Number(object(token).Ordinal ?? 0)}`).join('->');
}

/** buildCsmMetadata: location info and the CSM Cabinet/Node metadata, flattened. */
function csmMetadata(hw: Json): Json {
  const md: Json = {};
  if (typeof hw.LocationOrdinal === 'number') md.locationOrdinal = hw.LocationOrdinal;
  const path = locationPath(hw.LocationPath);
  if (path) md.locationPath = path;
  const csm = object(object(hw.ProviderMetadata).csm);
  const cabinet = object(csm.Cabinet);
  const node = object(csm.Node);
  if (typeof cabinet.HMNVlan === 'number') md.hmnVlan = cabinet.HMNVlan;
  if (typeof node.Role === 'string') md.role = node.Role;
  if (typeof node.SubRole === 'string') md.subRole = node.SubRole;
  if (typeof node.Nid === 'number') md.nid = node.Nid;
  if (Array.isArray(node.Alias) && node.Alias.length) md.aliases = node.Alias;
  return md;
}

const statusOf = (hw: Json) => (text(hw.Status) === '' ? 'Staged' : normalizedCaniStatus(text(hw.Status)));

/** The cabinet's rack: cani gives it a new UUID, here one derived from the cabinet's. */
export const legacyRackId = (cabinetId: string) => derivedId('v1alpha1 cabinet rack', cabinetId.toLowerCase());

/** The current-format records one Hardware entry becomes. */
export function upgradeLegacyRecord(key: string, value: unknown): UpgradedRecord[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ValidationError(`${LEGACY_SECTION}.${key}`, 'must be a JSON object');
  const hw = value as Json;
  const id = text(hw.ID) || key;
  if (hw.Type === 'System') {
    return [{ section: 'locations', key, value: { id, name: 'System', locationType: 'system', status: 'Active' } }];
  }
  const md = csmMetadata(hw);
  const device = present({
    id,
    name: text(hw.Name),
    slug: text(hw.DeviceTypeSlug),
    vendor: text(hw.Vendor),
    model: text(hw.Model),
    status: statusOf(hw),
    parent: text(hw.Parent),
    type: LEGACY_TYPES[text(hw.Type)] ?? text(hw.Type).toLowerCase(),
  });
  device.providerMetadata = { csm: md };
  if (hw.Type !== 'Cabinet') return [{ section: 'devices', key, value: device }];
  const rackId = legacyRackId(id);
  const rack = present({ id: rackId, name: text(hw.Name), status: statusOf(hw), manufacturer: text(hw.Vendor), model: text(hw.Model) });
  Object.assign(rack, { uHeight: 42, providerMetadata: { csm: md } });
  return [
    { section: 'racks', key: rackId, value: rack },
    { section: 'devices', key, value: { ...device, parent: rackId } },
  ];
}
