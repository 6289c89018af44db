// PostgreSQL's plans while an import runs. The adapter prepares a statement once it repeats
// (pg-adapter.ts), and after five runs PostgreSQL may keep one generic plan for it. An import
// grows its tables from nothing inside one transaction, so a generic plan chosen while a table
// was small (a sequential scan) stays in use when it is large, and a scan comparing every row
// with a parameter array has no hash to use: reading 2,000 components by xname took 1–2.6 s a
// statement by the end of a 10,000-node cani import (21 s in all), against milliseconds with a
// plan made for the list at hand. For the import's transaction only, every statement is planned
// for its own parameters; the setting ends with the transaction.
import { engineOf, type Tx } from './client.js';

export async function planForEachRunDuringImport(tx: Tx): Promise<void> {
  if (engineOf(tx) !== 'postgresql') return;
  await tx.$executeRawUnsafe('SET LOCAL plan_cache_mode = force_custom_plan');
}
