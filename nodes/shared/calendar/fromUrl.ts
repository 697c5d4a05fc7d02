// draft_event_from_url: a link to an event page becomes what an event draft is made from.
//
// Fetching follows strict rules, because the URL comes from a chat: http and https only, no
// user name or password in the URL, every host resolved first and refused when any of its
// addresses is private, loopback, link-local, unique-local, multicast or unspecified, in any of
// its IPv6 forms (the connection then goes to the address that was checked, so a DNS answer
// cannot change between the check and the connection), at most 3 redirects (each checked
// again), at most 1 MB and 10 seconds, no compression (never inflated), no cookies or
// credentials sent and none kept. Any port: a public address is public on every port.
//
// Extraction: a page's schema.org Event in JSON-LD, or an iCalendar file's first VEVENT; else the
// page's title and text for the planner; else nothing (the user gets a clear reply).

import * as http from 'node:http';
import * as https from 'node:https';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { resolveEventTiming, instantOf, localDateTimeOf } from './time';
import { addDays } from '../gemini/dates';
import { isValidTimeZone } from '../time';
import { fitEventDraft, type EventDraft } from '../draft/eventDraft';
import { sliceWhole } from '../text';

export const PAGE_MAX_BYTES = 1_000_000;
export const PAGE_TIMEOUT_MS = 10_000;
export const PAGE_MAX_REDIRECTS = 3;
/** The page text handed to the planner when a page has no structured event. */
export const PAGE_TEXT_MAX_CHARS = 8_000;

export type PageFetchRefusal = 'bad_url' | 'scheme' | 'credentials_in_url' | 'private_address' | 'unresolvable' | 'too_large' | 'timeout' | 'too_many_redirects' | 'http_error' | 'unsupported_type' | 'network';

export class PageFetchError extends Error {
  constructor(
    readonly reason: PageFetchRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'PageFetchError';
  }
}

// ------------------------------------------------------------ addresses

function ipv4Parts(address: string): number[] | undefined {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : undefined;
}

/** An IPv6 address (as isIP accepts it) as its eight 16-bit groups. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const parts = ipv4Parts(dotted[1]);
    if (!parts) return undefined;
    text = `${text.slice(0, dotted.index)}${((parts[0] << 8) | parts[1]).toString(16)}:${((parts[2] << 8) | parts[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string) => (part ? part.split(':').map((x) => parseInt(x, 16)) : []);
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  const groups = halves.length === 2 ? [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  return groups.length === 8 && groups.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff) ? groups : undefined;
}

/** Whether an address is one a public web page may live at (not private, loopback, link-local, …). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) {
    const [a, b] = ipv4Parts(address)!;
    if (a === 0 || a === 10 || a === 127) return false;
    if (a === 100 && b >= 64 && b <= 127) return false; // carrier-grade NAT
    if (a === 169 && b === 254) return false; // link-local, cloud metadata
    if (a === 172 && b >= 16 && b <= 31) return false;
    if (a === 192 && b === 168) return false;
    if (a === 192 && b === 0) return false; // IETF protocol assignments, 192.0.0.0/24 and 192.0.2.0/24
    if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
    if (a >= 224) return false; // multicast, reserved, broadcast
    return true;
  }
  if (family === 6) {
    // Read as its eight 16-bit groups, so every way of writing an address is judged alike
    // (the URL parser turns [::ffff:127.0.0.1] into ::ffff:7f00:1, a resolver may give 0:0:…:1).
    const g = ipv6Groups(address);
    if (!g) return false;
    const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
    const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
    if (zeros(5) && g[5] === 0xffff) return isPublicAddress(v4(g[6], g[7])); // IPv4-mapped ::ffff:a.b.c.d
    if (zeros(6)) return false; // ::, ::1 and IPv4-compatible ::a.b.c.d
    if (zeros(4) && g[4] === 0xffff && g[5] === 0) return false; // IPv4-translated ::ffff:0:a.b.c.d
    if (g[0] === 0x64 && g[1] === 0xff9b) return false; // NAT64 (may reach private IPv4)
    if (g[0] === 0x100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return false; // discard-only 100::/64
    if (g[0] === 0x2001 && g[1] === 0) return false; // Teredo 2001::/32 (carries an IPv4 address)
    if (g[0] === 0x2001 && g[1] === 0xdb8) return false; // documentation
    if (g[0] === 0x2002) return isPublicAddress(v4(g[1], g[2])); // 6to4 carries its IPv4 address
    if ((g[0] & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
    if ((g[0] & 0xffc0) === 0xfe80 || (g[0] & 0xffc0) === 0xfec0) return false; // link-local fe80::/10, site-local fec0::/10
    if ((g[0] & 0xff00) === 0xff00) return false; // multicast
    return true;
  }
  return false;
}

export interface FetchPageOptions {
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /** Resolves a host name to its addresses (default: the system resolver). */
  lookup?: (hostname: string) => Promise<string[]>;
  /** Which addresses may be connected to (default isPublicAddress); tests allow their local server. */
  isAllowedAddress?: (address: string) => boolean;
}

