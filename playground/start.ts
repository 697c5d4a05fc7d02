// `npm start`: the whole assistant on this machine. Real n8n 2.40.7 with this package installed
// as a community package and the four workflows published, a local Telegram with a chat page,
// a local Google Tasks with a tasks page, a local Google Calendar (event drafts), and Gemini (GEMINI_API_KEY) or the planner's offline
// fallback. Everything it keeps lives in .playground/ (or PLAYGROUND_DIR) and survives restarts.
// With real credentials in the environment the same command runs against the real services.
// See docs/playground.md.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { OWNER } from '../n8n/instance';
import { startPlayground, type Playground, type PlaygroundOptions } from './playground';
import { OWNER_TELEGRAM_ID, ROOT } from './stack';

const env = process.env;

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

function portFrom(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`${name}=${raw} is not a port number`);
  return port;
}

/** The wanted port when nothing listens on it, else 0 (any free port) with a note. */
async function available(port: number, what: string): Promise<number> {
  if (port === 0) return 0;
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  if (!free) console.log(`  (port ${port} for the ${what} is in use: using another one)`);
  return free ? port : 0;
}

/** `npm run build`, quietly: its output (tsc's errors, gulp's log) is shown only when it fails. */
function build(): void {
  console.log('  building the package…');
  const run = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (run.status === 0) return;
  process.stderr.write(`${run.stdout ?? ''}${run.stderr ?? ''}`);
  fail(`npm run build failed${run.error ? ` (${run.error.message})` : ''}`);
}

/** What the setup command reports that a person must act on; the rest goes to the setup log only. */
const SETUP_NEEDS_ATTENTION = /^(?:Warning|Not published|\(this API key)|NOT SET:|no credential:/;

/**
 * The stack's progress lines on the console; the setup command's account of each workflow
 * (nodes set, kept, ids) in `setupLog`, with one line saying so and any line that needs attention.
 */
function showProgress(setupLog: string): (line: string) => void {
  let logStarted = false;
  return (line) => {
    const setup = /^setup: (.*)$/s.exec(line);
    if (!setup) return console.log(`  ${line}`);
    if (!logStarted) fs.writeFileSync(setupLog, `# npm start, ${new Date().toISOString()}\n`);
    logStarted = true;
    fs.appendFileSync(setupLog, `${setup[1]}\n`);
    if (SETUP_NEEDS_ATTENTION.test(setup[1])) console.log(`  setup: ${setup[1]}`);
    else if (setup[1].startsWith('Published, in this order')) console.log(`  workflows installed and published (what setup did: ${setupLog})`);
  };
}

async function main(): Promise<void> {
  const dataDir = path.resolve(env.PLAYGROUND_DIR || path.join(ROOT, '.playground'));
  const botToken = env.TELEGRAM_BOT_TOKEN?.trim();
  const webhookUrl = env.PUBLIC_WEBHOOK_URL?.trim();
  if (Boolean(botToken) !== Boolean(webhookUrl)) {
    fail('Real Telegram needs both TELEGRAM_BOT_TOKEN and PUBLIC_WEBHOOK_URL (the public https:// URL that reaches n8n).');
  }
  const googleId = env.GOOGLE_OAUTH_CLIENT_ID?.trim();
  const googleSecret = env.GOOGLE_OAUTH_CLIENT_SECRET?.trim();
  if (Boolean(googleId) !== Boolean(googleSecret)) fail('Real Google Tasks needs both GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET.');
  const allowed = (env.TELEGRAM_ALLOWED_USER_IDS ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((id) => (/^-?\d+$/.test(id) ? Number(id) : fail(`TELEGRAM_ALLOWED_USER_IDS: "${id}" is not a Telegram user id`)));
  if (botToken && allowed.length === 0) {
    fail('With a real bot, set TELEGRAM_ALLOWED_USER_IDS to your Telegram user id (ask @userinfobot): otherwise anyone could use your assistant.');
  }
  const geminiApiKey = env.GEMINI_API_KEY?.trim() || undefined;

  const n8nPort = await available(portFrom('PLAYGROUND_N8N_PORT', 5678), 'n8n editor');
  const chatPort = await available(portFrom('PLAYGROUND_CHAT_PORT', 8090), 'chat page');
  const tasksPort = await available(portFrom('PLAYGROUND_TASKS_PORT', 8091), 'tasks page');

  console.log(`Draft Assistant playground · data in ${dataDir}`);
  build();
  const options: PlaygroundOptions = {
    dataDir,
    allowedUserIds: allowed.length > 0 ? allowed : [OWNER_TELEGRAM_ID],
    geminiApiKey,
    n8nPort: n8nPort || undefined,
    chatPort,
    tasksPort,
    realTelegram: botToken && webhookUrl ? { token: botToken, webhookUrl } : undefined,
    realGoogle: googleId && googleSecret ? { clientId: googleId, clientSecret: googleSecret } : undefined,
    log: showProgress(path.join(dataDir, 'setup.log')),
  };

  let playground: Playground | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      console.log('\nforced exit');
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping (press Ctrl-C again to force)…`);
    await playground?.stop().catch((error: unknown) => console.error(error));
    console.log(`stopped; your data stays in ${dataDir}`);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('Ctrl-C'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  playground = await startPlayground(options);
  const { stack, urls } = playground;
  const lines = [
    '',
    '  ✔ Draft Assistant is running',
    '',
    stack.mode.telegram === 'emulator'
      ? `  Chat with the bot:   ${urls.chat}`
      : `  Chat with the bot:   in the Telegram app (webhook ${webhookUrl})`,
    stack.mode.tasks === 'emulator' ? `  Tasks created:       ${urls.tasks}` : '  Tasks created:       https://tasks.google.com',
    `  n8n editor:          ${urls.editor}`,
    `                       log in as ${OWNER.email} / ${stack.ownerPassword}`,
    `                       (this data folder's own password, kept in ${path.join(dataDir, 'owner-password')})`,
    '',
    `  Gemini:              ${stack.mode.gemini === 'real' ? 'real API (offline fallback when unavailable)' : 'off: drafts come from the offline fallback, marked "Drafted offline" (set GEMINI_API_KEY to use Gemini)'}`,
  ];
  if (stack.mode.tasks === 'real') {
    lines.push(
      '',
      '  Connect Google Tasks once: in the n8n editor open Overview → Credentials → "Google Tasks (Draft Assistant)",',
      '  copy its "OAuth Redirect URL" into your Google OAuth client (Authorized redirect URIs), then click',
      '  "Sign in with Google". Until then, creating a task fails.',
      '  Do the same for "Google Calendar (Draft Assistant)" (Google Calendar API enabled) before confirming an event.',
    );
  }
  lines.push('', '  Ctrl-C stops everything; data stays in the folder above.', '');
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
