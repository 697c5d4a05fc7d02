// Set Time Zone: due dates such as "tomorrow" are counted in the user's time zone.
import type { Operation } from '../../adapter/operation';
import { timezoneSet } from '../../shared/messages/account';
import { changeTimezone } from '../../shared/users';
import { userIdField } from './fields';

export const setTimezone: Operation = {
  value: 'setTimezone',
  name: 'Set Time Zone',
  action: 'Set the time zone of a user',
  description: 'Due dates such as "tomorrow" are counted in it',
  properties: [
    userIdField,
    {
      displayName: 'Time Zone',
      name: 'timezone',
      type: 'string',
      default: '={{ $json.timezone }}',
      required: true,
      description: 'IANA name, e.g. Europe/Berlin. Due dates such as "tomorrow" are counted in it.',
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const change = await changeTimezone(store, this.getNodeParameter('userId', i), this.getNodeParameter('timezone', i));
    if (!change.ok) return { ok: false, message: change.message };
    return { ok: true, timezone: change.user.timezone, message: timezoneSet(change.user.timezone) };
  },
};
