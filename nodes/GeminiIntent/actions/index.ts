// Every operation of the Gemini Intent node. The Operation dropdown, the fields and the router
// are derived from this list: a new operation is its own file, imported and listed here once.
// The model, thinking, temperature, fallback and usage fields are the node's, shared by both.
import type { Operation } from '../../adapter/operation';
import { classify } from './classify.operation';
import { readMediaOperation } from './readMedia.operation';

export const operations: readonly Operation[] = [classify, readMediaOperation];
