// One interface (its id settled: interface-index.ts) through the interface services: created,
// or given the fields that differ. A position named in providerMetadata.csm.xname becomes the
// interface's SMD position; one no device of the file holds is created (an empty position).
import { ValidationError } from '../../domain/errors.js';
import { parseXname } from '../../domain/xname.js';
import type { Change, Prisma, Tx } from '../../services/core/index.js';
import { createInterfaceIn, updateInterfaceIn } from '../../services/inventory/index.js';
import { syncComponentIn } from '../../services/smd/index.js';
import { deletedRow, differences } from './changes.js';
import { type FieldNames, forRecord } from './errors.js';
import type { InterfaceRecord } from './interface-records.js';
import { withoutPosition } from './provider-metadata.js';

type InterfaceRow = Prisma.InterfaceGetPayload<object>;
type Json = Record<string, unknown>;

const POSITION_FIELD = 'providerMetadata.csm.xname';
const NAMES: Record<InterfaceRecord['source'], FieldNames> = {
  record: { kind: 'interfaceType', xname: POSITION_FIELD, deviceId: 'deviceId' },
  spec: { kind: 'type', mgmtOnly: 'mgmt_only', xname: POSITION_FIELD },
};

/** The live position `xname` names, created when there is none. */
async function positionOf(tx: Tx, r: InterfaceRecord, xname: string, changes: Change[]): Promise<{ id: string; xname: string }> {
  const parsed = parseXname(xname);
  if (!parsed)
    throw new ValidationError(
      `${r.path}.${POSITION_FIELD}`,
      `must be an xname such as x1000c0s0b0n0 (got ${JSON.stringify(xname.slice(0, 40))})`,
    );
  const live = await tx.component.findFirst({ where: { xname: parsed.xname, deletedAt: null }, select: { id: true, xname: true } });
  if (live) return live;
  const created = await forRecord(r.path, { xname: POSITION_FIELD }, () => syncComponentIn(tx, { xname: parsed.xname }));
  changes.push(...created.changes);
  return created.result;
}

export async function writeInterface(tx: Tx, r: InterfaceRecord & { id: string }, row: InterfaceRow | undefined): Promise<Change[]> {
  const changes: Change[] = [];
  const position = r.xname ? await positionOf(tx, r, r.xname, changes) : null;
  let properties = r.columns.properties;
  if (position) {
    const { 'cani.provider_metadata': pm, ...rest } = properties as Json;
    const kept = withoutPosition(pm, position.xname);
    properties = kept ? { ...rest, 'cani.provider_metadata': kept } : rest;
  }
  const desired = { ...r.columns, properties, deviceId: r.device, ...(r.kind ? { kind: r.kind } : {}) };
  const written = await forRecord(r.path, NAMES[r.source], async () => {
    if (!row)
      return (
        await createInterfaceIn(
          tx,
          { ...desired, kind: r.kind ?? 'ethernet', ...(position ? { xname: position.xname } : {}) },
          { id: r.id },
        )
      ).changes;
    if (row.deletedAt) throw deletedRow(r.path, 'interface', r.id);
    const patch = differences(row, desired);
    const moved = position && row.componentId !== position.id ? { xname: position.xname } : null;
    return patch || moved ? (await updateInterfaceIn(tx, r.id, { ...patch, ...moved })).changes : [];
  });
  return [...changes, ...written];
}

/** Interfaces of a batch (ids settled), with the rows already there by id; changes per interface, in order. */
export async function writeInterfaces(
  tx: Tx,
  specs: Array<InterfaceRecord & { id: string }>,
  rows: ReadonlyMap<string, InterfaceRow>,
): Promise<Change[][]> {
  const changes: Change[][] = [];
  for (const spec of specs) changes.push(await writeInterface(tx, spec, rows.get(spec.id)));
  return changes;
}
