// The History API in GraphQL: snapshots, the device inventory as of a time, and diffs between
// two points (a snapshot id or a time), with the REST API's semantics (services/history/history.ts).
import {
  devicesAsOf,
  diffInventory,
  type FieldChange,
  type HistoryPoint,
  type InventoryDiff,
  listSnapshots,
} from '../../services/history/index.js';
import { builder } from '../builder.js';

const SnapshotRef = builder.prismaObject('Snapshot', {
  description: 'A named point in the change log; the device inventory at it is rebuilt from the log.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    seq: t.exposeInt('seq', { description: 'The highest change-log seq the snapshot includes.' }),
    takenAt: t.expose('takenAt', { type: 'DateTime' }),
    pinned: t.exposeBoolean('pinned', { description: 'Pinned snapshots survive retention and keep their state reconstructible.' }),
  }),
});

const HistoryPointRef = builder.objectRef<HistoryPoint>('HistoryPoint').implement({
  description: 'One end of a diff: a snapshot, or the change log as it stood at a time.',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    snapshot: t.field({ type: SnapshotRef, nullable: true, resolve: (point) => point.snapshot }),
    time: t.expose('time', { type: 'DateTime', nullable: true }),
  }),
});

const FieldChangeRef = builder.objectRef<FieldChange>('InventoryFieldChange').implement({
  fields: (t) => ({
    field: t.exposeString('field'),
    from: t.expose('from', { type: 'JSON', nullable: true }),
    to: t.expose('to', { type: 'JSON', nullable: true }),
  }),
});

const DeviceChangeRef = builder.objectRef<InventoryDiff['changed'][number]>('InventoryDeviceChange').implement({
  fields: (t) => ({
    id: t.exposeString('id', { description: 'The device UUID.' }),
    changes: t.field({ type: [FieldChangeRef], resolve: (change) => change.changes }),
  }),
});

const InventoryDiffRef = builder.objectRef<InventoryDiff>('InventoryDiff').implement({
  description: 'Devices added, removed and changed (field by field, updatedAt and revision aside) between two points.',
  fields: (t) => ({
    from: t.field({ type: HistoryPointRef, resolve: (diff) => diff.from }),
    to: t.field({ type: HistoryPointRef, resolve: (diff) => diff.to }),
    added: t.field({ type: ['JSON'], resolve: (diff) => diff.added }),
    removed: t.field({ type: ['JSON'], resolve: (diff) => diff.removed }),
    changed: t.field({ type: [DeviceChangeRef], resolve: (diff) => diff.changed }),
  }),
});

builder.queryFields((t) => ({
  snapshots: t.field({
    type: [SnapshotRef],
    description: 'Every snapshot, oldest first.',
    resolve: (_root, _args, ctx) => listSnapshots(ctx.service),
  }),
  inventoryDiff: t.field({
    type: InventoryDiffRef,
    args: {
      from: t.arg.string({ required: true, description: 'A snapshot id or an RFC 3339 time.' }),
      to: t.arg.string({ required: true, description: 'A snapshot id or an RFC 3339 time.' }),
    },
    resolve: (_root, args, ctx) => diffInventory(ctx.service, args.from, args.to),
  }),
  devicesAsOf: t.field({
    type: ['JSON'],
    description: 'Every live device as the change log recorded it at `time` (its row as JSON), by id.',
    args: { time: t.arg({ type: 'DateTime', required: true }) },
    resolve: (_root, args, ctx) => devicesAsOf(ctx.service, args.time),
  }),
}));
