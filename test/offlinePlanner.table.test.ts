// A broad phrase table for the offline planner: each row is a message, the instant it was
// sent and the user's time zone, and what a careful person would draft from it: the due date
// (or none), the title with the date words taken out, and whether we should ask instead.
// Rows run through planTask with the fallback on, the way the nodes call it.
import { planTask } from '../nodes/shared/gemini/planner';
import type { PlannerInput } from '../nodes/shared/gemini/planner';
import { OFFLINE_MARK } from '../nodes/shared/gemini/fallback';

const BER = 'Europe/Berlin';
const NY = 'America/New_York';
const LA = 'America/Los_Angeles';
const LON = 'Europe/London';
const TOK = 'Asia/Tokyo';
const AKL = 'Pacific/Auckland';
const MAD = 'Europe/Madrid';
const PAR = 'Europe/Paris';

// Reference instants (local wall clock in the comment).
const TUE = '2026-12-01T10:00:00+01:00'; // Berlin, Tue 1 Dec 2026 10:00
const TUE_NY = '2026-12-01T10:00:00-05:00'; // New York, Tue 1 Dec 2026 10:00
const TUE_EARLY = '2026-12-01T08:00:00+01:00'; // Berlin, Tue 1 Dec 2026 08:00
const TUE_LATE = '2026-12-01T23:30:00+01:00'; // Berlin, Tue 1 Dec 2026 23:30
const THU10 = '2026-12-10T10:00:00+01:00'; // Berlin, Thu 10 Dec 2026
const SUN20 = '2026-12-20T10:00:00+01:00'; // Berlin, Sun 20 Dec 2026
const FRI4 = '2026-12-04T10:00:00+01:00'; // Berlin, Fri 4 Dec 2026
const SAT5 = '2026-12-05T10:00:00+01:00'; // Berlin, Sat 5 Dec 2026
const NYE = '2026-12-31T23:30:00Z'; // New Year's Eve 23:30 UTC: already 2027 in Tokyo and Auckland
const FEB10_2027 = '2027-02-10T10:00:00+01:00'; // Wed 10 Feb 2027 (not a leap year)
const FEB10_2028 = '2028-02-10T10:00:00+01:00'; // Thu 10 Feb 2028 (leap year)
const FEB28_2028 = '2028-02-28T10:00:00+01:00'; // Mon 28 Feb 2028
const FEB29_2028 = '2028-02-29T10:00:00+01:00'; // Tue 29 Feb 2028, the leap day
const JAN31_2028 = '2028-01-31T10:00:00+01:00'; // Mon 31 Jan 2028
const JUN1_2027 = '2027-06-01T10:00:00+02:00'; // Tue 1 Jun 2027
const OCT1_NY = '2026-10-01T10:00:00-04:00'; // New York, Thu 1 Oct 2026
// Berlin springs forward on Sun 28 Mar 2027 (02:00 → 03:00).
const BER_DST_EVE = '2027-03-27T23:30:00+01:00'; // Sat 27 Mar 23:30 CET
const BER_DST_NIGHT = '2027-03-28T00:30:00+01:00'; // Sun 28 Mar 00:30 CET
const BER_DST_THU = '2027-03-25T10:00:00+01:00'; // Thu 25 Mar, before the change
// New York falls back on Sun 1 Nov 2026 (02:00 EDT → 01:00 EST).
const NY_DST_EVE = '2026-10-31T23:30:00-04:00'; // Sat 31 Oct 23:30 EDT
const NY_DST_NIGHT = '2026-11-01T01:30:00-05:00'; // Sun 1 Nov 01:30 EST (the second 01:30)

const ASK = Symbol('ask');

type Row = [text: string, sentAt: string, timeZone: string, due: string | null, title: string | typeof ASK, extra?: { time?: string; minSubtasks?: number }];

