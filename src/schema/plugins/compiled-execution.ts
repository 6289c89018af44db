// How GraphQL queries run. On PostgreSQL, a query made only of fields the compiled reads know
// (src/schema/compiled-read: devices/device trees with children, parent, position …) is
// planned once per document and answered by ONE SQL statement that builds the response JSON in
// the database; the text goes out as it came, with no resolver, no row objects and no
// re-serialisation. Everything else (mutations, subscriptions, SQLite, any other field) runs
// through the Pothos resolvers as before. Parsing and validation are cached per document text by
// yoga (its parser-and-validation cache, on by default), which hands back the same document
// object for the same text, so plans are kept per document object.
//
// Not graphql-jit: @pothos/plugin-prisma finds what a parent's query preloaded through the
// identity of graphql-js's path objects, which graphql-jit rebuilds on every call, so every
// nested relation fell back to a query per parent row (a one-cabinet tree went from 50 to 380 ms
// of CPU).
import { type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLError, getVariableValues, locatedError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RootSql } from '../compiled-read/fields.js';
import { planRead, type ReadPlan } from '../compiled-read/plan.js';
import { readSql } from '../compiled-read/sql.js';
import type { GraphQLContext } from '../context.js';
import { DEVICE_READ_ROOTS } from '../types/device.js';

/** The Query fields a compiled read may start from. */
const ROOTS: Readonly<Record<string, RootSql>> = { ...DEVICE_READ_ROOTS };

type Execute = (args: ExecutionArgs) => unknown;

/**
 * A result whose JSON is already written: yoga sends `stringify`'s text, so the database's JSON is
 * not parsed and re-serialised. `data` is parsed only if a plugin reads it.
 */
function prewrittenResult(dataJson: string): ExecutionResult {
  let data: ExecutionResult['data'];
  const result = {
    get data() {
      data ??= JSON.parse(dataJson) as ExecutionResult['data'];
      return data;
    },
    set data(value) {
      data = value;
    },
    stringify: (given: ExecutionResult) => (given === result && data === undefined ? `{"data":${dataJson}}` : JSON.stringify(given)),
  };
  return result;
}

/** What graphql-js answers when every root field fails with `error`. */
function failedResult(plan: ReadPlan, error: unknown): ExecutionResult {
  const errors: GraphQLError[] = [];
  const data: Record<string, unknown> = {};
  let nullData = false;
  for (const root of plan.roots) {
    if (root.kind === 'typename') {
      data[root.key] = root.typeName;
      continue;
    }
    errors.push(locatedError(error, [root.node], [root.key]));
    data[root.key] = null;
    if (!root.nullable) nullData = true;
  }
  return { data: nullData ? null : data, errors };
}

async function runCompiledRead(plan: ReadPlan, args: ExecutionArgs, fallback: Execute): Promise<unknown> {
  const ctx = args.contextValue as GraphQLContext;
  const variables = getVariableValues(
    args.schema,
    plan.operation.variableDefinitions ?? [],
    (args.variableValues ?? {}) as Record<string, unknown>,
  );
  if (variables.errors) return fallback(args); // reported by graphql-js, as ever
  let statement: Awaited<ReturnType<typeof readSql>>;
  try {
    statement = await readSql(plan, variables.coerced, ctx);
  } catch {
    // NotCompiled (a cursor, a filter the SQL does not cover), or arguments the resolvers
    // refuse with a typed error of their own (a bad id …): they answer, exactly as ever.
    return fallback(args);
  }
  try {
    const rows = await ctx.db.$queryRawUnsafe<Array<{ data: string }>>(statement.sql, ...statement.params);
    return prewrittenResult(rows[0]?.data as string);
  } catch (error) {
    return failedResult(plan, error);
  }
}

export function compiledExecutionPlugins(): Plugin[] {
  const plans = new WeakMap<DocumentNode, Map<string, ReadPlan | null>>();
  const planOf = (args: ExecutionArgs): ReadPlan | null => {
    let byOperation = plans.get(args.document);
    if (!byOperation) {
      byOperation = new Map();
      plans.set(args.document, byOperation);
    }
    const name = args.operationName ?? '';
    let plan = byOperation.get(name);
    if (plan === undefined) {
      plan = planRead(args.schema, args.document, args.operationName, ROOTS);
      byOperation.set(name, plan);
    }
    return plan;
  };
  const compiledReads: Plugin = {
    onExecute({ args, executeFn, setExecuteFn }) {
      if ((args.contextValue as unknown as GraphQLContext).engine !== 'postgresql') return;
      const plan = planOf(args);
      if (plan) setExecuteFn((execution) => runCompiledRead(plan, execution, executeFn) as ReturnType<typeof executeFn>);
    },
  };
  return [compiledReads];
}
