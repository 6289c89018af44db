// Older cani schema versions, upgraded record by record as they stream past.
//
// v1alpha2 → v1alpha3: devices persisted the derived links `rack` and `parentDevice` (and
// `children`); v1alpha3 keeps only `parent`, back-filled from them when unset, immediate
// container first: parent, then parentDevice, then rack (cani's migrateV1Alpha2).
// Later versions never write those fields, so applying the rule to every device is the same
// as applying it to v1alpha2 documents only, and works before `schemaVersion` is read (a
// key-sorted document has it last). A `rack` that is not the parent stays: it places a device
// that hangs under another one in that rack too (records.ts).
// v1alpha3 → v1alpha4 (VRFs; interface VLAN/LAG fields), v1alpha4 → v1alpha5 (custom-field
// definitions) and v1alpha5 → v1alpha6 (VRF device assignments) only add fields: the new
// interface fields are kept like any other; prefixes, VLANs, VRFs and the metadata catalog are
// skipped. v1alpha1, a different shape, is upgraded in legacy.ts.
import { NIL_UUID } from './vocabulary.js';

type Json = Record<string, unknown>;

const isSet = (value: unknown) => value !== undefined && value !== null && value !== '' && value !== NIL_UUID;

/** The device record as v1alpha3 and later write it. */
export function upgradeDevice(raw: Json): Json {
  if (!('rack' in raw || 'parentDevice' in raw || 'children' in raw)) return raw;
  const { rack, parentDevice, children: _derived, ...rest } = raw;
  if (!isSet(rest.parent)) rest.parent = isSet(parentDevice) ? parentDevice : isSet(rack) ? rack : rest.parent;
  if (isSet(rack) && rest.parent !== rack) rest.rack = rack;
  return rest;
}
