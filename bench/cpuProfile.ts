// A CPU profile of n8n's main process over one phase of the benchmark, through Node's inspector
// (n8n started with --inspect), summarised by where the time went: the expression engine, n8n's
// execution engine, n8n's server and database, n8n's own nodes, our nodes, the runtime.
import * as fs from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The inspector of a process started with `--inspect=127.0.0.1:<port>`: one session, as the Chrome DevTools protocol has it. */
export class Inspector {
  private seq = 0;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (message.id === undefined) return;
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message.error ? Promise.reject(new Error(message.error.message)) : message.result);
    });
  }

  static async connect(port: number, timeoutMs = 30_000): Promise<Inspector> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
        const socket = new WebSocket(target.webSocketDebuggerUrl);
        await new Promise((resolve, reject) => {
          socket.addEventListener('open', resolve, { once: true });
          socket.addEventListener('error', reject, { once: true });
        });
        return new Inspector(socket);
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`no inspector on port ${port}: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  send<T = unknown>(method: string, params: object = {}): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve) => {
      this.pending.set(id, resolve as (result: unknown) => void);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Profiles while `during` runs (sampling every 500 µs). */
  async profile(during: () => Promise<void>): Promise<CpuProfile> {
    await this.send('Profiler.enable');
    await this.send('Profiler.setSamplingInterval', { interval: 500 });
    await this.send('Profiler.start');
    try {
      await during();
    } catch (error) {
      await this.send('Profiler.stop');
      throw error;
    }
    return (await this.send<{ profile: CpuProfile }>('Profiler.stop')).profile;
  }

  close(): void {
    this.socket.close();
  }
}

/** Where a function's own time goes, by the file it is in. */
const CATEGORIES: [string, RegExp][] = [
  ['expression engine (isolates, evaluation)', /@n8n\/expression-runtime|isolated-vm|n8n-workflow\/dist\/(cjs|esm)\/(expression|workflow-expression|expressions|extensions)/],
  ['our nodes and their store', /n8n-nodes-draft-assistant/],
  ["n8n's nodes (Telegram, Switch, If, Set, Execute Workflow)", /n8n-nodes-base/],
  ['n8n execution engine (n8n-core, n8n-workflow)', /n8n-core|n8n-workflow/],
  ["n8n's database (TypeORM, SQLite)", /typeorm|sqlite3|@n8n\/db/],
  ['n8n server (webhooks, executions, hooks, push)', /node_modules\/n8n\/|@n8n\//],
  ['HTTP client and other packages', /node_modules\//],
  ['Node.js runtime (streams, http, timers)', /^node:|^internal\//],
];

export interface ProfileSummary {
  totalMs: number;
  byCategory: { category: string; ms: number; share: number }[];
  topFunctions: { fn: string; ms: number }[];
}

/** Self time by category and the busiest functions; idle time is left out. Native frames (isolated-vm's evalClosureSync, V8) count for the JavaScript that called them. */
export function summarise(profile: CpuProfile, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const categoryOf = (id: number | undefined): string => {
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const { url } = byId.get(at)!.callFrame;
      if (url) return CATEGORIES.find(([, pattern]) => pattern.test(url))?.[0] ?? 'other';
    }
    return 'native (program, V8)';
  };
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    total += us;
    const category = functionName === '(garbage collector)' ? 'garbage collection' : categoryOf(id);
    categories.set(category, (categories.get(category) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\//, '')}`.trim();
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const round = (us: number) => Math.round(us / 100) / 10;
  return {
    totalMs: round(total),
    byCategory: [...categories.entries()].sort((a, b) => b[1] - a[1]).map(([category, us]) => ({ category, ms: round(us), share: Math.round((us / total) * 1000) / 10 })),
    topFunctions: [...functions.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, us]) => ({ fn, ms: round(us) })),
  };
}

export function writeProfile(file: string, profile: CpuProfile): void {
  fs.writeFileSync(file, JSON.stringify(profile));
}
