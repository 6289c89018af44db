// A GraphQL query document as a read plan: per response key, the SQL-answerable field it asks
// for (fields.ts), with fragments and repeated keys merged as GraphQL execution merges them.
// Planned once per document; NotCompilable, with the reason, when any part of it is not a
// compiled field (another root field, cursors or pageInfo, directives such as @include, an
// unknown field …), in which case the resolvers answer the whole document.
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isNonNullType,
  isObjectType,
  Kind,
  type NamedTypeNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { COMPILED_TYPES, type FieldSql, type RootSql } from './fields.js';
import { NotCompilable } from './not-compilable.js';

/** PostgreSQL truncates longer identifiers, and response keys become column aliases. */
const MAX_KEY_LENGTH = 63;

export type PlannedField =
  | { key: string; kind: 'typename'; typeName: string }
  | { key: string; kind: 'field'; sql: Exclude<FieldSql, { kind: 'list' | 'object' }>; typeName: string }
  | { key: string; kind: 'relation'; sql: Extract<FieldSql, { kind: 'list' | 'object' }>; selection: PlannedField[] }
  // Connection parts: `totalCount`, `edges`, and an edge's `node`.
  | { key: string; kind: 'totalCount' }
  | { key: string; kind: 'edges'; selection: PlannedField[] }
  | { key: string; kind: 'node'; selection: PlannedField[] };

export type PlannedRoot =
  | { key: string; kind: 'typename'; typeName: string }
  | {
      key: string;
      kind: 'root';
      sql: RootSql;
      field: GraphQLField<unknown, unknown>;
      node: FieldNode;
      nullable: boolean;
      selection: PlannedField[];
    };

export interface ReadPlan {
  operation: OperationDefinitionNode;
  roots: PlannedRoot[];
}

interface Planner {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
}

/** Response key → the field nodes selected under it, in first-seen order (GraphQL's CollectFields). */
function collectFields(
  planner: Planner,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  into = new Map<string, FieldNode[]>(),
  seen = new Set<string>(),
) {
  const applies = (condition: NamedTypeNode | undefined) => {
    if (!condition || condition.name.value === type.name) return true;
    const conditionType = planner.schema.getType(condition.name.value);
    return !!conditionType && isAbstractType(conditionType) && planner.schema.isSubType(conditionType, type);
  };
  for (const selection of selectionSet.selections) {
    if (selection.directives?.length) throw new NotCompilable(`directive @${selection.directives[0]?.name.value}`);
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (key.length > MAX_KEY_LENGTH) throw new NotCompilable(`response key longer than ${MAX_KEY_LENGTH} characters`);
      into.set(key, [...(into.get(key) ?? []), selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(selection.typeCondition)) collectFields(planner, type, selection.selectionSet, into, seen);
    } else {
      const name = selection.name.value;
      const fragment = planner.fragments.get(name);
      if (!fragment || fragment.directives?.length) throw new NotCompilable(`fragment ${name} with a directive`);
      if (seen.has(name) || !applies(fragment.typeCondition)) continue;
      seen.add(name);
      collectFields(planner, type, fragment.selectionSet, into, seen);
    }
  }
  return into;
}

/** The merged sub-selection of the nodes of one response key, collected on `type`. */
function subFields(planner: Planner, type: GraphQLObjectType, nodes: FieldNode[]) {
  const into = new Map<string, FieldNode[]>();
  const seen = new Set<string>();
  for (const node of nodes) if (node.selectionSet) collectFields(planner, type, node.selectionSet, into, seen);
  return into;
}

function objectType(_planner: Planner, field: GraphQLField<unknown, unknown> | undefined, expected?: string): GraphQLObjectType {
  const type = field && getNamedType(field.type);
  if (!type || !isObjectType(type) || (expected && type.name !== expected)) throw new NotCompilable(`type of ${field?.name}`);
  return type;
}

function planObject(planner: Planner, type: GraphQLObjectType, nodes: FieldNode[]): PlannedField[] {
  const table = COMPILED_TYPES[type.name];
  if (!table) throw new NotCompilable(`type ${type.name}`);
  return [...subFields(planner, type, nodes)].map(([key, fieldNodes]): PlannedField => {
    const name = fieldNodes[0]?.name.value as string;
    if (name === '__typename') return { key, kind: 'typename', typeName: type.name };
    const sql = table.fields[name];
    if (!sql) throw new NotCompilable(`${type.name}.${name}`);
    if (sql.kind === 'column' || sql.kind === 'globalId') return { key, kind: 'field', sql, typeName: type.name };
    const related = objectType(planner, type.getFields()[name], sql.type);
    return { key, kind: 'relation', sql, selection: planObject(planner, related, fieldNodes) };
  });
}

/** A connection's totalCount / edges { node, __typename } / __typename; cursors and pageInfo are not compiled. */
function planConnection(planner: Planner, connection: GraphQLObjectType, nodes: FieldNode[], nodeType: string): PlannedField[] {
  return [...subFields(planner, connection, nodes)].map(([key, fieldNodes]): PlannedField => {
    const name = fieldNodes[0]?.name.value;
    if (name === '__typename') return { key, kind: 'typename', typeName: connection.name };
    if (name === 'totalCount') return { key, kind: 'totalCount' };
    if (name !== 'edges') throw new NotCompilable(`${connection.name}.${name}`);
    const edge = objectType(planner, connection.getFields().edges);
    const edgeFields = [...subFields(planner, edge, fieldNodes)].map(([edgeKey, edgeNodes]): PlannedField => {
      const edgeName = edgeNodes[0]?.name.value;
      if (edgeName === '__typename') return { key: edgeKey, kind: 'typename', typeName: edge.name };
      if (edgeName !== 'node') throw new NotCompilable(`${edge.name}.${edgeName}`);
      const node = objectType(planner, edge.getFields().node, nodeType);
      return { key: edgeKey, kind: 'node', selection: planObject(planner, node, edgeNodes) };
    });
    return { key, kind: 'edges', selection: edgeFields };
  });
}

/**
 * The read plan of the operation `operationName` of `document`. Throws NotCompilable when it is
 * not a query made only of compiled fields under the `roots` given.
 */
export function planRead(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  roots: Readonly<Record<string, RootSql>>,
): ReadPlan {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  const queryType = schema.getQueryType();
  if (!operation || !queryType) throw new NotCompilable('no single operation to run');
  if (operation.operation !== 'query') throw new NotCompilable(`a ${operation.operation}`);
  if (operation.directives?.length) throw new NotCompilable('a directive on the operation');
  const planner: Planner = {
    schema,
    fragments: new Map(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
    ),
  };
  const planned = [...collectFields(planner, queryType, operation.selectionSet)].map(([key, nodes]): PlannedRoot => {
    const node = nodes[0] as FieldNode;
    if (node.name.value === '__typename') return { key, kind: 'typename', typeName: queryType.name };
    const sql = roots[node.name.value];
    const field = queryType.getFields()[node.name.value];
    if (!sql || !field) throw new NotCompilable(`Query.${node.name.value}`);
    const type = objectType(planner, field);
    const selection =
      sql.kind === 'connection'
        ? planConnection(planner, type, nodes, sql.type)
        : planObject(planner, objectType(planner, field, sql.type), nodes);
    return { key, kind: 'root', sql, field, node, nullable: !isNonNullType(field.type), selection };
  });
  return { operation, roots: planned };
}
