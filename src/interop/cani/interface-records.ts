// Interfaces come two ways in a cani file: inline, in a device's or module's `interfaces` list
// (InterfaceSpec: the authoritative one — cani rebuilds its top-level `interfaces` map from
// these lists on every load), and as records of that top-level map (CaniInterface). Both are
// read here into one shape, in the record's vocabulary: a spec's `type` and `mgmt_only` are a
// record's `interfaceType` and `mgmtOnly`, every other field has the same name. An inline
// interface whose id is cani's nil placeholder (or missing) has `id: null`: the writer gives it
// the id of the top-level record for the same device and name, else a derived one.
import { ValidationError } from '../../domain/errors.js';
import { optionalMac } from '../../domain/mac.js';
import { optionalText } from '../../domain/validate.js';
import { RecordFields } from './fields.js';
import { NIL_UUID, UUID_PATTERN } from './vocabulary.js';

type Json = Record<string, unknown>;

export interface InterfaceRecord {
  section: 'interfaces';
  /** null: cani's nil placeholder (resolved by the writer). */
  id: string | null;
  path: string;
  /** A device's inline list, or the top-level map. */
  source: 'spec' | 'record';
  /** The device or module the interface is on. */
  device: string;
  /** A module's parent device: cani's derived record of a module's interface names it. */
  parentDevice: string | null;
  /** The position (SMD ComponentID) from providerMetadata.csm.xname, as written. */
  xname: string | null;
  /** From interfaceType, when it says; otherwise left as it is (new: ethernet). */
  kind: string | null;
  columns: {
    name: string | null;
    macAddress: string | null;
    description: string | null;
    mgmtOnly: boolean;
    properties: Json;
  };
}

/** An inline spec's fields under their record names. */
export const SPEC_SPELLING: Record<string, string> = { interfaceType: 'type', mgmtOnly: 'mgmt_only' };

/** The interface kind an interfaceType implies, or null when it does not say. */
export function kindOf(interfaceType: unknown): string | null {
  if (typeof interfaceType !== 'string') return null;
  const type = interfaceType.toLowerCase();
  if (type.startsWith('infiniband')) return 'infiniband';
  if (['virtual', 'bridge', 'lag', 'other'].includes(type)) return 'other';
  // The gateway's own kinds, as its export writes them for interfaces without a cani type.
  if (['hsn', 'console', 'power', 'bmc'].includes(type)) return type;
  return /base-|gbase/.test(type) ? 'ethernet' : null;
}

/** The xname of providerMetadata.csm, and the provider metadata to keep with the interface. */
function positionOf(f: RecordFields): { xname: string | null; providerMetadata: Json } {
  const providerMetadata = f.object('providerMetadata');
  const csm = providerMetadata.csm;
  if (!csm || typeof csm !== 'object' || Array.isArray(csm) || !('xname' in csm)) return { xname: null, providerMetadata };
  const xname = (csm as Json).xname;
  if (typeof xname !== 'string' || xname.trim() === '')
    throw f.error('providerMetadata.csm.xname', `must be an xname (got ${JSON.stringify(xname)?.slice(0, 40)})`);
  return { xname, providerMetadata };
}

function mapFields(
  f: RecordFields,
  managed: Json,
): Omit<InterfaceRecord, 'section' | 'id' | 'path' | 'source' | 'device' | 'parentDevice'> {
  f.drop('connectedCable', 'ipAddresses');
  const { xname, providerMetadata } = positionOf(f);
  // A type that is one of our kinds is what the export writes for an interface without a cani type: nothing to keep.
  const type = f.take('interfaceType');
  const kind = kindOf(type);
  const keptType = type === undefined || type === null || type === '' || kind === type ? null : type;
  return {
    xname,
    kind,
    columns: {
      name: optionalText(f.text('name'), f.at('name'), 64) ?? null,
      macAddress: optionalMac(f.text('macAddress'), f.at('macAddress')) ?? null,
      description: optionalText(f.text('description'), f.at('description'), 4000) ?? null,
      mgmtOnly: f.bool('mgmtOnly'),
      // The provider metadata stays whole here; the writer takes out the position it names.
      properties: f.properties({
        ...managed,
        interface_type: keptType,
        provider_metadata: Object.keys(providerMetadata).length ? providerMetadata : null,
      }),
    },
  };
}

/** A record of the top-level `interfaces` map; a nil key is cani's placeholder. */
export function mapInterfaceRecord(id: string | null, f: RecordFields): InterfaceRecord {
  const device = f.uuid('deviceId');
  if (!device) throw f.error('deviceId', 'is required: an interface belongs to a device or module');
  return { section: 'interfaces', id, path: f.path, source: 'record', device, parentDevice: null, ...mapFields(f, {}) };
}

const specId = (value: unknown) =>
  typeof value === 'string' && UUID_PATTERN.test(value) && value !== NIL_UUID ? value.toLowerCase() : null;

/** The interfaces of a device's or module's inline list, in order. */
export function mapInterfaceSpecs(
  owner: { path: string; id: string; parentDevice: string | null },
  list: unknown,
  naturalOrder: (names: string[]) => boolean,
): InterfaceRecord[] {
  if (list === undefined || list === null) return [];
  const field = `${owner.path}.interfaces`;
  if (!Array.isArray(list)) throw new ValidationError(field, 'must be a list of interfaces');
  const specs = list.map((spec, i) => {
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
      throw new ValidationError(`${field}.${i}`, 'must be a JSON object');
    const raw = { ...(spec as Json) };
    for (const [ours, theirs] of Object.entries(SPEC_SPELLING)) {
      if (theirs in raw && !(ours in raw)) {
        raw[ours] = raw[theirs];
        delete raw[theirs];
      }
    }
    const id = raw.id;
    if (id !== undefined && id !== null && id !== '' && specId(id) === null && id !== NIL_UUID)
      throw new ValidationError(`${field}.${i}.id`, `must be a UUID (got ${JSON.stringify(id).slice(0, 40)})`);
    delete raw.id;
    return { raw, id: specId(id), path: `${field}.${i}` };
  });
  // The list's order is kept only when it is not the natural order of its names (the export's).
  const ordered = naturalOrder(specs.map((s) => String(s.raw.name ?? '')));
  return specs.map(
    (spec, i): InterfaceRecord => ({
      section: 'interfaces',
      id: spec.id,
      path: spec.path,
      source: 'spec',
      device: owner.id,
      parentDevice: owner.parentDevice,
      ...mapFields(new RecordFields(spec.path, spec.raw, SPEC_SPELLING), { spec_index: ordered ? null : i }),
    }),
  );
}
