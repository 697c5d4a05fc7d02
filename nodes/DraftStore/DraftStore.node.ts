import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { DATABASE_CREDENTIAL } from '../adapter/store';
import * as chat from './actions/chat.operation';
import * as create from './actions/create.operation';
import * as decide from './actions/decide.operation';
import { router } from './actions/router';
import * as transition from './actions/transition.operation';

export class DraftStore implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Draft Store',
    name: 'draftStore',
    icon: { light: 'file:draftStore.svg', dark: 'file:draftStore.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{ $parameter["operation"] }}',
    description: 'Task drafts awaiting the user\'s Confirm, Edit or Cancel, and what their next message refers to',
    usableAsTool: true,
    defaults: { name: 'Draft Store' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: DATABASE_CREDENTIAL, required: true }],
    properties: [
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        options: [
          { name: 'Attach Message', value: 'attachMessage', action: 'Attach the telegram message showing a draft', description: 'Remember which message shows the draft, to remove its buttons later' },
          { name: 'Cancel', value: 'cancel', action: 'Cancel a draft', description: 'The user tapped Cancel: nothing will be created' },
          { name: 'Clear Chat State', value: 'clearChatState', action: 'Forget a pending question or edit', description: 'Forget what the next message would refer to' },
          { name: 'Confirm', value: 'confirm', action: 'Confirm a draft', description: 'The user tapped Confirm. Exactly one of several taps wins.' },
          { name: 'Create', value: 'create', action: 'Create a draft', description: 'Store a new task draft awaiting confirmation' },
          { name: 'Get', value: 'get', action: 'Get a draft', description: 'Read a draft of this user' },
          { name: 'Get Chat Context', value: 'getContext', action: 'Get the chat context of a user', description: 'Is a question or an edit pending? Creates the user on first contact.' },
          { name: 'Reopen', value: 'reopen', action: 'Give a confirmed draft back to the user', description: 'Its command failed for good: confirmed becomes drafted again, to edit, cancel or confirm once more' },
          { name: 'Remember Question', value: 'rememberQuestion', action: 'Remember a clarification question', description: 'The next message answers this question' },
          { name: 'Set Time Zone', value: 'setTimezone', action: 'Set the time zone of a user', description: 'Due dates such as "tomorrow" are counted in it' },
          { name: 'Start Edit', value: 'startEdit', action: 'Start editing a draft', description: 'The user tapped Edit: the next message says what to change' },
          { name: 'Supersede', value: 'supersede', action: 'Supersede a draft', description: 'Retire a draft replaced by a newer one' },
        ],
        default: 'create',
      },
      ...create.description,
      ...decide.description,
      ...transition.description,
      ...chat.description,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return router.call(this);
  }
}
