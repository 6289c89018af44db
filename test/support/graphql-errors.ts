// Assertions on GraphQL errors shared by the mutation tests.
import { expect } from 'vitest';
import type { GraphQLResult } from './gateway.js';

/** Expects the first error to carry `code` and name `field`; returns its message. */
export function expectError(result: GraphQLResult, code: string, field: string): string {
  expect(result.errors?.[0].extensions).toMatchObject({ code, field });
  return result.errors?.[0].message ?? '';
}
