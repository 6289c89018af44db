// "It changed nothing": the row counts of the whole store before and after an action.
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { Prisma } from '../../src/generated/sqlite/client.js';

type ModelName = (typeof Prisma.ModelName)[keyof typeof Prisma.ModelName];
type Counter = { count(args?: { where?: { live: boolean } }): Promise<number> };

const delegate = (db: Db, model: ModelName) => db[(model.charAt(0).toLowerCase() + model.slice(1)) as keyof Db] as unknown as Counter;

/** Whether `model`'s rows carry `live` (true while not soft-deleted): a delete or restore changes only the live count. */
const hasLive = (model: ModelName) => 'live' in (Prisma[`${model}ScalarFieldEnum`] as Record<string, string>);

/**
 * Rows per table, every table of the model, and live rows where the table has soft deletes.
 * Every write adds a change-log event, so equal counts mean nothing was written.
 */
export async function storeCounts(db: Db): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.values(Prisma.ModelName).flatMap((model) => {
      const rows = delegate(db, model);
      const counts: Array<Promise<[string, number]>> = [rows.count().then((n) => [model, n])];
      if (hasLive(model)) counts.push(rows.count({ where: { live: true } }).then((n) => [`${model} (live)`, n]));
      return counts;
    }),
  );
  return Object.fromEntries(entries);
}

/** Runs `act` and expects it to have changed no row count and logged no change; answers what `act` answered. */
export async function expectNothingChanged<T>(db: Db, act: () => Promise<T>): Promise<T> {
  const before = await storeCounts(db);
  const result = await act();
  expect(await storeCounts(db)).toEqual(before);
  return result;
}
