import type { Operation } from '../../adapter/operation';
import { isPublicAddress } from '../../shared/calendar/fromUrl';
import { readEventLink } from '../../shared/calendar/link';

/**
 * Test-only: set to "loopback" on the n8n process to let Draft From Link open pages on this
 * machine (127.0.0.0/8, ::1), as the e2e suite's local event pages are. Off (unset) by default:
 * then only public addresses are ever opened. Never set it on a server that others can reach.
 */
export const LINK_LOOPBACK_ENV = 'DRAFT_ASSISTANT_TEST_ALLOW_LOOPBACK_LINKS';

const isLoopback = (address: string) => /^127\./.test(address) || address === '::1' || address === '::ffff:127.0.0.1';

// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- an operator's (test-only) setting of the n8n process
export function linkAddressCheck(env: NodeJS.ProcessEnv = process.env): (address: string) => boolean {
  if (env[LINK_LOOPBACK_ENV]?.trim().toLowerCase() === 'loopback') return (address) => isPublicAddress(address) || isLoopback(address);
  return isPublicAddress;
}

export const draftFromLink: Operation = {
  value: 'draftFromLink',
  name: 'Draft From Link',
  action: 'Read an event page',
  description:
    'Open a link (http/https, public addresses only, size and time capped) and read its event (schema.org Event or iCalendar) as an event draft in the time zone, or its text for the planner; creates nothing',
  properties: [
    { displayName: 'URL', name: 'url', type: 'string', default: '', required: true, description: 'The link the user sent' },
    { displayName: 'Time Zone', name: 'timeZone', type: 'string', default: '={{ $json.timezone || "UTC" }}', required: true, description: "The user's IANA time zone" },
  ],
  needsStore: false,
  /** One item: { ok, outcome: found | text | refused, draft?, text?, failure? }. */
  async execute(i) {
    const timeZone = String(this.getNodeParameter('timeZone', i, 'UTC')).trim() || 'UTC';
    return { ...(await readEventLink(String(this.getNodeParameter('url', i, '')), timeZone, { isAllowedAddress: linkAddressCheck() })) };
  },
};
