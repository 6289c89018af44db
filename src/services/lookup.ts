// Finding the live row a write refers to, or failing with NotFound naming the field.
import type { Tx } from '../db/client.js';
import { NotFoundError } from '../domain/errors.js';

type LiveModel = 'device' | 'location' | 'rack' | 'component' | 'interface' | 'cable' | 'group' | 'redfishEndpoint';

const ENTITY_NAMES: Record<LiveModel, string> = {
  device: 'Device',
  location: 'Location',
  rack: 'Rack',
  component: 'Component',
  interface: 'Interface',
  cable: 'Cable',
  group: 'Group',
  redfishEndpoint: 'RedfishEndpoint',
};

/** The row with this id, live or deleted; NotFound when there is none. */
export async function findAny<M extends LiveModel>(tx: Tx, model: M, id: string, field = 'id') {
  const row = await (tx[model] as any).findUnique({ where: { id } });
  if (!row) throw new NotFoundError(ENTITY_NAMES[model], id, field);
  return row as Awaited<ReturnType<Tx[M]['findUniqueOrThrow']>>;
}

/** The live row with this id; NotFound when there is none or it was deleted. */
export async function findLive<M extends LiveModel>(tx: Tx, model: M, id: string, field = 'id') {
  const row = await findAny(tx, model, id, field);
  if ((row as { deletedAt: Date | null }).deletedAt) throw new NotFoundError(ENTITY_NAMES[model], id, field);
  return row;
}

/** Soft-delete fields: the row disappears from live reads and frees its unique keys. */
export function softDeleted() {
  return { deletedAt: new Date(), live: null };
}

export function restored() {
  return { deletedAt: null, live: true };
}
