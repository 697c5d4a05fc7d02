// The draft card's subtask list: "suggested" is said once, in the heading, not after every line.
import { renderDraftCard } from '../nodes/shared/telegram/draftCard';
import type { TaskDraft } from '../nodes/shared/draft/taskDraft';

const count = (text: string, part: RegExp) => text.match(part)?.length ?? 0;
const draft = (subtasks: TaskDraft['subtasks']): TaskDraft => ({ title: 'Plan the party', due_date: '2026-12-05', due_date_reasoning: '', notes: '', subtasks });

describe('the subtasks on a draft card', () => {
  it('says "suggested" once, in the heading, for a list the planner suggested', () => {
    const card = renderDraftCard(draft([{ title: 'Send the invitations', suggested: true }, { title: 'Order the cake', suggested: true }, { title: 'Buy candles' }]));
    expect(count(card, /suggested/gi)).toBe(1);
    expect(card).toContain('<b>Suggested subtasks:</b>\n• Send the invitations\n• Order the cake\n• Buy candles');
  });

  it('has a plain heading for subtasks the user named', () => {
    const card = renderDraftCard(draft([{ title: 'Send the invitations', suggested: false }, { title: 'Order the cake', suggested: false }]));
    expect(count(card, /suggested/gi)).toBe(0);
    expect(card).toContain('<b>Subtasks:</b>\n• Send the invitations\n• Order the cake');
  });

  it('marks only the suggested ones when the user named some of them', () => {
    const card = renderDraftCard(draft([{ title: 'Send the invitations', suggested: false }, { title: 'Order the cake', suggested: true }]));
    expect(card).toContain('<b>Subtasks:</b>\n• Send the invitations\n• Order the cake <i>(suggested)</i>');
  });

  it('keeps the heading when only some of very many subtasks fit', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ title: `Step ${i + 1} ${'x'.repeat(200)}`, suggested: true }));
    const card = renderDraftCard(draft(many));
    expect(count(card, /suggested/gi)).toBe(1);
    expect(card).toContain('<b>Suggested subtasks:</b>\n• Step 1');
    expect(card).toMatch(/… and \d+ more/);
  });
});

describe('a draft card made from a voice note or photo', () => {
  const plain: TaskDraft = { title: 'RSVP to Sam', due_date: null, due_date_reasoning: '', notes: '', subtasks: [] };

  it('shows what was heard (🎤) or read (📷) above the draft, escaped', () => {
    expect(renderDraftCard(plain, 'drafted', { kind: 'voice', summary: 'buy milk & eggs' })).toMatch(/^🎤 <i>buy milk &amp; eggs<\/i>\n\n📝 <b>Task Draft<\/b>\n\n<b>Title:<\/b> RSVP to Sam/);
    expect(renderDraftCard(plain, 'drafted', { kind: 'photo', summary: 'Invitation <b>' })).toMatch(/^📷 <i>Invitation &lt;b&gt;<\/i>\n\n📝/);
    expect(renderDraftCard(plain)).toMatch(/^📝/);
  });

  it('still fits a Telegram message with long notes and many subtasks', () => {
    const big: TaskDraft = { ...plain, notes: 'n'.repeat(8000), subtasks: Array.from({ length: 50 }, (_, i) => ({ title: `Step ${i} ${'x'.repeat(200)}`, suggested: true })) };
    const card = renderDraftCard(big, 'confirmed', { kind: 'audio', summary: 's'.repeat(2000) });
    expect(card.length).toBeLessThanOrEqual(4096);
    expect(card.startsWith('🎤 <i>')).toBe(true);
    expect(card).toContain('Confirmed');
  });
});
