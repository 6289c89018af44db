// The cani export format: the live inventory as a cani v1alpha6 document, written page by page
// (rows in id order, like cani's sorted maps), so memory does not grow with the inventory.
// Devices go to `devices`, `modules` or `frus` by the `cani.kind` they were imported with, each
// with its position, endpoint, memberships and inline interfaces (export-records.ts); the
// top-level `interfaces` map lists every interface of a device, as cani writes it; IP addresses
// of those interfaces go to `ipAddresses`. Interfaces without a device (SMD-only ones) have no
// place in cani and are left out.
import { once } from 'node:events';
import { isIP } from 'node:net';
import type { Writable } from 'node:stream';
import type { Db, Prisma } from '../../services/core/index.js';
import type { ExportFormat } from '../formats.js';
import { derivedId } from './derived-id.js';
import {
  cableRecord,
  type DeviceExtras,
  deviceRecord,
  type InterfaceRow,
  interfaceRecord,
  kindOf,
  locationRecord,
  rackRecord,
} from './export-records.js';
import { CURRENT_SCHEMA_VERSION, type DeviceKind, type Section } from './vocabulary.js';

type Json = Record<string, unknown>;
type DeviceRow = Prisma.DeviceGetPayload<object>;

const PAGE = 500;

/** Live rows in id order, a page at a time. */
async function* pages<T extends { id: string }>(fetch: (where: { id?: { gt: string } }) => Promise<T[]>): AsyncGenerator<T[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await fetch(after ? { id: { gt: after } } : {});
    if (rows.length) yield rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].id;
  }
}

/** The interface id of a cani IP record: one record per interface and address, the same in every export. */
const ipRecordId = (interfaceId: string, address: string) => derivedId('ip address', interfaceId, address);

/** Positions, endpoints, memberships and interfaces of one page of devices, by device id. */
async function extrasOf(db: Db, devices: DeviceRow[]): Promise<Map<string, DeviceExtras>> {
  const ids = devices.map((d) => d.id);
  const extras = new Map<string, DeviceExtras>(ids.map((id) => [id, {}]));
  const installed = await db.installation.findMany({
    where: { deviceId: { in: ids }, open: true, component: { deletedAt: null } },
    include: {
      component: {
        include: {
          memberships: { where: { live: true, group: { deletedAt: null } }, select: { group: { select: { name: true, kind: true } } } },
        },
      },
    },
  });
  const byXname = new Map<string, DeviceExtras>();
  for (const { deviceId, component } of installed) {
    const { memberships, ...position } = component;
    const entry = extras.get(deviceId) as DeviceExtras;
    // The NID is a BIGINT column (bigint here); JSON carries it as a number.
    entry.position = { ...position, nid: position.nid === null ? null : Number(position.nid) } as unknown as Json & { xname: string };
    const names = (kind: string) => memberships.filter((m) => m.group.kind === kind).map((m) => m.group.name);
    entry.groups = names('group').sort();
    entry.partition = names('partition')[0];
    byXname.set(component.xname, entry);
  }
  if (byXname.size) {
    const endpoints = await db.redfishEndpoint.findMany({
      where: { xname: { in: [...byXname.keys()] }, deletedAt: null },
      omit: { password: true },
    });
    for (const endpoint of endpoints) (byXname.get(endpoint.xname) as DeviceExtras).endpoint = endpoint as unknown as Json;
  }
  for (const row of await interfacesOf(db, { deviceId: { in: ids } })) {
    const entry = extras.get(row.deviceId as string) as DeviceExtras;
    entry.interfaces = [...(entry.interfaces ?? []), row];
  }
  return extras;
}

/** Live interfaces with their position's xname. */
async function interfacesOf(db: Db, where: Prisma.InterfaceWhereInput, page: { take?: number } = {}): Promise<InterfaceRow[]> {
  const rows = await db.interface.findMany({
    where: { ...where, deletedAt: null },
    include: { component: { select: { xname: true, deletedAt: true } } },
    orderBy: { id: 'asc' },
    ...page,
  });
  return rows.map(({ component, ...row }) => ({ ...row, position: component && !component.deletedAt ? component.xname : null }));
}

function devicePages(db: Db, kind: DeviceKind): AsyncGenerator<Json[]> {
  return (async function* () {
    for await (const rows of pages((where) =>
      db.device.findMany({ where: { ...where, deletedAt: null }, orderBy: { id: 'asc' }, take: PAGE }),
    )) {
      const kept = rows.filter((row) => kindOf(row) === kind);
      if (kept.length === 0) continue;
      const extras = await extrasOf(db, kept);
      yield kept.map((row) => deviceRecord(row, extras.get(row.id)));
    }
  })();
}

function ipRecord(row: { address: string; network: string | null; interfaceId: string }): Json {
  const version = isIP(row.address) === 6 ? 6 : 4;
  const mask = version === 6 ? 128 : 32;
  return {
    id: ipRecordId(row.interfaceId, row.address),
    host: row.address,
    maskLength: mask,
    address: `${row.address}/${mask}`,
    ipVersion: version,
    interfaces: [row.interfaceId],
    ...(row.network ? { providerMetadata: { csm: { network: row.network } } } : {}),
  };
}

async function* sectionPages(db: Db, section: Section): AsyncGenerator<Json[]> {
  const page = { orderBy: { id: 'asc' as const }, take: PAGE };
  const live = { deletedAt: null };
  switch (section) {
    case 'locations':
      for await (const rows of pages((where) => db.location.findMany({ where: { ...where, ...live }, ...page })))
        yield rows.map(locationRecord);
      return;
    case 'racks':
      for await (const rows of pages((where) => db.rack.findMany({ where: { ...where, ...live }, ...page }))) yield rows.map(rackRecord);
      return;
    case 'interfaces':
      for await (const rows of pages((where) => interfacesOf(db, { ...where, deviceId: { not: null } }, { take: PAGE })))
        yield rows.map(interfaceRecord);
      return;
    case 'ipAddresses':
      for await (const rows of pages((where) =>
        db.ipAddress.findMany({ where: { ...where, interface: { ...live, deviceId: { not: null } } }, ...page }),
      ))
        yield rows.map(ipRecord);
      return;
    case 'cables': {
      const include = { terminations: { include: { interface: { select: { deviceId: true, name: true } } } } };
      for await (const rows of pages((where) => db.cable.findMany({ where: { ...where, ...live }, include, ...page })))
        yield rows.map(cableRecord);
      return;
    }
    default:
      yield* devicePages(db, section === 'modules' ? 'module' : section === 'frus' ? 'fru' : 'device');
  }
}

const SECTION_ORDER: Section[] = ['locations', 'racks', 'devices', 'modules', 'cables', 'frus', 'interfaces', 'ipAddresses'];

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
