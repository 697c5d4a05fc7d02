// Remember Question: chat state saying the user's next message answers this question.
import type { Operation } from '../../adapter/operation';
import { asItem } from '../../adapter/description';
import { rememberQuestion as rememberQuestionOfUser } from '../../shared/draft/drafts';
import { renderQuestion } from '../../shared/telegram/draftCard';
import { userIdField } from './fields';

export const rememberQuestion: Operation = {
  value: 'rememberQuestion',
  name: 'Remember Question',
  action: 'Remember a clarification question',
  description: 'The next message answers this question',
  properties: [
    userIdField,
    {
      displayName: 'Question',
      name: 'question',
      type: 'string',
      default: '={{ $json.clarification_question }}',
      required: true,
      description: 'The clarification question sent to the user',
    },
    {
      displayName: 'Original Request',
      name: 'originalText',
      type: 'string',
      default: '',
      description: 'The message the question is about; the planner gets it back with the answer',
    },
    {
      displayName: 'Edit of Draft ID',
      name: 'editOfDraftId',
      type: 'number',
      default: 0,
      description:
        'When the question is about an edit of this draft (the change could not be applied), the edit stays pending: the reply is again an edit of the draft. 0 for a question about a new request.',
    },
  ],
  needsStore: true,
  async execute(i, store) {
    const context = await rememberQuestionOfUser(store, {
      userId: this.getNodeParameter('userId', i),
      question: this.getNodeParameter('question', i),
      originalText: this.getNodeParameter('originalText', i, ''),
      editOfDraftId: this.getNodeParameter('editOfDraftId', i, 0),
    });
    // The question as HTML, ready for a Telegram node.
    return { ...asItem(context), message: renderQuestion(context.question ?? '') };
  },
};
