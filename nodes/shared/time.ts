// Row timestamps are epoch milliseconds; people and n8n expressions read ISO strings.
export function isoOrNull(ms: unknown): string | null {
  if (ms === null || ms === undefined) return null;
  return new Date(Number(ms)).toISOString();
}

export function parseJsonColumn(text: unknown): unknown {
  if (text === null || text === undefined) return null;
  return JSON.parse(String(text));
}
