// The deterministic local stand-in for Gemini: simple rules for intents and a chrono-node
// based parser for task drafts. It runs when the node's fallback is on (the playground,
// or Gemini unreachable / out of quota) and also powers the scripted emulator in tests.
// It is deliberately plain: a usable draft, clearly marked, never a clever guess.
import * as chrono from 'chrono-node';
import {
  addDays,
  addMonthsClamped,
  daysInMonth,
  easterSunday,
  endOfMonth,
  formatDate,
  humanDate,
  nextDayOfMonth,
  nextMonthDay,
  nextYearly,
  nthWeekdayOfMonth,
  resolveWeekday,
  slashOrderFor,
  weekdayIndex,
  type WeekdayReading,
} from './dates';
import { clipText, sliceWhole } from '../text';
import { NOTES_MAX_CHARS, TITLE_MAX_CHARS, type CompleteTaskDraft } from '../draft/taskDraft';
import { OFFLINE_MARK, planningQuestions, planningReasoning, SUBTASK_TEMPLATES, timeNote as planningTimeNote } from '../messages/planning';
import type { Intent, PlannerReply } from './schemas';

export { OFFLINE_MARK };

// ---------------------------------------------------------------- intents

export interface IntentContext {
  awaitingEdit: boolean;
  pendingQuestion: string;
}

export interface LocalIntent {
  intent: Intent;
  confidence: number;
  parameters: { task_description?: string; instruction?: string; answer?: string };
}

