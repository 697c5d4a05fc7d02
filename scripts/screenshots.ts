// Pictures for the README and docs/, taken from a running playground so they stay true:
//   docs/images/chat-draft.png   the chat page with a draft card and its buttons
//   docs/images/tasks.png        the tasks page after confirming it
//   docs/images/chat-event.png   an event draft card (Workflow C), before Confirm
//   docs/images/chat-reminder.png  a reminder a minute after its task was confirmed, and a daily briefing
//   docs/images/workflow-{A,B,C,D,E,F,G,L}.png   each workflow on the n8n canvas
//
//   npm run build && node -r ./scripts/register-ts.js scripts/screenshots.ts [--fresh]
//
// Uses the playground running at PLAYGROUND_CHAT_PORT (default 8090) when there is one;
// otherwise, or with --fresh, starts its own in a temporary folder (clean conversation) and
// stops it afterwards. Needs Chromium (`apt-get install -y chromium fonts-noto-color-emoji`).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, openWorkflowCanvas, sendAndWaitForDraft, signInToN8n } from '../playground/browser';
import { startPlayground, type Playground } from '../playground/playground';
import { ROOT, type WorkflowIds } from '../playground/stack';

const OUT = path.join(ROOT, 'docs', 'images');
const VIEWPORT = { width: 1400, height: 800 };
/** How often a playground of our own runs the reminder and briefing checkers (the shipped workflows: every minute). */
const CHECK_EVERY_SECONDS = 5;

/** Bot messages on the chat page whose text has `text`, or with a button labelled `{ button }`. */
const botMessagesWith = (page: Page, text: string | { button: string }) =>
  typeof text === 'string'
    ? page.locator('.msg.bot', { hasText: text })
    : page.locator('.msg.bot', { has: page.locator('.keyboard button', { hasText: text.button }) });

/** Waits until more than `seen` bot messages match (a new one arrived). */
async function newBotMessage(page: Page, text: string | { button: string }, seen: number, timeoutMs: number): Promise<void> {
  const matching = botMessagesWith(page, text);
  const deadline = Date.now() + timeoutMs;
  while ((await matching.count()) <= seen) {
    if (Date.now() > deadline) throw new Error(`no new bot message with ${JSON.stringify(text)} within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(500);
  }
}

/** "HH:MM" a minute or two ahead, in UTC (the playground user's time zone). */
function clockAhead(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  return `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
}

/** What a playground keeps in its data folder about its n8n: the owner's password and the workflows' ids. */
function installationOf(dataDir: string): { password: string; workflowIds: WorkflowIds } {
  return {
    password: fs.readFileSync(path.join(dataDir, 'owner-password'), 'utf8').trim(),
    workflowIds: JSON.parse(fs.readFileSync(path.join(dataDir, 'workflow-ids.json'), 'utf8')) as WorkflowIds,
  };
}

async function runningPlayground(): Promise<{ chat: string; tasks: string; editor: string } | undefined> {
  const port = process.env.PLAYGROUND_CHAT_PORT || '8090';
  try {
    const config = (await (await fetch(`http://127.0.0.1:${port}/config.json`, { signal: AbortSignal.timeout(2000) })).json()) as {
      links: { chat: string; tasks: string; editor: string };
      emulated: boolean;
    };
    return config.emulated ? config.links : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  let own: Playground | undefined;
  let ownDir: string | undefined;
  let urls = process.argv.includes('--fresh') ? undefined : await runningPlayground();
  if (urls) {
    console.log(`using the running playground at ${urls.chat}`);
  } else {
    ownDir = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-assistant-screenshots-'));
    console.log('starting a playground for the pictures (about 30 s)…');
    own = await startPlayground({ dataDir: ownDir, checkEverySeconds: CHECK_EVERY_SECONDS, log: (line) => console.log(`  ${line}`) });
    urls = own.urls;
  }
  const installation = own
    ? { password: own.stack.ownerPassword, workflowIds: own.stack.workflowIds }
    : installationOf(path.resolve(process.env.PLAYGROUND_DIR || path.join(ROOT, '.playground')));
  const editorBase = new URL(urls.editor).origin;
  const browser = await launchChromium(VIEWPORT);
  try {
    const chat = await browser.context.newPage();
    await chat.goto(urls.chat);
    await chat.locator('#status', { hasText: 'online' }).waitFor();
    const draft = await sendAndWaitForDraft(chat, 'buy milk tomorrow');
    await chat.waitForTimeout(300);
    await chat.screenshot({ path: path.join(OUT, 'chat-draft.png') });
    console.log('docs/images/chat-draft.png');

    const title = /Title:\s*(.+)/.exec((await draft.locator('.text').textContent()) ?? '')?.[1].trim() ?? 'Buy milk';
    await draft.locator('.keyboard button', { hasText: 'Confirm' }).click();
    await chat.locator('.msg.bot .text', { hasText: 'Task created successfully' }).last().waitFor({ timeout: 60_000 });
    const tasks = await browser.context.newPage();
    await tasks.goto(urls.tasks);
    await tasks.locator('li.task', { hasText: title }).first().waitFor({ timeout: 15_000 });
    await tasks.waitForTimeout(2200); // let the "new task" highlight fade
    await tasks.screenshot({ path: path.join(OUT, 'tasks.png') });
    console.log('docs/images/tasks.png');

    // An event: its card (with the conflict check's verdict), then Confirm.
    await chat.bringToFront();
    const eventsCreated = await botMessagesWith(chat, 'Event created').count();
    const eventDraft = await sendAndWaitForDraft(chat, 'dinner with Ana on Friday at 7:30');
    await chat.waitForTimeout(300);
    await chat.screenshot({ path: path.join(OUT, 'chat-event.png') });
    console.log('docs/images/chat-event.png');
    await eventDraft.locator('.keyboard button', { hasText: 'Confirm' }).click();
    await newBotMessage(chat, 'Event created', eventsCreated, 60_000);

    // A reminder a minute ahead, then the daily briefing at the next minute but one.
    const created = await botMessagesWith(chat, 'Task created successfully').count();
    const reminders = await botMessagesWith(chat, { button: 'Tomorrow' }).count();
    const reminderDraft = await sendAndWaitForDraft(chat, 'remind me to stretch in 1 minute');
    await reminderDraft.locator('.keyboard button', { hasText: 'Confirm' }).click();
    await newBotMessage(chat, 'Task created successfully', created, 60_000);
    await newBotMessage(chat, { button: 'Tomorrow' }, reminders, 180_000);
    const briefings = await botMessagesWith(chat, 'Your briefing for').count();
    await chat.fill('#text', `/briefing ${clockAhead(2)}`);
    await chat.click('#send');
    await newBotMessage(chat, 'Your briefing for', briefings, 240_000);
    await chat.waitForTimeout(300);
    await chat.screenshot({ path: path.join(OUT, 'chat-reminder.png') });
    console.log('docs/images/chat-reminder.png');

    const editor = await browser.context.newPage();
    await signInToN8n(editor, editorBase, installation.password);
    const ids = installation.workflowIds;
    const workflows = { A: ids.router, B: ids.executor, C: ids.events, D: ids.drafting, E: ids.confirmation, F: ids.briefing, G: ids.reminders, L: ids.tasks };
    for (const [letter, id] of Object.entries(workflows)) {
      await openWorkflowCanvas(editor, editorBase, id);
      await editor.screenshot({ path: path.join(OUT, `workflow-${letter}.png`) });
      console.log(`docs/images/workflow-${letter}.png`);
    }
  } finally {
    await browser.close();
    await own?.stop();
    if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
