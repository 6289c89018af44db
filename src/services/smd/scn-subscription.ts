// SMD Subscriptions/SCN: state-change-notification subscriptions, stored and listed; the
// notifications themselves are sent by scn-delivery.ts. Rules and messages are SMD's (doPostSCNSubscription & co.).
import type { Prisma } from '../../db/client.js';
import { componentRoles, componentSubRoles } from '../../domain/site-roles.js';
import { COMPONENT_STATES } from '../../domain/vocabulary.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { write } from '../core/transaction.js';
import { SmdRuleError } from './component-queries.js';

type SubscriptionRow = Prisma.ScnSubscriptionGetPayload<object>;

/** The trigger fields; values are stored as given (SMD validates but does not normalise them). */
export interface ScnTriggers {
  enabled?: boolean | null;
  roles?: string[] | null;
  subRoles?: string[] | null;
  softwareStatus?: string[] | null;
  states?: string[] | null;
}

export interface ScnSubscriptionInput extends ScnTriggers {
  subscriber?: string | null;
  url?: string | null;
}

export interface ScnSubscriptionView {
  id: number;
  subscriber: string;
  url: string;
  enabled: boolean | null;
  roles: string[];
  subRoles: string[];
  softwareStatus: string[];
  states: string[];
}

const ENTITY = 'ScnSubscription';
const PATCH_OPS = ['add', 'remove', 'replace'] as const;
type PatchOp = (typeof PATCH_OPS)[number];

const known = (values: readonly string[], value: string) => values.some((v) => v.toLowerCase() === value.toLowerCase());
const list = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);

function view(row: SubscriptionRow): ScnSubscriptionView {
  return {
    id: row.id,
    subscriber: row.subscriber,
    url: row.url,
    enabled: row.enabled,
    roles: list(row.roles),
    subRoles: list(row.subRoles),
    softwareStatus: list(row.softwareStatus),
    states: list(row.states),
  };
}

/** SMD's trigger checks; false when no trigger is set (the caller words that error). */
function checkTriggers(t: ScnTriggers): boolean {
  let found = t.enabled === true;
  for (const role of t.roles ?? []) if (!known(componentRoles(), role)) throw new SmdRuleError(`Invalid role '${role}'`);
  for (const subRole of t.subRoles ?? []) if (!known(componentSubRoles(), subRole)) throw new SmdRuleError(`Invalid subRole '${subRole}'`);
  for (const status of t.softwareStatus ?? []) if (status === '') throw new SmdRuleError('SoftwareStatus can not be an empty string');
  for (const state of t.states ?? []) if (!known(COMPONENT_STATES, state)) throw new SmdRuleError(`Invalid state '${state}'`);
  found ||= [t.roles, t.subRoles, t.softwareStatus, t.states].some((values) => (values?.length ?? 0) > 0);
  return found;
}

function checkSubscription(input: ScnSubscriptionInput) {
  if (!input.subscriber) throw new SmdRuleError('Missing name of subscriber');
  if (!input.url) throw new SmdRuleError('Missing url');
  if (!checkTriggers(input)) {
    throw new SmdRuleError('Missing trigger. Must subscribe to atleast one Enabled, Role, SubRole, SoftwareStatus, or State trigger.');
  }
  return {
    subscriber: input.subscriber,
    url: input.url,
    enabled: input.enabled ?? null,
    roles: input.roles ?? [],
    subRoles: input.subRoles ?? [],
    softwareStatus: input.softwareStatus ?? [],
    states: input.states ?? [],
  };
}

/** SMD's id rule: a base-10 integer ≥ 1, else "Invalid id - <raw>". */
export function parseSubscriptionId(raw: string): number {
  const id = /^[+-]?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw new SmdRuleError(`Invalid id - ${raw}`);
  return id;
}

const notFound = () => new SmdRuleError('Subscription not found', 'NOT_FOUND');

export async function listScnSubscriptions(ctx: ServiceContext): Promise<ScnSubscriptionView[]> {
  return (await ctx.db.scnSubscription.findMany({ orderBy: { id: 'asc' } })).map(view);
}

export async function getScnSubscription(ctx: ServiceContext, rawId: string): Promise<ScnSubscriptionView> {
  const row = await ctx.db.scnSubscription.findUnique({ where: { id: parseSubscriptionId(rawId) } });
  if (!row) throw notFound();
  return view(row);
}

