// GraphQL query limits, assembled in one place from the configuration. A document that is too
// large (tokens), too deep, has too many aliases, would cost too much or asks for too large a
// page is refused with HTTP 400 before any resolver runs. The cost is the rows the answer can
// hold on this store (src/schema/row-cost.ts, weighed with the device tree's profile).
// Optionally only persisted documents run, and introspection can be turned off.
import { readFileSync } from 'node:fs';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import {
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  getNamedType,
  getOperationAST,
  getVariableValues,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  validate,
  valueFromAST,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Config } from '../../server/config.js';
import type { Db, TreeProfile } from '../../services/core/index.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../builder.js';
import { operationRows } from '../row-cost.js';
import { treeProfileOf } from '../tree-profile-cache.js';

export type GraphQLLimits = Pick<
  Config,
  'maxDepth' | 'maxCost' | 'maxAliases' | 'maxTokens' | 'maxPageSize' | 'introspection' | 'persistedDocuments' | 'persistedOnly'
>;

// Measured on bench/lib/cases.ts (test/graphql/limits.test.ts checks them): the 5-level tree
// has depth 8 and 55 tokens; the same tree through childrenConnection has depth 16;
// GraphiQL's introspection query has depth 15 and about 190 tokens. The cost limit is about
// 5-10 MB of JSON (a device row with a few fields is 50-100 bytes): the whole tree of a site
// of ~3,000 nodes (40,000 devices) is estimated at ~75,000 rows and passes; a larger answer
// is for paging (first/after) or narrowing (a filter, descendants' maxDepth).
export const DEFAULT_GRAPHQL_LIMITS: GraphQLLimits = {
  maxDepth: 20,
  maxCost: 100_000,
  maxAliases: 30,
  maxTokens: 2_000,
  maxPageSize: MAX_PAGE_SIZE,
  introspection: true,
  persistedDocuments: '',
  persistedOnly: false,
};

/** Arguments that set how many rows a list or connection returns. */
const PAGE_SIZE_ARGUMENTS = new Set(['first', 'last']);

type LimitName = 'depth' | 'cost' | 'aliases' | 'tokens';
const FLAGS: Record<LimitName, string> = { depth: '--max-depth', cost: '--max-cost', aliases: '--max-aliases', tokens: '--max-tokens' };

// `spec: false`: the 400 holds for application/json too (yoga would answer 200 there), except
// for the token limit, a parse error, which yoga answers as the GraphQL-over-HTTP spec says.
// A fresh object each time: yoga marks a parse error's one in place.
const refused = () => ({ status: 400, spec: false });

function limitError(limit: LimitName, message: string, max: number, actual?: number, hint?: string): GraphQLError {
  return createGraphQLError(`${message} (${FLAGS[limit]})${hint ? `; ${hint}` : ''}`, {
    extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit, max, ...(actual === undefined ? {} : { actual }), http: refused() },
  });
}

/** Depth of nested fields, fragments included (and introspection fields, unlike the cost). */
function depthRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragmentDepths = new Map<string, number>();
    const depthOf = (selectionSet: SelectionSetNode, visiting: Set<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, visiting) : 0));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, visiting));
        } else {
          deepest = Math.max(deepest, fragmentDepth(context.getFragment(selection.name.value), visiting));
        }
      }
      return deepest;
    };
    // Memoised, so a fragment spread many times is measured once; a cycle (which validation
    // reports anyway) counts as nothing.
    const fragmentDepth = (fragment: FragmentDefinitionNode | null | undefined, visiting: Set<string>): number => {
      if (!fragment || visiting.has(fragment.name.value)) return 0;
      const known = fragmentDepths.get(fragment.name.value);
      if (known !== undefined) return known;
      visiting.add(fragment.name.value);
      const depth = depthOf(fragment.selectionSet, visiting);
      visiting.delete(fragment.name.value);
      fragmentDepths.set(fragment.name.value, depth);
      return depth;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > maxDepth)
          context.reportError(limitError('depth', `Query is too deep: depth ${depth}, at most ${maxDepth}`, maxDepth, depth));
      },
    };
  };
}

