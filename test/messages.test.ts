// Every text a Telegram user (or the owner) reads lives in nodes/shared/messages: each one fits
// a Telegram message, values are escaped where the text goes out as HTML, and no sentence for the
// user is left in the rest of the core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import * as messages from '../nodes/shared/messages';
import { TELEGRAM_TEXT_LIMIT } from '../nodes/shared/contracts';

const root = path.join(__dirname, '..');
const shared = path.join(root, 'nodes/shared');

/** What each message function is called with here: a new function needs an entry. */
const SAMPLE_ARGUMENTS: Record<string, unknown[]> = {
  timezoneUnknown: ['Mars/Base'],
  timezoneSet: ['Europe/Berlin'],
  unknownCommand: ['frobnicate'],
  askIfTask: ['buy milk'],
  eventNeedsDay: ['buy stamps'],
  notUnderstood: ['hmm'],
  smallTalkReply: ['thanks'],
  decisionRefusal: ['not_owner'],
  moreSubtasks: [3],
  taskCreated: ['Buy milk', 2],
  clarificationQuestion: ['Which day?'],
  timeOfDayNote: ['09:00', '9am'],
  tasksRefused: ['Invalid task'],
  calendarRefused: ['Invalid event'],
  defaultDurationNote: [60],
  overlapsWith: ['19:00–20:00'],
  moveToSlotButton: ['20:00–21:00'],
  eventCreated: ['Dinner', 'Thu 3 Dec 2026, 19:00–20:00'],
  eventCreatedReply: ['Dinner', 'Thu 3 Dec 2026, 19:00–20:00'],
  'CALENDAR_PICKER.chosen': ['Work'],
  'EVENT_PLANNING.fromWords': ['on Friday, at 7:30'],
  eventCannotBeCreated: [['the end must be after the start']],
  draftCannotBeCreated: [['title is empty']],
  draftNotConfirmed: ['superseded'],
  tooLateToUndo: [10],
  healthSummary: [
    {
      commandsPerDay: 120,
      windowMinutes: 60,
      completedInWindow: 40,
      deadInWindow: 1,
      successRate: 0.97,
      averageProcessingMs: 2300,
      byStatus: { pending: 2, processing: 1, failed: 0, dead: 3 },
      oldestPendingAgeMs: 90_000,
      gemini: { calls: 1300, dailyQuota: 1500, quotaUsed: 0.87, totalTokens: 250_000 },
      googleTasks: { calls: 12, dailyQuota: 50_000, quotaUsed: 0.0002 },
      database: { backend: 'sqlite', sizeBytes: 2_500_000 },
    },
    0.8,
  ],
  formatDuration: [123_456],
  formatBytes: [2048],
  geminiModelUnavailable: ['gemini-old', 'gemini-new-lite', 'gemini-new-flash'],
  geminiKeyRejected: [403, 'API key not valid'],
  setupProblemNotice: ['Gemini rejected the API key.'],
  'planningQuestions.whatExactlyFor': ['Wed 2 Dec'],
  openTasksHeading: [3, true],
  openTaskLine: ['Buy milk', 'due tomorrow', 2],
  dueInWords: [3, 'Fri 5 Dec'],
  taskDone: ['Buy milk'],
  taskAlreadyDone: ['Buy milk'],
  taskGone: ['Buy milk'],
  undoQuestion: ['Buy milk', 2],
  undoDone: ['Buy milk', 2],
  undoKept: ['Buy milk'],
  reminderMessage: ['Call mom', '21:00'],
  reminderSnoozed: ['Call mom', 'tomorrow at 21:00'],
  reminderWhen: ['21:00', 2, 'Thu 3 Dec'],
  remindersList: [[{ title: 'Call mom', when: 'tomorrow at 21:00' }]],
  briefingNotATime: ['24:00'],
  briefingSet: ['07:30', false, 'Europe/Berlin'],
  briefingMessage: [{ day: 'Tue 1 Dec', lateSince: '07:30', overdue: [{ title: 'Pay rent', dueText: 'overdue since yesterday' }], today: ['Buy milk'], openDrafts: ['Call mom'], question: 'Which shop?', events: ['10:00 Dentist'] }],
  briefingDoneLabel: ['Buy milk'],
  'planningQuestions.whichSlashDate': ['05/06', 'Sat 5 Jun', 'Thu 6 May'],
  'planningReasoning.counted': ['tomorrow', 'Wed 2 Dec', 'Tue 1 Dec', 'Europe/Berlin', null],
  'planningReasoning.timeKept': ['15:00'],
  timeNote: ['15:00', 'at 3pm'],
  'planningQuestions.whichSubtask': ['Buy candles, Bake the cake'],
  'ROUTER_REPLIES.notSetUp': ['123456789'],
  mediaCardLine: ['photo', 'Invitation: <Sam> & party, Sat 12 Dec'],
  mediaTooBig: ['voice'],
  mediaNeedsGemini: ['photo'],
  mediaNothingFound: ['audio'],
  mediaDownloadFailed: ['voice'],
  mediaFailed: ['photo', { kind: 'rate_limited' }],
  'ERROR_NOTICE.message': ['A · Inbound Router', ' at step <b>Parse</b>', 'boom'],
};

