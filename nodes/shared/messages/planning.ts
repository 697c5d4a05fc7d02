// What the offline planner says to the user: questions, date reasoning and suggested steps.
// Dates in here are already in words ("Wed 2 Dec"), never ISO.

export const OFFLINE_MARK = 'Drafted offline without Gemini.';

export const planningQuestions = {
  whatExactly: 'What exactly should I put on your list?',
  whatExactlyFor: (day: string) => `What should I put on your list for ${day}?`,
  whichTask: 'Which task should I change?',
  /** An edit the offline planner could not read: nothing was changed. */
  howToChange: 'How should I change the draft? For example: "make it Friday", "rename to Buy oat milk", "add a subtask: pack snacks", "no subtasks" or "add a note: …".',
  newTitle: 'What should the new title be?',
  whichSubtask: (current: string) => (current ? `Which subtask should I remove? The draft has: ${current}.` : 'The draft has no subtasks. What should I change?'),
  whichSlashDate: (written: string, first: string, second: string) => `Which day do you mean by "${written}": ${first} or ${second}?`,
};

export const planningReasoning = {
  noDate: 'No date was mentioned, so there is no due date.',
  removed: 'The due date was removed as requested.',
  /** "tomorrow → Wed 2 Dec (counted from Tue 1 Dec, Europe/Berlin)." */
  counted: (words: string, due: string, today: string, timeZone: string, rule: string | null) =>
    `"${words}" → ${due}${rule ? ` (${rule})` : ''}, counted from ${today} in ${timeZone}.`,
  timeKept: (clock: string) => ` The time of day (${clock}) is kept in the notes because Google Tasks stores dates only.`,
  nextWeekday: 'the first such day after today',
  thisWeekday: 'the coming one',
};

export const timeNote = (clock: string, written: string) => `Time: ${clock} ("${written}").`;

/** Suggested steps for kinds of request people commonly plan; the last entry fits any plan. */
export const SUBTASK_TEMPLATES: Array<{ pattern: RegExp; subtasks: string[] }> = [
  { pattern: /\b(birthday|party|celebration|anniversary)\b/i, subtasks: ['Draw up the guest list', 'Send the invitations', 'Order or bake the cake', 'Buy decorations and supplies', 'Plan food and drinks'] },
  { pattern: /\b(trip|vacation|holiday|travel|flight)\b/i, subtasks: ['Book transport', 'Book accommodation', 'Make a packing list', 'Pack'] },
  { pattern: /\b(move|moving|relocat\w*)\b/i, subtasks: ['Get packing boxes', 'Book a moving van or movers', 'Update your address', 'Pack room by room'] },
  { pattern: /\b(wedding)\b/i, subtasks: ['Set the budget', 'Choose the venue', 'Send save-the-dates', 'Book catering'] },
  { pattern: /\b(dinner|bbq|barbecue|potluck)\b.*\b(friends|guests|people|family)\b|\bhost\w*\b/i, subtasks: ['Invite the guests', 'Plan the menu', 'Shop for ingredients'] },
  { pattern: /\b(presentation|talk|pitch)\b/i, subtasks: ['Outline the content', 'Prepare the slides', 'Rehearse'] },
  { pattern: /\b(interview)\b/i, subtasks: ['Research the company and the role', 'Prepare answers to common questions', 'Prepare your own questions', 'Plan the route and the outfit'] },
  { pattern: /\b(exams?|finals)\b/i, subtasks: ['List the topics', 'Make a study plan', 'Do practice questions', 'Review the weak spots'] },
  { pattern: /\b(renovat\w*|redecorat\w*|remodel\w*|makeover)\b/i, subtasks: ['Decide what to change', 'Set a budget', 'Get quotes or buy materials', 'Schedule the work'] },
  { pattern: /\b(offsite|retreat|conference|workshop|meetup)\b/i, subtasks: ['Set the goals and the budget', 'Pick the date and the venue', 'Invite the participants', 'Draft the agenda'] },
  { pattern: /^\s*(?:please\s+)?(?:plan|organi[sz]e|prepare|arrange|set up)\b/i, subtasks: ['Decide what the result should be', 'List what needs to be done', 'Put the steps in the calendar'] },
];
