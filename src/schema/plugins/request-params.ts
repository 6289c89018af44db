// GraphQL request parameters a client got wrong are its 400, never an unexpected error:
// - yoga's GET and form-urlencoded parsers JSON.parse `variables` and `extensions` unguarded,
//   so `?variables=oops` surfaced as an HTTP 500;
// - a string the store cannot hold (U+0000, an unpaired surrogate) or a JSON value nested too
//   deep failed inside the database or Prisma as an unexpected error; it is refused up front,
//   in the variables and in the document's string literals alike, naming where it is.
import type { ValidationRule } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { findUnstorable, unstorableText } from '../../domain/storable-text.js';

const badRequest = (message: string, field?: string) =>
  createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}), http: { status: 400 } } });

function checkVariables(params: { variables?: unknown } | undefined): void {
  const unstorable = findUnstorable(params?.variables ?? null);
  if (unstorable) throw badRequest(`variable ${unstorable.path || 'values'} ${unstorable.reason}`, unstorable.path || 'variables');
}

const storableStringLiterals: ValidationRule = (context) => ({
  StringValue(node) {
    const reason = unstorableText(node.value);
    if (reason)
      context.reportError(createGraphQLError(`String literal ${reason}`, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }));
  },
});

export function malformedParamsAreBadRequests(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        let parsed: Awaited<ReturnType<typeof requestParser>>;
        try {
          parsed = await requestParser(request);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw createGraphQLError(`"variables" and "extensions" must be JSON: ${error.message}`, {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
        if (!(parsed instanceof Response)) for (const params of Array.isArray(parsed) ? parsed : [parsed]) checkVariables(params);
        return parsed;
      });
    },
    onValidate({ addValidationRule }) {
      addValidationRule(storableStringLiterals);
    },
  };
}
