// Cutting user text to a length without breaking it. JavaScript strings count UTF-16 code
// units, and an emoji (or any character beyond U+FFFF) is two of them: a plain slice can end on
// the first half, which Telegram and Google show as a broken character (or refuse outright).

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

/** The first `max` code units of `text`, one fewer when the cut would split a surrogate pair. */
export function sliceWhole(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = Math.max(0, max);
  return text.slice(0, cut > 0 && HIGH_SURROGATE.test(text[cut - 1]) ? cut - 1 : cut);
}

/** Cuts text to at most `max` code units, marking the cut with "…"; never splits a surrogate pair. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${sliceWhole(text, Math.max(0, max - 1))}…`;
}
