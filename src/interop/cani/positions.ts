// A device's SMD position and Redfish endpoint, as its providerMetadata names them
// (provider-metadata.ts): the position (component) is created or given the fields the file
// gives, the endpoint made to match, and the device installed there — all through the SMD
// services. The device keeps what these rows do not then hold exactly.
import { ValidationError } from '../../domain/errors.js';
import { parseXname } from '../../domain/xname.js';
import type { Change, Tx } from '../../services/core/index.js';
import { installDevicesIn, syncComponentIn, syncRedfishEndpointIn } from '../../services/smd/index.js';
import type { DeviceRecord } from './device-records.js';
import { type FieldNames, forRecord, renamedFor } from './errors.js';
import { asObject, ENDPOINT_KEYS, POSITION_KEYS, withoutHeld, withSubMap } from './provider-metadata.js';

type Json = Record<string, unknown>;

const names = (prefix: string, keys: Record<string, string>): FieldNames =>
  Object.fromEntries(Object.entries(keys).map(([theirs, ours]) => [ours, `${prefix}.${theirs}`]));

const POSITION_NAMES = names('providerMetadata.csm', { xname: 'xname', ...POSITION_KEYS });
const ENDPOINT_NAMES = names('providerMetadata.redfish', ENDPOINT_KEYS);
const MEMBERSHIP_KEYS = ['groups', 'partition'];

/** A position's wanted group and partition memberships (undefined: the file does not say). */
export interface Memberships {
  groups?: string[];
  partition?: string | null;
}

export interface SyncedPosition {
  xname: string;
  changes: Change[];
  /** The device's providerMetadata without what the position and endpoint rows hold. */
  providerMetadata: Json;
}

export class Positions {
  /** xname → the device of this file that takes it: a second one would move it back and forth. */
  private readonly claimed = new Map<string, string>();
  /** The memberships the file gives, by xname (applied once the whole file is read). */
  readonly memberships = new Map<string, Memberships>();

  /** Syncs the position and endpoint a device record names (before the device is written). */
  async sync(tx: Tx, r: DeviceRecord): Promise<SyncedPosition | null> {
    if (!r.position) return null;
    const xname = parseXname(r.position.xname)?.xname as string;
    const other = this.claimed.get(xname);
    if (other && other !== r.id)
      throw new ValidationError(`${r.path}.providerMetadata.csm.xname`, `${xname} is also the position of device ${other} in this file`);
    this.claimed.set(xname, r.id);
    const changes: Change[] = [];
    const component = await forRecord(r.path, POSITION_NAMES, async () => {
      const synced = await syncComponentIn(tx, { ...r.position?.fields, xname });
      changes.push(...synced.changes);
      return synced.result as unknown as Json;
    });
    let providerMetadata = r.columns.providerMetadata;
    const csm = asObject(providerMetadata.csm) ?? {};
    const keptCsm = Object.fromEntries(
      Object.entries(withoutHeld(csm, { xname: 'xname', ...POSITION_KEYS }, component)).filter(([key]) => !MEMBERSHIP_KEYS.includes(key)),
    );
    providerMetadata = withSubMap(providerMetadata, 'csm', keptCsm);
    if (r.endpoint) {
      const endpoint = await forRecord(r.path, ENDPOINT_NAMES, async () => {
        const synced = await syncRedfishEndpointIn(tx, { ...r.endpoint, xname });
        changes.push(...synced.changes);
        return synced.result as unknown as Json;
      });
      providerMetadata = withSubMap(
        providerMetadata,
        'redfish',
        withoutHeld(asObject(providerMetadata.redfish) ?? {}, ENDPOINT_KEYS, endpoint),
      );
    }
    const { groups, partition } = r.position;
    if (groups !== undefined || partition !== undefined) this.memberships.set(xname, { groups, partition });
    return { xname, changes, providerMetadata };
  }

  /** Puts the devices (written by now) in their positions; nothing for one there already. Changes by device id. */
  async installAll(tx: Tx, devices: Array<{ record: DeviceRecord; synced: SyncedPosition }>): Promise<Map<string, Change[]>> {
    const installed = await installDevicesIn(
      tx,
      devices.map(({ record, synced }) => ({ xname: synced.xname, deviceId: record.id })),
      { source: 'import', itemError: (i, error) => renamedFor(error, devices[i].record.path, POSITION_NAMES) },
    );
    return new Map(devices.map(({ record }, i) => [record.id, installed[i].changes]));
  }
}
