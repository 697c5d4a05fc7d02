// draft_event_from_url's core: the strict page fetch (schemes, private addresses, redirects, size
// and time caps, no cookies) against a local server, extraction of schema.org Events and
// iCalendar files, and the event draft in the user's time zone.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PageFetchError,
  eventDraftFromFound,
  extractPageContent,
  fetchEventPage,
  isPublicAddress,
  type FetchPageOptions,
} from '../nodes/shared/calendar/fromUrl';

let server: http.Server;
let port = 0;
const seen: http.IncomingHttpHeaders[] = [];
const routes: Record<string, (res: http.ServerResponse) => void> = {};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.headers);
    const route = routes[req.url ?? '/'];
    if (route) route(res);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** "events.test" is the local server; "intranet.test" a private address; loopback allowed only for the test server. */
const local: FetchPageOptions = {
  lookup: async (host) => ({ 'events.test': ['127.0.0.1'], 'intranet.test': ['10.1.2.3'], 'mixed.test': ['93.184.216.34', '192.168.1.1'] })[host] ?? [],
  isAllowedAddress: (address) => address === '127.0.0.1' || isPublicAddress(address),
};
const url = (path: string) => `http://events.test:${port}${path}`;

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PageFetchError) return error.reason;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('which addresses are public', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['172.32.0.1', true],
    ['192.168.0.10', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['not an ip', false],
    // The same addresses written otherwise (as the URL parser and resolvers hand them over)
    ['::ffff:7f00:1', false],
    ['::ffff:a9fe:a9fe', false],
    ['::ffff:a00:1', false],
    ['0:0:0:0:0:ffff:127.0.0.1', false],
    ['0:0:0:0:0:0:0:1', false],
    ['0::1', false],
    ['::7f00:1', false],
    ['::127.0.0.1', false],
    ['::ffff:0:7f00:1', false],
    ['FE80::1', false],
    ['fcff::1', false],
    ['fec0::1', false],
    ['2002:7f00:1::', false],
    ['2002:5db8:d822::1', true],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', false],
    ['64:ff9b::a00:1', false],
    ['100::1', false],
    ['::ffff:5db8:d822', true],
    ['2001:4860:4860::8888', true],
  ])('%s: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it.each([
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://0x7f.1/',
    'http://0.0.0.0/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:169.254.169.254]/latest/meta-data/',
    'http://[::ffff:10.0.0.1]/',
    'http://[::127.0.0.1]/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[fc00::1]/',
    'http://[fe80::1]/',
    'http://100.64.0.1/',
  ])('refuses the private address in %s, however it is written', async (link) => {
    expect(await refusal(fetchEventPage(link, { lookup: async () => [] }))).toBe('private_address');
  });
});

