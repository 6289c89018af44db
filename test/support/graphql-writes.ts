// GraphQL calls as the mutation tests make them: the data of one that must succeed, a write
// that must be refused without changing anything, and what an entity's history says.
import { expect } from 'vitest';
import type { TestGateway } from './gateway.js';
import { expectError } from './graphql-errors.js';
import { expectNothingChanged } from './store-counts.js';

/** A well-formed UUID that no row has, for "not found" answers. */
export const MISSING_ID = '00000000-0000-4000-8000-000000000000';

/** Runs a document that must succeed; answers the value of its first root field. */
export async function gqlData<T = any>(gw: TestGateway, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await gw.gql(query, variables);
  expect(result.errors).toBeUndefined();
  return Object.values(result.data as object)[0] as T;
}

/**
 * Expects the write to fail with `code` naming `field`, having changed no row and logged no
 * change; answers the error's message.
 */
export function expectRefused(
  gw: TestGateway,
  query: string,
  variables: Record<string, unknown>,
  code: string,
  field: string,
): Promise<string> {
  return expectNothingChanged(gw.db.prisma, async () => expectError(await gw.gql(query, variables), code, field));
}

/** The actions in an entity's history, newest first: `kind` is its root field (`cable`, `rack` …). */
export async function historyActions(gw: TestGateway, kind: string, id: string): Promise<string[]> {
  const result = await gw.gql(`query($id: ID!) { ${kind}(id: $id) { history { action } } }`, { id });
  return result.data[kind].history.map((event: { action: string }) => event.action);
}
