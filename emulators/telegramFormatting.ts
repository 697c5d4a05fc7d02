// Telegram's text formatting rules (parse_mode HTML, legacy Markdown, MarkdownV2), close enough to
// tdlib's parser that text our workflows send is accepted or rejected as the real Bot API would.
// Only node: built-ins and erasable TypeScript, so a browser-less playground can reuse it.

export interface MessageEntity {
  type: string;
  /** UTF-16 code units, as in the Bot API. */
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

/** Thrown with the part of the description after "Bad Request: ". */
export class EntityParseError extends Error {}

const HTML_TAG_ENTITY_TYPES: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const NAMED_HTML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function byteOffset(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index), 'utf8');
}

function cantParse(detail: string): EntityParseError {
  return new EntityParseError(`can't parse entities: ${detail}`);
}

interface OpenTag {
  name: string;
  start: number;
  attributes: Record<string, string>;
}

function parseAttributes(source: string, tagName: string, raw: string, at: number): Record<string, string> {
  const attributes: Record<string, string> = {};
  const attributePattern = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;
  let position = 0;
  while (position < raw.length) {
    if (/^\s*$/.test(raw.slice(position))) break;
    attributePattern.lastIndex = position;
    const match = attributePattern.exec(raw);
    if (!match || match[0].length === 0) {
      throw cantParse(`Empty attribute name in the tag "${tagName}" at byte offset ${byteOffset(source, at)}`);
    }
    attributes[match[1].toLowerCase()] = decodeHtmlEntities(match[2] ?? match[3] ?? match[4] ?? '');
    position += match[0].length;
  }
  return attributes;
}

function decodeHtmlEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return NAMED_HTML_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * parse_mode=HTML. Stricter than tdlib in one respect on purpose: a bare `&` that does not start a
 * known entity is rejected (tdlib keeps it), so tests catch text that was not escaped.
 */
