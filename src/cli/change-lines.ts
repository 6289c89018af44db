// One line per change for a dry run's diff: "+" created, "-" deleted, "~" anything else, the
// entity by its xname or name when it has one (then its UUID), with the fields whose values differ:
//   + Device ncn-m001 (36000007-0000-4000-8000-000000000007) created
//   ~ Component x1000c0s0b0n0 (4c3d…) updated: state: "On" -> "Ready"

import { changeName, summarizeChange } from '../interop/change-summary.js';
import type { Change } from '../services/core/index.js';

const cut = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text);
const short = (value: unknown) => cut(JSON.stringify(value ?? null));
/** A name as it reads, control characters escaped (one line per change). */
const bare = (name: string) => cut(JSON.stringify(name).slice(1, -1));

export function changeLine(change: Change): string {
  const { entityType, entityId, action, fields } = summarizeChange(change);
  const mark = action === 'created' ? '+' : action === 'deleted' ? '-' : '~';
  const name = changeName(change);
  const entity = name ? `${bare(name)} (${entityId})` : entityId;
  const head = `${mark} ${entityType} ${entity} ${action}`;
  return fields.length ? `${head}: ${fields.map((f) => `${f.field}: ${short(f.from)} -> ${short(f.to)}`).join('; ')}` : head;
}
