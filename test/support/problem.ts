// The error answer of the RFD 112 APIs (inventory, history, collection): an RFC 7807 problem
// that names the input field at fault. SMD's own wording is checked by ./smd.ts instead.
import { expect } from 'vitest';
import type { RestReply } from './gateway.js';

/**
 * Expects application/problem+json with `status`, a title and a detail, and, when `field` is
 * given, that field named in the problem's `field` member.
 */
export function expectProblem(reply: RestReply, status: number, field?: string) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (field !== undefined) expect(reply.body.field).toBe(field);
}
