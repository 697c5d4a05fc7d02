// `n8n worker` processes for queue mode (EXECUTIONS_MODE=queue), next to an N8nInstance main.
// Each worker shares the main's environment and user folder (so it loads our community package
// from <userFolder>/.n8n/nodes and decrypts credentials with the same key) and gets its own task
// runner broker port and health port on loopback. Used by test/e2e/queueMode.test.ts,
// bench/queueMode.bench.ts and playground/stack.ts (`queueMode`).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, type N8nInstance } from './instance';

export interface WorkerProcess {
  index: number;
  logFile: string;
  healthPort: number;
  brokerPort: number;
  child?: ChildProcess;
  exited?: Promise<void>;
}

export class N8nWorkers {
  readonly workers: WorkerProcess[] = [];
  private readonly main: N8nInstance;
  private readonly extraEnv: Record<string, string>;
  private readonly readinessTimeoutMs: number;

  /** `count` workers for `main` (which must be running: its ports are part of the shared env). */
  constructor(main: N8nInstance, count: number, options: { env?: Record<string, string>; readinessTimeoutMs?: number } = {}) {
    this.main = main;
    this.extraEnv = options.env ?? {};
    this.readinessTimeoutMs = options.readinessTimeoutMs ?? 120_000;
    for (let index = 0; index < count; index++) {
      this.workers.push({ index, logFile: join(main.userFolder, `worker-${index}.log`), healthPort: 0, brokerPort: 0 });
    }
  }

  get count(): number {
    return this.workers.length;
  }

  running(index: number): boolean {
    const child = this.workers[index]?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Process ids of the running workers (index → pid), for /proc CPU readings. */
  pids(): number[] {
    return this.workers.filter((w) => this.running(w.index)).map((w) => w.child!.pid!);
  }

  pid(index: number): number | undefined {
    return this.running(index) ? this.workers[index].child!.pid : undefined;
  }

  /** Starts every worker that is not running, in parallel, and waits until each is healthy. */
  async startAll(): Promise<void> {
    await Promise.all(this.workers.filter((w) => !this.running(w.index)).map((w) => this.start(w.index)));
  }

  /** Starts worker `index` and waits for its health endpoint (GET /healthz/readiness → 200). */
  async start(index: number): Promise<void> {
    const worker = this.workers[index];
    if (this.running(index)) throw new Error(`worker ${index} is already running`);
    if (!worker.healthPort) worker.healthPort = await freePort();
    if (!worker.brokerPort) worker.brokerPort = await freePort();
    const log = openSync(worker.logFile, 'a');
    const child = spawn(this.main.nodeBinary, [this.main.n8nBinPath, 'worker'], {
      cwd: this.main.userFolder,
      env: this.main.environment({
        ...this.extraEnv,
        N8N_RUNNERS_BROKER_PORT: String(worker.brokerPort),
        QUEUE_HEALTH_CHECK_ACTIVE: 'true',
        QUEUE_HEALTH_CHECK_PORT: String(worker.healthPort),
        N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
      }),
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    worker.child = child;
    worker.exited = new Promise((resolveExit) => child.once('exit', () => resolveExit()));
    const deadline = Date.now() + this.readinessTimeoutMs;
    while (Date.now() < deadline) {
      if (!this.running(index)) throw new Error(`worker ${index} exited during start-up (code ${child.exitCode}, signal ${child.signalCode})\n${this.logTail(index)}`);
      try {
        const response = await fetch(`http://127.0.0.1:${worker.healthPort}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await this.kill(index, 'SIGKILL');
    throw new Error(`worker ${index} was not healthy within ${this.readinessTimeoutMs} ms\n${this.logTail(index)}`);
  }

  /** Sends a signal to worker `index` and waits for it to exit (SIGKILL simulates a crash). */
  async kill(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const worker = this.workers[index];
    if (!this.running(index)) return;
    const exited = worker.exited;
    worker.child!.kill(signal);
    await exited;
  }

  /** Graceful stop (SIGTERM; n8n workers wait for running jobs), escalating to SIGKILL. */
  async stop(index: number, timeoutMs = 30_000): Promise<void> {
    const worker = this.workers[index];
    if (!this.running(index)) return;
    const exited = worker.exited;
    worker.child!.kill('SIGTERM');
    const timer = setTimeout(() => worker.child?.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(timeoutMs = 30_000): Promise<void> {
    await Promise.all(this.workers.map((w) => this.stop(w.index, timeoutMs)));
  }

  async restart(index: number): Promise<void> {
    await this.stop(index);
    await this.start(index);
  }

  log(index: number): string {
    const file = this.workers[index].logFile;
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  /** Execution ids each worker's log says it started ("Worker started execution N"), by worker index. */
  startedExecutions(): Map<number, string[]> {
    const result = new Map<number, string[]>();
    for (const worker of this.workers) {
      result.set(worker.index, [...this.log(worker.index).matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]));
    }
    return result;
  }

  /** Which worker started execution `id` (the last one, if it was re-run after a crash); undefined if none did. */
  workerOf(executionId: string): number | undefined {
    let found: number | undefined;
    for (const [index, ids] of this.startedExecutions()) if (ids.includes(executionId)) found = index;
    return found;
  }

  logTail(index: number, lines = 60): string {
    const file = this.workers[index].logFile;
    if (!existsSync(file)) return `(no worker log at ${file})`;
    return `--- last ${lines} lines of ${file} ---\n${readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')}`;
  }
}

/** Execution ids the main's log says it enqueued ("Enqueued execution N"). */
export function enqueuedExecutions(mainLog: string): string[] {
  return [...mainLog.matchAll(/Enqueued execution (\d+)/g)].map((m) => m[1]);
}

/** CPU time (user + system, ms) of a process from /proc/<pid>/stat; with `children`, also its reaped children's (cutime + cstime). */
export function processCpuMs(pid: number, children = true): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = (n: number) => Number(fields[n - 3]);
  const total = ticks(14) + ticks(15) + (children ? ticks(16) + ticks(17) : 0);
  return (total * 1000) / clockTicksPerSecond();
}

/** CPU time (ms) of a process and all its live descendants (e.g. n8n's task runner), plus reaped children. */
export function processTreeCpuMs(pid: number): number {
  let total = 0;
  const visit = (p: number) => {
    try {
      total += processCpuMs(p, true);
    } catch {
      return; // gone
    }
    for (const child of childPids(p)) visit(child);
  };
  visit(pid);
  return total;
}

function childPids(pid: number): number[] {
  const result: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const file = `/proc/${pid}/task/${task}/children`;
      if (existsSync(file)) result.push(...readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    }
  } catch {
    // process gone
  }
  return result;
}

let clkTck: number | undefined;
function clockTicksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}
