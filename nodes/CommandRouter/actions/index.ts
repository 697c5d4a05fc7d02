// Every operation of the Command Router node, in the Operation dropdown's order.
import type { Operation } from '../../adapter/operation';
import { finish } from './finish.operation';
import { route } from './route.operation';

export const operations: readonly Operation[] = [route, finish];