describe('fetching an event page', () => {
  it('gets the page without sending cookies or credentials', async () => {
    routes['/page'] = (res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'session=1' });
      res.end('<html><title>Concert</title></html>');
    };
    seen.length = 0;
    const page = await fetchEventPage(url('/page'), local);
    expect(page).toMatchObject({ contentType: 'text/html; charset=utf-8', body: '<html><title>Concert</title></html>' });
    expect(seen[0].cookie).toBeUndefined();
    expect(seen[0].authorization).toBeUndefined();
  });

  it.each([
    ['ftp://events.test/x', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['http://user:secret@events.test/', 'credentials_in_url'],
    ['not a url', 'bad_url'],
    ['http://127.0.0.1/', 'private_address'],
    ['http://[::1]/', 'private_address'],
    ['http://169.254.169.254/latest/meta-data/', 'private_address'],
    ['http://intranet.test/', 'private_address'],
    ['http://mixed.test/', 'private_address'],
    ['http://nowhere.test/', 'unresolvable'],
  ])('refuses %s (%s)', async (link, reason) => {
    expect(await refusal(fetchEventPage(link, { lookup: local.lookup }))).toBe(reason);
  });

  it('checks every redirect again, and stops after three', async () => {
    routes['/to-intranet'] = (res) => {
      res.writeHead(302, { location: 'http://intranet.test/admin' });
      res.end();
    };
    expect(await refusal(fetchEventPage(url('/to-intranet'), local))).toBe('private_address');
    routes['/loop'] = (res) => {
      res.writeHead(301, { location: '/loop' });
      res.end();
    };
    expect(await refusal(fetchEventPage(url('/loop'), local))).toBe('too_many_redirects');
    routes['/hop'] = (res) => {
      res.writeHead(302, { location: '/page' });
      res.end();
    };
    expect((await fetchEventPage(url('/hop'), local)).url).toBe(url('/page'));
  });

  it('stops at the size cap, declared or streamed, and at the time cap', async () => {
    routes['/big'] = (res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('x'.repeat(5000));
    };
    expect(await refusal(fetchEventPage(url('/big'), { ...local, maxBytes: 1000 }))).toBe('too_large');
    routes['/stream'] = (res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'transfer-encoding': 'chunked' });
      const timer = setInterval(() => res.write('y'.repeat(500)), 5);
      res.on('close', () => clearInterval(timer));
    };
    expect(await refusal(fetchEventPage(url('/stream'), { ...local, maxBytes: 2000 }))).toBe('too_large');
    routes['/slow'] = (res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('late');
      }, 500);
    };
    expect(await refusal(fetchEventPage(url('/slow'), { ...local, timeoutMs: 100 }))).toBe('timeout');
  });

  it('stops a page whose headers come at once but whose body trickles past the time cap', async () => {
    routes['/trickle'] = (res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'transfer-encoding': 'chunked' });
      const timer = setInterval(() => res.write('z'), 20);
      res.on('close', () => clearInterval(timer));
    };
    const started = Date.now();
    expect(await refusal(fetchEventPage(url('/trickle'), { ...local, timeoutMs: 300 }))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('connects to the address that was checked, not to what the name resolves to later', async () => {
    let asked = 0;
    // First answer public-looking-but-local (allowed by this test), any later answer private: only one lookup is made.
    const rebinding: FetchPageOptions = { lookup: async () => (asked++ === 0 ? ['127.0.0.1'] : ['10.9.9.9']), isAllowedAddress: local.isAllowedAddress };
    routes['/pinned'] = (res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<title>pinned</title>');
    };
    expect((await fetchEventPage(`http://rebind.test:${port}/pinned`, rebinding)).body).toBe('<title>pinned</title>');
    expect(asked).toBe(1);
  });

  it('refuses a compressed answer it did not ask for (never inflated: no bomb, no binary text for the planner)', async () => {
    const { gzipSync } = await import('node:zlib');
    const packed = gzipSync(Buffer.from(`<html><title>Bomb</title>${' '.repeat(5_000_000)}</html>`));
    routes['/gzip'] = (res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': String(packed.length) });
      res.end(packed);
    };
    seen.length = 0;
    expect(await refusal(fetchEventPage(url('/gzip'), local))).toBe('unsupported_type');
    expect(seen[0]['accept-encoding'] ?? 'identity').toBe('identity');
  });

  it('refuses an error answer and what is not a page or a calendar', async () => {
    expect(await refusal(fetchEventPage(url('/missing'), local))).toBe('http_error');
    routes['/image'] = (res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end('png');
    };
    expect(await refusal(fetchEventPage(url('/image'), local))).toBe('unsupported_type');
  });
});