function aliasesRule(maxAliases: number): ValidationRule {
  return maxAliasesRule({
    n: maxAliases,
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        const found = Number(/found (\d+)/.exec(error.message)?.[1]) || undefined;
        context?.reportError(
          limitError('aliases', `Too many aliases: ${found ?? `more than ${maxAliases}`}, at most ${maxAliases}`, maxAliases, found),
        );
      },
    ],
  });
}

/** Refuses `first`/`last` above the page size, in the operation that runs (variables coerced). */
function pageSizeRule(maxPageSize: number, operation: OperationDefinitionNode, variables: Record<string, unknown>): ValidationRule {
  return (context) => {
    let otherOperation = false;
    return {
      OperationDefinition: {
        enter: (node) => {
          otherOperation = node !== operation;
        },
        leave: () => {
          otherOperation = false;
        },
      },
      Argument(node) {
        if (otherOperation || !PAGE_SIZE_ARGUMENTS.has(node.name.value)) return;
        const argument = context.getArgument();
        const field = context.getFieldDef();
        if (!argument || !field || getNamedType(argument.type).name !== 'Int') return;
        const value = valueFromAST(node.value, argument.type, variables);
        if (typeof value !== 'number' || (value >= 0 && value <= maxPageSize)) return;
        context.reportError(
          createGraphQLError(`${field.name}(${node.name.value}: ${value}): a page holds 0 to ${maxPageSize} items (--max-page-size)`, {
            nodes: node,
            extensions: {
              code: 'BAD_USER_INPUT',
              field: node.name.value,
              limit: 'pageSize',
              max: maxPageSize,
              actual: value,
              http: refused(),
            },
          }),
        );
      },
    };
  };
}

const COST_HINT = 'page (first/after), narrow (a filter, descendants(maxDepth:)) or select fewer nested lists';

/** Refuses an operation whose answer can hold more than `maxCost` rows on the store it runs on. */
function costRule(maxCost: number, operation: OperationDefinitionNode, variables: Record<string, unknown>, profile: TreeProfile) {
  return (context: ValidationContext) => ({
    Document(document: DocumentNode) {
      const fragments = Object.fromEntries(
        document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
      );
      const schema: GraphQLSchema = context.getSchema();
      const rows = operationRows({ schema, operation, fragments, variables, profile, defaultPageSize: DEFAULT_PAGE_SIZE });
      if (rows > maxCost)
        context.reportError(
          limitError('cost', `Query is too costly: an estimated ${rows} rows, at most ${maxCost}`, maxCost, rows, COST_HINT),
        );
    },
  });
}

/** A document's verdicts, per operation and variables, with the tree profile each was weighed against. */
type Verdicts = Map<string, { profile: TreeProfile; errors: readonly GraphQLError[] }>;
/** Verdicts kept per document: a document asked with ever-new variables re-weighs, it does not grow. */
const MAX_VERDICTS = 64;

/** The verdicts' key: the operation and its coerced variables, or undefined if they do not print as JSON. */
function verdictKey(operationName: string | null | undefined, variables: Record<string, unknown>): string | undefined {
  try {
    return `${operationName ?? ''}\0${JSON.stringify(variables)}`;
  } catch {
    return undefined;
  }
}

/**
 * Cost and page sizes depend on the variables and the store, so they are checked per request:
 * the verdict is kept per document, operation, variables and tree profile (a new profile once a
 * minute re-weighs), which spares the two validation passes of a dashboard's repeated query.
 */