const CANCEL_PATTERN = /^(cancel|stop|abort|never\s?mind|forget (it|that)|no,? thanks|discard( it| the draft)?|don'?t bother)\b[\s.!]*$/i;
const HELP_PATTERN = /^(help|\?+|what can you do\??|how does this work\??|commands)[\s.!?]*$/i;
const SMALL_TALK_PATTERN =
  /^(hi|hello|hey|hiya|yo|howdy|hallo|servus|moin|hola|salut|bonjour|bonsoir|ciao|thanks|thank you|thanks a lot|many thanks|thank you very much|thx|ty|cheers|danke|danke schön|vielen dank|gracias|muchas gracias|merci|merci beaucoup|ok|okay|cool|great|nice|perfect|alright|got it|good (morning|afternoon|night|evening)|guten (morgen|tag|abend)|buenos d[ií]as|buenas (tardes|noches)|how are you)(?![\p{L}])[\s.!?]*$/iu;
const LIST_PATTERN =
  /^(?:\/list|(?:please\s+)?(?:show|list|give|tell)(?: me)?(?: all)? (?:my|the)(?: open| current)? (?:tasks|to-?dos|list)|what(?:['’]s| is) on my (?:list|to-?do list|plate)|what(?: do| else do)? i (?:have|need) to do(?: today)?|my (?:tasks|list)|(?:open|my open) tasks)[\s.!?]*$/i;
const UNDO_PATTERN = /^(?:undo|undo (?:that|it|this|the last(?: one| task)?)|take (?:that|it) back|revert that)[\s.!?]*$/i;

/** Politeness and hedges before the instruction itself ("can you", "actually", "no,"). */
const EDIT_LEAD = /^(?:(?:ok(?:ay)?|oh|hmm|no,|sorry|actually|please|pls|and|but|can you|could you|would you|i mean|wait)[\s,!.]+)+/i;
/** Field words of a draft: "change the title", "move the date", "remove the subtask". */
const FIELD = '(?:title|name|date|due date|deadline|due|day|time|sub-?tasks?|steps?|notes?|description|task|draft|reminder|it|that|this|them)';
/**
 * Openings that are edits whatever follows. Verbs that also start errands ("move the couch",
 * "change the oil", "set up the printer", "drop the kids") count only with a word about the draft.
 */
/** The word ends here (unlike \b, also after "plutôt" or "schön"). */
const WORD_END = '(?![\\p{L}\\p{N}])';
const REVISION_START = new RegExp(
  '^(?:' +
    [
      'make (?:it|that|this)',
      `make the ${FIELD}${WORD_END}`,
      'rename',
      '(?:call|name|title) it',
      'retitle',
      'the (?:title|name|date|due date|deadline) (?:is|should be)',
      `(?:change|move|set|put|shift|push|pull|bring|switch|update|edit|fix) (?:(?:the|its|my) )?${FIELD}${WORD_END}`,
      `(?:change|move|set|put|shift|push|pull|bring) (?:it )?(?:back|forward|to|for|on|until)${WORD_END}`,
      `(?:remove|delete|drop|clear|cut|skip|get rid of|take out|take off|cross off) (?:(?:the|all|all the|its|that|this) )?(?:(?:first|second|third|last|other) )?${FIELD}${WORD_END}`,
      `(?:remove|delete|drop|cut|take out|cross off) (?!.*(?<![\\p{L}\\p{N}])(?:from|at|of|off|in|on)${WORD_END})\\S+`,
      `add${WORD_END}`,
      `also${WORD_END}`,
      `plus${WORD_END}`,
      `include${WORD_END}`,
      'no (?:sub-?tasks?|steps|due date|date|deadline|notes?|time)',
      'without (?:a |any |the )?(?:sub-?tasks?|steps|due date|date|deadline|notes?)',
      `note${WORD_END}`,
      `instead${WORD_END}`,
      `rather${WORD_END}`,
      `due${WORD_END}`,
      'postpone',
      'reschedule',
      'delay (?:it|that)',
      // German, Spanish, French
      'mach (?:es|das|den)', `(?:ändere|änder|verschieb|verschiebe|benenne|nenn|füge|entferne|lösche)${WORD_END}`, `lieber${WORD_END}`, `stattdessen${WORD_END}`, `doch${WORD_END}`, 'keine (?:unteraufgaben|schritte)', 'ohne (?:datum|unteraufgaben)',
      `(?:cambia|cámbialo|cambialo|cámbiala|ponlo|ponla|muévelo|muevelo|pásalo|llámalo|llamalo|añade|agrega|quita|elimina|borra)${WORD_END}`, `mejor${WORD_END}`, 'en (?:vez|lugar) de', 'sin (?:fecha|subtareas)',
      `(?:mets|mettez|change[rz]|déplace|deplace|renomme|appelle-le|ajoute|enlève|enleve|supprime|retire)${WORD_END}`, `plutôt${WORD_END}`, `plutot${WORD_END}`, 'sans (?:date|sous-tâches)',
    ].join('|') +
    ')',
  'iu',
);
/** Words that carry no request of their own around a date: "tomorrow instead", "Friday please". */
const DATE_FILLER = /^(?:instead|rather|then|please|pls|actually|maybe|better|no|ok|okay|sorry|the|on|for|to|by|at|it|make it|lieber|stattdessen|doch|besser|am|mejor|el|la|en vez|plutôt|plutot|le|is better|would be better|works better)$/iu;
/** A fixed day to read date words against: only which words name a date matters here. */
const CLASSIFY_REFERENCE: ReferencePoint = { date: '2026-01-05' };

/** Only a day or a time, with nothing else to do: "tomorrow instead", "Friday", "at 5pm". */
function namesOnlyADate(text: string): boolean {
  const mention = findDateMention(text, CLASSIFY_REFERENCE);
  if (!mention) return false;
  const rest = withoutMention(text, mention).replace(/[^\p{L}\p{N}\s'-]/gu, ' ').trim().split(/\s+/).filter(Boolean);
  return rest.every((word) => DATE_FILLER.test(word));
}

/** An instruction about the draft, rather than a request with its own action and object. */
export function isRevisionInstruction(text: string): boolean {
  const core = text.trim().replace(EDIT_LEAD, '').trim();
  return REVISION_START.test(core) || namesOnlyADate(core);
}

/** A message that is just a link (to an event page). */
const LINK_ONLY = /^<?https?:\/\/[^\s<>]+>?$/i;
/** Words of a calendar event (not of a task to do). */
const EVENT_WORDS =
  /(?<![\p{L}])(?:meeting|meet up|meetup|dinner|lunch|breakfast|brunch|appointment|appt|birthday|bday|anniversary|concert|party|wedding|conference|interview|drinks with|coffee with|date with)(?![\p{L}])/iu;
/** A request that starts with a thing to do is a task, whatever it mentions ("Plan Sam's birthday party", "buy a birthday cake"). */
const TASK_VERB_START =
  /^(?:please\s+)?(?:remind me to|rsvp|reply to|respond to|answer|plan|buy|get|prepare|organi[sz]e|book|send|write|order|make|pick up|pick|clean|finish|pay|email|text|ask|call|phone|ring|bake|wrap|invite|reserve|cancel|confirm|find|look up|check|renew|return|fix)(?![\p{L}])/iu;
const DURATION_WORDS = /(?<![\p{L}\p{N}])for\s+(?:\d+(?:[.,]\d+)?|an?|one|two|three|half an?)\s*(?:hours?|hrs?|h|minutes?|mins?)(?![\p{L}])/iu;

/** A clear event request: event words and a day or time (or a length), not a thing to do. */
export function isEventRequest(text: string): boolean {
  const trimmed = text.trim();
  if (TASK_VERB_START.test(trimmed)) return false;
  const when = findDateMention(trimmed, { date: '2026-01-01' }) !== null;
  return (EVENT_WORDS.test(trimmed) && when) || (DURATION_WORDS.test(trimmed) && when);
}

export function isLinkOnly(text: string): boolean {
  return LINK_ONLY.test(text.trim());
}

export function classifyLocally(text: string, context: IntentContext): LocalIntent {
  const trimmed = text.trim();
  if (CANCEL_PATTERN.test(trimmed)) return { intent: 'cancel', confidence: 0.95, parameters: {} };
  if (HELP_PATTERN.test(trimmed)) return { intent: 'help', confidence: 0.95, parameters: {} };
  if (LIST_PATTERN.test(trimmed)) return { intent: 'list_tasks', confidence: 0.9, parameters: {} };
  if (UNDO_PATTERN.test(trimmed)) return { intent: 'undo_last', confidence: 0.9, parameters: {} };
  if (SMALL_TALK_PATTERN.test(trimmed)) return { intent: 'small_talk', confidence: 0.9, parameters: {} };
  if (context.pendingQuestion.trim()) return { intent: 'answer_clarification', confidence: 0.85, parameters: { answer: trimmed } };
  if (!/[\p{L}\p{N}]/u.test(trimmed)) return { intent: 'unknown', confidence: 0.3, parameters: {} };
  if (isLinkOnly(trimmed)) return { intent: 'event_from_url', confidence: 0.85, parameters: { task_description: trimmed.replace(/^<|>$/g, '') } };
  const revision = isRevisionInstruction(trimmed);
  const newRequest: LocalIntent = isEventRequest(trimmed)
    ? { intent: 'create_event', confidence: 0.8, parameters: { task_description: trimmed } }
    : { intent: 'create_task', confidence: 0.8, parameters: { task_description: trimmed } };
  // In edit mode the message decides: an instruction about the draft, or a request of its own.
  if (context.awaitingEdit) {
    return revision ? { intent: 'revise_draft', confidence: 0.85, parameters: { instruction: trimmed } } : newRequest;
  }
  if (revision && trimmed.split(/\s+/).length <= 6) {
    // Sounds like an edit, but no draft awaits one: ask rather than guess.
    return { intent: 'revise_draft', confidence: 0.4, parameters: { instruction: trimmed } };
  }
  return newRequest;
}

// ---------------------------------------------------------------- dates
//
// Our own rules read the phrasings people use most (relative days, weekdays, ordinal days,
// month/quarter/year ends, holidays, numeric dates per region), in English, German, Spanish
// and French; chrono-node reads the rest (month names, other languages). Every rule counts
// from the user's local date.

export interface TextSpan {
  index: number;
  length: number;
}

export interface DateMention {
  /** The words that named the date, as written. */
  text: string;
  index: number;
  date: string;
  /** The time of day exactly as written ("at 5pm"), when the user gave one. */
  timeText: string | null;
  hour: number | null;
  minute: number | null;
  /** Every stretch of the text that named the date or the time, to take out of the title. */
  spans: TextSpan[];
  /** How a rule chose between readings ("the first such day after today"), for the reasoning. */
  rule: string | null;
  /** Both readings of a numeric date the user's region does not settle ("12/03" in UTC). */
  alternatives: [string, string] | null;
  /** Only a time of day was given ("at 5pm"): `date` is today or tomorrow by the clock. */
  timeOnly: boolean;
}

export interface ReferencePoint {
  /** The user's local date (YYYY-MM-DD). */
  date: string;
  /** Minutes since local midnight; 0 when unknown, so "at 9am" stays on the given date. */
  minutesIntoDay?: number;
}

/** Letters or digits do not continue the word (works for "mañana" and "à", unlike \b). */
const END = '(?![\\p{L}\\p{N}])';
const START = '(?<![\\p{L}\\p{N}])';

function words(list: string[]): string {
  return [...list].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+').replace(/'/g, "['’]")).join('|');
}

function pattern(source: string): RegExp {
  return new RegExp(`${START}(?:${source})${END}`, 'giu');
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  'a couple of': 2, 'couple of': 2, 'a few': 3,
  ein: 1, eine: 1, einem: 1, einer: 1, zwei: 2, drei: 3, vier: 4, 'fünf': 5, sechs: 6, sieben: 7, acht: 8, zehn: 10,
  un: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, diez: 10,
  une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, sept: 7, dix: 10,
};
const NUMBER = `\\d{1,3}|${words(Object.keys(NUMBER_WORDS))}`;

function toNumber(text: string): number {
  const key = text.toLowerCase().replace(/\s+/g, ' ');
  return NUMBER_WORDS[key] ?? Number(key);
}

const UNITS: Array<[RegExp, 'days' | 'weeks' | 'fortnights' | 'months' | 'years']> = [
  [/^(days?|tage?n?|d[ií]as?|jours?)$/i, 'days'],
  [/^(weeks?|wochen?|semanas?|semaines?)$/i, 'weeks'],
  [/^fortnights?$/i, 'fortnights'],
  [/^(months?|monate?n?|mes(es)?|mois)$/i, 'months'],
  [/^(years?|jahre?n?|a[ñn]os?|ans?|ann[ée]es?)$/i, 'years'],
];
const UNIT = 'days?|weeks?|fortnights?|months?|years?|tagen|tage|tag|wochen|woche|monaten|monate|monat|jahren|jahre|jahr|días|dias|día|dia|semanas|semana|meses|mes|años|anos|año|jours|jour|semaines|semaine|mois|années|annees|année|ans|an';

function shift(today: string, count: number, unitText: string): string {
  const unit = UNITS.find(([test]) => test.test(unitText))?.[1] ?? 'days';
  if (unit === 'days') return addDays(today, count);
  if (unit === 'weeks') return addDays(today, 7 * count);
  if (unit === 'fortnights') return addDays(today, 14 * count);
  if (unit === 'months') return addMonthsClamped(today, count);
  return addMonthsClamped(today, 12 * count);
}

const WEEKDAY_NAMES: Record<string, number> = {
  sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6,
  sonntag: 0, montag: 1, dienstag: 2, mittwoch: 3, donnerstag: 4, freitag: 5, samstag: 6, sonnabend: 6,
  domingo: 0, lunes: 1, martes: 2, 'miércoles': 3, miercoles: 3, jueves: 4, viernes: 5, 'sábado': 6, sabado: 6,
  dimanche: 0, lundi: 1, mardi: 2, mercredi: 3, jeudi: 4, vendredi: 5, samedi: 6,
};
/** Short English forms are ordinary words too ("sat", "sun"): they count only after "on"/"next"… or at the end. */
const SHORT_WEEKDAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, tues: 2, wed: 3, thu: 4, thur: 4, thurs: 4, fri: 5, sat: 6 };
const ENGLISH_WEEKDAYS = new Set(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']);

function weekdayOf(name: string): number | undefined {
  const key = name.toLowerCase().replace(/\.$/, '');
  return WEEKDAY_NAMES[key] ?? SHORT_WEEKDAYS[key];
}

const WEEKDAY = words([...Object.keys(WEEKDAY_NAMES), ...Object.keys(SHORT_WEEKDAYS)]);
const NEXT_BEFORE = words(['next', 'coming', 'this coming', 'the coming', 'nächsten', 'nächste', 'nächster', 'kommenden', 'kommende', 'el próximo', 'el proximo', 'próximo', 'proximo', 'la próxima', 'el siguiente']);
const THIS_BEFORE = words(['this', 'on', 'by', 'until', 'till', 'am', 'bis', 'diesen', 'el', 'este', 'ce', 'le']);
const NEXT_AFTER = words(['prochain', 'prochaine', 'que viene']);

const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6, july: 7, jul: 7,
  august: 8, aug: 8, september: 9, sept: 9, sep: 9, october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};
const MONTH = words(Object.keys(MONTHS));
const FOREIGN_MONTHS = words(['januar', 'jänner', 'februar', 'märz', 'mai', 'juni', 'juli', 'oktober', 'dezember', 'enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'setiembre', 'octubre', 'noviembre', 'diciembre', 'janvier', 'février', 'mars', 'avril', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']);
const ORDINAL_SUFFIX = '(?:st|nd|rd|th)';

const ORDINAL_WORDS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19,
  twentieth: 20, 'twenty-first': 21, 'twenty-second': 22, 'twenty-third': 23, 'twenty-fourth': 24, 'twenty-fifth': 25, 'twenty-sixth': 26,
  'twenty-seventh': 27, 'twenty-eighth': 28, 'twenty-ninth': 29, thirtieth: 30, 'thirty-first': 31,
};

/** Holidays by name; only after a preposition, or standing alone ("Christmas Eve: wrap presents"), since "the Christmas tree" names no day. */
const HOLIDAYS: Array<{ names: string[]; date: (year: number) => string }> = [
  { names: ['christmas eve', 'xmas eve', 'heiligabend', 'heiligen abend', 'heiliger abend', 'nochebuena', 'réveillon de noël', 'veille de noël'], date: (y) => formatDate(y, 12, 24) },
  { names: ['christmas', 'christmas day', 'xmas', 'weihnachten', 'navidad', 'noël', 'noel'], date: (y) => formatDate(y, 12, 25) },
  { names: ['boxing day', 'stephanstag', 'zweiter weihnachtstag'], date: (y) => formatDate(y, 12, 26) },
  { names: ["new year's eve", 'new years eve', 'silvester', 'nochevieja', 'saint-sylvestre', 'la saint-sylvestre', 'réveillon du nouvel an'], date: (y) => formatDate(y, 12, 31) },
  { names: ["new year's day", 'new years day', 'neujahr', 'neujahrstag', 'año nuevo', "jour de l'an", "le jour de l'an", 'nouvel an'], date: (y) => formatDate(y, 1, 1) },
  { names: ['halloween'], date: (y) => formatDate(y, 10, 31) },
  { names: ["valentine's day", 'valentines day', 'valentine’s day', 'valentinstag', 'san valentín', 'saint-valentin', 'la saint-valentin'], date: (y) => formatDate(y, 2, 14) },
  { names: ["st patrick's day", "st. patrick's day", "saint patrick's day"], date: (y) => formatDate(y, 3, 17) },
  { names: ['easter', 'easter sunday', 'ostern', 'ostersonntag', 'pascua', 'domingo de pascua', 'pâques'], date: (y) => easterSunday(y) },
  { names: ['good friday', 'karfreitag', 'viernes santo', 'vendredi saint'], date: (y) => addDays(easterSunday(y), -2) },
  { names: ['easter monday', 'ostermontag', 'lunes de pascua', 'lundi de pâques'], date: (y) => addDays(easterSunday(y), 1) },
  { names: ['thanksgiving', 'thanksgiving day'], date: (y) => nthWeekdayOfMonth(y, 11, 4, 4) },
];
const HOLIDAY_LEAD = words(['on', 'by', 'for', 'at', 'until', 'till', 'over', 'before', 'an', 'zu', 'für', 'bis', 'vor', 'en', 'para', 'antes de', 'à', 'pour', 'avant']);

/** Prepositions (and "the") that belong to a date ("on the 15th", "am Freitag", "pour Noël"): removed with it from the title. */
const LEADING_PREPOSITION = new RegExp(`${START}(?:(?:sometime|some\\s+time|every|each|on|by|for|at|until|till|due|from|starting|am|an|um|bis|zum|zu|für|el|para|en|à|au|pour|le|dès|ab)\\s+)?(?:the\\s+)?$`, 'iu');

interface Candidate {
  index: number;
  text: string;
  date: string | null;
  rule?: string | null;
  alternatives?: [string, string] | null;
  /** Chrono read a time of day and no day ("at 5pm"). */
  timeOnly?: boolean;
}

type Rule = (text: string, today: string, timeZone: string) => Candidate[];

function matches(regex: RegExp, text: string, resolve: (m: RegExpExecArray) => Omit<Candidate, 'index' | 'text'> | null): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(regex)) {
    const resolved = resolve(match as RegExpExecArray);
    if (resolved) found.push({ index: match.index, text: match[0], ...resolved });
  }
  return found;
}

