// Subscription.deviceChanged: committed Device changes, live, filtered by subtree and type.
// Fed by the change feed (services/core/change-feed.ts): on PostgreSQL a subscriber sees writes
// made through any replica.
import { filter as keep, pipe } from 'graphql-yoga';
import { ancestorIds, type ChangeNotice, type Db, subscribeChanges } from '../../services/core/index.js';
import { builder } from '../builder.js';
import { rowId } from '../ids.js';

const DeviceChangeRef = builder.objectRef<ChangeNotice>('DeviceChange').implement({
  description: 'A committed write to a device, as the change log recorded it.',
  fields: (t) => ({
    seq: t.int({ nullable: true, description: 'Change-log position, when known.', resolve: (n) => n.seq }),
    action: t.exposeString('action', { description: 'created, updated, moved, deleted, restored …' }),
    entityType: t.exposeString('entityType'),
    entityId: t.exposeString('entityId', { description: 'The device UUID.' }),
    device: t.prismaField({
      type: 'Device',
      nullable: true,
      description: 'The device as it is now; null once it is deleted.',
      resolve: (query, n, _args, ctx) => ctx.db.device.findFirst({ ...query, where: { id: n.entityId, deletedAt: null } }),
    }),
  }),
});

interface DeviceFilter {
  subtreeOf?: string;
  deviceTypes?: Set<string>;
}

async function matches(db: Db, notice: ChangeNotice, filter: DeviceFilter): Promise<boolean> {
  if (notice.entityType !== 'Device') return false;
  if (filter.deviceTypes) {
    const row = await db.device.findUnique({ where: { id: notice.entityId }, select: { deviceType: true } });
    if (!row || !filter.deviceTypes.has(row.deviceType)) return false;
  }
  // Deleted devices keep their parent link, so a removal still shows in its old subtree.
  return !filter.subtreeOf || (await ancestorIds(db, 'device', notice.entityId)).includes(filter.subtreeOf);
}

const deviceChanges = (db: Db, filter: DeviceFilter) =>
  pipe(
    subscribeChanges(db),
    keep((notice: ChangeNotice) => matches(db, notice, filter)),
  );

builder.subscriptionField('deviceChanged', (t) =>
  t.field({
    type: DeviceChangeRef,
    description: 'Device writes as they commit: of the device subtreeOf or any descendant, of the given device types.',
    args: {
      subtreeOf: t.arg.id({ required: false, description: 'A device (global id or UUID): only it and its descendants.' }),
      deviceType: t.arg.stringList({ required: false }),
    },
    subscribe: (_root, args, ctx) =>
      deviceChanges(ctx.db, {
        subtreeOf: args.subtreeOf == null ? undefined : rowId(String(args.subtreeOf), 'Device', 'subtreeOf'),
        deviceTypes: args.deviceType ? new Set(args.deviceType) : undefined,
      }),
    resolve: (notice) => notice,
  }),
);
