// Headless Chromium for the browser test and the screenshot script: Debian's `chromium` package
// driven by playwright-core (no browser download), with a fresh profile each time.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER } from '../n8n/instance';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export interface HeadlessBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A persistent context in a fresh temporary profile (removed on close). */
export async function launchChromium(viewport = { width: 1400, height: 800 }): Promise<HeadlessBrowser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Sends a chat message from the chat page and waits for the bot's draft card (with Confirm). */
export async function sendAndWaitForDraft(page: Page, text: string, timeoutMs = 60_000) {
  const before = await page.locator('.msg.bot').count();
  await page.fill('#text', text);
  await page.click('#send');
  const draft = page.locator('.msg.bot', { has: page.locator('.keyboard button', { hasText: 'Confirm' }) }).last();
  await page.waitForFunction(`document.querySelectorAll('.msg.bot').length > ${before}`, undefined, { timeout: timeoutMs });
  await draft.waitFor({ timeout: timeoutMs });
  return draft;
}

/** Signs in to the n8n editor as the instance owner the stack sets up. */
export async function signInToN8n(page: Page, baseUrl: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first().fill(OWNER.email);
  await page.locator('input[name="password"], input[type="password"]').first().fill(password);
  await page.locator('button[type="submit"], button:has-text("Sign in")').first().click();
  await page.waitForURL((url) => !url.pathname.includes('/signin'), { timeout: 30_000 });
}

/** Opens a workflow on the canvas, fits it into view and waits until it is drawn. */
export async function openWorkflowCanvas(page: Page, baseUrl: string, workflowId: string): Promise<void> {
  await page.goto(`${baseUrl}/workflow/${workflowId}`);
  await page.locator('.vue-flow__node').first().waitFor({ timeout: 30_000 });
  const fit = page.locator('[data-test-id="zoom-to-fit"]');
  if (await fit.count()) await fit.first().click();
  else await page.keyboard.press('1');
  await page.waitForTimeout(800);
}
