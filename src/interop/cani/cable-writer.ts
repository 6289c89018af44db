// Cables and their sides. A side is an interface named by UUID (checked against the device and
// port it may also name) or by device and port: an interface of that device, else — as cani's
// FindInterfaceIDByPort — one of its modules'. Inline interfaces are interfaces like any other.
// A batch of cables costs a few queries: the sides named by port looked up in two, the new
// cables created in one bulk write; an existing cable is written only where it differs.
import { ValidationError } from '../../domain/errors.js';
import type { Change, Prisma, Tx } from '../../services/core/index.js';
import { connectCableIn, createCablesIn, disconnectCableIn, updateCableIn } from '../../services/inventory/index.js';
import { combined, deletedRow, differences } from './changes.js';
import { forRecord, missingTarget, renamedFor } from './errors.js';
import type { CableEnd, CableRecord } from './records.js';
import { MISSING, type Targets } from './targets.js';

export type CableRow = Prisma.CableGetPayload<{ include: { terminations: true } }>;

const NAMES = { aInterfaceId: 'terminationA', bInterfaceId: 'terminationB', status: 'status' };
const SIDES = ['A', 'B'] as const;
type Side = (typeof SIDES)[number];

/** A side as far as it is known: an interface id, none (null), or a device's port still to look up. */
type Known = string | null | { deviceId: string; port: string };

/** A cable whose sides named by UUID are there; those named by port are looked up with its batch. */
export interface PreparedCable {
  record: CableRecord;
  sides: Record<Side, Known>;
  /** Taken once the file is read: a side still not there is an error, not a reason to wait. */
  final: boolean;
}

const portKey = (deviceId: string, port: string) => `${deviceId}\u0000${port}`;

export class CableWriter {
  constructor(
    private readonly tx: Tx,
    private readonly targets: Targets,
  ) {}

  /** The interface of a side named by UUID (checked now, its target loaded), or its port to look up. */
  private side(path: string, side: Side, end: CableEnd | null): Known | typeof MISSING {
    if (!end) return null;
    const field = `termination${side}`;
    if (!end.interfaceId) return { deviceId: end.deviceId as string, port: end.port as string };
    const target = this.targets.lookup(end.interfaceId, ['interface'], path, field);
    if (target === MISSING || target === null) return MISSING;
    // cani's derived records name a module's interface by the module's parent device.
    if (end.deviceId && target.deviceId !== end.deviceId && target.deviceParentId !== end.deviceId) {
      throw new ValidationError(
        `${path}.${field}Device`,
        `interface ${end.interfaceId} (${field}) belongs to ${target.deviceId ?? 'no device'}, not ${end.deviceId}`,
      );
    }
    if (end.port && target.name !== end.port) {
      throw new ValidationError(
        `${path}.${field}Port`,
        `interface ${end.interfaceId} (${field}) is named ${JSON.stringify(target.name)}, not ${JSON.stringify(end.port)}`,
      );
    }
    return end.interfaceId;
  }

  /**
   * The cable with its sides named by UUID checked; false while one of those is not there yet
   * (the record is held), or, once the file is read (`final`), an error naming that side.
   */
  prepare(r: CableRecord, final = false): PreparedCable | false {
    const sides = { A: null, B: null } as Record<Side, Known>;
    for (const side of SIDES) {
      const found = this.side(r.path, side, r.ends[side]);
      if (found !== MISSING) {
        sides[side] = found;
        continue;
      }
      if (!final) return false;
      throw missingTarget(r.path, `termination${side}`, r.ends[side]?.interfaceId as string, 'interface');
    }
    return { record: r, sides, final };
  }

