// The playground in a real headless Chromium (Debian's `chromium`, driven by playwright-core):
// the chat page sends "buy milk tomorrow", shows the offline-drafted card with its inline
// buttons, Confirm creates the task, the card loses its buttons, and the tasks page shows the
// task. Then the playground stops on SIGINT (Ctrl-C), starts again on the same data folder, and
// everything is still there. The playground runs as `npm start` runs it (playground/start.ts in
// its own process, after `npm run build`), with its own data folder and free ports: nothing from
// globalSetup is used.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, sendAndWaitForDraft, type HeadlessBrowser } from '../../playground/browser';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-browser-'));
const NODE = fs.existsSync(path.join(ROOT, 'node_modules/.bin/node')) ? path.join(ROOT, 'node_modules/.bin/node') : process.execPath;

interface Running {
  child: ChildProcess;
  output: () => string;
  urls: { chat: string; tasks: string; editor: string };
}

let playground: Running | undefined;
let browser: HeadlessBrowser;
const pageErrors: string[] = [];

/** `npm start` without the build: playground/start.ts with any free ports. */
async function start(): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, PLAYGROUND_DIR: dataDir, PLAYGROUND_N8N_PORT: '0', PLAYGROUND_CHAT_PORT: '0', PLAYGROUND_TASKS_PORT: '0' };
  for (const key of ['NODE_ENV', 'NODE_OPTIONS', 'JEST_WORKER_ID', 'GEMINI_API_KEY', 'TELEGRAM_BOT_TOKEN', 'PUBLIC_WEBHOOK_URL', 'GOOGLE_OAUTH_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_SECRET', 'TELEGRAM_ALLOWED_USER_IDS']) delete env[key];
  const child = spawn(NODE, ['-r', './scripts/register-ts.js', 'playground/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 180_000;
  while (!output.includes('Ctrl-C stops everything')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the playground did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const url = (label: string) => new RegExp(`${label}:\\s+(http\\S+)`).exec(output)?.[1] ?? '';
  return { child, output: () => output, urls: { chat: url('Chat with the bot'), tasks: url('Tasks created'), editor: url('n8n editor') } };
}

/** Ctrl-C: the playground stops everything and exits 0. */
async function stop(running: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => running.child.once('exit', (code) => resolve(code)));
  if (running.child.exitCode !== null) return running.child.exitCode;
  running.child.kill('SIGINT');
  return await exited;
}

/** What the chat and the webhook look like, and the playground's output, for a failure message. */
async function diagnostics(): Promise<string> {
  const read = async (url: string) => (await fetch(url).then((r) => r.text()).catch((e: unknown) => String(e))).slice(-3000);
  return [
    `history: ${await read(`${playground?.urls.chat}tg/_control/chats/424242/history`)}`,
    `n8n log: ${fs.existsSync(path.join(dataDir, 'n8n/n8n.log')) ? fs.readFileSync(path.join(dataDir, 'n8n/n8n.log'), 'utf8').slice(-2500) : ''}`,
    `webhook: ${await read(`${playground?.urls.chat}tg/_control/info`)}`,
    `playground output:\n${playground?.output()}`,
    `page errors: ${pageErrors.join('\n')}`,
  ].join('\n');
}

beforeAll(async () => {
  [playground, browser] = await Promise.all([start(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  if (playground) await stop(playground);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function openChat(): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(playground!.urls.chat);
  await page.locator('#status', { hasText: 'online' }).waitFor();
  return page;
}

describe('the playground in a browser', () => {
  let taskTitle = '';

  it('drafts "buy milk tomorrow" offline, shows the card with its buttons, and Confirm creates the task', async () => {
    const chat = await openChat();
    expect(await chat.locator('#offline-banner').isVisible()).toBe(true);

    const draft = await sendAndWaitForDraft(chat, 'buy milk tomorrow').catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await diagnostics()}`);
    });
    expect(await chat.locator('.msg.user .text').last().textContent()).toBe('buy milk tomorrow');
    const draftText = (await draft.locator('.text').textContent()) ?? '';
    expect(draftText).toContain('Task Draft');
    expect(draftText).toMatch(/Title: Buy milk/i);
    expect(draftText).toContain('Drafted offline');
    // Entities become elements: the bot's <b> labels arrive as bold entities.
    expect(await draft.locator('.text b', { hasText: 'Title:' }).count()).toBe(1);
    expect(await draft.locator('.keyboard button').allTextContents()).toEqual([
      expect.stringContaining('Confirm'),
      expect.stringContaining('Edit'),
      expect.stringContaining('Cancel'),
      // The second row: the task as a calendar event instead (Workflow C).
      expect.stringContaining('Event'),
    ]);
    taskTitle = /Title:\s*(.+)/.exec(draftText)?.[1].trim() ?? '';
    expect(taskTitle).toMatch(/milk/i);

    await draft.locator('.keyboard button', { hasText: 'Confirm' }).click();
    await chat.locator('.msg.bot .text', { hasText: 'Task created successfully' }).waitFor({ timeout: 60_000 });
    // The bot edited the card: its buttons are gone and it says so.
    const card = chat.locator('.msg.bot', { hasText: 'Task Draft' }).last();
    await card.locator('.meta', { hasText: 'edited' }).waitFor();
    expect(await card.locator('.keyboard button').count()).toBe(0);

    const tasks = await browser.context.newPage();
    await tasks.goto(playground!.urls.tasks);
    const task = tasks.locator('li.task', { hasText: taskTitle });
    await task.waitFor({ timeout: 15_000 });
    expect(await task.locator('.due').getAttribute('title')).toMatch(/^due \d{4}-\d{2}-\d{2}$/);
    const state = (await (await fetch(`${playground!.urls.tasks}gt/_control/state`)).json()) as { tasksByList: Record<string, { due?: string }[]> };
    const [{ due }] = Object.values(state.tasksByList).flat();
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
    expect(due?.slice(0, 10)).toBe(tomorrow);
    await Promise.all([chat.close(), tasks.close()]);
  });

  it('keeps the conversation, the task and a working bot across a restart of the playground', async () => {
    const running = playground!;
    playground = undefined;
    expect(await stop(running)).toBe(0);
    expect(running.output()).toContain('stopped; your data stays in');
    expect(fs.existsSync(path.join(dataDir, 'emulators', 'telegram.json'))).toBe(true);
    playground = await start();
    expect(playground.output()).not.toContain('upgrading them');

    const chat = await openChat();
    await chat.locator('.msg.bot .text', { hasText: 'Task created successfully' }).waitFor({ timeout: 15_000 });
    const tasks = await browser.context.newPage();
    await tasks.goto(playground!.urls.tasks);
    await tasks.locator('li.task', { hasText: taskTitle }).waitFor({ timeout: 15_000 });

    // The router's webhook is registered again: a new message still gets its draft.
    const draft = await sendAndWaitForDraft(chat, 'call mom on friday').catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await diagnostics()}`);
    });
    expect(await draft.locator('.text').textContent()).toMatch(/Title: Call mom/i);
    await draft.locator('.keyboard button', { hasText: 'Cancel' }).click();
    // (A string, evaluated in the page: this project's TypeScript has no DOM types.)
    await chat.waitForFunction(
      `(() => { const cards = [...document.querySelectorAll('.msg.bot')].filter((m) => m.textContent.includes('Call mom'));
        return cards.length > 0 && cards.every((m) => m.querySelectorAll('.keyboard button').length === 0); })()`,
      undefined,
      { timeout: 30_000 },
    );
    expect(pageErrors).toEqual([]);
  });

  it('prints the owner password generated for its data folder, the same across restarts, and n8n takes only that one', async () => {
    const printed = /log in as \S+ \/ (\S+)/.exec(playground!.output())?.[1];
    const file = path.join(dataDir, 'owner-password');
    expect(printed).toBe(fs.readFileSync(file, 'utf8').trim());
    expect(printed!.length).toBeGreaterThanOrEqual(20);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const login = async (password: string) =>
      (
        await fetch(`${new URL(playground!.urls.editor).origin}/rest/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'browser-id': 'playground-browser-test' },
          body: JSON.stringify({ emailOrLdapLoginId: 'owner@draft-assistant.test', password }),
        })
      ).status;
    expect(await login(printed!)).toBe(200);
    expect(await login('Owner-password-1')).toBe(401);
  });
});
