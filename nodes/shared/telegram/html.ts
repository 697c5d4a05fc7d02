// Telegram's HTML parse mode (its legacy Markdown breaks on a stray `_` or `*` in user text).

/**
 * Escapes text for Telegram's HTML parse mode: every text we send as HTML goes through this.
 * `"` is escaped too, so the result is also safe inside an attribute (an href); Telegram shows
 * `&quot;` in text as `"`.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
