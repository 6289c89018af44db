// Which interface a top-level `interfaces` record is. cani rebuilds that map from the devices'
// and modules' inline lists on every load (RebuildDerivedState), so:
//   - a record of an inline interface (same id, or same device and name) is derived: it is
//     read past, as cani reads past it;
//   - an inline interface with cani's nil placeholder id takes the id of the record for the
//     same device and name (its fields under the inline ones), else an id derived from the
//     device and name — stable, where cani would draw a new one;
//   - a record no inline list has is an interface of its own (cani would drop it; kept here,
//     marked `cani.inline: false` so the export writes it back the same way).
// Inline lists must have been read before the records are sorted out: in cani's order they
// are (devices and modules come before interfaces); otherwise the writer holds the records to
// the end of the file. Memory: the ids and device/name keys of the inline interfaces.
import { derivedId } from './derived-id.js';
import type { InterfaceRecord } from './interface-records.js';

type Json = Record<string, unknown>;

const keyOf = (device: string | null, name: string | null) => `${device}\u0000${name ?? ''}`;

/** The id an interface without one gets: from its device and name (or its place, unnamed). */
export const placeholderId = (r: InterfaceRecord) =>
  r.columns.name ? derivedId('interface', r.device, r.columns.name) : derivedId('interface', r.path);

export class InterfaceIndex {
  private readonly ids = new Set<string>();
  private readonly keys = new Set<string>();
  private readonly placeholders = new Map<string, InterfaceRecord>();

  /** Notes a device's inline list; answers the interfaces to write with the device (those with ids). */
  addSpecs(specs: InterfaceRecord[]): InterfaceRecord[] {
    const now: InterfaceRecord[] = [];
    for (const spec of specs) {
      const keys = [keyOf(spec.device, spec.columns.name), ...(spec.parentDevice ? [keyOf(spec.parentDevice, spec.columns.name)] : [])];
      for (const key of keys) this.keys.add(key);
      if (spec.id) {
        this.ids.add(spec.id);
        now.push(spec);
      } else {
        for (const key of keys) if (!this.placeholders.has(key)) this.placeholders.set(key, spec);
      }
    }
    return now;
  }

  /** The interface a top-level record gives, or null when it is derived from an inline one. */
  resolve(record: InterfaceRecord): InterfaceRecord | null {
    if (record.id && this.ids.has(record.id)) return null;
    const key = keyOf(record.device, record.columns.name);
    const placeholder = this.placeholders.get(key);
    if (placeholder) {
      this.drop(placeholder);
      return merged(record, placeholder);
    }
    if (this.keys.has(key)) return null;
    const properties = { ...record.columns.properties, 'cani.inline': false };
    return { ...record, id: record.id ?? placeholderId(record), columns: { ...record.columns, properties } };
  }

  /** The inline interfaces no record gave an id, with derived ids; the index forgets them. */
  drainPlaceholders(): InterfaceRecord[] {
    const left = [...new Set(this.placeholders.values())];
    this.placeholders.clear();
    return left.map((spec) => ({ ...spec, id: placeholderId(spec) }));
  }

  private drop(spec: InterfaceRecord): void {
    for (const [key, value] of this.placeholders) if (value === spec) this.placeholders.delete(key);
  }
}

/** An inline interface and the record that instantiates it: the record's id, the inline fields over the record's. */
function merged(record: InterfaceRecord, spec: InterfaceRecord): InterfaceRecord {
  const given = (value: unknown) => value !== null && value !== undefined;
  const columns = { ...spec.columns };
  for (const field of ['name', 'macAddress', 'description'] as const) if (!given(columns[field])) columns[field] = record.columns[field];
  columns.mgmtOnly = spec.columns.mgmtOnly || record.columns.mgmtOnly;
  columns.properties = { ...(record.columns.properties as Json), ...spec.columns.properties };
  return {
    ...spec,
    id: record.id ?? placeholderId(spec),
    kind: spec.kind ?? record.kind,
    xname: spec.xname ?? record.xname,
    columns,
  };
}
