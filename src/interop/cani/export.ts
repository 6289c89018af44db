// The cani export format: the live inventory as a cani v1alpha6 document, written page by page
// (rows in id order, like cani's sorted maps), so memory does not grow with the inventory.
// Devices go to `devices`, `modules` or `frus` by the `cani.kind` they were imported with;
// interfaces without a device (SMD-only ones) have no place in cani and are left out.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Db, Prisma } from '../../services/core/index.js';
import type { ExportFormat } from '../formats.js';
import { fieldsFromProperties, isUnset } from './fields.js';
import { CURRENT_SCHEMA_VERSION, caniTypeOf, type DeviceKind, type Section } from './vocabulary.js';

type Json = Record<string, unknown>;

const PAGE = 500;

/**
 * The record: its own fields first, then the fields kept in properties (its own win), then
 * customFields; unset values left out (cani's omitempty).
 */
function compact(own: Json, { fields, customFields }: { fields: Json; customFields: Json }): Json {
  const record = {
    ...own,
    ...Object.fromEntries(Object.entries(fields).filter(([key]) => !(key in own))),
    customFields,
  };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => !isUnset(value)));
}

function locationRecord(row: Prisma.LocationGetPayload<object>): Json {
  const props = fieldsFromProperties(row.properties);
  const { managed } = props;
  return compact(
    {
      id: row.id,
      name: row.name,
      slug: row.slug,
      locationType: managed.location_type ?? row.locationType,
      parent: row.parentId,
      description: row.description,
    },
    props,
  );
}

function rackRecord(row: Prisma.RackGetPayload<object>): Json {
  const props = fieldsFromProperties(row.properties);
  return compact(
    {
      id: row.id,
      name: row.name,
      uHeight: row.uHeight,
      location: row.locationId,
      status: row.status,
      serial: row.serial,
      assetTag: row.assetTag,
    },
    props,
  );
}

const kindOf = (row: { properties: unknown }): DeviceKind =>
  ((row.properties as Json | null)?.['cani.kind'] as DeviceKind | undefined) ?? 'device';

function deviceRecord(row: Prisma.DeviceGetPayload<object>): Json {
  const props = fieldsFromProperties(row.properties);
  const { managed } = props;
  const kind = kindOf(row);
  const link =
    kind === 'module'
      ? { parentDevice: row.parentId }
      : kind === 'fru'
        ? {
            [managed.fru_link === 'parent' ? 'parent' : 'device']: row.parentId,
          }
        : { parent: row.parentId ?? row.rackId, rack: row.parentId ? row.rackId : null };
  return compact(
    {
      id: row.id,
      name: row.name,
      type: caniTypeOf(row.deviceType),
      manufacturer: row.manufacturer,
      model: row.model,
      partNumber: row.partNumber,
      serial: row.serialNumber,
      assetTag: row.assetTag,
      description: row.description,
      status: row.status,
      role: row.role,
      ...link,
      rackPosition: row.rackPosition ?? managed.rack_position,
      face: row.rackFace ?? managed.face,
      location: row.locationId,
      providerMetadata: row.providerMetadata,
      externalIDs: row.externalIds,
    },
    props,
  );
}

function interfaceRecord(row: Prisma.InterfaceGetPayload<object>): Json {
  const props = fieldsFromProperties(row.properties);
  return compact(
    {
      id: row.id,
      name: row.name,
      deviceId: row.deviceId,
      mgmtOnly: row.mgmtOnly || undefined,
      macAddress: row.macAddress,
      description: row.description,
    },
    props,
  );
}

type CableRow = Prisma.CableGetPayload<{
  include: {
    terminations: {
      include: { interface: { select: { deviceId: true; name: true } } };
    };
  };
}>;

function cableRecord(row: CableRow): Json {
  const props = fieldsFromProperties(row.properties);
  const sides: Json = {};
  for (const t of row.terminations) {
    sides[`termination${t.end}`] = t.interfaceId;
    sides[`termination${t.end}Device`] = t.interface.deviceId;
    sides[`termination${t.end}Port`] = t.interface.name;
  }
  return compact(
    {
      id: row.id,
      label: row.label,
      cableType: row.cableType,
      status: row.status,
      color: row.color,
      length: row.length,
      lengthUnit: row.lengthUnit,
      ...sides,
    },
    props,
  );
}

/** Live rows in id order, a page at a time. */
async function* pages<T extends { id: string }>(
  fetch: (where: { deletedAt: null; id?: { gt: string } }) => Promise<T[]>,
): AsyncGenerator<T[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await fetch({
      deletedAt: null,
      ...(after ? { id: { gt: after } } : {}),
    });
    if (rows.length) yield rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].id;
  }
}

function sectionPages(db: Db, section: Section): AsyncGenerator<Json[]> {
  const page = { orderBy: { id: 'asc' as const }, take: PAGE };
  const mapped = async function* <T extends { id: string }>(source: AsyncGenerator<T[]>, toRecord: (row: T) => Json | null) {
    for await (const rows of source) yield rows.map(toRecord).filter((r): r is Json => r !== null);
  };
  switch (section) {
    case 'locations':
      return mapped(
        pages((where) => db.location.findMany({ where, ...page })),
        locationRecord,
      );
    case 'racks':
      return mapped(
        pages((where) => db.rack.findMany({ where, ...page })),
        rackRecord,
      );
    case 'interfaces':
      return mapped(
        pages((where) => db.interface.findMany({ where, ...page })),
        (row) => (row.deviceId ? interfaceRecord(row) : null),
      );
    case 'cables': {
      const include = {
        terminations: {
          include: { interface: { select: { deviceId: true, name: true } } },
        },
      };
      return mapped(
        pages((where) => db.cable.findMany({ where, include, ...page })),
        cableRecord,
      );
    }
    default: {
      const kind: DeviceKind = section === 'modules' ? 'module' : section === 'frus' ? 'fru' : 'device';
      return mapped(
        pages((where) => db.device.findMany({ where, ...page })),
        (row) => (kindOf(row) === kind ? deviceRecord(row) : null),
      );
    }
  }
}

const SECTION_ORDER: Section[] = ['locations', 'racks', 'devices', 'modules', 'cables', 'frus', 'interfaces'];

/** Writes `text`, waiting for the stream to drain when its buffer is full. */
async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

const indented = (json: string) => json.replace(/\n/g, '\n    ');

async function writeCani(db: Db, out: Writable): Promise<void> {
  await put(out, `{\n  "schemaVersion": ${JSON.stringify(CURRENT_SCHEMA_VERSION)}`);
  for (const section of SECTION_ORDER) {
    await put(out, `,\n  ${JSON.stringify(section)}: {`);
    let first = true;
    for await (const records of sectionPages(db, section)) {
      if (!records.length) continue;
      const text = records.map((r) => `\n    ${JSON.stringify(r.id)}: ${indented(JSON.stringify(r, null, 2))}`).join(',');
      await put(out, (first ? '' : ',') + text);
      first = false;
    }
    await put(out, first ? '}' : '\n  }');
  }
  await put(out, '\n}\n');
}

export const caniExport: ExportFormat = {
  name: 'cani',
  summary: `Cray-HPE/cani inventory JSON, schema ${CURRENT_SCHEMA_VERSION}`,
  write: writeCani,
};
