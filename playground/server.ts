// The playground's two small web pages: a Telegram-like chat with the bot, and a view of the
// Google Tasks emulator. Static files from playground/web/, plus same-origin proxies to the
// emulators' control APIs so the pages never need CORS:
//   chat page:  /config.json, /tg/_control/...  → Telegram emulator control API
//   tasks page: /config.json, /gt/_control/state → Google Tasks emulator state
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const WEB_DIR = path.join(__dirname, 'web');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface PageServerOptions {
  /** The HTML file served at `/` (e.g. 'chat.html'). */
  page: string;
  port: number;
  /** Path prefix → upstream base URL, e.g. { '/tg/': 'http://127.0.0.1:1234/' }. */
  proxies: Record<string, string | undefined>;
  /** Allowed upstream paths (after the prefix); others get 404. */
  allow?: RegExp;
  /** Served as /config.json for the page's script. */
  config: Record<string, unknown>;
}

export interface PageServer {
  url: string;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function proxy(req: IncomingMessage, res: ServerResponse, target: string): Promise<void> {
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
  try {
    const upstream = await fetch(target, {
      method: req.method,
      headers: { 'content-type': String(req.headers['content-type'] ?? 'application/json') },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    send(res, upstream.status, upstream.headers.get('content-type') ?? 'application/json', Buffer.from(await upstream.arrayBuffer()));
  } catch (error) {
    send(res, 502, 'application/json', JSON.stringify({ error: `upstream unreachable: ${error instanceof Error ? error.message : String(error)}` }));
  }
}

export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    for (const [prefix, upstream] of Object.entries(options.proxies)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const rest = url.pathname.slice(prefix.length);
      if (!upstream || (options.allow && !options.allow.test(`${req.method} ${rest}`))) {
        send(res, 404, 'application/json', JSON.stringify({ error: 'not available' }));
        return;
      }
      void proxy(req, res, `${upstream.replace(/\/$/, '')}/${rest}${url.search}`);
      return;
    }
    if (url.pathname === '/config.json') {
      send(res, 200, 'application/json', JSON.stringify(options.config));
      return;
    }
    const name = url.pathname === '/' ? options.page : url.pathname.slice(1);
    const file = path.join(WEB_DIR, path.normalize(name));
    if (!file.startsWith(WEB_DIR + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      send(res, 404, 'text/plain', 'not found');
      return;
    }
    send(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The chat page and the tasks page for a running stack's emulators. */
export async function startPlaygroundPages(options: {
  chatPort: number;
  tasksPort: number;
  telegramUrl?: string;
  tasksUrl?: string;
  chatId: number;
  user: { userId: number; firstName: string };
  editorUrl: string;
  offline: boolean;
}): Promise<{ chat: PageServer; tasks: PageServer; stop(): Promise<void> }> {
  // Filled in once both servers listen (their ports may be chosen by the system).
  const links = { chat: '', tasks: '', editor: options.editorUrl };
  const shared = { links, offline: options.offline };
  const chat = await startPageServer({
    page: 'chat.html',
    port: options.chatPort,
    proxies: { '/tg/': options.telegramUrl },
    allow: /^(GET _control\/chats\/-?\d+\/history|POST _control\/(sendMessage|pressButton)|GET _control\/info)$/,
    config: { ...shared, chatId: options.chatId, user: options.user, emulated: Boolean(options.telegramUrl) },
  });
  const tasks = await startPageServer({
    page: 'tasks.html',
    port: options.tasksPort,
    proxies: { '/gt/': options.tasksUrl },
    allow: /^GET _control\/state$/,
    config: { ...shared, emulated: Boolean(options.tasksUrl) },
  }).catch(async (error: unknown) => {
    await chat.stop();
    throw error;
  });
  links.chat = chat.url;
  links.tasks = tasks.url;
  return {
    chat,
    tasks,
    async stop() {
      await Promise.all([chat.stop(), tasks.stop()]);
    },
  };
}
