// Writing many cables in one transaction (an import's batch) in a few statements instead of
// several per cable, with the rules of cable-rules.ts: the interfaces their ends go on are
// checked for the whole list in two queries, then the cables and their ends are multi-row
// INSERTs. createCableIn is a list of one. An error names the item at fault through the
// caller's `itemError`.
import { randomUUID } from 'node:crypto';
import { createManyReturning, insertRows } from '../../db/bulk-insert.js';
import { engineOf, type Tx } from '../../db/client.js';
import type { Change } from '../core/change-log.js';
import { eachChecked, itemErrorAsIs } from '../core/item-error.js';
import { type CableCreateInput, type CableRow, checkCreate, ENTITY, type EndClaim, refuseBusyInterfaces } from './cable-rules.js';
import type { BulkOptions } from './device-bulk.js';

export interface NewCable {
  input: CableCreateInput;
  /** The id to give it; made here when absent. */
  id?: string;
}

/** The ends an input asks for, A then B. */
function endsOf(input: CableCreateInput, index: number): EndClaim[] {
  return [
    ...(input.aInterfaceId ? [{ index, end: 'A' as const, interfaceId: input.aInterfaceId, field: 'aInterfaceId' }] : []),
    ...(input.bInterfaceId ? [{ index, end: 'B' as const, interfaceId: input.bInterfaceId, field: 'bInterfaceId' }] : []),
  ];
}

/**
 * Creates the cables with their ends. Returns the rows in input order and their 'created'
 * changes for the caller to log.
 */
export async function createCablesIn(
  tx: Tx,
  items: NewCable[],
  { itemError = itemErrorAsIs }: BulkOptions = {},
): Promise<{ result: CableRow[]; changes: Change[] }> {
  if (items.length === 0) return { result: [], changes: [] };
  const fields = eachChecked(items, ({ input }) => checkCreate(input), itemError);
  const ids = items.map((item) => item.id ?? randomUUID());
  const claims = items.flatMap(({ input }, index) => endsOf(input, index));
  await refuseBusyInterfaces(tx, claims, itemError, (claim) => ids[claim.index]);
  const result = await createManyReturning<CableRow>(
    tx,
    'Cable',
    ids.map((id, i) => ({ properties: {}, ...fields[i], id })),
  );
  if (claims.length) {
    const rows = claims.map((c) => ({ id: randomUUID(), cableId: ids[c.index], end: c.end, interfaceId: c.interfaceId, live: true }));
    await insertRows(tx, engineOf(tx), 'CableTermination', rows, new Date());
  }
  const terminations = new Map<number, Array<{ end: string; interfaceId: string }>>();
  for (const { index, end, interfaceId } of claims) terminations.set(index, [...(terminations.get(index) ?? []), { end, interfaceId }]);
  return {
    result,
    changes: result.map((row, index) => ({
      entityType: ENTITY,
      entityId: row.id,
      action: 'created' as const,
      after: { ...row, terminations: terminations.get(index) ?? [] },
    })),
  };
}
