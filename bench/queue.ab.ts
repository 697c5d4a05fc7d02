// Before/after for the queue benchmark on a shared machine: runs bench/queue.bench.ts from two
// trees in turn (A, B, A, B, …), so that the machine's changing load falls on both alike, and
// prints each configuration's median for A and B and their ratio.
//
//   node -r ./scripts/register-ts.js bench/queue.ab.ts --base=DIR [--rounds=3] [queue.bench.ts options]
//
// DIR is another checkout of the project (e.g. `git archive main | tar -x -C DIR`, with
// node_modules linked); B is this tree. Every other option goes to queue.bench.ts as is.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const argument = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const base = argument('base');
if (!base) throw new Error('--base=DIR is required');
const rounds = Number(argument('rounds') ?? 3);
const passed = process.argv.slice(2).filter((a) => !/^--(base|rounds|out)=/.test(a));
const trees = { A: path.resolve(base), B: path.resolve(__dirname, '..') };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-ab-'));

type Figures = { fsyncBound: number; load: number[]; [backend: string]: unknown };
const results: Record<'A' | 'B', Figures[]> = { A: [], B: [] };
for (let round = 0; round < rounds; round++) {
  for (const side of round % 2 ? (['B', 'A'] as const) : (['A', 'B'] as const)) {
    const out = path.join(dir, `${side}-${round}.json`);
    const run = spawnSync(path.join(trees.B, 'node_modules', '.bin', 'node'), ['--no-warnings', '-r', './scripts/register-ts.js', 'bench/queue.bench.ts', ...passed, `--out=${out}`], {
      cwd: trees[side],
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`${side} failed:\n${run.stdout}`);
    results[side].push(JSON.parse(fs.readFileSync(out, 'utf8')));
    console.log(`round ${round + 1} ${side}: ${run.stdout.split('\n').filter((l) => /claim\+complete|Load/.test(l)).join(' | ')}`);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`\nMedians of ${rounds} rounds (A = ${trees.A}, B = ${trees.B}); cycles/s in total`);
console.log(`  fsync bound: A ${fmt(median(results.A.map((r) => r.fsyncBound)))}, B ${fmt(median(results.B.map((r) => r.fsyncBound)))}`);
console.log(`  load (1 min, start of each run): ${[...results.A, ...results.B].map((r) => r.load[0].toFixed(1)).join(' ')}`);
for (const backend of ['sqlite', 'postgres']) {
  const keys = (results.B[0]?.[backend] as { throughput: { processes: number; batch: number }[] } | undefined)?.throughput ?? [];
  for (const { processes, batch } of keys) {
    type Entry = { processes: number; batch: number; total: number; cpuUsPerCycle?: number };
    const entries = (side: 'A' | 'B') =>
      results[side].map((r) => (r[backend] as { throughput: Entry[] }).throughput.find((t) => t.processes === processes && t.batch === batch)!);
    const totals = (side: 'A' | 'B') => entries(side).map((t) => t.total);
    const cpu = (side: 'A' | 'B') => median(entries(side).map((t) => t.cpuUsPerCycle ?? NaN));
    const a = median(totals('A'));
    const b = median(totals('B'));
    console.log(
      `  ${backend.padEnd(8)} ${processes} proc, ${String(batch).padStart(2)} per claim: A ${fmt(a).padStart(6)}  B ${fmt(b).padStart(6)}  B/A ${(b / a).toFixed(2)}  ` +
        `CPU µs/cycle A ${fmt(cpu('A'))} B ${fmt(cpu('B'))}  (A ${totals('A').map(fmt).join(', ')}; B ${totals('B').map(fmt).join(', ')})`,
    );
  }
}
// The contention goal is a ratio within one run: 2 processes over 1, per run, then the median.
for (const backend of ['sqlite', 'postgres']) {
  for (const side of ['A', 'B'] as const) {
    const ratios = results[side].flatMap((r) => {
      const t = (r[backend] as { throughput: { processes: number; batch: number; total: number }[] } | undefined)?.throughput;
      const one = t?.find((x) => x.processes === 1 && x.batch === 1)?.total;
      const two = t?.find((x) => x.processes === 2 && x.batch === 1)?.total;
      return one && two ? [two / one] : [];
    });
    if (ratios.length) console.log(`  ${backend.padEnd(8)} ${side}: 2 processes / 1 process, 1 per claim, per run: ${ratios.map((x) => x.toFixed(2)).join(', ')} → median ${median(ratios).toFixed(2)}`);
  }
}
fs.rmSync(dir, { recursive: true, force: true });