/** Every text the messages module exports, by name (functions called with their sample). */
function allTexts(): Array<[string, string]> {
  const texts: Array<[string, string]> = [];
  const collect = (name: string, value: unknown) => {
    if (typeof value === 'string') texts.push([name, value]);
    else if (typeof value === 'function') {
      const args = SAMPLE_ARGUMENTS[name];
      if (!args) throw new Error(`messages.${name} has no sample arguments in this test`);
      collect(`${name}()`, (value as (...a: unknown[]) => unknown)(...args));
    } else if (Array.isArray(value)) value.forEach((item, i) => collect(`${name}[${i}]`, item));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) collect(`${name}.${key}`, item);
    else throw new Error(`messages.${name} is neither text nor a function returning text`);
  };
  for (const [name, value] of Object.entries(messages)) collect(name, value);
  return texts;
}

describe('messages', () => {
  const texts = allTexts();

  it('exports the texts of every audience', () => {
    expect(texts.length).toBeGreaterThan(40);
  });

  it.each(texts)('%s is a non-empty text that fits one Telegram message', (_name, text) => {
    expect(text.trim()).not.toBe('');
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
  });

  // Functions whose text goes out as Telegram HTML, with the value that must come out escaped.
  const htmlWithValue: Array<[string, (value: string) => string]> = [
    ['timezoneUnknown', messages.timezoneUnknown],
    ['timezoneSet', messages.timezoneSet],
    ['unknownCommand', messages.unknownCommand],
    ['askIfTask', messages.askIfTask],
    ['notUnderstood', messages.notUnderstood],
    ['taskCreated', (value) => messages.taskCreated(value, 0)],
    ['openTaskLine', (value) => messages.openTaskLine(value, null, 0)],
    ['taskDone', messages.taskDone],
    ['taskAlreadyDone', messages.taskAlreadyDone],
    ['taskGone', messages.taskGone],
    ['undoQuestion', (value) => messages.undoQuestion(value, 1)],
    ['undoDone', (value) => messages.undoDone(value, 0)],
    ['undoKept', messages.undoKept],
    ['reminderMessage', (value) => messages.reminderMessage(value, '21:00')],
    ['reminderSnoozed', (value) => messages.reminderSnoozed(value, 'at 22:00')],
    ['remindersList', (value) => messages.remindersList([{ title: value, when: 'at 22:00' }])],
    ['briefingNotATime', messages.briefingNotATime],
    ['briefingMessage', (value) => messages.briefingMessage({ day: 'Tue 1 Dec', lateSince: null, overdue: [], today: [value], openDrafts: [value], question: value, events: [value] })],
    ['clarificationQuestion', messages.clarificationQuestion],
    ['tasksRefused', messages.tasksRefused],
    ['draftCannotBeCreated', (value) => messages.draftCannotBeCreated([value])],
    ['draftNotConfirmed', messages.draftNotConfirmed],
  ];

  it.each(htmlWithValue)('%s escapes the value it is given', (_name, render) => {
    const text = render('<i>Tom & "Jerry"</i>');
    expect(text).toContain('&lt;i&gt;Tom &amp; &quot;Jerry&quot;&lt;/i&gt;');
    expect(text).not.toContain('<i>Tom');
  });

  it('keeps the wording of the texts tests and users know', () => {
    expect(messages.timezoneSet('Asia/Tokyo')).toBe('🕒 Time zone set to <b>Asia/Tokyo</b>.');
    expect(messages.timezoneUnknown('Mars/Base')).toBe('&quot;Mars/Base&quot; is not a time zone I know. Use a name like Europe/Berlin or America/New_York.');
    expect(messages.decisionRefusal('wrong_card')).toBe('That button is not on the card of this draft, so I ignored it. Use the buttons under the draft itself.');
    expect(messages.decisionRefusal('drafted')).toBe('This draft is drafted.');
    expect(messages.taskCreated('Buy milk', 1)).toBe('✅ Task created successfully!\n<b>Buy milk</b>\nwith 1 subtask');
    expect(messages.draftNotConfirmed('cancelled')).toBe('This draft was cancelled, so nothing was created.');
  });
});

