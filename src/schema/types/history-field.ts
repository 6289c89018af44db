// `history` on any entity: its change-log events, newest first, batched across parents.

import type { BatchFetch } from '../../loaders/selection-loader.js';
import type { Db } from '../../services/core/index.js';
import { builder } from '../builder.js';
import { keysetFindMany } from '../keyset-connection.js';

type EventRow = { entityId: string };

function historyFetcher(db: Db, entityType: string, limit: number): BatchFetch<EventRow> {
  return async (ids, query) => {
    const rows = (await db.changeEvent.findMany({
      ...(query as object),
      where: { entityType, entityId: { in: [...ids] } },
      orderBy: { seq: 'desc' },
    })) as EventRow[];
    const grouped = new Map<string, EventRow[]>();
    for (const row of rows) {
      const list = grouped.get(row.entityId) ?? [];
      if (list.length < limit) list.push(row);
      grouped.set(row.entityId, list);
    }
    return grouped;
  };
}

export const HISTORY_LIMIT = 100;

// biome-ignore lint/suspicious/noExplicitAny: the field builder of any Prisma object type
export function historyField(t: any, entityType: string) {
  return t.prismaField({
    type: ['ChangeEvent'],
    description: `Change-log events for this ${entityType}, newest first.`,
    args: { last: t.arg.int({ defaultValue: HISTORY_LIMIT }) },
    resolve: (
      query: object,
      parent: { id: string },
      args: { last?: number | null },
      ctx: { db: Db; loaders: import('../../loaders/index.js').Loaders },
    ) => {
      const limit = Math.max(1, Math.min(args.last ?? HISTORY_LIMIT, 1000));
      return ctx.loaders.selections.load(`history:${entityType}:${limit}`, query, historyFetcher(ctx.db, entityType, limit), parent.id);
    },
  });
}

builder.prismaObject('ChangeEvent', {
  description: 'One write, as the change log recorded it: who, when, what, before and after.',
  fields: (t) => ({
    seq: t.exposeInt('seq', { description: 'Position in the log; a higher seq is a later change.' }),
    eventId: t.exposeString('eventId'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    actor: t.exposeString('actor', { nullable: true }),
    source: t.exposeString('source'),
    requestId: t.exposeString('requestId', { nullable: true }),
    entityType: t.exposeString('entityType'),
    entityId: t.exposeString('entityId'),
    action: t.exposeString('action'),
    before: t.expose('before', { type: 'JSON', nullable: true }),
    after: t.expose('after', { type: 'JSON', nullable: true }),
  }),
});

/** The connection's order, served by an index (test/server/query-plans.test.ts). */
const NEWEST_FIRST = [{ field: 'seq', desc: true }] as const;

builder.queryFields((t) => ({
  changes: t.prismaConnection({
    type: 'ChangeEvent',
    cursor: 'seq',
    description: 'The change log, newest first.',
    args: {
      entityType: t.arg.string({ required: false }),
      entityId: t.arg.string({ required: false }),
      since: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: (query, _root, args, ctx) =>
      keysetFindMany(ctx.db.changeEvent, {
        engine: ctx.engine,
        query,
        where: {
          ...(args.entityType ? { entityType: args.entityType } : {}),
          ...(args.entityId ? { entityId: args.entityId } : {}),
          ...(args.since ? { occurredAt: { gte: args.since } } : {}),
        },
        order: NEWEST_FIRST,
      }),
  }),
}));
