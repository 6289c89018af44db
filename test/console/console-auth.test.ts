// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText (what a person sees, laid out), not the DOM property
// The console with JWT auth on: it asks for a bearer token (kept in sessionStorage, so a new tab
// asks again), says why a token was refused, shows a read-only token no write control, and gives
// a write token the approval buttons. /ui/session answers what the token may do.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/fixtures/seed.js';
import { CHROMIUM, launchChromium } from '../support/browser.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';
import { type ConsolePage, ensureConsoleBuilt, openConsolePage, screenshot, seriousViolations } from './support/console-browser.js';
import { AUDIENCE, type IdentityProvider, ISSUER, startIdentityProvider } from './support/jwks.js';

const WAIT = { timeout: 30_000, interval: 200 };

let idp: IdentityProvider;
let gw: TestGateway;
let server: RunningServer;
let scanId: string;

beforeAll(async () => {
  idp = await startIdentityProvider();
  gw = await startTestGateway({ auth: { mode: 'jwks', jwksUrl: idp.jwksUrl, issuer: ISSUER, audience: [AUDIENCE], jwksCooldownMs: 0 } });
  await seedDemo(gw.db);
  server = await serveOnLoopback(gw.app);
  const writer = await idp.token('scanner', 'write');
  const posted = await gw.rest(
    'POST',
    '/apis/collection/v1/scans',
    { rawData: [{ deviceType: 'Switch', manufacturer: 'Aruba', serialNumber: 'AUTH-SW-1' }] },
    { headers: { authorization: `Bearer ${writer}` } },
  );
  expect(posted.status).toBe(201);
  scanId = posted.body.result.response.scanId;
});

afterAll(async () => {
  await server?.close();
  await gw?.close();
  await idp?.close();
});

describe('/ui/session with auth on', () => {
  const session = async (token?: string) =>
    (await gw.rest('GET', '/ui/session', undefined, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } })).body;

  it('says what each caller may do, and why a token was refused', async () => {
    expect(await session()).toMatchObject({ auth: true, caller: 'anonymous', canRead: false, canWrite: false });
    expect(await session(await idp.token('reader', 'read'))).toMatchObject({
      caller: 'token',
      subject: 'reader',
      canRead: true,
      canWrite: false,
    });
    expect(await session(await idp.token('admin', 'write'))).toMatchObject({
      caller: 'token',
      subject: 'admin',
      canRead: true,
      canWrite: true,
    });
    const refused = await session('not-a-jwt');
    expect(refused).toMatchObject({ caller: 'rejected', canRead: false });
    expect(refused.reason).toBeTruthy();
  });
});

describe.skipIf(!existsSync(CHROMIUM))(`the console with auth on, in headless Chromium (${CHROMIUM})`, () => {
  let browser: Browser;
  let tab: ConsolePage;
  let page: Page;
  const axeFindings: Record<string, unknown[]> = {};

  beforeAll(async () => {
    ensureConsoleBuilt();
    browser = await launchChromium();
    tab = await openConsolePage(browser, server.url);
    page = tab.page;
  });
  afterAll(() => browser?.close());

  async function signIn(token: string) {
    await page.getByLabel('Bearer token', { exact: true }).fill(token);
    await page.getByRole('button', { name: 'Use this token' }).click();
  }

  it('asks for a token, and says why one was refused', async () => {
    await page.goto(`${server.url}/ui/`, { waitUntil: 'domcontentloaded' });
    await expect.poll(() => page.locator('main').innerText(), WAIT).toContain('Sign in with a bearer token');
    const found = await seriousViolations(page);
    if (found.length) axeFindings.token = found;
    await screenshot(page, 'auth-token');
    await signIn('not-a-jwt');
    await expect
      .poll(
        () =>
          page
            .getByRole('alert')
            .innerText()
            .catch(() => ''),
        WAIT,
      )
      .toContain('refused');
  });

  it('shows a read-only token the data but no write control', async () => {
    await signIn(await idp.token('reader', 'read'));
    await expect
      .poll(
        () =>
          page
            .getByTestId('overview-summary')
            .innerText()
            .catch(() => ''),
        WAIT,
      )
      .toContain('nodes');
    expect(await page.locator('header').innerText()).toContain('reader (read-only)');
    await page.goto(`${server.url}/ui/scans/${scanId}`, { waitUntil: 'domcontentloaded' });
    await expect.poll(() => page.locator('main').innerText(), WAIT).toContain('Added (1)');
    expect(await page.getByRole('button', { name: 'Approve…' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reject…' }).count()).toBe(0);
    await screenshot(page, 'auth-read-only-scan');
  });

  it('keeps the token for the tab only, and gives a write token the approval controls', async () => {
    // Another tab (a new browser context) has no token: it asks again.
    const other = await openConsolePage(browser, server.url);
    await other.page.goto(`${server.url}/ui/scans/${scanId}`, { waitUntil: 'domcontentloaded' });
    await expect.poll(() => other.page.locator('main').innerText(), WAIT).toContain('Sign in with a bearer token');
    await other.page.context().close();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('main').innerText(), WAIT).toContain('Sign in with a bearer token');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await signIn(await idp.token('operator', 'write'));
    await expect.poll(() => page.getByRole('button', { name: 'Approve…' }).count(), WAIT).toBe(1);
    expect(await page.getByRole('button', { name: 'Reject…' }).count()).toBe(1);
    // Rejecting from the page closes the scan: the change log names the operator.
    await page.getByRole('button', { name: 'Reject…' }).click();
    await page.getByRole('dialog', { name: 'Reject this scan?' }).getByRole('button', { name: 'Reject the scan' }).click();
    await expect.poll(() => page.locator('h1').innerText(), WAIT).toContain('rejected');
    const logged = await gw.db.prisma.changeEvent.findFirstOrThrow({ where: { entityType: 'Scan', entityId: scanId, action: 'updated' } });
    expect(logged.actor).toBe('operator');
    await screenshot(page, 'auth-rejected-scan');
  });

  it('asked no host but the gateway and has no serious accessibility violation', () => {
    expect(tab.foreign).toEqual([]);
    expect(axeFindings).toEqual({});
  });
});
