// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText (what a person sees, laid out), not the DOM property
// The operator console in headless Chromium against a gateway holding the demo cluster (what
// --demo loads), served on 127.0.0.1: every page renders real data, search finds a node by MAC,
// a scan proposing a replaced DIMM is approved from the page and the device page then shows the
// new serial and its history entry, live changes arrive without a reload, no request leaves
// 127.0.0.1, and axe-core finds no serious or critical violation. Screenshots of each page are
// written to CONSOLE_SHOTS (or <tmp>/console-shots).
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/fixtures/seed.js';
import { CHROMIUM, launchChromium } from '../support/browser.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { type RunningServer, serveOnLoopback } from '../support/http-server.js';
import { type ConsolePage, ensureConsoleBuilt, openConsolePage, screenshot, seriousViolations } from './support/console-browser.js';

const NODE = 'x1000c0s0b0n0';
const WAIT = { timeout: 30_000, interval: 200 };

describe.skipIf(!existsSync(CHROMIUM))(`the operator console in headless Chromium (${CHROMIUM})`, () => {
  let gw: TestGateway;
  let server: RunningServer;
  let browser: Browser;
  let tab: ConsolePage;
  let page: Page;
  const axeFindings: Record<string, unknown[]> = {};

  /** Opens a console path, waits for `text` to show, checks accessibility and takes a screenshot. */
  async function visit(path: string, text: string | RegExp, shot: string): Promise<void> {
    await page.goto(`${server.url}/ui${path}`, { waitUntil: 'domcontentloaded' });
    await expect.poll(() => page.locator('main').innerText(), WAIT).toMatch(text);
    await settled(shot);
  }

  async function settled(shot: string): Promise<void> {
    await expect.poll(() => page.locator('[aria-busy="true"]').count(), WAIT).toBe(0);
    const found = await seriousViolations(page);
    if (found.length) axeFindings[shot] = found;
    await screenshot(page, shot);
  }

  beforeAll(async () => {
    ensureConsoleBuilt();
    gw = await startTestGateway();
    await seedDemo(gw.db);
    server = await serveOnLoopback(gw.app);
    browser = await launchChromium();
    tab = await openConsolePage(browser, server.url);
    page = tab.page;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await gw?.close();
  });

  it('sends a browser asking for / to the console, whose overview counts the demo cluster', async () => {
    await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
    expect(new URL(page.url()).pathname).toBe('/ui/');
    const nodes = await gw.db.prisma.component.count({ where: { type: 'Node', deletedAt: null } });
    await expect
      .poll(
        () =>
          page
            .getByTestId('overview-summary')
            .innerText()
            .catch(() => ''),
        WAIT,
      )
      .toContain(`${nodes} nodes`);
    expect(await page.locator('.cabinet-tile').first().innerText()).toContain('x1000');
    expect(await page.locator('table.changes tbody tr').count()).toBeGreaterThan(0);
    await settled('overview');
  });

  it('draws the machine room, a rack elevation and a cabinet as chassis, slots and blades', async () => {
    await visit('/machine-room', /Cabinets \(\d+\)/, 'machine-room');
    const rack = await gw.db.prisma.rack.findFirstOrThrow({ where: { deletedAt: null } });
    await visit(`/machine-room/racks/${rack.id}`, 'Front', 'rack');
    expect(await page.locator('figure.elevation').count()).toBe(2);
    expect(await page.locator('figure.elevation li.used').count()).toBeGreaterThan(0);
    await visit('/machine-room/cabinets/x1000', 'Cabinet x1000', 'cabinet');
    expect(await page.locator('section.chassis').count()).toBeGreaterThan(0);
    expect(await page.locator('a.node').count()).toBeGreaterThan(0);
  });

  it('shows a device page with its tree, position, interfaces, cables, groups and history', async () => {
    const node = await gw.db.prisma.device.findFirstOrThrow({
      where: { deletedAt: null, installations: { some: { open: true, component: { xname: NODE } } } },
      include: { interfaces: { where: { deletedAt: null } }, children: { where: { deletedAt: null } } },
    });
    await visit(`/devices/${NODE}`, node.serialNumber as string, 'device');
    expect(await page.getByTestId('serial').innerText()).toBe(node.serialNumber);
    const main = await page.locator('main').innerText();
    expect(main).toContain(NODE);
    expect(main).toContain(`Contents (${node.children.length})`);
    const nic = await gw.db.prisma.interface.findFirstOrThrow({
      where: { deletedAt: null, macAddress: { not: null }, component: { xname: NODE } },
    });
    expect(main).toContain(nic.macAddress as string);
    expect(await page.locator('#main ul.cables li').count()).toBeGreaterThan(0);
    expect(await page.locator('ol.timeline li').count()).toBeGreaterThan(0);
    // The tree opens a level on demand: a chassis shows its blades, a blade its nodes once expanded.
    await visit('/devices/x1000c0', 'Contents', 'device-chassis');
    expect(await page.locator('#main').innerText()).not.toContain(NODE);
    await page.getByRole('button', { name: 'Expand x1000c0s0' }).click();
    await expect.poll(() => page.locator('#main').innerText(), WAIT).toContain(NODE);
  });

  it('finds a node by its MAC as the operator types', async () => {
    const nic = await gw.db.prisma.interface.findFirstOrThrow({
      where: { deletedAt: null, macAddress: { not: null }, component: { xname: NODE } },
    });
    await visit('/search', 'Type to search', 'search-empty');
    // Typed in another spelling (upper case, dashes): the console normalises it.
    await page
      .getByLabel('xname, name, serial, MAC, IP or group')
      .pressSequentially((nic.macAddress as string).toUpperCase().replaceAll(':', '-'), { delay: 15 });
    await expect
      .poll(
        () =>
          page
            .getByRole('region', { name: 'Search results' })
            .innerText()
            .catch(() => ''),
        WAIT,
      )
      .toContain(NODE);
    expect(await page.getByTestId('search-status').innerText()).toMatch(/match/);
    expect(new URL(page.url()).searchParams.get('q')).toBeTruthy();
    await settled('search');
  });

  it('approves a scan that replaced a DIMM from the page; the device page then shows the new serial and the history entry', async () => {
    const node = await gw.db.prisma.device.findFirstOrThrow({
      where: { deletedAt: null, installations: { some: { open: true, component: { xname: NODE } } } },
      include: { children: { where: { deletedAt: null }, orderBy: { name: 'asc' } } },
    });
    const oldDimm = node.children.find((c) => c.deviceType === 'Memory');
    expect(oldDimm).toBeDefined();
    const item = (d: { deviceType: string; manufacturer: string | null; partNumber: string | null; serialNumber: string | null }) => ({
      deviceType: d.deviceType,
      manufacturer: d.manufacturer,
      partNumber: d.partNumber,
      serialNumber: d.serialNumber,
      parentSerialNumber: node.serialNumber,
    });
    const rawData = [
      { deviceType: node.deviceType, manufacturer: node.manufacturer, partNumber: node.partNumber, serialNumber: node.serialNumber },
      ...node.children.map((child) => (child.id === oldDimm?.id ? { ...item(child), serialNumber: 'DIMM-REPLACED-0001' } : item(child))),
    ];
    const before = await gw.rest('POST', '/apis/history/v1/snapshots', { name: 'before-scan' });
    expect(before.status).toBe(201);
    const posted = await gw.rest('POST', '/apis/collection/v1/scans', { rawData });
    expect(posted.status).toBe(201);
    const scanId = posted.body.result.response.scanId as string;

    await visit('/scans', scanId, 'scans');
    await visit(`/scans/${scanId}`, 'Replaced (1)', 'scan');
    expect(await page.locator('#main').innerText()).toContain('DIMM-REPLACED-0001');
    await page.getByRole('button', { name: 'Approve…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply this scan?' });
    await expect.poll(() => dialog.isVisible(), WAIT).toBe(true);
    await screenshot(page, 'scan-confirm');
    await dialog.getByRole('button', { name: 'Apply the changes' }).click();
    await expect
      .poll(
        () =>
          page
            .getByRole('status')
            .innerText()
            .catch(() => ''),
        WAIT,
      )
      .toContain('applied');
    await expect.poll(() => page.locator('h1').innerText(), WAIT).toContain('applied');
    await settled('scan-applied');

    await visit(`/devices/${NODE}`, 'DIMM-REPLACED-0001', 'device-after-scan');
    const history = await page.locator('ol.timeline').innerText();
    expect(history).toContain('created');
    expect(history).toContain('DIMM-REPLACED-0001');
    expect(await page.locator('#main').innerText()).not.toContain(oldDimm?.serialNumber as string);

    // Time travel: the diff between the snapshot before the scan and one after names both DIMMs.
    const after = await gw.rest('POST', '/apis/history/v1/snapshots', { name: 'after-scan' });
    await visit(`/history?from=${before.body.id}&to=${after.body.id}`, /1 added · 1 removed/, 'time-travel-diff');
    const diffText = await page.locator('#main').innerText();
    expect(diffText).toContain('DIMM-REPLACED-0001');
    expect(diffText).toContain(oldDimm?.serialNumber as string);
  });

  it('shows the inventory as of a date', async () => {
    const at = new Date().toISOString();
    const live = await gw.db.prisma.device.count({ where: { deletedAt: null } });
    await visit(`/history?at=${encodeURIComponent(at)}`, `${live.toLocaleString('en-US')} devices`, 'time-travel-as-of');
    expect(await page.getByRole('region', { name: 'Devices as of the date' }).locator('li').count()).toBeGreaterThan(0);
  });

  it("shows a node's boot documents", async () => {
    await visit(`/boot/${NODE}`, 'meta-data', 'boot');
    expect(await page.locator('#main').innerText()).toContain(`instance-id: ${NODE}`);
  });

  it('pages through every device in a virtualised list', async () => {
    const total = await gw.db.prisma.device.count({ where: { deletedAt: null } });
    await visit('/devices', `of ${total.toLocaleString('en-US')} loaded`, 'devices');
    // Only a screenful of rows is in the document, however many are loaded.
    expect(await page.getByRole('region', { name: 'Devices' }).locator('li').count()).toBeLessThan(60);
  });

  it('shows device and node state changes live, without a reload', async () => {
    await visit('/live', 'Waiting for changes', 'live-empty');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const node = await gw.db.prisma.device.findFirstOrThrow({
      where: { deletedAt: null, installations: { some: { open: true, component: { xname: NODE } } } },
    });
    // The subscription may take a moment to open: write until an event shows (bounded).
    for (let attempt = 0; attempt < 20; attempt++) {
      await gw.gql('mutation ($id: ID!, $d: String) { updateDevice(id: $id, input: { description: $d }) { id } }', {
        id: node.id,
        d: `live ${attempt}`,
      });
      if ((await page.locator('ol.live li strong').count()) > 0) break;
      await page.waitForTimeout(300);
    }
    await expect.poll(() => page.locator('ol.live').innerText(), WAIT).toContain('updated');
    expect(await page.locator('ol.live').innerText()).toContain(NODE);
    // An SMD state change arrives too (componentChanged).
    const changed = await gw.gql('mutation { updateComponent(xname: "x1000c0s0b0n1", input: { state: "Standby" }) { state } }');
    expect(changed.errors).toBeUndefined();
    await expect.poll(() => page.locator('ol.live').innerText(), WAIT).toMatch(/x1000c0s0b0n1[\s\S]*Standby/);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await settled('live');
  });

  it('asked no host but the gateway, threw no error, and has no serious accessibility violation', () => {
    expect(tab.foreign).toEqual([]);
    expect(tab.errors).toEqual([]);
    expect(axeFindings).toEqual({});
  });
});