  /** The interfaces of the sides named by device and port, by key: two queries for the batch. */
  private async ports(cables: PreparedCable[]): Promise<Map<string, string>> {
    const wanted = cables.flatMap((c) =>
      SIDES.map((s) => c.sides[s]).filter((k): k is { deviceId: string; port: string } => typeof k === 'object' && k !== null),
    );
    const found = new Map<string, string>();
    if (wanted.length === 0) return found;
    const devices = [...new Set(wanted.map((w) => w.deviceId))];
    const names = [...new Set(wanted.map((w) => w.port))];
    const own = await this.tx.interface.findMany({
      where: { deviceId: { in: devices }, name: { in: names }, deletedAt: null },
      select: { id: true, deviceId: true, name: true },
    });
    for (const i of own) found.set(portKey(i.deviceId as string, i.name as string), i.id);
    if (wanted.every((w) => found.has(portKey(w.deviceId, w.port)))) return found;
    const onModules = await this.tx.interface.findMany({
      where: { name: { in: names }, deletedAt: null, device: { parentId: { in: devices }, deletedAt: null } },
      select: { id: true, name: true, device: { select: { parentId: true, properties: true } } },
      orderBy: { id: 'asc' },
    });
    for (const i of onModules) {
      const key = portKey(i.device?.parentId as string, i.name as string);
      const isModule = (i.device?.properties as Record<string, unknown> | null)?.['cani.kind'] === 'module';
      if (isModule && !found.has(key)) found.set(key, i.id);
    }
    return found;
  }

  /**
   * Writes the prepared cables with their sides: the new ones in one bulk write, an existing one
   * where it differs. Answers each cable's changes, or false when a side named by port is not
   * there yet (the record is held); for a cable taken once the file was read, that is an error.
   */
  async applyAll(cables: PreparedCable[], rows: ReadonlyMap<string, CableRow>): Promise<Array<Change[] | false>> {
    const ports = await this.ports(cables);
    const out: Array<Change[] | false> = cables.map(() => false);
    const creates: Array<{ at: number; wanted: Record<Side, string | null> }> = [];
    for (const [at, { record: r, sides, final }] of cables.entries()) {
      const wanted = { A: null, B: null } as Record<Side, string | null>;
      let waiting = false;
      for (const side of SIDES) {
        const known = sides[side];
        if (typeof known === 'string' || known === null) wanted[side] = known;
        else if (ports.has(portKey(known.deviceId, known.port))) wanted[side] = ports.get(portKey(known.deviceId, known.port)) as string;
        else if (final)
          throw missingTarget(r.path, `termination${side}Port`, `port ${JSON.stringify(known.port)} of ${known.deviceId}`, 'interface');
        else waiting = true;
      }
      if (waiting) continue;
      const row = rows.get(r.id);
      if (!row) {
        creates.push({ at, wanted });
        continue;
      }
      out[at] = combined(
        await forRecord(r.path, NAMES, async () => {
          if (row.deletedAt) throw deletedRow(r.path, 'cable', r.id);
          const patch = differences(row, r.columns);
          const updated = patch ? (await updateCableIn(this.tx, r.id, patch)).changes : [];
          return [...updated, ...(await this.setEnds(r.path, row, wanted))];
        }),
      );
    }
    const { changes } = await createCablesIn(
      this.tx,
      creates.map(({ at, wanted }) => ({
        id: cables[at].record.id,
        input: { ...cables[at].record.columns, aInterfaceId: wanted.A, bInterfaceId: wanted.B },
      })),
      { itemError: (i, error) => renamedFor(error, cables[creates[i].at].record.path, NAMES) },
    );
    for (const [i, { at }] of creates.entries()) out[at] = [changes[i]];
    return out;
  }

  /** Moves the cable's sides to the wanted interfaces: disconnect what differs, then connect. */
  private async setEnds(path: string, row: CableRow, wanted: Record<Side, string | null>): Promise<Change[]> {
    const current = { A: null as string | null, B: null as string | null };
    for (const t of row.terminations) current[t.end as Side] = t.interfaceId;
    const changes: Change[] = [];
    for (const side of SIDES) {
      if (current[side] && current[side] !== wanted[side]) changes.push(...(await disconnectCableIn(this.tx, row.id, side)).changes);
    }
    for (const side of SIDES) {
      const interfaceId = wanted[side];
      if (!interfaceId || current[side] === interfaceId) continue;
      const names = { interfaceId: `termination${side}`, end: `termination${side}` };
      changes.push(...(await forRecord(path, names, async () => (await connectCableIn(this.tx, row.id, side, interfaceId)).changes)));
    }
    return changes;
  }
}
