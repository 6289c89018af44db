// Swagger UI must work with no internet: a real browser loads /docs from the gateway alone,
// renders the API title and its operations, can open one, and never asks another host.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from '../support/browser.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';

describe.skipIf(!existsSync(CHROMIUM))(`Swagger UI in headless Chromium (${CHROMIUM})`, () => {
  let gw: TestGateway;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    gw = await startTestGateway();
    server = await serveOnLoopback(gw.app);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await gw?.close();
  });

  it('renders the API title and operations from local assets only', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    const failed: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('requestfailed', (request) => failed.push(request.url()));
    await page.goto(`${server.url}/docs`, { waitUntil: 'load' });

    const title = page.locator('.information-container .title');
    await expect
      .poll(async () => (await title.count()) > 0 && (await title.first().textContent()), { timeout: 30_000, interval: 250 })
      .toContain('HPC Inventory Gateway API');

    // Swagger UI renders the operations near the viewport; the first tag is the Fabrica components.
    const listComponents = page.locator('.opblock-get', { hasText: '/components' }).first();
    await expect.poll(async () => listComponents.count(), { timeout: 30_000, interval: 250 }).toBe(1);
    expect(await page.locator('.opblock').count()).toBeGreaterThan(0);
    // Every tag of the document was parsed, the SMD ones included.
    const tags = await page.evaluate(() => [...(window as any).ui.specSelectors.taggedOperations().keys()] as string[]);
    expect(tags).toEqual(expect.arrayContaining(['Fabrica Component', 'Fabrica Group', 'SMD State/Components', 'GraphQL', 'Operations']));

    // Opening an operation shows its description and responses, resolved from the document.
    await listComponents.locator('.opblock-summary').click();
    await expect.poll(async () => listComponents.locator('.responses-wrapper').count(), { timeout: 10_000, interval: 250 }).toBe(1);
    expect(await listComponents.textContent()).toContain('Every live resource');

    expect(await page.locator('.errors-wrapper').count()).toBe(0);
    const foreign = requested.filter((url) => !url.startsWith(server.url) && !url.startsWith('blob:') && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(failed).toEqual([]);
    expect(requested).toContain(`${server.url}/openapi.json`);
    await page.screenshot({ path: join(tmpdir(), 'swagger-ui.png'), fullPage: false });
  });
});
