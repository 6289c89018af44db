// SMD sysinfo/powermaps: which power supplies (xnames) feed a component. PCS reads them.
// Validation messages are SMD's (sm.NewPowerMap), without the per-endpoint prefix.
import type { Prisma } from '../../db/client.js';
import { parseXname } from '../../domain/xname.js';
import type { Change } from '../core/change-log.js';
import type { ServiceContext } from '../core/context.js';
import { write } from '../core/transaction.js';
import { SmdRuleError } from './component-queries.js';

export type PowerMapRow = Prisma.PowerMapGetPayload<object>;

export interface PowerMapInput {
  xname: string;
  poweredBy: string[];
}

export interface PowerMapView {
  xname: string;
  poweredBy: string[];
}

const ENTITY = 'PowerMap';

/**
 * SMD's NewPowerMap: the id and every poweredBy entry must be valid xnames (normalised here).
 * An empty poweredBy is refused by the caller with its own wording (SMD's text differs per route).
 */
function checkMap(input: PowerMapInput, field: string): PowerMapView {
  const parsed = parseXname(String(input.xname ?? ''));
  if (!parsed) throw new SmdRuleError(`xname ID '${input.xname ?? ''}' is invalid`, 'BAD_USER_INPUT', field);
  const poweredBy = input.poweredBy.map((raw) => {
    const supply = parseXname(String(raw));
    if (!supply) throw new SmdRuleError(`Power supply xname ID '${raw}' is invalid`, 'BAD_USER_INPUT', field);
    return supply.xname;
  });
  return { xname: parsed.xname, poweredBy };
}

export function powerMapView(row: PowerMapRow): PowerMapView {
  return { xname: row.xname, poweredBy: Array.isArray(row.poweredBy) ? (row.poweredBy as string[]) : [] };
}

/**
 * Creates or replaces power maps by xname; all or nothing (a repeated xname takes its last
 * entry). An entry without poweredBy throws SmdRuleError "poweredby is required" with field
 * `powerMaps.<i>.poweredBy`; an invalid xname one with field `powerMaps.<i>`.
 */
export async function upsertPowerMaps(ctx: ServiceContext, inputs: PowerMapInput[]): Promise<PowerMapView[]> {
  const checked = inputs.map((input, i) => {
    if (!Array.isArray(input.poweredBy) || input.poweredBy.length === 0) {
      throw new SmdRuleError('poweredby is required', 'BAD_USER_INPUT', `powerMaps.${i}.poweredBy`);
    }
    return checkMap(input, `powerMaps.${i}`);
  });
  const maps = [...new Map(checked.map((m) => [m.xname, m])).values()];
  if (maps.length === 0) return [];
  return write(ctx, async (tx) => {
    const befores = await tx.powerMap.findMany({ where: { xname: { in: maps.map((m) => m.xname) } } });
    const beforeOf = new Map(befores.map((row) => [row.xname, row]));
    const changes: Change[] = [];
    const fresh = maps.filter((m) => !beforeOf.has(m.xname));
    for (const m of maps.filter((m) => beforeOf.has(m.xname))) {
      const before = beforeOf.get(m.xname) as PowerMapRow;
      const after = await tx.powerMap.update({ where: { id: before.id }, data: { poweredBy: m.poweredBy } });
      changes.push({ entityType: ENTITY, entityId: after.id, action: 'updated', before, after });
    }
    if (fresh.length) {
      const rows = await tx.powerMap.createManyAndReturn({ data: fresh.map((m) => ({ xname: m.xname, poweredBy: m.poweredBy })) });
      for (const row of rows) changes.push({ entityType: ENTITY, entityId: row.id, action: 'created', after: row });
    }
    return { result: maps, changes };
  });
}

export async function listPowerMaps(ctx: ServiceContext): Promise<PowerMapView[]> {
  return (await ctx.db.powerMap.findMany({ orderBy: { xname: 'asc' } })).map(powerMapView);
}

/** SMD refuses an invalid xname on the single-map routes with "invalid xname". */
function requireValid(raw: string): string {
  const parsed = parseXname(raw);
  if (!parsed) throw new SmdRuleError('invalid xname');
  return parsed.xname;
}

export async function getPowerMap(ctx: ServiceContext, raw: string): Promise<PowerMapView | null> {
  const row = await ctx.db.powerMap.findUnique({ where: { xname: requireValid(raw) } });
  return row ? powerMapView(row) : null;
}

export async function deletePowerMap(ctx: ServiceContext, raw: string): Promise<boolean> {
  const xname = requireValid(raw);
  return write(ctx, async (tx) => {
    const before = await tx.powerMap.findUnique({ where: { xname } });
    if (!before) return { result: false, changes: [] };
    await tx.powerMap.delete({ where: { id: before.id } });
    return { result: true, changes: [{ entityType: ENTITY, entityId: before.id, action: 'deleted', before }] };
  });
}

export async function deleteAllPowerMaps(ctx: ServiceContext): Promise<number> {
  return write(ctx, async (tx) => {
    const befores = await tx.powerMap.findMany();
    if (befores.length) await tx.powerMap.deleteMany({ where: { id: { in: befores.map((b) => b.id) } } });
    return {
      result: befores.length,
      changes: befores.map((before): Change => ({ entityType: ENTITY, entityId: before.id, action: 'deleted', before })),
    };
  });
}