const ROWS: Row[] = [
  // ---------------------------------------------------------------- relative days
  ['buy milk tomorrow', TUE, BER, '2026-12-02', 'Buy milk'],
  ['Buy milk tomorrow.', TUE, BER, '2026-12-02', 'Buy milk'],
  ['call grandma today', TUE, BER, '2026-12-01', 'Call grandma'],
  ['renew the library books the day after tomorrow', TUE, BER, '2026-12-03', 'Renew the library books'],
  ['pay the electricity bill in 3 days', TUE, BER, '2026-12-04', 'Pay the electricity bill'],
  ['in 10 days send the contract', TUE, BER, '2026-12-11', 'Send the contract'],
  ['water the plants tonight', TUE, BER, '2026-12-01', 'Water the plants'],
  ['clean the fridge this evening', TUE, BER, '2026-12-01', 'Clean the fridge'],
  ['return the parcel by tomorrow', TUE, BER, '2026-12-02', 'Return the parcel'],
  ['buy bread tmrw', TUE, BER, '2026-12-02', 'Buy bread'],
  ['TOMORROW: call the landlord', TUE, BER, '2026-12-02', 'Call the landlord'],
  ['remind me to call John tomorrow', TUE, BER, '2026-12-02', 'Call John'],
  ["don't forget to email Sarah tomorrow", TUE, BER, '2026-12-02', 'Email Sarah'],
  ['I need to book the vet in a couple of days', TUE, BER, '2026-12-03', 'Book the vet'],
  ['buy milk tomorrow', NYE, BER, '2027-01-02', 'Buy milk'],
  ['buy milk tomorrow', NYE, LA, '2027-01-01', 'Buy milk'],
  ['buy milk tomorrow', NYE, TOK, '2027-01-02', 'Buy milk'],
  ['buy milk tomorrow', NYE, AKL, '2027-01-02', 'Buy milk'],
  ['pay rent today', '2026-11-30T18:45:00Z', 'Asia/Kolkata', '2026-12-01', 'Pay rent'],
  ['tomorrow call dad', '2026-03-08T04:30:00Z', NY, '2026-03-08', 'Call dad'],

  // ---------------------------------------------------------------- weekdays
  ['call mom on Friday', TUE, BER, '2026-12-04', 'Call mom'],
  ['call mom Friday', TUE, BER, '2026-12-04', 'Call mom'],
  ['this Friday submit the expenses', TUE, BER, '2026-12-04', 'Submit the expenses'],
  ['dentist next Friday', TUE, BER, '2026-12-04', 'Dentist'],
  ['dentist next Tuesday', TUE, BER, '2026-12-08', 'Dentist'],
  ['team lunch on Tuesday', TUE, BER, '2026-12-01', 'Team lunch'],
  ['coming Saturday clean the garage', TUE, BER, '2026-12-05', 'Clean the garage'],
  ['this coming Monday call the bank', TUE, BER, '2026-12-07', 'Call the bank'],
  ['on Monday pay the nanny', TUE, BER, '2026-12-07', 'Pay the nanny'],
  ['next Monday pay the nanny', TUE, BER, '2026-12-07', 'Pay the nanny'],
  ['Sunday: meal prep', TUE, BER, '2026-12-06', 'Meal prep'],
  ['gym on Wed', TUE, BER, '2026-12-02', 'Gym'],
  ['haircut Thu', TUE, BER, '2026-12-03', 'Haircut'],
  ['next Saturday car wash', FRI4, BER, '2026-12-05', 'Car wash'],
  ['next Friday car wash', FRI4, BER, '2026-12-11', 'Car wash'],
  ['this Friday car wash', SAT5, BER, '2026-12-11', 'Car wash'],
  ['a week from Friday send the invoices', TUE, BER, '2026-12-11', 'Send the invoices'],
  ['two weeks from Monday start the course', TUE, BER, '2026-12-21', 'Start the course'],
  ['plan the trip next week', TUE, BER, '2026-12-07', 'Plan the trip', { minSubtasks: 3 }],
  ['this weekend clean the attic', TUE, BER, '2026-12-05', 'Clean the attic'],
  ['finish the slides by the end of the week', TUE, BER, '2026-12-06', 'Finish the slides'],
  ['finish the slides by the end of next week', TUE, BER, '2026-12-13', 'Finish the slides'],
  ['call mom on Friday', TUE_NY, NY, '2026-12-04', 'Call mom'],
  ['write next year\'s goals on Monday', TUE, BER, '2026-12-07', "Write next year's goals"],

  // ---------------------------------------------------------------- ordinal days
  ['pay rent on the 1st', THU10, BER, '2027-01-01', 'Pay rent'],
  ['dentist on the 15th', THU10, BER, '2026-12-15', 'Dentist'],
  ['dentist on the 15th', SUN20, BER, '2027-01-15', 'Dentist'],
  ['the 3rd: call the notary', THU10, BER, '2027-01-03', 'Call the notary'],
  ['pay rent on the first of the month', THU10, BER, '2027-01-01', 'Pay rent'],
  ['send the report by the 22nd', THU10, BER, '2026-12-22', 'Send the report'],
  ['submit the timesheet on the 31st', FEB10_2027, BER, '2027-03-31', 'Submit the timesheet'],
  ['on the 29th water the garden', FEB10_2027, BER, '2027-03-29', 'Water the garden'],
  ['on the 29th water the garden', FEB10_2028, BER, '2028-02-29', 'Water the garden'],
  ['on the 22nd of December buy the tree', TUE, BER, '2026-12-22', 'Buy the tree'],
  ['clean the 2nd floor bathroom', TUE, BER, null, 'Clean the 2nd floor bathroom'],
  ['book flights March 3rd', TUE, BER, '2027-03-03', 'Book flights'],
  ['on Dec 24th wrap the presents', TUE, BER, '2026-12-24', 'Wrap the presents'],
  ['fireworks on the 4th of July', TUE, NY, '2027-07-04', 'Fireworks'],
  ['May the 4th: order the costume', TUE, BER, '2027-05-04', 'Order the costume'],

  // ---------------------------------------------------------------- month, quarter and year ends
  ['submit the report by end of month', TUE, BER, '2026-12-31', 'Submit the report'],
  ['submit the report by end of month', FEB10_2027, BER, '2027-02-28', 'Submit the report'],
  ['file taxes end of the month', FEB10_2028, BER, '2028-02-29', 'File taxes'],
  ['file taxes end of the month', FEB29_2028, BER, '2028-02-29', 'File taxes'],
  ['cancel the gym by the end of next month', TUE, BER, '2027-01-31', 'Cancel the gym'],
  ['pay the invoice end of next month', '2028-01-15T10:00:00+01:00', BER, '2028-02-29', 'Pay the invoice'],
  ['finish the tax paperwork by end of year', TUE, BER, '2026-12-31', 'Finish the tax paperwork'],
  ['close the books by the end of the year', JUN1_2027, BER, '2027-12-31', 'Close the books'],
  ['close the books at year end', FEB10_2027, BER, '2027-12-31', 'Close the books'],
  ['submit the forecast by the end of the quarter', FEB10_2027, BER, '2027-03-31', 'Submit the forecast'],
  ['start the diet at the beginning of next month', TUE, BER, '2027-01-01', 'Start the diet'],
  ['renew passport next month', '2026-01-31T10:00:00+01:00', BER, '2026-02-28', 'Renew passport'],
  ['renew passport next month', JAN31_2028, BER, '2028-02-29', 'Renew passport'],
  ['renew passport next month', TUE, BER, '2027-01-01', 'Renew passport'],

  // ---------------------------------------------------------------- holidays
  ['Christmas Eve: wrap presents', TUE, BER, '2026-12-24', 'Wrap presents'],
  ['call grandma on Christmas Day', TUE, BER, '2026-12-25', 'Call grandma'],
  ['send the cards by Christmas', TUE, BER, '2026-12-25', 'Send the cards'],
  ["buy party supplies for New Year's Eve", TUE, BER, '2026-12-31', 'Buy party supplies'],
  ["book brunch on New Year's Day", TUE, BER, '2027-01-01', 'Book brunch'],
  ['return the gifts on Boxing Day', TUE, LON, '2026-12-26', 'Return the gifts'],
  ['buy a costume for Halloween', TUE, BER, '2027-10-31', 'Buy a costume'],
  ["Valentine's Day: book a table", TUE, BER, '2027-02-14', 'Book a table'],
  ['visit parents at Easter', TUE, BER, '2027-03-28', 'Visit parents'],
  ['order the turkey for Thanksgiving', OCT1_NY, NY, '2026-11-26', 'Order the turkey'],
  ['Geschenke einpacken an Heiligabend', TUE, BER, '2026-12-24', 'Geschenke einpacken'],
  ['Raketen kaufen für Silvester', TUE, BER, '2026-12-31', 'Raketen kaufen'],
  ['llamar a la abuela en Navidad', TUE, MAD, '2026-12-25', 'Llamar a la abuela'],
  ['appeler mamie à Noël', TUE, PAR, '2026-12-25', 'Appeler mamie'],

  // ---------------------------------------------------------------- weeks, fortnights, months, years
  ['in a fortnight service the bike', TUE, BER, '2026-12-15', 'Service the bike'],
  ['service the bike in a fortnight', TUE, BER, '2026-12-15', 'Service the bike'],
  ['in two weeks dentist checkup', TUE, BER, '2026-12-15', 'Dentist checkup'],
  ['renew car insurance in 1 week', TUE, BER, '2026-12-08', 'Renew car insurance'],
  ['in 3 weeks pick up the glasses', TUE, BER, '2026-12-22', 'Pick up the glasses'],
  ['a week from today send the follow-up', TUE, BER, '2026-12-08', 'Send the follow-up'],
  ['a week from tomorrow send the follow-up', TUE, BER, '2026-12-09', 'Send the follow-up'],
  ['in a month renew the subscription', TUE, BER, '2027-01-01', 'Renew the subscription'],
  ['in 2 months book the dental cleaning', TUE, BER, '2027-02-01', 'Book the dental cleaning'],
  ['service the boiler in two months', '2026-12-31T10:00:00+01:00', BER, '2027-02-28', 'Service the boiler'],
  ['in six months check the smoke alarms', TUE, BER, '2027-06-01', 'Check the smoke alarms'],
  ['in a year renew the passport', TUE, BER, '2027-12-01', 'Renew the passport'],
  ['in a month renew the parking permit', JAN31_2028, BER, '2028-02-29', 'Renew the parking permit'],

  // ---------------------------------------------------------------- times of day (the date is today unless said)
  ['call the bank at 5pm', TUE, BER, '2026-12-01', 'Call the bank', { time: '17:00' }],
  ['pick up kids at 3:15pm tomorrow', TUE, BER, '2026-12-02', 'Pick up kids', { time: '15:15' }],
  ['lunch with Ana at noon on Monday', TUE, BER, '2026-12-07', 'Lunch with Ana', { time: '12:00' }],
  ['standup at 9:30 tomorrow', TUE, BER, '2026-12-02', 'Standup', { time: '09:30' }],
  ['call the plumber at 9am', TUE, BER, '2026-12-02', 'Call the plumber', { time: '09:00' }],
  ['call the plumber at 9am', TUE_EARLY, BER, '2026-12-01', 'Call the plumber', { time: '09:00' }],
  ['dinner at 19:30', TUE, BER, '2026-12-01', 'Dinner', { time: '19:30' }],
  ['take the pills at 11pm', TUE_LATE, BER, '2026-12-02', 'Take the pills', { time: '23:00' }],
  ['Remind me to call the plumber at 9am', NYE, LA, '2027-01-01', 'Call the plumber', { time: '09:00' }],
  ['12/03 at 3pm dentist', TUE, BER, '2027-03-12', 'Dentist', { time: '15:00' }],
  ['Arzt anrufen um 15 Uhr', TUE, BER, '2026-12-01', 'Arzt anrufen', { time: '15:00' }],
  ['appeler le médecin à 14h', TUE, PAR, '2026-12-01', 'Appeler le médecin', { time: '14:00' }],

  // ---------------------------------------------------------------- slash, dotted and ISO dates per zone
  ['12/03 dentist', TUE, BER, '2027-03-12', 'Dentist'],
  ['12/03 dentist', TUE_NY, NY, '2026-12-03', 'Dentist'],
  ['12/03 dentist', TUE, LON, '2027-03-12', 'Dentist'],
  ['3/4 call the notary', TUE, BER, '2027-04-03', 'Call the notary'],
  ['3/4 call the notary', TUE_NY, NY, '2027-03-04', 'Call the notary'],
  ['wrap presents 25/12', TUE_NY, NY, '2026-12-25', 'Wrap presents'],
  ['wrap presents 12/25', TUE, BER, '2026-12-25', 'Wrap presents'],
  ['renew the visa on 05/06/2027', TUE, BER, '2027-06-05', 'Renew the visa'],
  ['renew the visa on 05/06/2027', TUE_NY, NY, '2027-05-06', 'Renew the visa'],
  ['renew the visa on 05/06/2027', TUE, 'UTC', null, ASK],
  ['12/03 dentist', TUE, 'UTC', null, ASK],
  ['Zahnarzt am 12.03.', TUE, BER, '2027-03-12', 'Zahnarzt'],
  ['24.12.2026 Geschenke kaufen', TUE, BER, '2026-12-24', 'Geschenke kaufen'],
  ['renew the visa by 2027-01-15', TUE, BER, '2027-01-15', 'Renew the visa'],
  ['2027-03-31 submit the tax return', TUE_NY, NY, '2027-03-31', 'Submit the tax return'],
  ['order 3/4 inch screws', TUE, BER, null, 'Order 3/4 inch screws'],

  // ---------------------------------------------------------------- leap days
  ['buy flowers tomorrow', FEB28_2028, BER, '2028-02-29', 'Buy flowers'],
  ['buy flowers tomorrow', FEB29_2028, BER, '2028-03-01', 'Buy flowers'],
  ['renew the lease in a year', FEB29_2028, BER, '2029-02-28', 'Renew the lease'],
  ['check the meter next month', FEB29_2028, BER, '2028-03-29', 'Check the meter'],
  ['celebrate the leap day on Feb 29', JUN1_2027, BER, '2028-02-29', 'Celebrate the leap day'],
  ['in 3 days renew the parking permit', '2024-02-27T10:00:00+01:00', BER, '2024-03-01', 'Renew the parking permit'],

  // ---------------------------------------------------------------- DST days
  ['buy milk tomorrow', BER_DST_EVE, BER, '2027-03-28', 'Buy milk'],
  ['buy milk tomorrow', BER_DST_NIGHT, BER, '2027-03-29', 'Buy milk'],
  ['in 7 days call the dentist', BER_DST_THU, BER, '2027-04-01', 'Call the dentist'],
  ['on Monday call the dentist', BER_DST_THU, BER, '2027-03-29', 'Call the dentist'],
  ['buy milk tomorrow', NY_DST_EVE, NY, '2026-11-01', 'Buy milk'],
  ['buy milk tomorrow', NY_DST_NIGHT, NY, '2026-11-02', 'Buy milk'],
  ['water the plants today', NY_DST_NIGHT, NY, '2026-11-01', 'Water the plants'],

  // ---------------------------------------------------------------- other languages
  ['morgen Milch kaufen', TUE, BER, '2026-12-02', 'Milch kaufen'],
  ['Milch kaufen morgen', NYE, BER, '2027-01-02', 'Milch kaufen'],
  ['übermorgen Zahnarzt anrufen', TUE, BER, '2026-12-03', 'Zahnarzt anrufen'],
  ['am Freitag Steuererklärung machen', TUE, BER, '2026-12-04', 'Steuererklärung machen'],
  ['nächsten Montag Auto waschen', TUE, BER, '2026-12-07', 'Auto waschen'],
  ['heute Abend Müll rausbringen', TUE, BER, '2026-12-01', 'Müll rausbringen'],
  ['in 3 Tagen Rechnung bezahlen', TUE, BER, '2026-12-04', 'Rechnung bezahlen'],
  ['Miete überweisen Ende des Monats', TUE, BER, '2026-12-31', 'Miete überweisen'],
  ['mañana comprar pan', TUE, MAD, '2026-12-02', 'Comprar pan'],
  ['pasado mañana llamar al médico', TUE, MAD, '2026-12-03', 'Llamar al médico'],
  ['el viernes pagar la luz', TUE, MAD, '2026-12-04', 'Pagar la luz'],
  ['el próximo lunes enviar el informe', TUE, MAD, '2026-12-07', 'Enviar el informe'],
  ['hoy lavar el coche', TUE, MAD, '2026-12-01', 'Lavar el coche'],
  ['comprar leche mañana', '2024-02-28T10:00:00+01:00', MAD, '2024-02-29', 'Comprar leche'],
  ['demain acheter du pain', TUE, PAR, '2026-12-02', 'Acheter du pain'],
  ['après-demain appeler le plombier', TUE, PAR, '2026-12-03', 'Appeler le plombier'],
  ['vendredi payer le loyer', TUE, PAR, '2026-12-04', 'Payer le loyer'],
  ['lundi prochain envoyer le rapport', TUE, PAR, '2026-12-07', 'Envoyer le rapport'],
  ["aujourd'hui ranger la cave", TUE, PAR, '2026-12-01', 'Ranger la cave'],
  ['acheter du pain demain', '2026-02-28T10:00:00+01:00', PAR, '2026-03-01', 'Acheter du pain'],
  ['明日 牛乳を買う', TUE, TOK, '2026-12-02', '牛乳を買う'],

  // ---------------------------------------------------------------- vague requests: ask
  ['remind me about that thing tomorrow', TUE, BER, null, ASK],
  ['stuff', TUE, BER, null, ASK],
  ['do it', TUE, BER, null, ASK],
  ['tomorrow', TUE, BER, null, ASK],
  ['something for Friday', TUE, BER, null, ASK],
  ['remind me', TUE, BER, null, ASK],
  ['the thing we talked about', TUE, BER, null, ASK],
  ['do the stuff on Monday', TUE, BER, null, ASK],
  ['handle it next week', TUE, BER, null, ASK],
  ['deal with that later', TUE, BER, null, ASK],
  ['todo tomorrow', TUE, BER, null, ASK],
  ['asap', TUE, BER, null, ASK],
  ['morgen irgendwas', TUE, BER, null, ASK],
  ['mañana algo', TUE, MAD, null, ASK],
  ['demain un truc', TUE, PAR, null, ASK],

  // ---------------------------------------------------------------- clear requests without a date, and words that only look like dates
  ['groceries', TUE, BER, null, 'Groceries'],
  ['remind me to send the invoice', TUE, BER, null, 'Send the invoice'],
  ['buy the March Madness poster', TUE, NY, null, 'Buy the March Madness poster'],
  ['Call May about the report', TUE, BER, null, 'Call May about the report'],
  ['read The Sun Also Rises', TUE, BER, null, 'Read The Sun Also Rises'],
  ['buy 2 tickets for the concert', TUE, BER, null, 'Buy 2 tickets for the concert'],
  ['fix the second drawer', TUE, BER, null, 'Fix the second drawer'],
  ['watch the Friday Night Lights finale', TUE, BER, null, 'Watch the Friday Night Lights finale'],
  ['ask April about the keys', TUE, BER, null, 'Ask April about the keys'],

  // ---------------------------------------------------------------- a second batch, written after the rules (checks they generalise)
  ['get a haircut sometime next week', TUE, BER, '2026-12-07', 'Get a haircut'],
  ['submit expenses by EOD', TUE, BER, '2026-12-01', 'Submit expenses'],
  ['end of the day finish the report', TUE, BER, '2026-12-01', 'Finish the report'],
  ['take out the bins every Thursday', TUE, BER, '2026-12-03', 'Take out the bins'],
  ['call Anna this afternoon', TUE, BER, '2026-12-01', 'Call Anna'],
  ['schedule dentist for 2 weeks from now', TUE, BER, '2026-12-15', 'Schedule dentist'],
  ['next Tuesday 10am call with Bob', TUE, BER, '2026-12-08', 'Call with Bob', { time: '10:00' }],
  ['Thursday, 3 December: parents evening', TUE, BER, '2026-12-03', 'Parents evening'],
  ['mañana a las 5 de la tarde llamar a Juan', TUE, MAD, '2026-12-02', 'Llamar a Juan', { time: '17:00' }],
  ['morgen um 9 Uhr Zahnarzt', TUE, BER, '2026-12-02', 'Zahnarzt', { time: '09:00' }],
  ['le 15 payer les impôts', TUE, PAR, '2026-12-15', 'Payer les impôts'],
  ['samedi prochain anniversaire de Paul', TUE, PAR, '2026-12-05', 'Anniversaire de Paul'],
  ['on 3 March pay the insurance', TUE, BER, '2027-03-03', 'Pay the insurance'],
  ['Black Friday deals list', TUE, NY, null, 'Black Friday deals list'],
  ['call the Sunday school', TUE, BER, null, 'Call the Sunday school'],
  ['watch Monday Night Football', TUE, NY, null, 'Watch Monday Night Football'],
  ['Christmas shopping list', TUE, BER, null, 'Christmas shopping list'],
  ['ok remind me tomorrow', TUE, BER, null, ASK],
  ['things to do on Saturday', TUE, BER, null, ASK],
  ['call', TUE, BER, null, ASK],

  // ---------------------------------------------------------------- planning requests get suggested steps
  ['organize the team offsite next month', TUE, BER, '2027-01-01', 'Organize the team offsite', { minSubtasks: 3 }],
  ['prepare for the job interview on Friday', TUE, BER, '2026-12-04', 'Prepare for the job interview', { minSubtasks: 3 }],
  ['plan the garden renovation', TUE, BER, null, 'Plan the garden renovation', { minSubtasks: 3 }],
  ["Plan Sam's birthday party next Saturday", TUE, BER, '2026-12-05', "Plan Sam's birthday party", { minSubtasks: 3 }],
];

