// Putting devices into positions (Installation rows), one or thousands in one transaction in
// a constant number of statements: the positions, devices and open installations of the whole
// list are read in three queries, the list is played through in memory in order (whatever sat
// in a position leaves it, a device leaves wherever it was, installing a device where it
// already is changes nothing), then the installations it ended are closed in one UPDATE and
// the new ones inserted in one multi-row INSERT, each in its final state.
import { randomUUID } from 'node:crypto';
import { insertRows } from '../../db/bulk-insert.js';
import { engineOf, type Prisma, type Tx } from '../../db/client.js';
import { findManyIn } from '../../db/where-in.js';
import { NotFoundError } from '../../domain/errors.js';
import { requireXname } from '../../domain/smd-names.js';
import { requireText } from '../../domain/validate.js';
import type { Change } from '../core/change-log.js';
import { eachChecked, type ItemError, itemErrorAsIs } from '../core/item-error.js';
import { withNumberNid } from './nid.js';

type InstallationRow = Prisma.InstallationGetPayload<object>;
type ComponentRow = ReturnType<typeof withNumberNid<Prisma.ComponentGetPayload<object>>>;

const ENTITY = 'Component';

export interface DeviceInstall {
  /** The position. */
  xname: string;
  deviceId: string;
}

export interface InstallOptions {
  /** Who installs: the change source recorded on the Installation row. */
  source?: string;
  now?: Date;
  itemError?: ItemError;
}

/** Each item's position (its component row) and the changes installing it made, in input order. */
export async function installDevicesIn(
  tx: Tx,
  items: DeviceInstall[],
  { source = 'api', now = new Date(), itemError = itemErrorAsIs }: InstallOptions = {},
): Promise<Array<{ result: ComponentRow; changes: Change[] }>> {
  if (items.length === 0) return [];
  const origin = requireText(source, 'source', 64);
  const keys = eachChecked(items, (item) => requireXname(item.xname, 'xname').xname, itemError);
  const components = new Map((await findManyIn(tx, 'Component', 'xname', [...new Set(keys)], { live: true })).map((c) => [c.xname, c]));
  const deviceIds = [...new Set(items.map((item) => item.deviceId))];
  const devices = new Set((await findManyIn(tx, 'Device', 'id', deviceIds, { select: ['id'], live: true })).map((d) => d.id));
  const positions = keys.map((key, i) => {
    const component = components.get(key);
    if (!component) throw itemError(i, new NotFoundError('Component', key, 'xname'));
    if (!devices.has(items[i].deviceId)) throw itemError(i, new NotFoundError('Device', items[i].deviceId, 'deviceId'));
    return component;
  });
  const open = new Map(
    (
      await tx.installation.findMany({
        where: { open: true, OR: [{ componentId: { in: positions.map((c) => c.id) } }, { deviceId: { in: deviceIds } }] },
      })
    ).map((row) => [row.id, row]),
  );

  const stored = new Set(open.keys());
  const closed: string[] = [];
  const created = new Map<string, InstallationRow>();
  const results = items.map(({ deviceId }, i) => {
    const component = positions[i];
    const result = withNumberNid(component);
    const current = [...open.values()].find((row) => row.componentId === component.id);
    if (current?.deviceId === deviceId) return { result, changes: [] };
    const changes: Change[] = [];
    for (const before of [...open.values()].filter((row) => row.componentId === component.id || row.deviceId === deviceId)) {
      open.delete(before.id);
      const after = { ...before, open: null, removedAt: now };
      if (stored.has(before.id)) closed.push(before.id);
      else created.set(before.id, after);
      changes.push({ entityType: ENTITY, entityId: before.componentId, action: 'removed', before, after });
    }
    const installation: InstallationRow = {
      id: randomUUID(),
      deviceId,
      componentId: component.id,
      installedAt: now,
      removedAt: null,
      source: origin,
      open: true,
    };
    open.set(installation.id, installation);
    created.set(installation.id, installation);
    changes.push({ entityType: ENTITY, entityId: component.id, action: 'installed', after: installation });
    return { result, changes };
  });
  // Closed first: the (componentId, open) and (deviceId, open) keys are free before the new rows take them.
  if (closed.length) await tx.installation.updateMany({ where: { id: { in: closed } }, data: { open: null, removedAt: now } });
  if (created.size) await insertRows(tx, engineOf(tx), 'Installation', [...created.values()], now);
  return results;
}
