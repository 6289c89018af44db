// Group and partition memberships, as the devices' providerMetadata.csm gives them for their
// positions (`groups`: labels; `partition`: a name or null). Applied once the whole file is
// read: for each position that says, its memberships of that kind become exactly those (a group
// or partition not in the inventory yet is created); positions the file says nothing about keep
// theirs. Through syncGroupIn, in two passes — leaving, then joining — so a position moving
// between two groups of one exclusive set, or two partitions, never sits in both.
import { InventoryError, ValidationError } from '../../domain/errors.js';
import type { Change, Tx } from '../../services/core/index.js';
import { syncGroupIn } from '../../services/smd/index.js';
import type { Memberships } from './positions.js';

type Kind = 'group' | 'partition';

/** syncGroupIn, its errors naming the group and the provider-metadata key the memberships came from. */
async function sync(tx: Tx, kind: Kind, name: string, members: Set<string>): Promise<Change[]> {
  try {
    return (await syncGroupIn(tx, { kind, name, members: [...members].sort() })).changes;
  } catch (error) {
    if (!(error instanceof InventoryError)) throw error;
    const field = `providerMetadata.csm.${kind === 'group' ? 'groups' : 'partition'}`;
    throw new InventoryError(error.code, `${field}: ${kind} ${name}: ${error.message}`, field);
  }
}

const label = (name: string) => name.trim().toLowerCase();

/** The wanted names of `kind` per xname, for the positions that give them. */
function wantedOf(memberships: Map<string, Memberships>, kind: Kind): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  for (const [xname, m] of memberships) {
    if (kind === 'group' && m.groups !== undefined) wanted.set(xname, new Set(m.groups.map(label)));
    if (kind === 'partition' && m.partition !== undefined) wanted.set(xname, new Set(m.partition ? [label(m.partition)] : []));
  }
  return wanted;
}

/** Every live group of `kind` that has or will have one of the positions, with its members now. */
async function groupsTouched(tx: Tx, kind: Kind, wanted: Map<string, Set<string>>) {
  const names = new Set([...wanted.values()].flatMap((set) => [...set]));
  const groups = await tx.group.findMany({
    where: {
      kind,
      deletedAt: null,
      OR: [{ name: { in: [...names] } }, { members: { some: { live: true, component: { xname: { in: [...wanted.keys()] } } } } }],
    },
    select: {
      name: true,
      members: { where: { live: true, componentId: { not: null } }, select: { component: { select: { xname: true } } } },
    },
  });
  const members = new Map(groups.map((g) => [g.name, new Set(g.members.map((m) => m.component?.xname as string))]));
  const existing = new Set(members.keys());
  for (const name of names) if (!members.has(name)) members.set(name, new Set());
  return { members, existing };
}

async function applyKind(tx: Tx, kind: Kind, memberships: Map<string, Memberships>): Promise<Change[]> {
  const wanted = wantedOf(memberships, kind);
  if (wanted.size === 0) return [];
  if (kind === 'partition') {
    const many = [...wanted].find(([, names]) => names.size > 1);
    if (many) throw new ValidationError('providerMetadata.csm.partition', `${many[0]} is given two partitions`);
  }
  const { members: current, existing } = await groupsTouched(tx, kind, wanted);
  const changes: Change[] = [];
  const joining: Array<{ name: string; kept: Set<string>; final: Set<string> }> = [];
  for (const [name, members] of current) {
    const kept = new Set([...members].filter((xname) => !wanted.has(xname) || wanted.get(xname)?.has(name)));
    const final = new Set([...kept, ...[...wanted].filter(([, names]) => names.has(name)).map(([xname]) => xname)]);
    // First pass: who leaves (the group exists, since it has members to lose).
    if (kept.size < members.size) changes.push(...(await sync(tx, kind, name, kept)));
    joining.push({ name, kept, final });
  }
  for (const { name, kept, final } of joining) {
    if (existing.has(name) && final.size === kept.size) continue;
    changes.push(...(await sync(tx, kind, name, final)));
  }
  return changes;
}

/** Applies the memberships the file gives; their changes. */
export async function applyMemberships(tx: Tx, memberships: Map<string, Memberships>): Promise<Change[]> {
  return [...(await applyKind(tx, 'partition', memberships)), ...(await applyKind(tx, 'group', memberships))];
}
