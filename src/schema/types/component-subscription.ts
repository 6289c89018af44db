// Subscription.componentChanged: committed writes to SMD components (state, flag, role …), live —
// what a dashboard of node states needs (deviceChanged carries devices only). Fed by the same change
// feed as deviceChanged: on PostgreSQL a subscriber sees writes made through any replica.
import { filter as keep, pipe } from 'graphql-yoga';
import { type ChangeNotice, subscribeChanges } from '../../services/core/index.js';
import { builder } from '../builder.js';

const ComponentChangeRef = builder.objectRef<ChangeNotice>('ComponentChange').implement({
  description: 'A committed write to an SMD component, as the change log recorded it.',
  fields: (t) => ({
    seq: t.int({ nullable: true, description: 'Change-log position, when known.', resolve: (n) => n.seq }),
    action: t.exposeString('action', { description: 'created, updated, deleted, restored …' }),
    entityId: t.exposeString('entityId', { description: 'The component UUID.' }),
    component: t.prismaField({
      type: 'Component',
      nullable: true,
      description: 'The component as it is now; null once it is deleted.',
      resolve: (query, n, _args, ctx) => ctx.db.component.findFirst({ ...query, where: { id: n.entityId, deletedAt: null } }),
    }),
  }),
});

builder.subscriptionField('componentChanged', (t) =>
  t.field({
    type: ComponentChangeRef,
    description: 'SMD component writes as they commit (state and flag changes included), optionally of the given HMS types.',
    args: { type: t.arg.stringList({ required: false, description: 'HMS types (Node, NodeBMC …); omit for all.' }) },
    subscribe: (_root, args, ctx) => {
      const types = args.type ? new Set(args.type) : undefined;
      return pipe(
        subscribeChanges(ctx.db),
        keep(async (notice: ChangeNotice) => {
          if (notice.entityType !== 'Component') return false;
          if (!types) return true;
          const row = await ctx.db.component.findUnique({ where: { id: notice.entityId }, select: { type: true } });
          return row !== null && types.has(row.type);
        }),
      );
    },
    resolve: (notice) => notice,
  }),
);
