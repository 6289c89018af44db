// A device's SMD position and Redfish endpoint, as its providerMetadata names them
// (provider-metadata.ts): the position (component) is created or given the fields the file
// gives, the endpoint made to match, and the device installed there — all through the SMD
// services. The device keeps what these rows do not then hold exactly.
import { ValidationError } from '../../domain/errors.js';
import { parseXname } from '../../domain/xname.js';
import type { Change, Tx } from '../../services/core/index.js';
import { installDevicesIn, type RedfishEndpointInput, syncComponentsIn, syncRedfishEndpointsIn } from '../../services/smd/index.js';
import type { DeviceRecord } from './device-records.js';
import { type FieldNames, listItemError, renamedFor } from './errors.js';
import { asObject, ENDPOINT_KEYS, POSITION_KEYS, withoutHeld, withSubMap } from './provider-metadata.js';

type Json = Record<string, unknown>;

const names = (prefix: string, keys: Record<string, string>): FieldNames =>
  Object.fromEntries(Object.entries(keys).map(([theirs, ours]) => [ours, `${prefix}.${theirs}`]));

const POSITION_NAMES = names('providerMetadata.csm', { xname: 'xname', ...POSITION_KEYS });
const ENDPOINT_NAMES = names('providerMetadata.redfish', ENDPOINT_KEYS);
const MEMBERSHIP_KEYS = ['groups', 'partition'];
/** The list name the bulk writers' errors carry (`positions.<index>.<field>`), mapped back to records. */
const LIST = 'positions';

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

  /**
   * Syncs the positions and endpoints a batch's device records name (before the devices are
   * written): every component in one bulk write, every endpoint in another. By record id.
   */
  async syncAll(tx: Tx, records: DeviceRecord[]): Promise<Map<string, SyncedPosition>> {
    const placed = records.filter((r) => r.position);
    const xnames = placed.map((r) => {
      const xname = parseXname(r.position?.xname as string)?.xname as string;
      const other = this.claimed.get(xname);
      if (other && other !== r.id)
        throw new ValidationError(`${r.path}.providerMetadata.csm.xname`, `${xname} is also the position of device ${other} in this file`);
      this.claimed.set(xname, r.id);
      return xname;
    });
    const components = await syncComponentsIn(
      tx,
      placed.map((r, i) => ({ ...r.position?.fields, xname: xnames[i] })),
      LIST,
    ).catch((error) => {
      throw listItemError(error, LIST, (i) => placed[i].path, POSITION_NAMES);
    });
    const withEndpoint = placed.flatMap((r, i) => (r.endpoint ? [i] : []));
    const endpoints = await syncRedfishEndpointsIn(
      tx,
      withEndpoint.map((i) => ({ ...placed[i].endpoint, xname: xnames[i] }) as RedfishEndpointInput),
      LIST,
    ).catch((error) => {
      throw listItemError(error, LIST, (k) => placed[withEndpoint[k]].path, ENDPOINT_NAMES);
    });
    const endpointOf = new Map(withEndpoint.map((i, k) => [i, endpoints[k]]));
    const synced = new Map<string, SyncedPosition>();
    for (const [i, r] of placed.entries()) {
      const changes: Change[] = [...components[i].changes];
      let providerMetadata = r.columns.providerMetadata;
      const csm = asObject(providerMetadata.csm) ?? {};
      const keptCsm = Object.fromEntries(
        Object.entries(withoutHeld(csm, { xname: 'xname', ...POSITION_KEYS }, components[i].result as unknown as Json)).filter(
          ([key]) => !MEMBERSHIP_KEYS.includes(key),
        ),
      );
      providerMetadata = withSubMap(providerMetadata, 'csm', keptCsm);
      const endpoint = endpointOf.get(i);
      if (endpoint) {
        changes.push(...endpoint.changes);
        providerMetadata = withSubMap(
          providerMetadata,
          'redfish',
          withoutHeld(asObject(providerMetadata.redfish) ?? {}, ENDPOINT_KEYS, endpoint.result as unknown as Json),
        );
      }
      const { groups, partition } = r.position as NonNullable<DeviceRecord['position']>;
      if (groups !== undefined || partition !== undefined) this.memberships.set(xnames[i], { groups, partition });
      synced.set(r.id, { xname: xnames[i], changes, providerMetadata });
    }
    return synced;
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
