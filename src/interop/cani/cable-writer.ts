// Cables and their sides. A side is an interface named by UUID (checked against the device and
// port it may also name) or by device and port: an interface of that device, else — as cani's
// FindInterfaceIDByPort — one of its modules'. Inline interfaces are interfaces like any other.
import { ValidationError } from '../../domain/errors.js';
import type { Change, Prisma, Tx } from '../../services/core/index.js';
import { connectCableIn, createCableIn, disconnectCableIn, updateCableIn } from '../../services/inventory/index.js';
import { combined, deletedRow, differences } from './changes.js';
import { forRecord, missingTarget } from './errors.js';
import type { CableEnd, CableRecord } from './records.js';
import { MISSING, type Targets } from './targets.js';

type CableRow = Prisma.CableGetPayload<{ include: { terminations: true } }>;

const NAMES = { aInterfaceId: 'terminationA', bInterfaceId: 'terminationB', status: 'status' };

export class CableWriter {
  constructor(
    private readonly tx: Tx,
    private readonly targets: Targets,
  ) {}

  /** The interface of one side (null: no side; MISSING: not there yet). */
  private async endInterface(path: string, side: 'A' | 'B', end: CableEnd | null): Promise<string | null | typeof MISSING> {
    if (!end) return null;
    const field = `termination${side}`;
    if (end.interfaceId) {
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
    const own = await this.tx.interface.findFirst({
      where: { deviceId: end.deviceId, name: end.port, deletedAt: null },
      select: { id: true },
    });
    if (own) return own.id;
    const onModules = await this.tx.interface.findMany({
      where: { name: end.port, deletedAt: null, device: { parentId: end.deviceId, deletedAt: null } },
      select: { id: true, device: { select: { properties: true } } },
      orderBy: { id: 'asc' },
    });
    const module = onModules.find((i) => (i.device?.properties as Record<string, unknown> | null)?.['cani.kind'] === 'module');
    return module?.id ?? MISSING;
  }

  /**
   * Writes the cable with its sides; false when a side's interface is not there yet (the record
   * is held), or, once the file is read (`final`), an error naming that side. Answers the changes.
   */
  async apply(r: CableRecord, row: CableRow | undefined, final = false): Promise<Change[] | false> {
    const wanted = { A: null as string | null, B: null as string | null };
    for (const side of ['A', 'B'] as const) {
      const end = r.ends[side];
      const found = await this.endInterface(r.path, side, end);
      if (found !== MISSING) {
        wanted[side] = found;
        continue;
      }
      if (!final) return false;
      const what = end?.interfaceId ? end.interfaceId : `port ${JSON.stringify(end?.port)} of ${end?.deviceId}`;
      throw missingTarget(r.path, end?.interfaceId ? `termination${side}` : `termination${side}Port`, what, 'interface');
    }
    const changes = await forRecord(r.path, NAMES, async () => {
      if (!row)
        return (await createCableIn(this.tx, { ...r.columns, aInterfaceId: wanted.A, bInterfaceId: wanted.B }, { id: r.id })).changes;
      if (row.deletedAt) throw deletedRow(r.path, 'cable', r.id);
      const patch = differences(row, r.columns);
      const updated = patch ? (await updateCableIn(this.tx, r.id, patch)).changes : [];
      return [...updated, ...(await this.setEnds(r.path, row, wanted))];
    });
    return combined(changes);
  }

  /** Moves the cable's sides to the wanted interfaces: disconnect what differs, then connect. */
  private async setEnds(path: string, row: CableRow, wanted: { A: string | null; B: string | null }): Promise<Change[]> {
    const current = { A: null as string | null, B: null as string | null };
    for (const t of row.terminations) current[t.end as 'A' | 'B'] = t.interfaceId;
    const changes: Change[] = [];
    for (const side of ['A', 'B'] as const) {
      if (current[side] && current[side] !== wanted[side]) changes.push(...(await disconnectCableIn(this.tx, row.id, side)).changes);
    }
    for (const side of ['A', 'B'] as const) {
      const interfaceId = wanted[side];
      if (!interfaceId || current[side] === interfaceId) continue;
      const names = { interfaceId: `termination${side}`, end: `termination${side}` };
      changes.push(...(await forRecord(path, names, async () => (await connectCableIn(this.tx, row.id, side, interfaceId)).changes)));
    }
    return changes;
  }
}
