// What the records being applied refer to: the rows their UUIDs name (read a batch at a time),
// so a reference to a row that is not there yet can wait for the end of the file.
import { ValidationError } from '../../domain/errors.js';
import { findManyIn, type Tx } from '../../services/core/index.js';
import { missingTarget } from './errors.js';

export type Model = 'location' | 'rack' | 'device' | 'interface';

export interface Target {
  model: Model;
  live: boolean;
  /** Interfaces: their device, its parent and their name, to check a cable side that also names them. */
  deviceId?: string | null;
  deviceParentId?: string | null;
  name?: string | null;
}

export const MISSING = Symbol('missing');
export type Lookup = Target | null | typeof MISSING;

export const WHAT: Record<Model, string> = {
  location: 'location',
  rack: 'rack',
  device: 'device or module',
  interface: 'interface',
};

export class Targets {
  private readonly known = new Map<string, Target>();

  /** Which model each referenced id is a row of (one query per table). */
  async load(tx: Tx, references: Array<string | null>): Promise<void> {
    const ids = [...new Set(references.filter((id): id is string => Boolean(id) && !this.known.has(id as string)))];
    if (ids.length === 0) return;
    const select = ['id', 'deletedAt'] as const;
    for (const row of await findManyIn(tx, 'Location', 'id', ids, { select }))
      this.set(row.id, { model: 'location', live: row.deletedAt === null });
    for (const row of await findManyIn(tx, 'Rack', 'id', ids, { select }))
      this.set(row.id, { model: 'rack', live: row.deletedAt === null });
    for (const row of await findManyIn(tx, 'Device', 'id', ids, { select }))
      this.set(row.id, { model: 'device', live: row.deletedAt === null });
    const interfaces = await findManyIn(tx, 'Interface', 'id', ids, { select: [...select, 'deviceId', 'name'] });
    const owners = [...new Set(interfaces.flatMap((row) => (row.deviceId ? [row.deviceId] : [])))];
    const parents = new Map(
      (await findManyIn(tx, 'Device', 'id', owners, { select: ['id', 'parentId'] })).map((row) => [row.id, row.parentId]),
    );
    for (const row of interfaces) {
      this.set(row.id, {
        model: 'interface',
        live: row.deletedAt === null,
        deviceId: row.deviceId,
        deviceParentId: (row.deviceId && parents.get(row.deviceId)) ?? null,
        name: row.name,
      });
    }
  }

  set(id: string, target: Target): void {
    this.known.set(id, target);
  }

  get(id: string): Target | undefined {
    return this.known.get(id);
  }

  clear(): void {
    this.known.clear();
  }

  /** The live row `id` refers to (null: no reference; MISSING: not there yet). */
  lookup(id: string | null, models: Model[], path: string, field: string): Lookup {
    if (!id) return null;
    const target = this.known.get(id);
    if (!target) return MISSING;
    if (!models.includes(target.model)) {
      throw new ValidationError(
        `${path}.${field}`,
        `refers to ${id}, which is a ${target.model}, not a ${models.map((m) => WHAT[m]).join(' or ')}`,
      );
    }
    if (!target.live)
      throw new ValidationError(`${path}.${field}`, `refers to ${target.model} ${id}, which was deleted from the inventory`);
    return target;
  }

  /** As lookup, once the file is read: a reference to a row that is not there is an error. */
  required(id: string, models: Model[], path: string, field: string): Target {
    const target = this.lookup(id, models, path, field);
    if (target === MISSING || target === null) throw missingTarget(path, field, id, models.map((m) => WHAT[m]).join(' or '));
    return target;
  }
}
