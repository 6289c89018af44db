// The cost of a GraphQL operation: about the most rows its answer can hold on this store,
// counted before anything runs (src/schema/plugins/limits.ts refuses it above --max-cost).
// Each list counts its rows over all its parents, not per parent, so nested lists are
// weighed by what the store holds rather than multiplied by a guessed fan-out:
//   - a connection or paged list: its page size (first/last, else the default) per parent;
//     `devices` at most the live devices of the types its filter names;
//   - `children`: the most children one device has, per parent, and never more than all
//     live devices (every device has one parent);
//   - `descendants(maxDepth: k)`: the largest k levels below any one device, per parent, and
//     never more than k × all live devices (a device is below at most k of the parents);
//   - `ancestors`: the tree's height per parent;
//   - other lists: LIST_ROWS per parent; a single object: one row per parent.
// The tree's numbers come from TreeProfile (services/core/tree-profile-queries.ts).
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { TreeProfile } from '../services/core/index.js';

/** Rows assumed per parent for a list that has no page size and no store bound (interfaces, groups …). */
export const LIST_ROWS = 10;
/** The GraphQL type of the device tree's rows. */
const DEVICE = 'Device';

export interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  /** The request's coerced variables. */
  variables: Record<string, unknown>;
  profile: TreeProfile;
  defaultPageSize: number;
}

type Args = Record<string, unknown>;

const number = (value: unknown, fallback: number) => (typeof value === 'number' && value >= 0 ? value : fallback);

/** The node type of a connection type (its edges' `node`), if it is one. */
function connectionNode(type: GraphQLNamedType): GraphQLNamedType | undefined {
  if (!isObjectType(type)) return undefined;
  const edges = type.getFields().edges;
  const edge = edges && getNamedType(edges.type);
  const node = edge && isObjectType(edge) ? edge.getFields().node : undefined;
  return node ? getNamedType(node.type) : undefined;
}

/** Live devices of the types a `devices` filter names (all of them without one). */
function devicesOfFilter(profile: TreeProfile, args: Args): number {
  const types = (args.filter as { deviceType?: unknown } | undefined)?.deviceType;
  if (!Array.isArray(types) || types.length === 0) return profile.devices;
  const wanted = new Set(types.map((t) => String(t).toLowerCase()));
  return Object.entries(profile.devicesByType).reduce((sum, [type, n]) => sum + (wanted.has(type.toLowerCase()) ? n : 0), 0);
}

/** The rows a field holds over all its `parents`, and whether it is a connection (its rows are its edges). */
function fieldRows(
  field: GraphQLField<unknown, unknown>,
  args: Args,
  parents: number,
  input: CostInput,
): { rows: number; connection: boolean } {
  const { profile } = input;
  const named = getNamedType(field.type);
  const list = isListType(getNullableType(field.type));
  const paged = field.args.some((a) => a.name === 'first' || a.name === 'last');
  const tree = (list ? named : connectionNode(named))?.name === DEVICE;
  if (paged) {
    let page = number(args.first ?? args.last, input.defaultPageSize);
    if (tree) page = Math.min(page, field.name === 'devices' ? devicesOfFilter(profile, args) : profile.maxChildren);
    const rows = parents * page;
    return { rows: tree && field.name !== 'devices' ? Math.min(rows, profile.devices) : rows, connection: !list };
  }
  if (!list) return { rows: parents, connection: false };
  if (tree && field.args.some((a) => a.name === 'maxDepth')) {
    const height = Math.max(1, profile.height);
    const levels = Math.min(Math.max(1, number(args.maxDepth, height)), height);
    const perParent = profile.subtreeRows[levels - 1] ?? 0;
    return { rows: Math.min(parents * perParent, levels * profile.devices), connection: false };
  }
  if (tree && field.name === 'children') return { rows: Math.min(parents * profile.maxChildren, profile.devices), connection: false };
  if (tree && field.name === 'ancestors') return { rows: parents * profile.height, connection: false };
  return { rows: parents * LIST_ROWS, connection: false };
}

/** The cost of the operation: the rows of every list and object it selects, over all their parents. */
export function operationRows(input: CostInput): number {
  const { schema, fragments, variables } = input;
  const visiting = new Set<string>();

  const selectionRows = (selectionSet: SelectionSetNode, type: GraphQLNamedType, parents: number, edgesRows?: number): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? type) : type;
        total += selectionRows(selection.selectionSet, on, parents, edgesRows);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        if (!fragment || visiting.has(fragment.name.value)) continue; // validation reports both
        visiting.add(fragment.name.value);
        const on = schema.getType(fragment.typeCondition.name.value) ?? type;
        total += selectionRows(fragment.selectionSet, on, parents, edgesRows);
        visiting.delete(fragment.name.value);
      } else {
        total += fieldCost(selection, type, parents, edgesRows);
      }
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parentType: GraphQLNamedType, parents: number, edgesRows?: number): number => {
    // Introspection is small; a union has no fields of its own (its fragments are counted).
    if (node.name.value.startsWith('__') || !(isObjectType(parentType) || isInterfaceType(parentType))) return 0;
    const field = parentType.getFields()[node.name.value];
    if (!field || isLeafType(getNamedType(field.type)) || !node.selectionSet) return 0;
    const named = getNamedType(field.type);
    // Inside a connection: its edges are its rows, already counted; an edge's node is its row.
    if (edgesRows !== undefined && isListType(getNullableType(field.type)) && field.args.length === 0 && named.name.endsWith('Edge'))
      return selectionRows(node.selectionSet, named, edgesRows);
    if (parentType.name.endsWith('Edge') && node.name.value === 'node') return selectionRows(node.selectionSet, named, parents);
    let args: Args = {};
    try {
      args = getArgumentValues(field, node, variables);
    } catch {
      // validation and execution report bad arguments
    }
    const { rows, connection } = fieldRows(field, args, parents, input);
    if (connection) return rows + selectionRows(node.selectionSet, named, parents, rows);
    return rows + selectionRows(node.selectionSet, named, rows);
  };

  const roots = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() };
  const root = roots[input.operation.operation];
  return root ? selectionRows(input.operation.selectionSet, root, 1) : 0;
}
