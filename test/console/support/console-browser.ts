// What the console's browser tests share: the built console (built once when absent), a browser
// page that may talk to the gateway only (every other request is aborted and recorded), an
// accessibility check with axe-core, and screenshots of each page.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../../src/db/client.js';
import { DEFAULT_CONSOLE_ROOT } from '../../../src/server/console.js';

/** Where screenshots go: CONSOLE_SHOTS, else a folder under the system temp directory. */
export const SHOTS = process.env.CONSOLE_SHOTS ?? join(tmpdir(), 'console-shots');

/** Builds the console when dist/ui has none (a checkout that skipped `npm ci`'s postinstall). */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(DEFAULT_CONSOLE_ROOT, 'index.html'))) return;
  execFileSync('npm', ['run', '--silent', 'build:ui'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}

export interface ConsolePage {
  page: Page;
  /** URLs of requests that tried to leave the gateway (aborted). */
  foreign: string[];
  /** Uncaught page errors and console.error lines. */
  errors: string[];
}

export async function openConsolePage(browser: Browser, base: string): Promise<ConsolePage> {
  // bypassCSP: axe-core is injected as an inline script, which the console's CSP rightly refuses.
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, bypassCSP: true });
  const foreign: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${base}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return { page, foreign, errors };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(
  page: Page,
): Promise<Array<{ id: string; impact: string | null; help: string; targets: string[] }>> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = (await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe.run();
    return result.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).flatMap((n) => n.target) }));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
