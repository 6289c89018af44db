// Interfaces (their ids settled: interface-index.ts) through the interface services, a batch at
// a time: new ones created together, existing ones given the fields that differ. A position
// named in providerMetadata.csm.xname becomes the interface's SMD position; one no device of
// the file holds is created (an empty position). A few queries per batch, whatever its size.
import { ValidationError } from '../../domain/errors.js';
import { parseXname } from '../../domain/xname.js';
import { type Change, findManyIn, type Prisma, type Tx } from '../../services/core/index.js';
import { createInterfacesIn, type InterfaceInput, updateInterfacesIn } from '../../services/inventory/index.js';
import { syncComponentsIn } from '../../services/smd/index.js';
import { deletedRow, differences } from './changes.js';
import { type FieldNames, listItemError, renamedFor } from './errors.js';
import type { InterfaceRecord } from './interface-records.js';
import { withoutPosition } from './provider-metadata.js';

type InterfaceRow = Prisma.InterfaceGetPayload<object>;
type Json = Record<string, unknown>;
type Spec = InterfaceRecord & { id: string };

const POSITION_FIELD = 'providerMetadata.csm.xname';
/** The list name the bulk component writer's errors carry, mapped back to records. */
const LIST = 'positions';
const NAMES: Record<InterfaceRecord['source'], FieldNames> = {
  record: { kind: 'interfaceType', xname: POSITION_FIELD, deviceId: 'deviceId' },
  spec: { kind: 'type', mgmtOnly: 'mgmt_only', xname: POSITION_FIELD },
};

/**
 * The live positions the specs name, by xname (one query); one that is not there is created,
 * its change filed with the first spec naming it (in `changes`, by spec index).
 */
async function positionsOf(tx: Tx, specs: Spec[], changes: Change[][]): Promise<Map<string, string>> {
  const xnames = specs.map((r) => {
    if (!r.xname) return null;
    const parsed = parseXname(r.xname);
    if (!parsed)
      throw new ValidationError(
        `${r.path}.${POSITION_FIELD}`,
        `must be an xname such as x1000c0s0b0n0 (got ${JSON.stringify(r.xname.slice(0, 40))})`,
      );
    return parsed.xname;
  });
  const wanted = [...new Set(xnames.filter((x): x is string => x !== null))];
  if (wanted.length === 0) return new Map();
  const live = await findManyIn(tx, 'Component', 'xname', wanted, { select: ['id', 'xname'], live: true });
  const positions = new Map(live.map((c) => [c.xname, c.id]));
  // A position no device of the file holds is made empty, all of the batch's in one write (the first spec naming it files the change).
  const firstNaming = new Map<string, number>();
  for (const [i, xname] of xnames.entries())
    if (xname !== null && !positions.has(xname) && !firstNaming.has(xname)) firstNaming.set(xname, i);
  const missing = [...firstNaming.entries()];
  const created = await syncComponentsIn(
    tx,
    missing.map(([xname]) => ({ xname })),
    LIST,
  ).catch((error) => {
    throw listItemError(error, LIST, (k) => specs[missing[k][1]].path, { xname: POSITION_FIELD });
  });
  for (const [k, [xname, i]] of missing.entries()) {
    changes[i].push(...created[k].changes);
    positions.set(xname, created[k].result.id);
  }
  return positions;
}

/**
 * Interfaces of a batch (ids settled), with the rows already there by id: one bulk write for
 * the new ones and one for those that differ. Changes per interface, in order.
 */
export async function writeInterfaces(tx: Tx, specs: Spec[], rows: ReadonlyMap<string, InterfaceRow>): Promise<Change[][]> {
  const changes: Change[][] = specs.map(() => []);
  if (specs.length === 0) return changes;
  const positions = await positionsOf(tx, specs, changes);
  const creates: Array<{ at: number; input: InterfaceInput }> = [];
  const updates: Array<{ at: number; input: InterfaceInput }> = [];
  for (const [at, r] of specs.entries()) {
    const xname = r.xname ? (parseXname(r.xname)?.xname as string) : null;
    let properties = r.columns.properties;
    if (xname) {
      const { 'cani.provider_metadata': pm, ...rest } = properties as Json;
      const kept = withoutPosition(pm, xname);
      properties = kept ? { ...rest, 'cani.provider_metadata': kept } : rest;
    }
    const desired = { ...r.columns, properties, deviceId: r.device, ...(r.kind ? { kind: r.kind } : {}) };
    const row = rows.get(r.id);
    if (!row) {
      creates.push({ at, input: { ...desired, kind: r.kind ?? 'ethernet', ...(xname ? { xname } : {}) } });
      continue;
    }
    if (row.deletedAt) throw deletedRow(r.path, 'interface', r.id);
    const patch = differences(row, desired);
    const moved = xname && row.componentId !== positions.get(xname) ? { xname } : null;
    if (patch || moved) updates.push({ at, input: { ...patch, ...moved } });
  }
  const itemError = (list: Array<{ at: number }>) => (i: number, error: unknown) =>
    renamedFor(error, specs[list[i].at].path, NAMES[specs[list[i].at].source]);
  // Updates first: an interface that gives up a MAC or name frees it for a new one.
  const updated = await updateInterfacesIn(
    tx,
    updates.map(({ at, input }) => ({ id: specs[at].id, input })),
    { itemError: itemError(updates) },
  );
  const created = await createInterfacesIn(
    tx,
    creates.map(({ at, input }) => ({ id: specs[at].id, input })),
    { itemError: itemError(creates) },
  );
  for (const [i, { at }] of updates.entries()) changes[at].push(updated.changes[i]);
  for (const [i, { at }] of creates.entries()) changes[at].push(created.changes[i]);
  return changes;
}
