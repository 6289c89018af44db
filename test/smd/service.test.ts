import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

const call = (method: string, path: string) => gw.app.fetch(new Request(`http://gateway.test${path}`, { method }));

describe('SMD /hsm/v2/service and router conventions', () => {
  it('answers ready, liveness and values as SMD does', async () => {
    const ready = await call('GET', '/hsm/v2/service/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ code: 0, message: 'HSM is healthy' });
    expect((await call('GET', '/hsm/v2/service/liveness')).status).toBe(204);
    const values = (await (await call('GET', '/hsm/v2/service/values')).json()) as Record<string, string[]>;
    expect(Object.keys(values).sort()).toEqual(['Arch', 'Class', 'Flag', 'NetType', 'Role', 'State', 'SubRole', 'Type']);
    expect(await (await call('GET', '/hsm/v2/service/values/class')).json()).toEqual({ Class: ['River', 'Mountain', 'Hill'] });
  });

  it('accepts a trailing slash, answers unknown paths with text 404 and wrong methods with 405', async () => {
    expect((await call('GET', '/hsm/v2/service/liveness/')).status).toBe(204);
    const missing = await call('GET', '/hsm/v2/NoSuchThing');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await missing.text()).toBe('404 page not found\n');
    const wrong = await call('DELETE', '/hsm/v2/service/ready');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(await wrong.json()).toMatchObject({ status: 405, title: 'Method Not Allowed', detail: 'allow GET' });
  });
});