// ---------------------------------------------------------------- no user text outside messages/

/** Files whose sentences are not for a Telegram user. */
const NOT_FOR_USERS: Record<string, string> = {
  'gemini/prompts.ts': 'prompts: Gemini reads them',
  'gemini/schemas.ts': 'schema descriptions: Gemini reads them',
  'gemini/options.ts': 'the credential hint of an InputError',
};

/** Arguments (by position) that carry text for the workflow's builder or the log, not the user. */
const DEVELOPER_ARGUMENTS: Record<string, number[]> = {
  refuse: [2], // tasks/undo.ts: Failure.message
  unplannable: [0], // gemini/planner.ts: Failure.message
  notConfigured: [0], // gemini/call.ts: Failure.message
  requireQuota: [1], // operations/health.ts: names a node parameter in an InputError
  reopenConfirmedDraft: [3], // the audit row's reason
  recordAudit: [1],
  audit: [1, 2],
};

/** Properties and variables whose text is for developers (Failure.message, audit details). */
const DEVELOPER_NAMES = new Set(['message', 'reason', 'error']);

const SQL = /^\s*(SELECT|WITH|UPDATE|INSERT|DELETE|CREATE|PRAGMA|CASE|WHEN|CAST|COALESCE|VACUUM|BEGIN|FOR UPDATE|INTEGER|BIGINT)\b/;

/** Reads like a sentence: starts with a capital or an emoji and has three words or more. */
function isSentence(text: string): boolean {
  if (SQL.test(text)) return false;
  return /^[A-Z\u2190-\u2BFF\u{1F300}-\u{1FAFF}]\S* +\S+ +\S+/u.test(text) && /[a-z]/.test(text);
}

function calleeName(call: ts.CallExpression | ts.NewExpression): string {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return '';
}

/** Whether the literal is text for developers: an error, a Failure.message, SQL, an audit row. */
function isForDevelopers(node: ts.Node): boolean {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isThrowStatement(parent)) return true;
    if (ts.isNewExpression(parent) && /Error$/.test(calleeName(parent))) return true;
    if (ts.isCallExpression(parent)) {
      // super(...) in a constructor: the message of an error class.
      if (parent.expression.kind === ts.SyntaxKind.SuperKeyword) return true;
      const positions = DEVELOPER_ARGUMENTS[calleeName(parent)];
      const at = parent.arguments.indexOf(child as ts.Expression);
      if (positions && (at < 0 || positions.includes(at))) return true;
    }
    if ((ts.isPropertyAssignment(parent) || ts.isVariableDeclaration(parent)) && ts.isIdentifier(parent.name) && DEVELOPER_NAMES.has(parent.name.text)) return true;
    if (ts.isStatement(parent)) return false;
  }
  return false;
}

function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => `x${span.literal.text}`)].join('');
  return null;
}

function userSentences(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    const text = literalText(node);
    if (text !== null) {
      if (isSentence(text) && !isForDevelopers(node)) found.push(`${path.relative(shared, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text.slice(0, 80)}`);
      if (ts.isTemplateExpression(node)) node.templateSpans.forEach((span) => visit(span.expression));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function coreFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'messages' ? [] : coreFiles(full);
    return entry.name.endsWith('.ts') && !(path.relative(shared, full) in NOT_FOR_USERS) ? [full] : [];
  });
}

describe('user text outside nodes/shared/messages', () => {
  it('is none: every sentence in the core is for developers or comes from messages/', () => {
    expect(coreFiles(shared).flatMap(userSentences)).toEqual([]);
  });

  it('is found by the scan (a user sentence in the core is reported)', () => {
    const probe = path.join(root, 'test', '.messages-probe.ts');
    fs.writeFileSync(
      probe,
      [
        "export const reply = 'Your task is saved and I will try again.';",
        "export function fail(): never { throw new Error('This is for the log only'); }",
        "export const failure = { message: 'Gemini rate limit: slow down', userMessage: `Please wait ${1} more minutes.` };",
      ].join('\n'),
    );
    try {
      expect(userSentences(probe).map((line) => line.replace(/^.*?:\d+: /, ''))).toEqual(['Your task is saved and I will try again.', 'Please wait x more minutes.']);
    } finally {
      fs.unlinkSync(probe);
    }
  });
});
