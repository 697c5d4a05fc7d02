// Every operation of the Event Executor node. The Operation dropdown, the fields and the router
// are derived from this list: a new operation is its own file, imported and listed here once.
import type { Operation } from '../../adapter/operation';
import { checkConflicts } from './checkConflicts.operation';
import { createEvent } from './createEvent.operation';
import { draftFromLink } from './draftFromLink.operation';
import { listCalendars } from './listCalendars.operation';
import { listEvents } from './listEvents.operation';
import { listUserEvents } from './listUserEvents.operation';
import { setCalendar } from './setCalendar.operation';

// In the Operation dropdown's order (alphabetical by label).
export const operations: readonly Operation[] = [checkConflicts, createEvent, draftFromLink, listCalendars, listEvents, listUserEvents, setCalendar];
