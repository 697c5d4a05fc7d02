// Read-only views of the user's Google Tasks: their lists (to pick a target) and the open
// tasks of one list (for a "what's on my list" reply).

import type { Outcome } from '../outcome';
import { countCalls, type RemoteTask, type TaskListSummary, type TasksClient } from './client';
import { stripMarker } from './executor';
import { failureFromTasksError, retryEnvironment, withRetries, type RetryPolicy } from './retry';

/** Stops paging after this many lists or tasks: a chat reply never needs more. */
export const LIST_READ_LIMIT = 1000;

export interface ReadOptions {
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
}

export async function listTaskLists(sharedClient: TasksClient, options: ReadOptions = {}): Promise<Outcome<{ taskLists: TaskListSummary[]; apiCalls: number }>> {
  const client = countCalls(sharedClient);
  const env = retryEnvironment(options);
  const taskLists: TaskListSummary[] = [];
  try {
    let pageToken: string | undefined;
    do {
      const page = await withRetries(env, () => client.listTaskLists(pageToken));
      taskLists.push(...page.items);
      pageToken = page.nextPageToken;
    } while (pageToken && taskLists.length < LIST_READ_LIMIT);
  } catch (error) {
    return { ok: false, failure: failureFromTasksError(error) };
  }
  return { ok: true, taskLists, apiCalls: client.apiCalls };
}

export interface OpenTask {
  id: string;
  title: string;
  due: string | null;
  notes?: string;
  parent?: string;
  position?: string;
  webViewLink?: string;
}

function toOpenTask(task: RemoteTask): OpenTask {
  const notes = stripMarker(task.notes);
  return {
    id: task.id,
    title: task.title,
    due: task.due ? task.due.slice(0, 10) : null,
    ...(notes ? { notes } : {}),
    ...(task.parent ? { parent: task.parent } : {}),
    ...(task.position ? { position: task.position } : {}),
    ...(task.webViewLink ? { webViewLink: task.webViewLink } : {}),
  };
}

/** Open (not completed) tasks of a list, in the list's order. */
export async function listOpenTasks(
  sharedClient: TasksClient,
  taskListId: string,
  options: ReadOptions & { maxTasks?: number } = {},
): Promise<Outcome<{ taskListId: string; tasks: OpenTask[]; apiCalls: number }>> {
  const client = countCalls(sharedClient);
  const env = retryEnvironment(options);
  const limit = Math.min(options.maxTasks ?? 100, LIST_READ_LIMIT);
  const tasks: OpenTask[] = [];
  try {
    let pageToken: string | undefined;
    do {
      const page = await withRetries(env, () => client.listTasks(taskListId, { showCompleted: false, maxResults: 100, pageToken }));
      tasks.push(...page.items.filter((t) => t.status !== 'completed' && !t.deleted).map(toOpenTask));
      pageToken = page.nextPageToken;
    } while (pageToken && tasks.length < limit);
  } catch (error) {
    return { ok: false, failure: failureFromTasksError(error) };
  }
  return { ok: true, taskListId, tasks: tasks.slice(0, limit), apiCalls: client.apiCalls };
}