export interface FetchedPage {
  url: string;
  contentType: string;
  body: string;
}

async function systemLookup(hostname: string): Promise<string[]> {
  return (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
}

function checkUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new PageFetchError('bad_url', `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PageFetchError('scheme', `Only http and https links are fetched, not ${url.protocol}`);
  if (url.username || url.password) throw new PageFetchError('credentials_in_url', 'A link with a user name or password is not fetched');
  return url;
}

async function addressFor(url: URL, options: FetchPageOptions): Promise<string> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (options.lookup ?? systemLookup)(host);
    } catch {
      throw new PageFetchError('unresolvable', `The host ${host} could not be resolved`);
    }
  }
  if (!addresses.length) throw new PageFetchError('unresolvable', `The host ${host} has no address`);
  const allowed = options.isAllowedAddress ?? isPublicAddress;
  // Every address must be allowed: a host that also resolves to a private one is refused.
  const refused = addresses.find((address) => !allowed(address));
  if (refused) throw new PageFetchError('private_address', `The host ${host} resolves to ${refused}, which is not a public address`);
  return addresses[0];
}

const ACCEPTED_TYPES = /^(text\/html|application\/xhtml\+xml|text\/calendar|application\/ld\+json|application\/json|text\/plain)\b/i;

function requestOnce(url: URL, address: string, options: Required<Pick<FetchPageOptions, 'maxBytes'>>, deadline: number): Promise<{ status: number; location?: string; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return reject(new PageFetchError('timeout', 'The page took too long'));
    const family = isIP(address) === 6 ? 6 : 4;
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(
      url,
      {
        method: 'GET',
        // Only the checked address is connected to; TLS still verifies the certificate for the host name.
        lookup: (_hostname: string, lookupOptions: { all?: boolean }, callback: (error: Error | null, address: unknown, family?: number) => void) =>
          lookupOptions?.all ? callback(null, [{ address, family }]) : callback(null, address, family),
        headers: { accept: 'text/html, application/xhtml+xml, text/calendar, application/ld+json;q=0.9, text/plain;q=0.5', 'accept-encoding': 'identity', 'user-agent': 'draft-assistant/1 (event link preview)' },
        timeout: remaining,
        agent: false,
      } as http.RequestOptions,
      (response) => {
        const status = response.statusCode ?? 0;
        const contentType = String(response.headers['content-type'] ?? '');
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          return resolve({ status, location: String(response.headers.location), contentType, body: '' });
        }
        // Nothing is ever inflated (no gzip bomb can grow past the cap); a compressed answer we did not ask for is not text.
        const encoding = String(response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
        if (encoding && encoding !== 'identity') {
          request.destroy();
          return reject(new PageFetchError('unsupported_type', `The page came ${encoding}-encoded, which is not fetched`));
        }
        const declared = Number(response.headers['content-length'] ?? NaN);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          request.destroy();
          return reject(new PageFetchError('too_large', `The page is larger than ${options.maxBytes} bytes`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            request.destroy();
            reject(new PageFetchError('too_large', `The page is larger than ${options.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status, contentType, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => reject(new PageFetchError('network', error.message)));
      },
    );
    const timer = setTimeout(() => request.destroy(new PageFetchError('timeout', 'The page took too long')), remaining);
    request.on('close', () => clearTimeout(timer));
    request.on('timeout', () => request.destroy(new PageFetchError('timeout', 'The page took too long')));
    request.on('error', (error) => reject(error instanceof PageFetchError ? error : new PageFetchError('network', error.message)));
    request.end();
  });
}