export function parseHtml(source: string): ParsedText {
  let text = '';
  const entities: MessageEntity[] = [];
  const stack: OpenTag[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    if (char === '&') {
      const entity = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/.exec(source.slice(index));
      const decoded = entity ? decodeHtmlEntities(entity[0]) : undefined;
      if (!entity || decoded === entity[0]) {
        throw cantParse(`Unsupported HTML entity or unescaped "&" at byte offset ${byteOffset(source, index)}`);
      }
      text += decoded;
      index += entity[0].length;
      continue;
    }
    if (char === '>') {
      // tdlib accepts a bare ">"; kept as text.
      text += char;
      index += 1;
      continue;
    }
    if (char !== '<') {
      text += char;
      index += 1;
      continue;
    }
    // Same order of checks as tdlib: the tag name runs to whitespace or '>'.
    const unclosed = () => cantParse(`Unclosed start tag at byte offset ${byteOffset(source, index)}`);
    if (source[index + 1] !== '/') {
      const rawName = /^[^\s>]*/.exec(source.slice(index + 1))?.[0] ?? '';
      if (index + 1 + rawName.length >= source.length) throw unclosed();
      if (!(rawName.toLowerCase() in HTML_TAG_ENTITY_TYPES)) {
        throw cantParse(`Unsupported start tag "${rawName.toLowerCase()}" at byte offset ${byteOffset(source, index)}`);
      }
    }
    const end = source.indexOf('>', index);
    if (end === -1) throw unclosed();
    const inner = source.slice(index + 1, end);
    if (inner.startsWith('/')) {
      const closingName = inner.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) throw cantParse(`Unexpected end tag at byte offset ${byteOffset(source, index)}`);
      if (closingName !== '' && closingName !== open.name) {
        throw cantParse(
          `Unmatched end tag at byte offset ${byteOffset(source, index)}, expected "</${open.name}>", found "</${closingName}>"`,
        );
      }
      const length = text.length - open.start;
      if (length > 0) entities.push(htmlEntity(open, length));
      index = end + 1;
      continue;
    }
    const nameMatch = /^([a-zA-Z][a-zA-Z0-9-]*)/.exec(inner);
    const name = nameMatch ? nameMatch[1].toLowerCase() : '';
    if (!(name in HTML_TAG_ENTITY_TYPES)) {
      throw cantParse(`Unsupported start tag "${name}" at byte offset ${byteOffset(source, index)}`);
    }
    const attributes = parseAttributes(source, name, inner.slice(name.length).replace(/\/$/, ''), index);
    if (name === 'span' && attributes.class !== 'tg-spoiler') {
      throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, index)}`);
    }
    stack.push({ name, start: text.length, attributes });
    index = end + 1;
  }
  const unclosed = stack.pop();
  if (unclosed) throw cantParse(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities: sortEntities(entities) };
}

function htmlEntity(open: OpenTag, length: number): MessageEntity {
  const entity: MessageEntity = { type: HTML_TAG_ENTITY_TYPES[open.name], offset: open.start, length };
  if (open.name === 'a') {
    const href = open.attributes.href ?? '';
    if (href.startsWith('tg://user?id=')) entity.type = 'text_mention';
    entity.url = href;
  }
  if (open.name === 'blockquote' && 'expandable' in open.attributes) entity.type = 'expandable_blockquote';
  if (open.name === 'code' && open.attributes.class?.startsWith('language-')) {
    entity.language = open.attributes.class.slice('language-'.length);
  }
  return entity;
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** Legacy parse_mode=Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting. */
export function parseMarkdown(source: string): ParsedText {
  let text = '';
  const entities: MessageEntity[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    if (char === '\\' && '_*`['.includes(source[index + 1] ?? '')) {
      text += source[index + 1];
      index += 2;
      continue;
    }
    if (!'_*`['.includes(char)) {
      text += char;
      index += 1;
      continue;
    }
    const startByte = byteOffset(source, index);
    const notClosed = () => cantParse(`Can't find end of the entity starting at byte offset ${startByte}`);
    if (char === '[') {
      const close = source.indexOf(']', index + 1);
      if (close === -1) throw notClosed();
      const label = source.slice(index + 1, close);
      let url: string | undefined;
      let next = close + 1;
      if (source[next] === '(') {
        const urlEnd = source.indexOf(')', next + 1);
        if (urlEnd === -1) throw notClosed();
        url = source.slice(next + 1, urlEnd);
        next = urlEnd + 1;
      }
      if (url && label.length > 0) entities.push({ type: 'text_link', offset: text.length, length: label.length, url });
      text += label;
      index = next;
      continue;
    }
    if (char === '`' && source.startsWith('```', index)) {
      const close = source.indexOf('```', index + 3);
      if (close === -1) throw notClosed();
      let body = source.slice(index + 3, close);
      let language: string | undefined;
      const firstLine = /^([^\s`]+)\n/.exec(body);
      if (firstLine) {
        language = firstLine[1];
        body = body.slice(firstLine[0].length);
      }
      if (body.length > 0) {
        entities.push({ type: 'pre', offset: text.length, length: body.length, ...(language ? { language } : {}) });
      }
      text += body;
      index = close + 3;
      continue;
    }
    const close = source.indexOf(char, index + 1);
    if (close === -1) throw notClosed();
    const body = source.slice(index + 1, close);
    const type = char === '*' ? 'bold' : char === '_' ? 'italic' : 'code';
    if (body.length > 0) entities.push({ type, offset: text.length, length: body.length });
    text += body;
    index = close + 1;
  }
  return { text, entities: sortEntities(entities) };
}

const MARKDOWN_V2_RESERVED = '_*[]()~`>#+-=|{}.!';

/** parse_mode=MarkdownV2: every reserved character outside an entity must be escaped. */
export function parseMarkdownV2(source: string): ParsedText {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: { marker: string; start: number; byte: number }[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index];
    if (char === '\\') {
      const next = source[index + 1];
      if (next === undefined) throw cantParse(`Can't find escaped character at byte offset ${byteOffset(source, index)}`);
      text += next;
      index += 2;
      continue;
    }
    if (char === '`') {
      const isPre = source.startsWith('```', index);
      const marker = isPre ? '```' : '`';
      const close = source.indexOf(marker, index + marker.length);
      if (close === -1) throw cantParse(`Can't find end of ${isPre ? 'Pre' : 'Code'} entity at byte offset ${byteOffset(source, index)}`);
      let body = source.slice(index + marker.length, close).replace(/\\([`\\])/g, '$1');
      let language: string | undefined;
      if (isPre) {
        const firstLine = /^([^\s`]*)\n/.exec(body);
        if (firstLine) {
          language = firstLine[1] || undefined;
          body = body.slice(firstLine[0].length);
        }
      }
      if (body.length > 0) {
        entities.push({ type: isPre ? 'pre' : 'code', offset: text.length, length: body.length, ...(language ? { language } : {}) });
      }
      text += body;
      index = close + marker.length;
      continue;
    }
    const marker = source.startsWith('__', index) ? '__' : source.startsWith('||', index) ? '||' : char;
    if (['*', '_', '__', '~', '||'].includes(marker)) {
      const top = open[open.length - 1];
      if (top && top.marker === marker) {
        open.pop();
        const length = text.length - top.start;
        const type = { '*': 'bold', _: 'italic', __: 'underline', '~': 'strikethrough', '||': 'spoiler' }[marker] as string;
        if (length > 0) entities.push({ type, offset: top.start, length });
      } else {
        open.push({ marker, start: text.length, byte: byteOffset(source, index) });
      }
      index += marker.length;
      continue;
    }
    if (char === '[') {
      open.push({ marker: '[', start: text.length, byte: byteOffset(source, index) });
      index += 1;
      continue;
    }
    if (char === ']' && open[open.length - 1]?.marker === '[') {
      const link = open.pop() as { marker: string; start: number; byte: number };
      if (source[index + 1] !== '(') throw cantParse(`Can't find end of a URL at byte offset ${link.byte}`);
      const urlEnd = source.indexOf(')', index + 2);
      if (urlEnd === -1) throw cantParse(`Can't find end of a URL at byte offset ${link.byte}`);
      const url = source.slice(index + 2, urlEnd).replace(/\\([)\\])/g, '$1');
      const length = text.length - link.start;
      if (length > 0) entities.push({ type: 'text_link', offset: link.start, length, url });
      index = urlEnd + 1;
      continue;
    }
    if (char === '>' && (index === 0 || source[index - 1] === '\n')) {
      // A quote line marker; the whole line becomes a blockquote.
      const lineEnd = source.indexOf('\n', index);
      const quoted = parseMarkdownV2(source.slice(index + 1, lineEnd === -1 ? source.length : lineEnd));
      for (const entity of quoted.entities) entities.push({ ...entity, offset: entity.offset + text.length });
      if (quoted.text.length > 0) entities.push({ type: 'blockquote', offset: text.length, length: quoted.text.length });
      text += quoted.text;
      index = lineEnd === -1 ? source.length : lineEnd;
      continue;
    }
    if (MARKDOWN_V2_RESERVED.includes(char)) {
      throw cantParse(`Character '${char}' is reserved and must be escaped with the preceding '\\'`);
    }
    text += char;
    index += 1;
  }
  const unclosed = open.pop();
  if (unclosed) throw cantParse(`Can't find end of the entity starting at byte offset ${unclosed.byte}`);
  return { text, entities: sortEntities(entities) };
}

/** Applies parse_mode (absent = plain text); throws EntityParseError with Telegram's wording. */
export function parseFormattedText(source: string, parseMode: string | undefined): ParsedText {
  switch ((parseMode ?? '').toLowerCase()) {
    case '':
      return { text: source, entities: [] };
    case 'html':
      return parseHtml(source);
    case 'markdown':
      return parseMarkdown(source);
    case 'markdownv2':
      return parseMarkdownV2(source);
    default:
      throw new EntityParseError('unsupported parse_mode');
  }
}

/** Telegram strips leading and trailing whitespace from message text; entity offsets follow. */
export function trimParsedText(parsed: ParsedText): ParsedText {
  const leading = parsed.text.length - parsed.text.trimStart().length;
  const text = parsed.text.trim();
  const entities = parsed.entities
    .map((entity) => {
      const start = Math.max(0, entity.offset - leading);
      const end = Math.min(text.length, entity.offset - leading + entity.length);
      return { ...entity, offset: start, length: end - start };
    })
    .filter((entity) => entity.length > 0);
  return { text, entities };
}