function mondayOfNextWeek(today: string): string {
  return addDays(today, ((1 - weekdayIndex(today) + 7) % 7) || 7);
}

function sundayOfThisWeek(today: string): string {
  return addDays(today, (7 - weekdayIndex(today)) % 7);
}

function validDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return formatDate(year, month, day);
}

function fullYear(text: string | undefined): number | null {
  if (!text) return null;
  const value = Number(text);
  return text.length === 2 ? 2000 + value : value;
}

function onOrAfter(today: string, month: number, day: number, yearText: string | undefined): string | null {
  const year = fullYear(yearText);
  if (year !== null) return validDate(year, month, day);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? nextMonthDay(today, month, day) : null;
}

const RULES: Rule[] = [
  // Relative days in four languages.
  (text, today) =>
    matches(
      pattern(
        `(?:the\\s+)?day\\s+after\\s+tomorrow|übermorgen|pasado\\s+mañana|apr[èe]s[-\\s]demain|` +
          `(?:tomorrow|tmrw|tmr|tomorow|tommorow)(?:\\s+(?:morning|afternoon|evening|night))?|` +
          `(?:the\\s+)?end\\s+of\\s+(?:the\\s+)?(?:day|business)|eod|cob|close\\s+of\\s+business|today|tonight|this\\s+(?:morning|afternoon|evening)|heute(?:\\s+(?:abend|morgen|nachmittag|mittag|nacht))?|hoy|esta\\s+(?:noche|tarde|mañana)|` +
          `aujourd['’]hui|ce\\s+(?:soir|matin)|cet\\s+apr[èe]s-midi|` +
          `(?<!(?:guten|heute|de\\s+la|por\\s+la|la|esta)\\s+)(?:morgen|mañana|demain)(?:\\s+(?:früh|abend|nachmittag|matin|soir))?`,
      ),
      text,
      (m) => {
        const word = m[0].toLowerCase();
        const days = /day\s+after|über|pasado|apr[èe]s/.test(word) ? 2 : /^(tom|tmr|morgen|mañana|demain)/.test(word) ? 1 : 0;
        return { date: addDays(today, days) };
      },
    ),
  // "in 3 days", "in a fortnight", "in zwei Wochen", "dentro de 3 días", "dans 3 jours".
  (text, today) =>
    matches(pattern(`(?:in|within|innerhalb\\s+von|dentro\\s+de|en|dans)\\s+(${NUMBER})\\s+(${UNIT})`), text, (m) => ({ date: shift(today, toNumber(m[1]), m[2]) })),
  // "a week from Friday", "two weeks from tomorrow".
  (text, today) =>
    matches(pattern(`(${NUMBER})\\s+(days?|weeks?|fortnights?)\\s+from\\s+(today|tomorrow|now|${WEEKDAY})`), text, (m) => {
      const from = m[3].toLowerCase();
      const base = from === 'tomorrow' ? addDays(today, 1) : from === 'today' || from === 'now' ? today : resolveWeekday(today, weekdayOf(from)!, 'this');
      return { date: shift(base, toNumber(m[1]), m[2]), rule: null };
    }),
  // Weeks, months and years as wholes.
  (text, today) =>
    matches(
      pattern(
        `(?:the\\s+)?(?:end\\s+of\\s+next\\s+week)|(?:the\\s+)?end\\s+of\\s+(?:the\\s+|this\\s+)?week|` +
          `(?:the\\s+)?(?:beginning|start)\\s+of\\s+next\\s+week|early\\s+next\\s+week|next\\s+week|nächste\\s+woche|la\\s+próxima\\s+semana|la\\s+semana\\s+que\\s+viene|la\\s+semaine\\s+prochaine|` +
          `(?:the\\s+)?end\\s+of\\s+next\\s+month|ende\\s+nächsten\\s+monats|fin\\s+del\\s+próximo\\s+mes|fin\\s+du\\s+mois\\s+prochain|` +
          `(?:the\\s+)?end\\s+of\\s+(?:the\\s+|this\\s+)?month|month[-\\s]end|ende\\s+(?:des|dieses)\\s+monats|monatsende|(?:a\\s+)?fin(?:al)?\\s+de(?:l)?\\s+mes|(?:à\\s+la\\s+)?fin\\s+du\\s+mois|` +
          `(?:the\\s+)?(?:beginning|start)\\s+of\\s+next\\s+month|early\\s+next\\s+month|anfang\\s+nächsten\\s+monats|début\\s+du\\s+mois\\s+prochain|` +
          `next\\s+month|nächsten\\s+monat|el\\s+próximo\\s+mes|el\\s+mes\\s+que\\s+viene|le\\s+mois\\s+prochain|` +
          `(?:the\\s+)?end\\s+of\\s+(?:the\\s+|this\\s+)?quarter|quarter[-\\s]end|` +
          `(?:the\\s+)?end\\s+of\\s+(?:the\\s+|this\\s+)?year|year[-\\s]end|jahresende|ende\\s+des\\s+jahres|fin\\s+de(?:l)?\\s+año|fin\\s+d['’]année|fin\\s+de\\s+l['’]année`,
      ),
      text,
      (m) => {
        const words = m[0].toLowerCase().replace(/\s+/g, ' ');
        const [year, month] = today.split('-').map(Number);
        if (/end of next week/.test(words)) return { date: addDays(sundayOfThisWeek(today), 7) };
        if (/end of (the |this )?week/.test(words)) return { date: sundayOfThisWeek(today) };
        if (/week|woche|semana|semaine/.test(words)) return { date: mondayOfNextWeek(today) };
        if (/quarter/.test(words)) return { date: endOfMonth(formatDate(year, Math.ceil(month / 3) * 3, 1)) };
        if (/year|jahr|año|année/.test(words)) return { date: formatDate(year, 12, 31) };
        if (/(end|ende|fin).*(next|nächsten|próximo|prochain)/.test(words)) return { date: endOfMonth(today, 1) };
        if (/beginning|start|early|anfang|début/.test(words)) return { date: addDays(endOfMonth(today), 1) };
        if (/end|ende|fin/.test(words)) return { date: endOfMonth(today) };
        return { date: addMonthsClamped(today, 1) };
      },
    ),
  // Weekdays, per WEEKDAY_RULE: "Friday"/"this Friday" the coming one, "next Friday" the first after today.
  (text, today) =>
    matches(new RegExp(`${START}(?:(${NEXT_BEFORE})\\s+|(${THIS_BEFORE})\\s+)?(${WEEKDAY})\\.?${END}(?:\\s+(${NEXT_AFTER})${END})?`, 'giu'), text, (m) => {
      const name = m[3];
      const key = name.toLowerCase();
      const prefixed = Boolean(m[1] || m[2] || m[4]);
      const rest = text.slice(m.index + m[0].length);
      if (key in SHORT_WEEKDAYS && !prefixed && !/^\s*([.,;:!?)]|$)/.test(rest)) return null;
      // "the Friday Night Lights finale": an English weekday before a capitalised word is a name.
      if (ENGLISH_WEEKDAYS.has(key) && !prefixed && /^\s+\p{Lu}\p{Ll}/u.test(rest) && !new RegExp(`^\\s+(?:${MONTH})${END}`, 'iu').test(rest)) return null;
      // "Black Friday", "Cyber Monday", "the Sunday school": a name or a kind of thing, not a day.
      const before = text.slice(0, m.index);
      if (ENGLISH_WEEKDAYS.has(key) && !prefixed && (/\S\s+\p{Lu}\p{Ll}+\s+$/u.test(before) || /(?:^|\s)(?:black|cyber|good|ash|holy|maundy|super|blue|casual)\s+$/i.test(before) || (/(?:^|\s)the\s+$/i.test(before) && !/^\s*([.,;:!?)]|$)/.test(rest)))) return null;
      const reading: WeekdayReading = m[1] || m[4] ? 'next' : 'this';
      return { date: resolveWeekday(today, weekdayOf(name)!, reading), rule: reading === 'next' ? planningReasoning.nextWeekday : null };
    }),
  // ISO dates.
  (text) => matches(/(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])/g, text, (m) => ({ date: validDate(Number(m[1]), Number(m[2]), Number(m[3])) })),
  // Dotted dates are day first everywhere they are written (12.03., 24.12.2026).
  (text, today) =>
    matches(/(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?![\d.])/g, text, (m) => ({ date: onOrAfter(today, Number(m[2]), Number(m[1]), m[3]) })),
  // Slash dates, read as the user's region writes them; both readings when the region is unknown.
  (text, today, timeZone) =>
    matches(/(?<![\d/])(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?(?![\d/])(?!\s*(?:inch|in\b|"|”|cm|mm|m\b|cups?|tsp|tbsp|oz|lbs?|kg|g\b|miles?|km|of\b|ths?\b|pounds?))/gi, text, (m) => {
      if (m[0] === '24/7') return null;
      const [first, second] = [Number(m[1]), Number(m[2])];
      const monthFirst = onOrAfter(today, first, second, m[3]);
      const dayFirst = onOrAfter(today, second, first, m[3]);
      if (!monthFirst || !dayFirst || first === second) return monthFirst || dayFirst ? { date: (monthFirst ?? dayFirst)! } : null;
      const order = slashOrderFor(timeZone);
      if (order === 'month-first') return { date: monthFirst };
      if (order === 'day-first') return { date: dayFirst };
      return { date: dayFirst, alternatives: [dayFirst, monthFirst] };
    }),
  // English month and day: "March 3rd", "Feb 29", "May the 4th", "22nd of December", "4th of July".
  (text, today) => [
    ...matches(new RegExp(`${START}(${MONTH})\\.?\\s+(?:the\\s+)?(\\d{1,2})${ORDINAL_SUFFIX}?(?:,?\\s+(\\d{4}))?(?![\\p{L}\\p{N}]|[:.]\\d)`, 'giu'), text, (m) => ({
      date: onOrAfter(today, MONTHS[m[1].toLowerCase()], Number(m[2]), m[3]),
    })),
    ...matches(new RegExp(`${START}(?:the\\s+)?(\\d{1,2})${ORDINAL_SUFFIX}?\\s+(?:of\\s+)?(${MONTH})${END}\\.?(?:,?\\s+(\\d{4}))?`, 'giu'), text, (m) => ({
      date: onOrAfter(today, MONTHS[m[2].toLowerCase()], Number(m[1]), m[3]),
    })),
  ],
  // A day of the month: "on the 15th", "by the 22nd", "the 3rd: call the notary", "the first of the month".
  (text, today) =>
    matches(
      new RegExp(`${START}(?:(on|by|before|until|till|due|for|from)\\s+)?the\\s+(\\d{1,2}${ORDINAL_SUFFIX}|${words(Object.keys(ORDINAL_WORDS))})${END}(\\s+of\\s+(?:the|this|each|every)\\s+month)?`, 'giu'),
      text,
      (m) => {
        const rest = text.slice(m.index + m[0].length);
        const standsAlone = Boolean(m[3]) || /^\s*([.,;:!?)]|$)/.test(rest);
        if (new RegExp(`^\\s+(?:of\\s+)?(?:${MONTH})${END}`, 'iu').test(rest)) return null;
        const isWord = !/^\d/.test(m[2]);
        if (isWord ? !(m[1] && standsAlone) : !(m[1] || standsAlone)) return null;
        const day = isWord ? ORDINAL_WORDS[m[2].toLowerCase()] : parseInt(m[2], 10);
        return day >= 1 && day <= 31 ? { date: nextDayOfMonth(today, day) } : null;
      },
    ),
  // A bare day number after an article: "le 15", "el 15", "am 15." (with a month name, chrono reads it).
  (text, today) =>
    matches(new RegExp(`${START}(?:le|el|am|den|ab\\s+dem)\\s+(\\d{1,2})(?:er|\\.)?(?![\\p{N}.:,/])(?!\\s*(?:de\\s+)?(?:${FOREIGN_MONTHS}|${MONTH})${END})(?!\\s*(?:${UNIT}|uhr|h)${END})`, 'giu'), text, (m) => {
      const day = Number(m[1]);
      return day >= 1 && day <= 31 ? { date: nextDayOfMonth(today, day) } : null;
    }),
  // Holidays.
  (text, today) =>
    HOLIDAYS.flatMap((holiday) =>
      matches(pattern(`(?:(?:${HOLIDAY_LEAD})\\s+)?(${words(holiday.names)})`), text, (m) => {
        const rest = text.slice(m.index + m[0].length);
        const led = m[0].length > m[1].length;
        if (!led && !/^\s*([.,;:!?)]|$)/.test(rest)) return null;
        return { date: nextYearly(today, holiday.date) };
      }),
    ),
];