/** Fetches an event page under the rules at the top of this file. */
export async function fetchEventPage(rawUrl: string, options: FetchPageOptions = {}): Promise<FetchedPage> {
  const maxBytes = options.maxBytes ?? PAGE_MAX_BYTES;
  const deadline = Date.now() + (options.timeoutMs ?? PAGE_TIMEOUT_MS);
  let url = checkUrl(rawUrl.trim());
  for (let hop = 0; ; hop++) {
    const address = await addressFor(url, options);
    const answer = await requestOnce(url, address, { maxBytes }, deadline);
    if (answer.location) {
      if (hop >= (options.maxRedirects ?? PAGE_MAX_REDIRECTS)) throw new PageFetchError('too_many_redirects', 'The link redirects too often');
      url = checkUrl(answer.location, url);
      continue;
    }
    if (answer.status < 200 || answer.status >= 300) throw new PageFetchError('http_error', `The page answered ${answer.status}`);
    if (answer.contentType && !ACCEPTED_TYPES.test(answer.contentType)) throw new PageFetchError('unsupported_type', `The link is ${answer.contentType}, not a web page or calendar file`);
    return { url: url.toString(), contentType: answer.contentType, body: answer.body };
  }
}

// ------------------------------------------------------------ extraction

/** An event as a page states it, before it is put into the user's time zone. */
export interface FoundEvent {
  source: 'schema.org' | 'icalendar';
  title: string;
  /** ISO 8601 as found: a date, a date-time with an offset, or a local date-time (in `timeZone` if known). */
  start: string;
  end?: string;
  /** The zone a local date-time is in (iCalendar TZID). */
  timeZone?: string;
  location?: string;
  description?: string;
}

export type PageContent = { kind: 'event'; event: FoundEvent } | { kind: 'text'; title?: string; text: string } | { kind: 'nothing' };

const NAMED_ENTITIES: Record<string, string> = { ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', euro: '€' };

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&(ndash|mdash|hellip|lsquo|rsquo|ldquo|rdquo|euro);/g, (_, name: string) => NAMED_ENTITIES[name])
    .replace(/&amp;/g, '&');
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return decodeEntities(value).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() || undefined;
  if (Array.isArray(value)) return textOf(value[0]);
  return undefined;
}

function placeOf(location: unknown): string | undefined {
  if (typeof location === 'string') return textOf(location);
  if (Array.isArray(location)) return placeOf(location[0]);
  if (!location || typeof location !== 'object') return undefined;
  const place = location as Record<string, unknown>;
  const address = place.address;
  const addressText =
    typeof address === 'string'
      ? textOf(address)
      : address && typeof address === 'object'
        ? ['streetAddress', 'postalCode', 'addressLocality', 'addressCountry']
            .map((key) => textOf((address as Record<string, unknown>)[key]))
            .filter(Boolean)
            .join(', ') || undefined
        : undefined;
  const name = textOf(place.name);
  if (name && addressText) return `${name}, ${addressText}`;
  return name ?? addressText ?? textOf(place.url);
}

function isEventType(type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => typeof t === 'string' && /(^|[/:])\w*Event$/.test(t));
}

