// GraphiQL must work with no internet: a real browser loads it from the gateway alone,
// runs a query and shows the result, and never asks any other host for anything.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevice } from '../../src/services/inventory/device.js';
import { CHROMIUM, launchChromium } from '../support/browser.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';

describe.skipIf(!existsSync(CHROMIUM))(`GraphiQL in headless Chromium (${CHROMIUM})`, () => {
  let gw: TestGateway;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    gw = await startTestGateway();
    await createDevice(gw.service, { deviceType: 'Node', name: 'graphiql-node-1', serialNumber: 'GQL-1' });
    server = await serveOnLoopback(gw.app);
    // Playwright starts Chromium with a fresh temporary profile of its own.
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await gw?.close();
  });

  it('loads from local assets only, runs a query and shows the result', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const query = '{ devices(filter: { name: "graphiql-node-1" }) { totalCount edges { node { name serialNumber } } } }';
    await page.goto(`${server.url}/graphql?query=${encodeURIComponent(query)}`, { waitUntil: 'load' });
    await page.locator('.graphiql-execute-button').click({ timeout: 30_000 });
    const result = page.locator('.result-window');
    await expect.poll(async () => result.textContent(), { timeout: 30_000, interval: 250 }).toContain('GQL-1');
    expect(await result.textContent()).toMatch(/"totalCount":\s*1/);
    const foreign = requested.filter((url) => !url.startsWith(server.url) && !url.startsWith('blob:') && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
    await page.screenshot({ path: join(tmpdir(), 'graphiql.png') });
  });
});
