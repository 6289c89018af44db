// RFD 112's Operation resource: a long-running task's status. Scans and approvals finish
// within their request, so their operations are stored already done.
import type { Prisma, Tx } from '../../db/client.js';
import { NotFoundError } from '../../domain/errors.js';
import { type ReadSource, readerOf } from '../inventory/interface-queries.js';

const TYPE_PREFIX = 'type.googleapis.com/openchami.collection.v1.';
const NAME_PREFIX = 'operations/';

export interface OperationView {
  name: string;
  done: boolean;
  metadata: unknown;
  result?: unknown;
}

type OperationRow = { id: string; done: boolean; metadata: unknown; result: unknown };

export function operationView(row: OperationRow): OperationView {
  return { name: `${NAME_PREFIX}${row.id}`, done: row.done, metadata: row.metadata, ...(row.result == null ? {} : { result: row.result }) };
}

/** Records a finished operation whose response is `response`. */
export function recordFinishedOperation(
  tx: Tx,
  id: string,
  kind: string,
  metadataType: string,
  response: Prisma.InputJsonObject,
  startTime: Date,
) {
  const now = new Date().toISOString();
  return tx.operation.create({
    data: {
      id,
      kind,
      done: true,
      metadata: { '@type': `${TYPE_PREFIX}${metadataType}`, startTime: startTime.toISOString(), progressPercent: 100, lastUpdateTime: now },
      result: { response },
    },
  });
}

/** The operation named `id` ("scan-…" or "operations/scan-…"). */
export async function findOperation(source: ReadSource, id: string): Promise<OperationView> {
  const bare = id.startsWith(NAME_PREFIX) ? id.slice(NAME_PREFIX.length) : id;
  const row = await readerOf(source).operation.findUnique({ where: { id: bare } });
  if (!row) throw new NotFoundError('Operation', id);
  return operationView(row);
}
