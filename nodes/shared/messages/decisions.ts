// Answers to a button press (Confirm, Edit, Cancel) that is refused: a stale button, a double
// tap, someone else's draft. Plain sentences without markup, sent as Telegram HTML.

const DECISION_REFUSALS: Record<string, string> = {
  not_found: 'This draft no longer exists.',
  not_owner: 'This draft belongs to someone else.',
  wrong_card: 'That button is not on the card of this draft, so I ignored it. Use the buttons under the draft itself.',
  confirmed: 'This draft is already confirmed.',
  executed: 'This task was already created.',
  cancelled: 'This draft was cancelled.',
  superseded: 'This draft was replaced by a newer version.',
};

/** Why a decision was refused, by the refusal's reason (a draft status, or not_found / not_owner / wrong_card). */
export function decisionRefusal(reason: string): string {
  return DECISION_REFUSALS[reason] ?? `This draft is ${reason}.`;
}

/** Every refusal text, for checks over all messages. */
export const DECISION_REFUSAL_TEXTS: readonly string[] = Object.values(DECISION_REFUSALS);
