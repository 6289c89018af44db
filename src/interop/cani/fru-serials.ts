// A FRU record may describe a module or device of the same file (spine-leaf inventories give a
// PSU both as a module and as the FRU record of its bay): same manufacturer, same serial. The
// gateway holds one live device per manufacturer and serial, so the serial column goes to the
// module or device, and the FRU keeps its serial as written in `cani.serial` (the export writes
// it back as the FRU's serial). Whichever comes first in the file, the end state is the same.
import { findManyIn, type Tx } from '../../services/core/index.js';
import type { DeviceRecord } from './device-records.js';

type Json = Record<string, unknown>;

export interface SerialHolder {
  id: string;
  fru: boolean;
  properties: Json;
}

const serialKey = (manufacturer: string | null, serial: string) => `${manufacturer ?? ''}\u0000${serial}`;

/** The live devices holding the serials of one batch's devices, kept up to date as the batch is written. */
export class SerialHolders {
  private readonly holders = new Map<string, SerialHolder>();

  static async load(tx: Tx, records: DeviceRecord[]): Promise<SerialHolders> {
    const index = new SerialHolders();
    const serials = [...new Set(records.flatMap((r) => (r.columns.serialNumber ? [r.columns.serialNumber] : [])))];
    if (serials.length === 0) return index;
    const rows = await findManyIn(tx, 'Device', 'serialNumber', serials, {
      select: ['id', 'manufacturer', 'serialNumber', 'properties'],
      live: true,
    });
    for (const row of rows) index.set(row.manufacturer, row.serialNumber as string, { id: row.id, properties: row.properties as Json });
    return index;
  }

  get(manufacturer: string | null, serial: string): SerialHolder | undefined {
    return this.holders.get(serialKey(manufacturer, serial));
  }

  set(manufacturer: string | null, serial: string, row: { id: string; properties: Json }): void {
    this.holders.set(serialKey(manufacturer, serial), { ...row, fru: row.properties?.['cani.kind'] === 'fru' });
  }

  delete(manufacturer: string | null, serial: string): void {
    this.holders.delete(serialKey(manufacturer, serial));
  }
}
