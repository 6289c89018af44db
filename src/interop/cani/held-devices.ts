// New devices waiting for a parent that comes later in the file. cani's export keys devices by
// UUID, so about half of a site's devices come before their parent. Such a device is held until
// its parent is taken to be written, and is then written with its link like any other (no
// second write of its row, no link left for the file's end). What is held is the devices read
// before an ancestor: with random keys, up to half a site's devices at once (65,000 of a
// 10,000-node site's 130,783, each without its record, which is dropped once mapped). A device
// whose parent never comes is given back at the end (`takeAll`) and settled as a deferred
// link, which names the error.
import type { DeviceRecord } from './device-records.js';
import { serialKey } from './fru-serials.js';

type Json = Record<string, unknown>;

/** What a held device is: its record and the columns it will be written with. */
export interface Holdable {
  record: Pick<DeviceRecord, 'id'>;
  desired: { serialNumber: string | null; manufacturer: string | null; properties: Json };
}

interface Held<D, L> {
  device: D;
  parent: string;
  linked: L;
  /** Its serial's key when held (null: none). */
  serial: string | null;
}

export class HeldDevices<D extends Holdable, L> {
  /** By device id, in the order read (the file's). */
  private readonly devices = new Map<string, Held<D, L>>();
  /** Parent id → the held devices waiting for it. */
  private readonly children = new Map<string, string[]>();
  /** Serial key → held device id (checked against the device's columns on use: a FRU may give its serial up). */
  private readonly serials = new Map<string, string>();

  has(id: string | null): boolean {
    return id !== null && this.devices.has(id);
  }

  get(id: string): D | undefined {
    return this.devices.get(id)?.device;
  }

  /** Holds `device` until `parent` is written; `linked` is what it needs then (kept as given). */
  hold(device: D, parent: string, linked: L): void {
    const { id } = device.record;
    const { manufacturer, serialNumber } = device.desired;
    const serial = serialNumber ? serialKey(manufacturer, serialNumber) : null;
    this.devices.set(id, { device, parent, linked, serial });
    const waiting = this.children.get(parent);
    if (waiting) waiting.push(id);
    else this.children.set(parent, [id]);
    if (serial) this.serials.set(serial, id);
  }

  /** The held devices waiting for `parent`, no longer held. */
  release(parent: string): Array<{ device: D; linked: L }> {
    const ids = this.children.get(parent);
    if (!ids) return [];
    this.children.delete(parent);
    return ids.map((id) => this.forget(id));
  }

  /** One held device, no longer held (its children stay held, waiting for it). */
  take(id: string): D {
    const { parent } = this.devices.get(id) as Held<D, L>;
    const siblings = (this.children.get(parent) as string[]).filter((other) => other !== id);
    if (siblings.length) this.children.set(parent, siblings);
    else this.children.delete(parent);
    return this.forget(id).device;
  }

  /** Every device still held, in file order, no longer held. */
  takeAll(): D[] {
    const all = [...this.devices.values()].map(({ device }) => device);
    this.devices.clear();
    this.children.clear();
    this.serials.clear();
    return all;
  }

  /** The held device that will hold this serial when written. */
  serialHolder(manufacturer: string | null, serial: string): { id: string; properties: Json } | undefined {
    const id = this.serials.get(serialKey(manufacturer, serial));
    const desired = id === undefined ? undefined : this.devices.get(id)?.device.desired;
    if (!desired || desired.serialNumber !== serial || desired.manufacturer !== manufacturer) return undefined;
    return { id: id as string, properties: desired.properties };
  }

  private forget(id: string): Held<D, L> {
    const held = this.devices.get(id) as Held<D, L>;
    this.devices.delete(id);
    if (held.serial && this.serials.get(held.serial) === id) this.serials.delete(held.serial);
    return held;
  }
}