function inputFor([text, , timeZone]: Row, sentAt: string): PlannerInput {
  return { mode: 'create', text, currentDate: '', referenceTime: sentAt, timeZone, model: 'm', temperature: 0.3, maxSubtasks: 5, fallback: 'always' };
}

describe('offline planner phrase table', () => {
  it('is broad', () => expect(ROWS.length).toBeGreaterThanOrEqual(150));

  it.each(ROWS.map((row) => [`${row[0]} | ${row[1]} ${row[2]}`, row] as const))('%s', async (_label, row) => {
    const [, sentAt, , due, title, extra] = row;
    const outcome = await planTask(inputFor(row, sentAt), { generate: null, now: () => new Date(sentAt) });
    if (!outcome.ok) throw new Error(outcome.failure.message);
    if (title === ASK) {
      expect({ asked: outcome.clarification_needed, draft: outcome.draft?.title ?? null }).toEqual({ asked: true, draft: null });
      // Questions name days in words, never as ISO dates.
      expect(outcome.clarification_question).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      return;
    }
    expect({ asked: outcome.clarification_needed, question: outcome.clarification_question }).toEqual({ asked: false, question: null });
    expect({ title: outcome.draft!.title, due: outcome.draft!.due_date }).toEqual({ title, due });
    if (extra?.time) expect(outcome.draft!.notes).toContain(`Time: ${extra.time}`);
    else expect(outcome.draft!.notes).not.toMatch(/Time: /);
    if (extra?.minSubtasks) expect(outcome.draft!.subtasks.length).toBeGreaterThanOrEqual(extra.minSubtasks);
    // The offline mark is for the card, not for the task in Google.
    expect(outcome.draft!.notes).not.toContain(OFFLINE_MARK);
  });
});