/** "Thursday, 3 December": a weekday next to the date it names is one mention; the explicit date counts. */
function mergeAdjacent(text: string, candidates: Candidate[]): Candidate | null {
  let merged = candidates[0];
  if (!merged) return null;
  for (const next of candidates.slice(1)) {
    const end = merged.index + merged.text.length;
    if (next.index < end || !/^[\s,]*$/.test(text.slice(end, next.index))) continue;
    merged = { ...next, index: merged.index, text: text.slice(merged.index, next.index + next.text.length) };
  }
  return merged;
}

/** Words that name a date but here name something else; chrono may not read them either. */
const NOT_DATES = new RegExp(`${START}(?:${MONTH}|${WEEKDAY}|next\\s+year(?=['’]s))${END}`, 'giu');

// English first; the others catch common non-English phrasings ("morgen", "demain", "mañana").
const PARSERS: Record<string, chrono.Chrono> = {
  en: chrono.en.casual, de: chrono.de.casual, fr: chrono.fr.casual, es: chrono.es.casual, pt: chrono.pt.casual, it: chrono.it.casual,
  nl: chrono.nl.casual, ja: chrono.ja.casual, zh: chrono.zh.casual, ru: chrono.ru.casual,
};

/** A plain guess at the message's language from a few common words, for chrono's locale. */
const LANGUAGE_HINTS: Record<string, RegExp> = {
  en: pattern(words(['the', 'to', 'and', 'buy', 'call', 'on', 'at', 'for', 'my', 'with', 'tomorrow', 'today', 'next', 'in', 'a'])),
  de: new RegExp(`[äöüß]|${START}(?:${words(['morgen', 'heute', 'übermorgen', 'am', 'um', 'uhr', 'bis', 'nächsten', 'nächste', 'und', 'der', 'die', 'das', 'den', 'dem', 'für', 'mit', 'kaufen', 'anrufen', 'machen', 'tagen', 'wochen', 'monat', 'abend'])})${END}`, 'giu'),
  es: new RegExp(`[ñ¿¡]|${START}(?:${words(['mañana', 'hoy', 'pasado', 'el', 'los', 'las', 'para', 'con', 'comprar', 'llamar', 'próximo', 'dentro', 'días', 'semana', 'que', 'del', 'al', 'y'])})${END}`, 'giu'),
  fr: new RegExp(`${START}(?:${words(['demain', "aujourd'hui", 'après-demain', 'les', 'du', 'des', 'pour', 'avec', 'acheter', 'appeler', 'prochain', 'prochaine', 'dans', 'jours', 'au', 'ce', 'soir', 'à', 'et'])})${END}`, 'giu'),
};