describe('what a page says about an event', () => {
  it('reads a schema.org Event from JSON-LD, in a @graph, with a Place and its address', () => {
    const jsonLd = {
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebPage', name: 'Tickets' },
        {
          '@type': 'MusicEvent',
          name: 'Jazz &amp; Blues Night',
          startDate: '2026-12-05T20:00:00+01:00',
          endDate: '2026-12-05T23:00:00+01:00',
          location: { '@type': 'Place', name: 'Blue Note', address: { streetAddress: 'Main St 1', addressLocality: 'Berlin' } },
          description: '<p>Live music</p>',
        },
      ],
    };
    const html = `<html><head><script type="application/ld+json">{broken</script><script type="application/ld+json">${JSON.stringify(jsonLd)}</script></head></html>`;
    expect(extractPageContent({ contentType: 'text/html', body: html })).toEqual({
      kind: 'event',
      event: {
        source: 'schema.org',
        title: 'Jazz & Blues Night',
        start: '2026-12-05T20:00:00+01:00',
        end: '2026-12-05T23:00:00+01:00',
        location: 'Blue Note, Main St 1, Berlin',
        description: 'Live music',
      },
    });
  });

  it('reads the first VEVENT of an iCalendar file, folded lines and escapes included', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:1@example.com',
      'SUMMARY:Team offsite\\, day one',
      'DTSTART;TZID=America/New_York:20261210T090000',
      'DURATION:PT8H',
      'LOCATION:Hudson Hall',
      'DESCRIPTION:Bring a laptop\\nand a ',
      ' charger',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    expect(extractPageContent({ contentType: 'text/calendar', body: ics })).toEqual({
      kind: 'event',
      event: {
        source: 'icalendar',
        title: 'Team offsite, day one',
        start: '2026-12-10T09:00:00',
        end: '2026-12-10T17:00',
        timeZone: 'America/New_York',
        location: 'Hudson Hall',
        description: 'Bring a laptop\nand a charger',
      },
    });
  });

  it('falls back to the title and text of a page without structured data, and to nothing for an empty one', () => {
    const html = '<html><head><title>Book club &ndash; December</title><style>p{}</style></head><body><p>We meet on Dec 9 at 7pm in the library.</p><script>track()</script></body></html>';
    const content = extractPageContent({ contentType: 'text/html', body: html });
    expect(content).toMatchObject({ kind: 'text', title: 'Book club – December' });
    expect(content.kind === 'text' && content.text).toContain('We meet on Dec 9 at 7pm in the library.');
    expect(content.kind === 'text' && content.text).not.toContain('track()');
    expect(extractPageContent({ contentType: 'text/html', body: '<html><body></body></html>' })).toEqual({ kind: 'nothing' });
    expect(extractPageContent({ contentType: 'text/calendar', body: 'BEGIN:VCALENDAR\nEND:VCALENDAR' })).toEqual({ kind: 'nothing' });
  });
});

describe('the event draft made from a page, in the user\'s zone', () => {
  it('converts a time with an offset into the user\'s zone', () => {
    const draft = eventDraftFromFound({ source: 'schema.org', title: 'Jazz', start: '2026-12-05T20:00:00+01:00', end: '2026-12-05T23:00:00+01:00' }, 'America/New_York', 'https://example.com/jazz');
    expect(draft).toMatchObject({ all_day: false, start: '2026-12-05T14:00', end: '2026-12-05T17:00', time_zone: 'America/New_York', duration_defaulted: false, notes: 'https://example.com/jazz' });
  });

  it('reads a local time in the file\'s zone, and gives the default length when there is no end', () => {
    expect(eventDraftFromFound({ source: 'icalendar', title: 'Offsite', start: '2026-12-10T09:00:00', timeZone: 'America/New_York' }, 'Europe/Berlin')).toMatchObject({
      start: '2026-12-10T15:00',
      end: '2026-12-10T16:00',
      duration_defaulted: true,
    });
  });

  it('makes dates all-day events: iCalendar ends are exclusive, schema.org ends are the last day', () => {
    expect(eventDraftFromFound({ source: 'icalendar', title: 'Fair', start: '2026-12-12', end: '2026-12-14' }, 'Europe/Berlin')).toMatchObject({ all_day: true, start: '2026-12-12', end: '2026-12-14' });
    expect(eventDraftFromFound({ source: 'schema.org', title: 'Fair', start: '2026-12-12', end: '2026-12-13' }, 'Europe/Berlin')).toMatchObject({ all_day: true, start: '2026-12-12', end: '2026-12-14' });
    expect(eventDraftFromFound({ source: 'schema.org', title: 'Birthday', start: '2026-12-12' }, 'Europe/Berlin')).toMatchObject({ all_day: true, start: '2026-12-12', end: '2026-12-13' });
  });
});

describe('a page event in the hour the clock goes back', () => {
  it('keeps its length: 00:30–01:30 UTC on 25 Oct 2026 is one hour in Berlin (02:30 CEST to 02:30 CET), not 25', () => {
    const draft = eventDraftFromFound({ source: 'icalendar', title: 'Night walk', start: '2026-10-25T00:30:00Z', end: '2026-10-25T01:30:00Z' }, 'Europe/Berlin');
    expect(draft).toMatchObject({ start: '2026-10-25T02:30', end: '2026-10-25T02:30' });
  });

  it('an all-day iCalendar event with a DURATION of days keeps them', () => {
    const body = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'SUMMARY:Fair', 'DTSTART;VALUE=DATE:20261204', 'DURATION:P3D', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    const content = extractPageContent({ contentType: 'text/calendar', body });
    expect(content.kind === 'event' && eventDraftFromFound(content.event, 'Europe/Berlin')).toMatchObject({ all_day: true, start: '2026-12-04', end: '2026-12-07' });
  });
});