/** Creates a subscription; the same Subscriber and Url again replaces that one (SMD's behaviour). */
export async function createScnSubscription(ctx: ServiceContext, input: ScnSubscriptionInput): Promise<ScnSubscriptionView> {
  const data = checkSubscription(input);
  return write(ctx, async (tx) => {
    const before = await tx.scnSubscription.findUnique({ where: { subscriber_url: { subscriber: data.subscriber, url: data.url } } });
    const after = before ? await tx.scnSubscription.update({ where: { id: before.id }, data }) : await tx.scnSubscription.create({ data });
    const change: Change = {
      entityType: ENTITY,
      entityId: String(after.id),
      action: before ? 'updated' : 'created',
      before: before ?? undefined,
      after,
    };
    return { result: view(after), changes: [change] };
  });
}

/** Replaces a subscription entirely (PUT); NOT_FOUND "Subscription not found". */
export async function replaceScnSubscription(
  ctx: ServiceContext,
  rawId: string,
  input: ScnSubscriptionInput,
): Promise<ScnSubscriptionView> {
  const id = parseSubscriptionId(rawId);
  const data = checkSubscription(input);
  return write(ctx, async (tx) => {
    const before = await tx.scnSubscription.findUnique({ where: { id } });
    if (!before) throw notFound();
    const clash = await tx.scnSubscription.findFirst({
      where: { subscriber: data.subscriber, url: data.url, id: { not: id } },
      select: { id: true },
    });
    if (clash) throw new SmdRuleError('Subscription update failed');
    const after = await tx.scnSubscription.update({ where: { id }, data });
    return { result: view(after), changes: [{ entityType: ENTITY, entityId: String(id), action: 'updated', before, after }] };
  });
}

/**
 * SMD's PATCH: `add` appends values not yet present (Enabled only false → true), `remove` drops
 * the values given (Enabled: true turns it off), `replace` replaces each list given and Enabled.
 */
export async function patchScnSubscription(
  ctx: ServiceContext,
  rawId: string,
  op: string | null | undefined,
  patch: ScnTriggers,
): Promise<ScnSubscriptionView> {
  const id = parseSubscriptionId(rawId);
  if (!op) throw new SmdRuleError('Missing Patch Op');
  const operation = PATCH_OPS.find((o) => o === op.toLowerCase()) as PatchOp | undefined;
  if (!operation) throw new SmdRuleError(`Invalid Patch Op - ${op}`);
  if (!checkTriggers(patch)) {
    throw new SmdRuleError(
      'Missing trigger. Subscriptions must have atleast one Enabled, Role, SubRole, SoftwareStatus, or State trigger.',
    );
  }
  return write(ctx, async (tx) => {
    const before = await tx.scnSubscription.findUnique({ where: { id } });
    if (!before) throw notFound();
    const current = view(before);
    const lists = ['roles', 'subRoles', 'softwareStatus', 'states'] as const;
    let enabled = current.enabled;
    const next: Record<(typeof lists)[number], string[]> = {
      roles: current.roles,
      subRoles: current.subRoles,
      softwareStatus: current.softwareStatus,
      states: current.states,
    };
    for (const key of lists) {
      const given = patch[key] ?? [];
      if (operation === 'add') next[key] = [...next[key], ...given.filter((v, i) => !next[key].includes(v) && given.indexOf(v) === i)];
      else if (operation === 'remove') next[key] = next[key].filter((v) => !given.includes(v));
      else if (given.length) next[key] = given;
    }
    if (operation === 'add' && patch.enabled === true && enabled === false) enabled = true;
    if (operation === 'remove' && patch.enabled === true && enabled === true) enabled = false;
    if (operation === 'replace' && patch.enabled != null) enabled = patch.enabled;
    const after = await tx.scnSubscription.update({ where: { id }, data: { ...next, enabled } });
    return { result: view(after), changes: [{ entityType: ENTITY, entityId: String(id), action: 'updated', before, after }] };
  });
}

export async function deleteScnSubscription(ctx: ServiceContext, rawId: string): Promise<void> {
  const id = parseSubscriptionId(rawId);
  await write(ctx, async (tx) => {
    const before = await tx.scnSubscription.findUnique({ where: { id } });
    if (!before) throw notFound();
    await tx.scnSubscription.delete({ where: { id } });
    return { result: undefined, changes: [{ entityType: ENTITY, entityId: String(id), action: 'deleted', before }] };
  });
}

export async function deleteAllScnSubscriptions(ctx: ServiceContext): Promise<number> {
  return write(ctx, async (tx) => {
    const befores = await tx.scnSubscription.findMany();
    if (befores.length) await tx.scnSubscription.deleteMany({ where: { id: { in: befores.map((b) => b.id) } } });
    return {
      result: befores.length,
      changes: befores.map((before): Change => ({ entityType: ENTITY, entityId: String(before.id), action: 'deleted', before })),
    };
  });
}
