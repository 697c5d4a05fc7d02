// Starts test/helpers/queueWorker.ts in a child process (Node 24, our TS loaded on the fly).
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import type { WorkerTask } from './queueWorker';

const ROOT = path.resolve(__dirname, '..', '..');
const NODE_BIN = path.join(ROOT, 'node_modules', '.bin', 'node');

export interface Worker {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) and everything printed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; reports: unknown[]; stderr: string }>;
  /** Resolves with the next JSON line the worker prints. */
  nextReport(): Promise<unknown>;
}

export function spawnWorker(task: WorkerTask, options: { umask?: string } = {}): Worker {
  const args = ['--no-warnings', '-r', './test/helpers/register-ts-cached.js', 'test/helpers/queueWorker.ts', JSON.stringify(task)];
  // With a umask, go through sh so the worker starts under it (process.umask is per process).
  const child = options.umask
    ? spawn('sh', ['-c', `umask ${options.umask} && exec "$0" "$@"`, NODE_BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(NODE_BIN, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const reports: unknown[] = [];
  const waiting: ((value: unknown) => void)[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const value = JSON.parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      reports.push(value);
      waiting.shift()?.(value);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let seen = 0;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; reports: unknown[]; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, reports, stderr })),
  );
  return {
    child,
    exited,
    nextReport() {
      const index = seen++;
      if (index < reports.length) return Promise.resolve(reports[index]);
      return new Promise((resolve, reject) => {
        waiting.push(resolve);
        exited.then(({ stderr: err }) => reject(new Error(`worker exited before reporting: ${err}`)));
      });
    },
  };
}

/** Waits for every worker and fails with its stderr when one did not exit cleanly. */
export async function allSucceed(workers: Worker[]) {
  const results = await Promise.all(workers.map((w) => w.exited));
  results.forEach((r, i) => {
    if (r.code !== 0) throw new Error(`worker ${i} exited with ${r.code ?? r.signal}: ${r.stderr}`);
  });
  return results;
}