function costAndPageSizeChecks(limits: GraphQLLimits) {
  const verdicts = new WeakMap<DocumentNode, Verdicts>();
  return async (args: ExecutionArgs): Promise<readonly GraphQLError[]> => {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return []; // execution reports it
    const variables = getVariableValues(
      args.schema,
      operation.variableDefinitions ?? [],
      (args.variableValues ?? {}) as Record<string, unknown>,
    );
    if (variables.errors) return []; // execution reports them, before any resolver runs
    const profile = await treeProfileOf((args.contextValue as { db: Db }).db);
    const key = verdictKey(args.operationName, variables.coerced);
    let known = verdicts.get(args.document);
    const kept = key === undefined ? undefined : known?.get(key);
    if (kept?.profile === profile) return kept.errors;
    const pageSizes = validate(args.schema, args.document, [pageSizeRule(limits.maxPageSize, operation, variables.coerced)]);
    const errors = pageSizes.length
      ? pageSizes
      : validate(args.schema, args.document, [costRule(limits.maxCost, operation, variables.coerced, profile)]);
    if (key !== undefined) {
      if (!known || known.size >= MAX_VERDICTS) verdicts.set(args.document, (known = new Map()));
      known.set(key, { profile, errors });
    }
    return errors;
  };
}

/** Reads a persisted-documents file: a JSON object of hash → GraphQL document. */
export function loadPersistedDocuments(path: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`${path}: must be a JSON object of hash → GraphQL document`);
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (typeof document !== 'string') throw new Error(`${path}: "${hash}": the document must be a string`);
    try {
      parse(document);
    } catch (error) {
      throw new Error(`${path}: "${hash}": ${(error as Error).message}`);
    }
    documents.set(hash, document);
  }
  if (documents.size === 0) throw new Error(`${path}: holds no documents`);
  return documents;
}

function persistedDocumentsPlugin(path: string, persistedOnly: boolean): Plugin {
  const documents = loadPersistedDocuments(path);
  const refusal = (message: string, code: string) => () => createGraphQLError(message, { extensions: { code, http: refused() } });
  return usePersistedOperations({
    getPersistedOperation: (hash) => documents.get(hash) ?? null,
    allowArbitraryOperations: !persistedOnly,
    customErrors: {
      notFound: refusal('No persisted document has this hash', 'PERSISTED_QUERY_NOT_FOUND'),
      persistedQueryOnly: refusal(
        'Only persisted documents run here: send extensions.persistedQuery.sha256Hash instead of a query',
        'PERSISTED_QUERY_ONLY',
      ),
      keyNotFound: refusal(
        'Must provide a query or a persisted document hash (extensions.persistedQuery.sha256Hash)',
        'PERSISTED_QUERY_ID_REQUIRED',
      ),
    },
  });
}

/** The yoga plugins enforcing `limits` (defaults for any not given). */
export function graphqlLimitPlugins(given: Partial<GraphQLLimits> = {}): Plugin[] {
  const limits = { ...DEFAULT_GRAPHQL_LIMITS, ...given };
  const rules = [depthRule(limits.maxDepth), aliasesRule(limits.maxAliases)];
  if (!limits.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  const costAndPageSizeErrors = costAndPageSizeChecks(limits);
  const refuseCostlyOperations = async ({
    args,
    setResultAndStopExecution,
  }: {
    args: ExecutionArgs;
    setResultAndStopExecution: (result: { errors: readonly GraphQLError[] }) => void;
  }) => {
    const errors = await costAndPageSizeErrors(args);
    if (errors.length) setResultAndStopExecution({ errors });
  };
  return [
    ...(limits.persistedDocuments ? [persistedDocumentsPlugin(limits.persistedDocuments, limits.persistedOnly)] : []),
    maxTokensPlugin({
      n: limits.maxTokens,
      onReject: [
        () => {
          throw limitError('tokens', `Document too large: more than ${limits.maxTokens} tokens`, limits.maxTokens);
        },
      ],
    }) as Plugin,
    {
      onValidate: ({ addValidationRule }) => {
        for (const rule of rules) addValidationRule(rule);
      },
      onExecute: refuseCostlyOperations,
      onSubscribe: refuseCostlyOperations,
    },
  ];
}