export function guessLanguage(text: string): string {
  let best = 'en';
  let bestScore = 0;
  for (const [language, hints] of Object.entries(LANGUAGE_HINTS)) {
    const score = text.match(hints)?.length ?? 0;
    if (score > bestScore) [best, bestScore] = [language, score];
  }
  return best;
}

function overlaps(a: TextSpan, b: TextSpan): boolean {
  return a.index < b.index + b.length && b.index < a.index + a.length;
}

interface TimeOfDay {
  span: TextSpan;
  text: string;
  hour: number;
  minute: number;
}

const TIME_PATTERNS: Array<{ regex: RegExp; read: (m: RegExpExecArray) => [number, number] | null }> = [
  {
    regex: /(?<![\p{L}\p{N}])(?:at|@|um|à|a\s+las|a\s+la|alle|om|vers|gegen)\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|uhr|h)?(?![\p{L}\p{N}])(?:\s+(de\s+la\s+(?:tarde|noche)|du\s+soir|de\s+l['’]apr[èe]s-midi|abends|nachmittags|in\s+the\s+(?:afternoon|evening)|at\s+night|tonight)|\s+(de\s+la\s+mañana|du\s+matin|morgens|in\s+the\s+morning))?/giu,
    read: (m) => clock(m[1], m[2], m[4] ? 'pm' : m[5] ? 'am' : m[3]),
  },
  { regex: /(?<![\p{L}\p{N}:])(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![\p{L}])/giu, read: (m) => clock(m[1], m[2], m[3]) },
  { regex: /(?<![\p{L}\p{N}:.\/])(\d{1,2}):(\d{2})(?![\p{N}:])/gu, read: (m) => clock(m[1], m[2], undefined) },
  { regex: /(?<![\p{L}\p{N}])(\d{1,2})(?:[:.](\d{2}))?\s*uhr(?![\p{L}])|(?<![\p{L}\p{N}])(\d{1,2})h(\d{2})?(?![\p{L}\p{N}])/giu, read: (m) => clock(m[1] ?? m[3], m[2] ?? m[4], 'h') },
  { regex: /(?<![\p{L}])(?:at\s+)?(noon|midday|mittags?|midi|mediodía)(?![\p{L}])/giu, read: () => [12, 0] },
];

function clock(hourText: string, minuteText: string | undefined, meridiem: string | undefined): [number, number] | null {
  let hour = Number(hourText);
  const minute = minuteText ? Number(minuteText) : 0;
  const mark = meridiem?.toLowerCase().replace(/\./g, '');
  if (mark === 'am' || mark === 'pm') {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (mark === 'pm' ? 12 : 0);
  }
  return hour <= 23 && minute <= 59 ? [hour, minute] : null;
}

function findTime(text: string, taken: TextSpan | null): TimeOfDay | null {
  for (const { regex, read } of TIME_PATTERNS) {
    for (const match of text.matchAll(regex)) {
      const span = { index: match.index, length: match[0].length };
      if (taken && overlaps(span, taken)) continue;
      const value = read(match as RegExpExecArray);
      if (value) return { span, text: match[0].trim(), hour: value[0], minute: value[1] };
    }
  }
  return null;
}

function widenToPreposition(text: string, span: TextSpan): TextSpan {
  const before = LEADING_PREPOSITION.exec(text.slice(0, span.index));
  const extra = before ? before[0].length : 0;
  return { index: span.index - extra, length: span.length + extra };
}

/**
 * Finds the first date the text mentions, resolved against the user's local date. Chrono
 * runs on a "wall clock as UTC" instant, so its answer's UTC fields are the user's local date.
 */
export function findDateMention(text: string, reference: ReferencePoint, timeZone = 'UTC'): DateMention | null {
  const today = reference.date;
  const minutesNow = reference.minutesIntoDay ?? 0;
  const candidates = RULES.flatMap((rule) => rule(text, today, timeZone)).filter((c) => c.date !== null);
  candidates.sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  let found: Candidate | null = mergeAdjacent(text, candidates);
  let chronoTime: { hour: number; minute: number; text: string } | null = null;
  if (!found) {
    const fromChrono = parseWithChrono(text, reference);
    if (fromChrono) [found, chronoTime] = fromChrono;
  }
  const dateSpan = found ? widenToPreposition(text, { index: found.index, length: found.text.length }) : null;
  const time = findTime(text, found && !chronoTime ? dateSpan : null);
  if (!found && !time) return null;
  let date = found?.date ?? null;
  if (!date) {
    // A time of day alone is today, or tomorrow once that time has passed.
    date = time!.hour * 60 + time!.minute < minutesNow ? addDays(today, 1) : today;
  }
  const spans = [dateSpan, time ? widenToPreposition(text, time.span) : null].filter((span): span is TextSpan => span !== null);
  const hour = time?.hour ?? chronoTime?.hour ?? null;
  const minute = time?.minute ?? chronoTime?.minute ?? null;
  return {
    text: found ? found.text : time!.text,
    index: found ? found.index : time!.span.index,
    date,
    timeText: time?.text ?? chronoTime?.text ?? null,
    hour,
    minute,
    spans,
    rule: found?.rule ?? null,
    alternatives: found?.alternatives ?? null,
    timeOnly: !found || found.timeOnly === true,
  };
}

function parseWithChrono(text: string, reference: ReferencePoint): [Candidate, { hour: number; minute: number; text: string } | null] | null {
  const [year, month, day] = reference.date.split('-').map(Number);
  const minutes = reference.minutesIntoDay ?? 0;
  const instant = new Date(Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60));
  const notDates = [...text.matchAll(NOT_DATES)].map((m) => ({ index: m.index, length: m[0].length }));
  const language = guessLanguage(text);
  const order = [language, ...Object.keys(PARSERS).filter((l) => l !== language)];
  for (const [position, name] of order.entries()) {
    const results = PARSERS[name]
      .parse(text, { instant, timezone: 0 }, { forwardDate: true })
      // Other locales read short English words as dates ("do" = Donnerstag, "sam" = samedi).
      .filter((r) => position === 0 || name === 'en' || r.text.length >= 4 || /\d|[^\x00-\x7F]/.test(r.text))
      // Numeric dates are ours (per region); a bare month or weekday name is a name ("March Madness", "Call May").
      .filter((r) => !r.text.includes('/') && !notDates.some((span) => overlaps(span, { index: r.index, length: r.text.length }) && !/\d/.test(r.text)));
    // "now" ("right now", "jetzt") means today, not the clock time the message was read at; a
    // real date or time elsewhere in the text wins over it.
    const result = results.find((r) => !isNow(r)) ?? results[0];
    if (!result) continue;
    const resolved = result.start.date();
    const hasTime = result.start.isCertain('hour') && !isNow(result);
    const timeOnly = hasTime && !['day', 'weekday', 'month'].some((component) => result.start.isCertain(component as chrono.Component));
    const candidate: Candidate = { index: result.index, text: result.text, date: formatDate(resolved.getUTCFullYear(), resolved.getUTCMonth() + 1, resolved.getUTCDate()), timeOnly };
    return [candidate, hasTime ? { hour: resolved.getUTCHours(), minute: resolved.getUTCMinutes(), text: result.text } : null];
  }
  return null;
}

function isNow(result: chrono.ParsedResult): boolean {
  return result.tags().has('casualReference/now');
}

export function formatClock(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** The text with the date and time words taken out. */
export function withoutMention(text: string, mention: DateMention | null): string {
  if (!mention) return text;
  let result = text;
  for (const span of [...mention.spans].sort((a, b) => b.index - a.index)) {
    result = `${result.slice(0, span.index)} ${result.slice(span.index + span.length)}`;
  }
  return result;
}

// ---------------------------------------------------------------- drafts

const FILLER_START =
  /^(ok(ay)?,?\s+|hey,?\s+|so,?\s+|please\s+|pls\s+|can you\s+|could you\s+|remind me (to|about|of)\s+|reminder:?\s*(to\s+)?|remember to\s+|don'?t forget (to\s+)?|i (need|have|want|should|must) to\s+|i need\s+|todo:?\s*|to-?do:?\s*|task:?\s*|add (a )?task:?\s*(to\s+)?|create (a )?task:?\s*(to\s+)?)+/i;
const VAGUE_WORDS = new Set(['stuff', 'things', 'thing', 'something', 'task', 'todo', 'to-do', 'reminder', 'remind me', 'it', 'this', 'that', 'do it', 'help me', 'idk', 'hmm', 'later', 'tasks', 'remember', 'asap', 'soon', 'urgent', 'important', 'whatever', 'etc',
  // A verb alone says what kind of thing, not what: "call" whom?
  'call', 'email', 'text', 'buy', 'get', 'do', 'make', 'send', 'check', 'pay', 'book', 'write', 'fix', 'ask', 'plan']);
/** "that thing", "the stuff we talked about", "deal with it later", "irgendwas", "algo", "un truc": nothing to put on a list. */
const VAGUE_PATTERN = new RegExp(
  `^(?:(?:do|handle|deal with|sort out|sort|take care of|look into|check|finish|get|mach|machen|erledigen|hacer|faire)\\s+)?` +
    `(?:(?:the|that|this|some|my|a|an|das|die|der|ein|eine|un|una|le|la|ce|cette|eso|esto|ese|lo)\\s+)?` +
    `(?:thing|things|stuff|something|it|that|this|one|irgendwas|etwas|was|sachen|zeug|ding|dinge|algo|cosa|cosas|eso|truc|trucs|chose|choses|quelque chose|ça|ca)` +
    `(?:\\s+to\\s+do)?(?:\\s+(?:we|i|you)\\s+(?:talked|spoke|discussed|mentioned|said)(?:\\s+about)?)?(?:\\s+(?:out|later|soon|asap|again|then))?$`,
  'iu',
);
const TITLE_SOFT_LIMIT = 120;

export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

export function cleanTitle(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^[\s,.;:!?-]+/, '')
    .replace(FILLER_START, '')
    .replace(/\s+(on|by|for|at|until|due|before|from|am|um|bis|für|el|para|en|à|pour|le|au)\s*$/i, '')
    .replace(/^[\s,.;:!?-]+|[\s,;:-]+$/g, '')
    .replace(/[.!]+$/, '')
    .trim();
}

function shortenTitle(title: string): string {
  if (title.length <= TITLE_SOFT_LIMIT) return title;
  const firstSentence = /^(.{10,}?[.!?])\s/.exec(title)?.[1];
  if (firstSentence && firstSentence.length <= TITLE_SOFT_LIMIT) return firstSentence.replace(/[.!]$/, '');
  return sliceWhole(title, TITLE_SOFT_LIMIT - 1).replace(/\s+\S*$/, '') + '…';
}

function isVague(title: string): boolean {
  const normalized = title.toLowerCase().replace(/[^\p{L}\p{N}\s'-]/gu, '').replace(/\s+/g, ' ').trim();
  return !normalized || VAGUE_WORDS.has(normalized) || VAGUE_PATTERN.test(normalized);
}

export interface LocalDraftInput {
  mode: 'create' | 'revise' | 'answer';
  text: string;
  reference: ReferencePoint;
  timeZone: string;
  maxSubtasks: number;
  previousDraft?: CompleteTaskDraft | null;
  question?: string;
  originalText?: string;
  /**
   * Say that Gemini was not used (true for the real fallback): once, in due_date_reasoning,
   * which the draft card shows; never in the notes, which go to Google Tasks.
   */
  markOffline: boolean;
}

const clip = clipText;

function joinNotes(...parts: Array<string | null | undefined>): string {
  return clip(parts.filter((part) => part && part.trim()).join('\n'), NOTES_MAX_CHARS);
}

function timeNote(mention: DateMention | null): string | null {
  if (!mention || mention.hour === null) return null;
  return planningTimeNote(formatClock(mention.hour, mention.minute ?? 0), mention.timeText ?? '');
}

function dateReasoning(mention: DateMention | null, input: LocalDraftInput): string {
  const offline = input.markOffline ? ` ${OFFLINE_MARK}` : '';
  if (!mention) return `${planningReasoning.noDate}${offline}`;
  const today = input.reference.date;
  const timePart = mention.hour !== null ? planningReasoning.timeKept(formatClock(mention.hour, mention.minute ?? 0)) : '';
  return `${planningReasoning.counted(mention.text.trim(), humanDate(mention.date, today), humanDate(today, today), input.timeZone, mention.rule)}${timePart}${offline}`;
}

function clarification(question: string): PlannerReply {
  return { title: '', due_date: null, due_date_reasoning: '', notes: '', subtasks: [], clarification_needed: true, clarification_question: question };
}

function draftFromRequest(text: string, input: LocalDraftInput, given?: DateMention | null): PlannerReply {
  const mention = given === undefined ? findDateMention(text, input.reference, input.timeZone) : given;
  const fullTitle = capitalize(cleanTitle(withoutMention(text, mention)));
  const today = input.reference.date;
  if (isVague(fullTitle)) {
    return clarification(mention && !mention.alternatives ? planningQuestions.whatExactlyFor(humanDate(mention.date, today)) : planningQuestions.whatExactly);
  }
  if (mention?.alternatives) {
    const [first, second] = mention.alternatives;
    return clarification(planningQuestions.whichSlashDate(mention.text, humanDate(first, today), humanDate(second, today)));
  }
  const title = clip(shortenTitle(fullTitle), TITLE_MAX_CHARS);
  const template = SUBTASK_TEMPLATES.find((entry) => entry.pattern.test(text));
  const subtasks = (template?.subtasks ?? []).slice(0, input.maxSubtasks).map((subtask) => ({ title: subtask, suggested: true }));
  return {
    title,
    due_date: mention?.date ?? null,
    due_date_reasoning: dateReasoning(mention, input),
    notes: joinNotes(timeNote(mention), title !== fullTitle ? text.trim() : null),
    subtasks,
    clarification_needed: false,
    clarification_question: null,
  };
}

// ---------------------------------------------------------------- revisions
//
// An edit is read clause by clause ("make it Friday and rename to X"); each clause must be
// understood, or nothing changes and the user gets a short question back. An instruction is
// never parked in the notes: they go to Google Tasks.

type Edit = (draft: PlannerReply) => void;
type Reading = { edit: Edit } | { question: string } | null;

const TRAILING = /[\s.!?]+$/;
const QUOTES = /^["“”'‘’]+|["“”'‘’]+$/g;
const PLEASE = '(?:\\s+please)?';
const NOTE_EDIT = /^(?:add (?:a |another )?(?:note|comment)|add to the notes|notes?|put in the notes)(?:\s+that)?\s*[:\-–]?\s*(\S.*)$/i;
const CLEAR_NOTES = new RegExp(`^(?:no|remove(?: the)?|clear(?: the)?|delete(?: the)?|drop(?: the)?)\\s+notes?${PLEASE}$`, 'i');
const NO_DATE = new RegExp(
  `^(?:(?:no|without(?: a| the| any)?|remove(?: the)?|drop(?: the)?|clear(?: the)?|delete(?: the)?|take (?:away|off|out)(?: the)?|get rid of(?: the)?)\\s+(?:due\\s+)?(?:date|deadline)|kein(?:e|en)? (?:datum|termin)|ohne datum|sin fecha|sans date)${PLEASE}$`,
  'iu',
);
const NO_TIME = new RegExp(`^(?:no|without(?: a| the)?|remove(?: the)?|drop(?: the)?|clear(?: the)?|delete(?: the)?)\\s+time(?: of day)?${PLEASE}$`, 'i');
const NO_SUBTASKS = new RegExp(
  `^(?:no|remove(?: all)?(?: the)?|drop(?: all)?(?: the)?|delete(?: all)?(?: the)?|clear(?: all)?(?: the)?|get rid of(?: all)?(?: the)?|without(?: any| the)?|keine|ohne|sin|sans)\\s+(?:sub-?tasks|steps|unteraufgaben|subtareas|sous-tâches)${PLEASE}$`,
  'iu',
);
const RENAME =
  /^(?:rename(?: it| the task| this)?(?: to| as| into)?|(?:call|name|title) it|retitle(?: it)?(?: to)?|(?:change|set|make|update) the (?:title|name)(?: to| into)?|the (?:title|name) (?:is|should be)|nenn es|benenne (?:es )?um(?: in)?|llámalo|llamalo|renómbralo|renombralo|renomme(?:-le|r)?(?: en)?|appelle-le)(?![\p{L}])\s*[:\-–]?\s*(.*)$/iu;
const ADD_SUBTASK =
  /^(?:add|also|plus|include|añade|agrega|ajoute|füge)(?![\p{L}])(?:\s+(?:a|an|another|one more|the))?(?:\s+(sub-?tasks?|steps?|items?))?(?:\s+(?:to|that says|called|named|for))?\s*[:\-–]?\s*(\S.*)$/iu;
const REMOVE_SUBTASK =
  /^(?:remove|delete|drop|take out|get rid of|cross off|cut|skip|quita|elimina|borra|entferne|lösche|enlève|supprime|retire)(?![\p{L}])(?:\s+the)?(?:\s+(?:sub-?task|step|item))?\s*[:\-–]?\s*(.*)$/iu;
const ORDINALS: Record<string, number> = { first: 0, '1st': 0, second: 1, '2nd': 1, third: 2, '3rd': 2, fourth: 3, '4th': 3, fifth: 4, '5th': 4 };
/** Words that may stand around a date in an edit without asking for anything else. */
const DATE_EDIT_WORDS = new Set(
  ('make move change set put shift push pull bring it its that this the task draft date due deadline day time to for on by until till back forward instead please pls ' +
    'actually rather then maybe better no ok okay sorry be should is as of new postpone postponed reschedule rescheduled delay a an add i mean lets let\'s say do how about what can you could would and ' +
    'mach es verschieb verschiebe auf lieber stattdessen doch besser den das am bis termin datum ändere ändern fällig cámbialo cambialo cambia ponlo ponla para mejor en vez de la el al fecha ' +
    'plutôt plutot mets mets-le le pour déplace deplace au à').split(' '),
);
const TIME_NOTE_LINE = /^Time: \d{2}:\d{2}\b.*$/;
const TIME_KEPT_SENTENCE = / ?The time of day \(\d{2}:\d{2}\) is kept in the notes because Google Tasks stores dates only\./;

function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/[^\p{L}\p{N}\s'-]/gu, ' ').split(/\s+/).filter(Boolean);
}

function setTimeNote(draft: PlannerReply, mention: DateMention): void {
  const kept = draft.notes.split('\n').filter((line) => !TIME_NOTE_LINE.test(line.trim()));
  draft.notes = joinNotes(...kept, timeNote(mention));
}

function readDateEdit(clause: string, previous: CompleteTaskDraft, input: LocalDraftInput): Reading {
  const mention = findDateMention(clause, input.reference, input.timeZone);
  if (!mention) return null;
  const titleWords = new Set(wordsOf(previous.title));
  // "move the dentist to Friday" on the draft "Dentist": the title's own words may stand too.
  if (!wordsOf(withoutMention(clause, mention)).every((word) => DATE_EDIT_WORDS.has(word) || titleWords.has(word))) return null;
  const today = input.reference.date;
  if (mention.alternatives) return { question: planningQuestions.whichSlashDate(mention.text, humanDate(mention.alternatives[0], today), humanDate(mention.alternatives[1], today)) };
  if (mention.timeOnly) {
    return {
      edit: (draft) => {
        draft.due_date ??= mention.date;
        draft.due_date_reasoning = `${draft.due_date_reasoning.replace(TIME_KEPT_SENTENCE, '')}${planningReasoning.timeKept(formatClock(mention.hour!, mention.minute ?? 0))}`.trim();
        setTimeNote(draft, mention);
      },
    };
  }
  return {
    edit: (draft) => {
      draft.due_date = mention.date;
      draft.due_date_reasoning = dateReasoning(mention, { ...input, markOffline: false });
      if (mention.hour !== null) setTimeNote(draft, mention);
    },
  };
}

function readRemoveSubtask(target: string, previous: CompleteTaskDraft): Reading {
  const listed = previous.subtasks.map((s) => s.title).join(', ');
  const name = target.replace(QUOTES, '').replace(/\s+(?:one|sub-?task|step|item)$/i, '').trim().toLowerCase();
  const ordinal = name === 'last' ? previous.subtasks.length - 1 : ORDINALS[name];
  const index = ordinal !== undefined ? ordinal : name ? previous.subtasks.findIndex((s) => s.title.toLowerCase() === name || s.title.toLowerCase().includes(name)) : -1;
  if (index < 0 || index >= previous.subtasks.length) return { question: planningQuestions.whichSubtask(listed) };
  return { edit: (draft) => void (draft.subtasks = draft.subtasks.filter((_, i) => i !== index)) };
}

function readClause(raw: string, previous: CompleteTaskDraft, input: LocalDraftInput): Reading {
  const clause = raw.trim().replace(EDIT_LEAD, '').replace(TRAILING, '').trim();
  if (!clause) return null;
  const note = NOTE_EDIT.exec(clause);
  if (note) return { edit: (draft) => void (draft.notes = joinNotes(draft.notes, raw.trim().replace(NOTE_EDIT, '$1').replace(TRAILING, ''))) };
  if (CLEAR_NOTES.test(clause)) return { edit: (draft) => void (draft.notes = '') };
  if (NO_DATE.test(clause)) {
    return {
      edit: (draft) => {
        draft.due_date = null;
        draft.due_date_reasoning = planningReasoning.removed;
      },
    };
  }
  if (NO_TIME.test(clause)) {
    return {
      edit: (draft) => {
        draft.notes = draft.notes.split('\n').filter((line) => !TIME_NOTE_LINE.test(line.trim())).join('\n');
        draft.due_date_reasoning = draft.due_date_reasoning.replace(TIME_KEPT_SENTENCE, '');
      },
    };
  }
  if (NO_SUBTASKS.test(clause)) return { edit: (draft) => void (draft.subtasks = []) };
  const rename = RENAME.exec(clause);
  if (rename) {
    const title = rename[1].replace(QUOTES, '').trim();
    if (!title) return { question: planningQuestions.newTitle };
    return { edit: (draft) => void (draft.title = clip(capitalize(title), TITLE_MAX_CHARS)) };
  }
  const date = readDateEdit(clause, previous, input);
  if (date) return date;
  const add = ADD_SUBTASK.exec(clause);
  if (add) {
    // "add subtasks: a, b and c" names several; "add a subtask to buy bread and butter" one.
    const items = add[1] && /s$/i.test(add[1]) ? add[2].split(/\s*,\s*|\s+and\s+/) : [add[2]];
    const titles = items.map((item) => capitalize(cleanTitle(item))).filter((title) => title && !isVague(title));
    if (!titles.length) return null;
    return { edit: (draft) => void (draft.subtasks = [...draft.subtasks, ...titles.map((title) => ({ title, suggested: true }))].slice(0, input.maxSubtasks)) };
  }
  const remove = REMOVE_SUBTASK.exec(clause);
  if (remove) return readRemoveSubtask(remove[1], previous);
  return null;
}

/** Every clause read, or the first question one of them raised, or null when one is not understood. */
function readClauses(clauses: string[], previous: CompleteTaskDraft, input: LocalDraftInput): { edits: Edit[] } | { question: string } | null {
  const edits: Edit[] = [];
  for (const clause of clauses) {
    const reading = readClause(clause, previous, input);
    if (!reading) return null;
    if ('question' in reading) return reading;
    edits.push(reading.edit);
  }
  return { edits };
}

const CLAUSE_SEPARATOR = /\s*(?:[,;]|\band then\b|\bthen\b|\band\b|&|\bund\b|\bet\b|\by\b)\s*/i;

/** Drafts made before the mark moved to the reasoning carried it in their notes. */
function withoutOfflineMark(notes: string): string {
  return notes.split('\n').filter((line) => line.trim() !== OFFLINE_MARK).join('\n');
}

function reviseDraft(previous: CompleteTaskDraft, instruction: string, input: LocalDraftInput): PlannerReply {
  const text = instruction.trim();
  const clauses = text.split(CLAUSE_SEPARATOR).filter((part) => part.trim());
  // Split first ("rename to X, no subtasks"); whole when a part alone means nothing ("rename to Bread and butter").
  const split = clauses.length > 1 ? readClauses(clauses, previous, input) : null;
  const reading = split && 'edits' in split ? split : readClauses([text], previous, input) ?? split;
  if (!reading) return clarification(planningQuestions.howToChange);
  if ('question' in reading) return clarification(reading.question);
  const draft: PlannerReply = { ...previous, notes: withoutOfflineMark(previous.notes), subtasks: previous.subtasks.map((s) => ({ ...s })), clarification_needed: false, clarification_question: null };
  for (const edit of reading.edits) edit(draft);
  if (input.markOffline && !draft.due_date_reasoning.includes(OFFLINE_MARK)) {
    draft.due_date_reasoning = `${draft.due_date_reasoning} ${OFFLINE_MARK}`.trim();
  }
  return draft;
}

/** Builds a planner reply (same shape Gemini returns) from local rules. */
export function draftLocally(input: LocalDraftInput): PlannerReply {
  if (input.mode === 'revise') {
    if (!input.previousDraft) return clarification(planningQuestions.whichTask);
    return reviseDraft(input.previousDraft, input.text, input);
  }
  if (input.mode === 'answer') {
    const original = input.originalText?.trim() ?? '';
    const answer = input.text.trim();
    const originalMention = findDateMention(original, input.reference, input.timeZone);
    const answerMention = findDateMention(answer, input.reference, input.timeZone);
    const originalCore = withoutMention(original, originalMention);
    if (answerMention?.alternatives) {
      const [first, second] = answerMention.alternatives;
      return clarification(planningQuestions.whichSlashDate(answerMention.text, humanDate(first, input.reference.date), humanDate(second, input.reference.date)));
    }
    // The answer's date wins (it may settle which day "05/06" was); a vague original ("stuff")
    // adds nothing but its date; a real one is completed by the answer.
    if (answerMention && !answerMention.alternatives) {
      const answerCore = withoutMention(answer, answerMention);
      const core = isVague(cleanTitle(answerCore)) ? originalCore : isVague(cleanTitle(originalCore)) ? answerCore : `${originalCore} ${answerCore}`;
      const reply = draftFromRequest(core, input, null);
      if (reply.clarification_needed) return reply;
      return { ...reply, due_date: answerMention.date, due_date_reasoning: dateReasoning(answerMention, input), notes: joinNotes(timeNote(answerMention), reply.notes) };
    }
    if (isVague(cleanTitle(originalCore))) {
      if (!originalMention) return draftFromRequest(answer, input);
      const reply = draftFromRequest(answer, input, null);
      if (reply.clarification_needed || originalMention.alternatives) return reply;
      return { ...reply, due_date: originalMention.date, due_date_reasoning: dateReasoning(originalMention, input), notes: joinNotes(timeNote(originalMention), reply.notes) };
    }
    return draftFromRequest(`${original} ${answer}`, input);
  }
  return draftFromRequest(input.text, input);
}
