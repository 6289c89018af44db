// Finding the live row a write refers to, or failing with NotFound naming the field.
import type { Tx } from '../../db/client.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';

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
  // biome-ignore lint/suspicious/noExplicitAny: one lookup for every model: Prisma's delegates share no callable type
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

/**
 * Conflict naming `field` when a live row other than `exceptId` matches `key`. Needed where
 * the database cannot refuse the duplicate itself: unique keys with a NULL part (a top-level
 * location's name) never collide, and a checked key gets a message naming the input field.
 */
export async function assertKeyFree(
  tx: Tx,
  model: LiveModel,
  key: Record<string, unknown>,
  exceptId: string | undefined,
  field: string,
  description: string,
): Promise<void> {
  const where = { ...key, deletedAt: null, ...(exceptId ? { id: { not: exceptId } } : {}) };
  // biome-ignore lint/suspicious/noExplicitAny: one lookup for every model: Prisma's delegates share no callable type
  const other = (await (tx[model] as any).findFirst({ where, select: { id: true } })) as { id: string } | null;
  if (other) throw new ConflictError(field, `${description} already exists (${ENTITY_NAMES[model]} ${other.id})`);
}

type XnameModel = 'component' | 'componentEndpoint';

const XNAME_ENTITY_NAMES: Record<XnameModel, string> = { component: 'Component', componentEndpoint: 'ComponentEndpoint' };

/** The live row with this (normalised) xname; NotFound naming the field when there is none. */
export async function findLiveByXname<M extends XnameModel>(tx: Tx, model: M, xname: string, field = 'xname') {
  // biome-ignore lint/suspicious/noExplicitAny: one lookup for every model: Prisma's delegates share no callable type
  const row = await (tx[model] as any).findFirst({ where: { xname, deletedAt: null } });
  if (!row) throw new NotFoundError(XNAME_ENTITY_NAMES[model], xname, field);
  return row as Awaited<ReturnType<Tx[M]['findUniqueOrThrow']>>;
}
