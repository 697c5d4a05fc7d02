// The daily health summary as the owner reads it in Telegram (HTML): the queue's figures, the
// day's API usage against the quotas, the database's size. Every value is escaped.
import { escapeHtml } from '../telegram/html';

const DAY_MS = 24 * 60 * 60_000;

interface UsageFacts {
  calls: number;
  dailyQuota: number;
  quotaUsed: number;
}

/** What the summary tells (a HealthReport has all of it). */
export interface HealthSummaryFacts {
  commandsPerDay: number;
  windowMinutes: number;
  completedInWindow: number;
  deadInWindow: number;
  successRate: number | null;
  averageProcessingMs: number | null;
  byStatus: { pending: number; processing: number; failed: number; dead: number };
  oldestPendingAgeMs: number | null;
  gemini: UsageFacts & {
    totalTokens: number;
    /** 'gemini_usage': the current quota day as the Gemini nodes recorded it; 'audit': the last 24 h. */
    countedFrom?: 'gemini_usage' | 'audit';
    quotaDay?: string;
    thoughtsTokens?: number;
    rateLimited?: number;
    days?: Array<{ day: string; calls: number }>;
  };
  googleTasks: UsageFacts;
  database: { backend: 'sqlite' | 'postgres'; sizeBytes: number };
}

const count = (n: number) => n.toLocaleString('en-US');

function percent(ratio: number | null): string {
  if (ratio === null) return 'n/a';
  const value = ratio * 100;
  return `${value > 0 && value < 1 ? value.toFixed(1) : Math.round(value)}%`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return 'n/a';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < DAY_MS) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / DAY_MS).toFixed(1)} days`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

function windowLabel(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

function usageLine(name: string, usage: UsageFacts, unit: string, warningRatio: number, extra = '', period = '24 h'): string {
  const warn = usage.quotaUsed >= warningRatio ? '⚠️ ' : '';
  return `${warn}<b>${name}</b> (${period}): ${count(usage.calls)} / ${count(usage.dailyQuota)} ${unit} (${percent(usage.quotaUsed)})${extra}`;
}

function geminiLine(gemini: HealthSummaryFacts['gemini'], warningRatio: number): string {
  const tokens = ` · ${count(gemini.totalTokens)} tokens`;
  if (gemini.countedFrom !== 'gemini_usage') return usageLine('Gemini', gemini, 'requests', warningRatio, tokens);
  const thinking = gemini.thoughtsTokens ? ` (${count(gemini.thoughtsTokens)} thinking)` : '';
  const limited = gemini.rateLimited ? ` · ${count(gemini.rateLimited)} rate-limited` : '';
  const line = usageLine('Gemini', gemini, 'requests', warningRatio, `${tokens}${thinking}${limited}`, 'quota day');
  const earlier = (gemini.days ?? []).filter((d) => d.day !== gemini.quotaDay);
  return earlier.length ? `${line}\nEarlier days: ${earlier.map((d) => `${d.day.slice(5)} ${count(d.calls)}`).join(', ')}` : line;
}

/** The summary as Telegram HTML; a usage line is marked ⚠️ from `quotaWarningRatio` of its quota on. */
export function healthSummary(report: HealthSummaryFacts, quotaWarningRatio: number): string {
  const s = report.byStatus;
  const lines = [
    '🩺 <b>Draft Assistant · daily health</b>',
    '',
    `<b>Commands</b>: ${count(report.commandsPerDay)} in 24 h`,
    `Last ${windowLabel(report.windowMinutes)}: ${count(report.completedInWindow)} completed, ${count(report.deadInWindow)} dead · success ${percent(report.successRate)} · average ${formatDuration(report.averageProcessingMs)}`,
    `<b>Queue</b>: ${count(s.pending)} pending, ${count(s.processing)} processing, ${count(s.failed)} retrying, ${count(s.dead)} dead in total`,
    `Oldest pending: ${report.oldestPendingAgeMs === null ? 'none' : formatDuration(report.oldestPendingAgeMs)}`,
    geminiLine(report.gemini, quotaWarningRatio),
    usageLine('Google Tasks', report.googleTasks, 'queries', quotaWarningRatio),
    `<b>Database</b>: ${formatBytes(report.database.sizeBytes)} (${report.database.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`,
  ];
  return lines.map((line) => escapeLine(line)).join('\n');
}

/** Our own markup stays; anything else in the line is escaped. */
function escapeLine(line: string): string {
  return line
    .split(/(<\/?b>)/)
    .map((part) => (part === '<b>' || part === '</b>' ? part : escapeHtml(part)))
    .join('');
}
