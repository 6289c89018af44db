// How GraphQL queries run. A query made only of fields the compiled reads know
// (src/schema/compiled-read: devices/device trees with children, parent, position …) is
// planned once per document and answered by ONE SQL statement that builds the response JSON in
// the database; the text goes out as it came, with no resolver, no row objects and no
// re-serialisation (on SQLite the Relay ids are written into the text after the query, which
// has no base64). Everything else (mutations, subscriptions, any other field) runs
// through the Pothos resolvers as before. Parsing and validation are cached per document text by
// yoga (its parser-and-validation cache, on by default), which hands back the same document
// object for the same text, so plans (or why there is none) are kept per document object.
//
// Only NotCompilable sends an operation to the resolvers, and its reason is logged at debug
// level. Any other error on the compiled path is a real one: it is answered as a failed
// resolver's would be (masked and logged by ./errors.ts), never silently retried. Which executor
// answered is reported by ./executor-report.ts (header x-graphql-executor, a metric label).
//
// Not graphql-jit: @pothos/plugin-prisma finds what a parent's query preloaded through the
// identity of graphql-js's path objects, which graphql-jit rebuilds on every call, so every
// nested relation fell back to a query per parent row (a one-cabinet tree went from 50 to 380 ms
// of CPU).
import { type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLError, getVariableValues, locatedError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { globalIdsInText } from '../compiled-read/dialect.js';
import type { RootSql } from '../compiled-read/fields.js';
import { NotCompilable } from '../compiled-read/not-compilable.js';
import { planRead, type ReadPlan } from '../compiled-read/plan.js';
import { type AnswerRow, answerText, type ReadSql, readSql } from '../compiled-read/sql.js';
import type { GraphQLContext } from '../context.js';
import { DEVICE_READ_ROOTS } from '../types/device.js';
import { reportExecutor } from './executor-report.js';

/** The Query fields a compiled read may start from. */
const ROOTS: Readonly<Record<string, RootSql>> = { ...DEVICE_READ_ROOTS };

type Execute = (args: ExecutionArgs) => unknown;

/** The context as yoga builds it: the resolvers' context and the HTTP request. */
type YogaContext = GraphQLContext & { request?: Request };

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

/** What graphql-js answers when the operation fails as a whole (the planner failed: no fields known). */
function failedOperation(error: unknown): ExecutionResult {
  return { data: null, errors: [locatedError(error, undefined)] };
}

/** The statement for this request's variables; NotCompilable when they are for the resolvers. */
async function compile(plan: ReadPlan, args: ExecutionArgs, ctx: YogaContext): Promise<ReadSql> {
  const variables = getVariableValues(
    args.schema,
    plan.operation.variableDefinitions ?? [],
    (args.variableValues ?? {}) as Record<string, unknown>,
  );
  // graphql-js reports bad variables, as ever.
  if (variables.errors) throw new NotCompilable('variables graphql-js refuses');
  return readSql(plan, variables.coerced, ctx);
}

export function compiledExecutionPlugins(logger: Logger): Plugin[] {
  const plans = new WeakMap<DocumentNode, Map<string, ReadPlan | NotCompilable>>();
  const planOf = (args: ExecutionArgs): ReadPlan => {
    let byOperation = plans.get(args.document);
    if (!byOperation) {
      byOperation = new Map();
      plans.set(args.document, byOperation);
    }
    const name = args.operationName ?? '';
    let plan = byOperation.get(name);
    if (plan === undefined) {
      try {
        plan = planRead(args.schema, args.document, args.operationName, ROOTS);
      } catch (error) {
        if (error instanceof NotCompilable) byOperation.set(name, error);
        throw error;
      }
      byOperation.set(name, plan);
    }
    if (plan instanceof NotCompilable) throw plan;
    return plan;
  };

  /** Logs why the operation is not compiled and reports the resolvers as its executor. */
  const notCompiled = (args: ExecutionArgs, reason: string): void => {
    const ctx = args.contextValue as YogaContext;
    logger.debug(
      { requestId: ctx.service.requestId, operationName: args.operationName ?? undefined, reason },
      'GraphQL operation not compiled',
    );
    reportExecutor(ctx.request, 'resolvers');
  };

  const byResolvers = (args: ExecutionArgs, resolvers: Execute, reason: string): unknown => {
    notCompiled(args, reason);
    return resolvers(args);
  };

  async function compiledOrResolvers(args: ExecutionArgs, resolvers: Execute): Promise<unknown> {
    const ctx = args.contextValue as YogaContext;
    let plan: ReadPlan | undefined;
    let statement: ReadSql;
    try {
      plan = planOf(args);
      statement = await compile(plan, args, ctx);
    } catch (error) {
      if (error instanceof NotCompilable) return byResolvers(args, resolvers, error.reason);
      // A real error: answered as a failed resolver's, never retried by the resolvers.
      reportExecutor(ctx.request, 'compiled');
      return plan ? failedResult(plan, error) : failedOperation(error);
    }
    reportExecutor(ctx.request, 'compiled');
    try {
      const data = answerText(await ctx.db.$queryRawUnsafe<AnswerRow[]>(statement.sql, ...statement.params));
      return prewrittenResult(ctx.engine === 'sqlite' ? globalIdsInText(data) : data);
    } catch (error) {
      return failedResult(plan, error);
    }
  }

  const compiledReads: Plugin = {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((execution) => compiledOrResolvers(execution, executeFn) as ReturnType<typeof executeFn>);
    },
    onSubscribe({ args }) {
      reportExecutor((args.contextValue as unknown as YogaContext).request, 'resolvers');
    },
  };
  return [compiledReads];
}
