// GraphQL's side of the gate: queries and subscriptions need read, mutations write. The
// operation type is taken from the parsed document Yoga is about to run, so GraphiQL's page
// itself stays open while every operation is checked: before validation (an anonymous caller
// learns nothing of the schema from validation errors) and again before it executes or
// subscribes, whatever another plugin did in between.
import { type DocumentNode, getOperationAST } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { type Denial, denialHeaders, deny } from '../../server/auth/decision.js';
import type { Permission } from '../../server/auth/permissions.js';
import type { RequestInfo } from '../../server/request-info.js';

const CODES: Record<Denial['status'], string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 503: 'SERVICE_UNAVAILABLE' };

interface AuthContext {
  requestInfo?: RequestInfo;
  params?: { operationName?: string | null };
}

/** An operation that cannot be told apart (no name among several) is held to the stricter need. */
function needOf(document: DocumentNode, operationName: string | null | undefined): Permission {
  const operation = getOperationAST(document, operationName)?.operation;
  return operation === 'query' || operation === 'subscription' ? 'read' : 'write';
}

function check(context: unknown, document: DocumentNode, operationName: string | null | undefined): void {
  const caller = (context as AuthContext).requestInfo?.caller ?? { kind: 'anonymous' as const };
  const denial = deny(caller, needOf(document, operationName));
  if (!denial) return;
  throw createGraphQLError(denial.description, {
    extensions: { code: CODES[denial.status], http: { status: denial.status, headers: denialHeaders(denial) } },
  });
}

export function operationAccessPlugin(): Plugin<{ requestInfo?: RequestInfo }> {
  const beforeRun = ({ args }: { args: { document: DocumentNode; operationName?: string | null; contextValue: unknown } }) =>
    check(args.contextValue, args.document, args.operationName);
  return {
    onValidate: ({ context, params }) => check(context, params.documentAST, (context as AuthContext).params?.operationName),
    onExecute: beforeRun,
    onSubscribe: beforeRun,
  };
}
