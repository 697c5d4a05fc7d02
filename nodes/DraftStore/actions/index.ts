// Every operation of the Draft Store node. The Operation dropdown, the fields and the router
// are derived from this list: a new operation is its own file, imported and listed here once.
import type { Operation } from '../../adapter/operation';
import { attachMessage } from './attachMessage.operation';
import { cancel } from './cancel.operation';
import { clearChatState } from './clearChatState.operation';
import { confirm } from './confirm.operation';
import { create } from './create.operation';
import { get } from './get.operation';
import { getContext } from './getContext.operation';
import { rememberQuestion } from './rememberQuestion.operation';
import { reopen } from './reopen.operation';
import { setTimezone } from './setTimezone.operation';
import { startEdit } from './startEdit.operation';
import { supersede } from './supersede.operation';
import { transform } from './transform.operation';

// In the Operation dropdown's order (alphabetical by label, as saved in version 1).
export const operations: readonly Operation[] = [
  attachMessage,
  cancel,
  clearChatState,
  confirm,
  create,
  get,
  getContext,
  reopen,
  rememberQuestion,
  setTimezone,
  startEdit,
  supersede,
  transform,
];
