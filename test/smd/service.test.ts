import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectSmdMessage, expectSmdProblem, smdClient } from '../support/smd.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const smd = smdClient(() => gw);

describe('SMD /hsm/v2/service and router conventions', () => {
  it('answers ready, liveness and values as SMD does', async () => {
    expectSmdMessage(await smd('GET', '/service/ready'), 'HSM is healthy');
    expect((await smd('GET', '/service/liveness')).status).toBe(204);
    const values = (await smd('GET', '/service/values')).body as Record<string, string[]>;
    expect(Object.keys(values).sort()).toEqual(['Arch', 'Class', 'Flag', 'NetType', 'Role', 'State', 'SubRole', 'Type']);
    expect((await smd('GET', '/service/values/class')).body).toEqual({ Class: ['River', 'Mountain', 'Hill'] });
  });

  it('accepts a trailing slash, answers unknown paths with text 404 and wrong methods with 405', async () => {
    expect((await smd('GET', '/service/liveness/')).status).toBe(204);
    const missing = await smd('GET', '/NoSuchThing');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(missing.text).toBe('404 page not found\n');
    const wrong = await smd('DELETE', '/service/ready');
    expectSmdProblem(wrong, 405, 'allow GET');
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(wrong.body).toMatchObject({ title: 'Method Not Allowed' });
  });
});