function findSchemaEvent(node: unknown, depth = 0): FoundEvent | undefined {
  if (depth > 6 || !node || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findSchemaEvent(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const item = node as Record<string, unknown>;
  if (isEventType(item['@type'])) {
    const title = textOf(item.name);
    const start = typeof item.startDate === 'string' ? item.startDate.trim() : undefined;
    if (title && start) {
      const location = placeOf(item.location);
      const description = textOf(item.description);
      return {
        source: 'schema.org',
        title,
        start,
        ...(typeof item.endDate === 'string' ? { end: item.endDate.trim() } : {}),
        ...(location ? { location } : {}),
        ...(description ? { description } : {}),
      };
    }
  }
  for (const key of ['@graph', 'mainEntity', 'subEvent', 'itemListElement', 'item']) {
    const found = findSchemaEvent(item[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

function unescapeIcs(value: string): string {
  return value.replace(/\\n/gi, '\n').replace(/\\([,;\\])/g, '$1');
}

/** "20261203T190000Z" / "20261203T190000" / "20261203" → ISO 8601 (UTC kept, local left without offset). */
function icsDate(value: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$/.exec(value.trim());
  if (!match) return undefined;
  const [, y, m, d, hh, mm, ss, z] = match;
  if (!hh) return `${y}-${m}-${d}`;
  return `${y}-${m}-${d}T${hh}:${mm}:${ss ?? '00'}${z ? 'Z' : ''}`;
}

function icsDuration(value: string): number | undefined {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value.trim());
  if (!match) return undefined;
  const [, w, d, h, m] = match.map((x) => Number(x ?? 0));
  return ((w * 7 + d) * 24 + h) * 60 + m;
}

function parseIcs(text: string): FoundEvent | undefined {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n[ \t]/g, '').split('\n');
  const start = lines.findIndex((l) => /^BEGIN:VEVENT\s*$/i.test(l));
  if (start < 0) return undefined;
  const fields = new Map<string, { params: Record<string, string>; value: string }>();
  for (const line of lines.slice(start + 1)) {
    if (/^END:VEVENT\s*$/i.test(line)) break;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const [name, ...params] = line.slice(0, colon).split(';');
    const parsed = Object.fromEntries(params.map((p) => p.split('=', 2) as [string, string]).map(([k, v]) => [k.toUpperCase(), (v ?? '').replace(/^"|"$/g, '')]));
    if (!fields.has(name.toUpperCase())) fields.set(name.toUpperCase(), { params: parsed, value: line.slice(colon + 1) });
  }
  const summary = fields.get('SUMMARY');
  const dtstart = fields.get('DTSTART');
  const begin = dtstart && icsDate(dtstart.value);
  if (!summary || !begin) return undefined;
  const zone = dtstart.params.TZID && isValidTimeZone(dtstart.params.TZID) ? dtstart.params.TZID : undefined;
  const dtend = fields.get('DTEND');
  let end = dtend ? icsDate(dtend.value) : undefined;
  const duration = fields.get('DURATION') && icsDuration(fields.get('DURATION')!.value);
  // An all-day event's DURATION is whole days (P3D: three days; the end date is exclusive).
  if (!end && duration && begin.length === 10 && duration >= 24 * 60) end = addDays(begin, Math.floor(duration / (24 * 60)));
  if (!end && duration && begin.length > 10) {
    end = begin.endsWith('Z')
      ? new Date(Date.parse(begin) + duration * 60_000).toISOString().replace(/\.000Z$/, 'Z')
      : localDateTimeOf(instantOf(begin.slice(0, 16), zone ?? 'UTC') + duration * 60_000, zone ?? 'UTC');
  }
  const location = fields.get('LOCATION');
  const description = fields.get('DESCRIPTION');
  return {
    source: 'icalendar',
    title: unescapeIcs(summary.value).trim(),
    start: begin,
    ...(end ? { end } : {}),
    ...(zone && begin.length > 10 && !begin.endsWith('Z') ? { timeZone: zone } : {}),
    ...(location?.value.trim() ? { location: unescapeIcs(location.value).trim() } : {}),
    ...(description?.value.trim() ? { description: unescapeIcs(description.value).trim() } : {}),
  };
}

function pageText(html: string): { title?: string; text: string } {
  const title =
    textOf(/<meta[^>]+property=["']og:title["'][^>]+content=["']([^"']*)["']/i.exec(html)?.[1]) ?? textOf(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]);
  const body = html
    .replace(/<(script|style|noscript|template|svg)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(br|\/p|\/div|\/li|\/h\d|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ');
  const text = decodeEntities(body)
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
  return { ...(title ? { title } : {}), text: sliceWhole(text, PAGE_TEXT_MAX_CHARS) };
}

/** What a fetched page says about an event: a structured event, else its text, else nothing. */
export function extractPageContent(page: Pick<FetchedPage, 'contentType' | 'body'>): PageContent {
  const body = page.body;
  if (/text\/calendar/i.test(page.contentType) || /^\s*BEGIN:VCALENDAR/i.test(body)) {
    const event = parseIcs(body);
    return event ? { kind: 'event', event } : { kind: 'nothing' };
  }
  const scripts = [...body.matchAll(/<script\b[^>]*type=["']?application\/ld\+json["']?[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]);
  if (/json/i.test(page.contentType) && !scripts.length) scripts.push(body);
  for (const script of scripts) {
    try {
      const event = findSchemaEvent(JSON.parse(script.trim()));
      if (event) return { kind: 'event', event };
    } catch {
      // A broken JSON-LD block is skipped, as search engines do.
    }
  }
  const { title, text } = pageText(body);
  if (text.length < 20 && !title) return { kind: 'nothing' };
  return { kind: 'text', ...(title ? { title } : {}), text };
}

// ------------------------------------------------------------ into an event draft

function localIn(value: string, sourceZone: string | undefined, userZone: string): { date: string; time?: string; instant?: number } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { date: value };
  const withOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const instant = withOffset ? Date.parse(value) : instantOf(value.slice(0, 16), sourceZone ?? userZone);
  if (Number.isNaN(instant)) throw new Error(`"${value}" is not a date or time`);
  const local = localDateTimeOf(instant, userZone);
  return { date: local.slice(0, 10), time: local.slice(11, 16), instant };
}

/**
 * A found event as an event draft in the user's zone: times with an offset are converted, local
 * times are read in the page's zone (or the user's), a date is an all-day event (iCalendar's end
 * date is exclusive already, schema.org's is the last day), no end gives the default duration.
 */
export function eventDraftFromFound(found: FoundEvent, userZone: string, sourceUrl?: string): EventDraft {
  const start = localIn(found.start, found.timeZone, userZone);
  const end = found.end ? localIn(found.end, found.timeZone, userZone) : undefined;
  let endDate = end?.date;
  if (!start.time && end && !end.time && found.source === 'icalendar') endDate = addDays(end.date, -1);
  // A timed page event keeps its length as elapsed time (its end in the user's wall clock can
  // repeat its start's in the hour the clock goes back).
  const minutes = start.instant !== undefined && end?.instant !== undefined && end.instant > start.instant ? Math.round((end.instant - start.instant) / 60_000) : null;
  const timing = resolveEventTiming({
    date: start.date,
    time: start.time ?? null,
    end_date: start.time ? (minutes === null && end && end.date !== start.date ? end.date : null) : endDate && endDate >= start.date ? endDate : null,
    end_time: start.time && minutes === null ? (end?.time ?? null) : null,
    duration_minutes: minutes,
    time_zone: userZone,
  });
  const notes = [found.description, sourceUrl].filter(Boolean).join('\n\n');
  return fitEventDraft({
    title: found.title,
    all_day: timing.all_day,
    start: timing.start,
    end: timing.end,
    time_zone: userZone,
    duration_defaulted: timing.duration_defaulted,
    ...(found.location ? { location: found.location } : {}),
    ...(notes ? { notes } : {}),
  });
}
