// Calling SMD's /hsm/v2 in-process and checking its answers the way SMD's clients read them.
import { expect } from 'vitest';
import type { RestReply, TestGateway } from './gateway.js';

export const SMD_BASE = '/hsm/v2';

export type SmdCall = (method: string, path: string, body?: unknown) => Promise<RestReply>;

/**
 * A caller of a gateway's SMD API: paths are relative to /hsm/v2 ('/State/Components'). The
 * gateway is looked up at each call, so the client can be made before beforeAll starts it.
 */
export function smdClient(gateway: () => TestGateway): SmdCall {
  return (method, path, body) => gateway().rest(method, `${SMD_BASE}${path}`, body);
}

/**
 * Expects SMD's error answer: an RFC 7807 problem (application/problem+json, type
 * about:blank) with `status`, and SMD's `detail` text exactly (or matching a pattern).
 */
export function expectSmdProblem(reply: RestReply, status: number, detail: string | RegExp) {
  expect({ status: reply.status, detail: reply.body?.detail }).toEqual({
    status,
    detail: typeof detail === 'string' ? detail : expect.stringMatching(detail),
  });
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body).toMatchObject({ type: 'about:blank', status });
}

/** Expects SMD's plain success answer: 200 with {code: 0, message}. */
export function expectSmdMessage(reply: RestReply, message: string) {
  expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: { code: 0, message } });
}
