// The worst case of a command's work (commandBudget.ts) against the code of the retry policies
// it is derived from, run on a simulated clock, and against the Claim Commands node that
// Workflow B ships: a command claimed there keeps its lease for as long as its work can take.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandQueue } from '../nodes/CommandQueue/CommandQueue.node';
import {
  claimWorstCaseMs,
  commandWorstCaseMs,
  geminiCallWorstCaseMs,
  googleCallWorstCaseMs,
  WORKFLOW_CLAIM_LEASE_SECONDS,
  WORKFLOW_CLAIM_LIMIT,
} from '../nodes/shared/queue/commandBudget';
import { SQLITE_BUSY_TIMEOUT_MS } from '../nodes/shared/constants';
import { COMMAND_TYPES } from '../nodes/shared/contracts';
import { GeminiHttpError, GEMINI_REQUEST_TIMEOUT_MS, type RawResponse } from '../nodes/shared/gemini/adapter';
import { callStructured, DEFAULT_CALL_POLICY } from '../nodes/shared/gemini/call';
import { TasksApiError, DEFAULT_REQUEST_TIMEOUT_MS as TASKS_REQUEST_TIMEOUT_MS } from '../nodes/shared/tasks/client';
import { DEFAULT_RETRY_POLICY, retryEnvironment, withRetries } from '../nodes/shared/tasks/retry';
import { heldLeaseIds, leaseHeldUntil, releaseAllLeases, renewalIntervalMs } from '../nodes/shared/queue/leaseKeeper';
import { claimCommands, enqueueCommand, getCommand } from '../nodes/shared/queue/commands';
import { runNode } from './helpers/nodeHarness';
import { useNodeDatabase } from './helpers/nodeStore';
import { sleep } from './helpers/rows';

type Step = 'sampling' | 'unavailable' | 'unusable';

/**
 * One structured Gemini call as scripted, on a simulated clock; returns its duration. Transient
 * failures come back at once (so the retries fill the budget); every other answer takes the
 * whole request timeout.
 */
async function simulatedGeminiCall(script: Step[], random: number): Promise<number> {
  let now = 0;
  const steps = [...script];
  const unusable: RawResponse = { candidates: [{ content: { parts: [{ text: 'not json' }] }, finishReason: 'STOP' }] };
  await callStructured({
    generate: async () => {
      const step = steps.shift() ?? 'unavailable';
      now += step === 'unavailable' ? 1 : GEMINI_REQUEST_TIMEOUT_MS;
      if (step === 'sampling') throw new GeminiHttpError('temperature is not supported for this model', 400);
      if (step === 'unavailable') throw new GeminiHttpError('The model is overloaded', 503);
      return unusable;
    },
    model: 'gemini-test',
    temperature: 0.3,
    systemInstruction: 'test',
    prompt: 'test',
    schema: { type: 'object', properties: {} } as never,
    check: () => ({ errors: ['never valid'] }),
    policy: { now: () => now, sleep: async (ms) => void (now += ms), random: () => random },
  });
  return now;
}

describe('worst case of a command, from the retry policies', () => {
  it('no structured Gemini call outlasts its bound: transient failures to the budget, a sampling retry, and the repair attempt', async () => {
    const bound = geminiCallWorstCaseMs(DEFAULT_CALL_POLICY, GEMINI_REQUEST_TIMEOUT_MS);
    let longest = 0;
    for (const random of [0, 0.5, 0.999]) {
      for (let first = 0; first <= 12; first++) {
        for (let second = 0; second <= 12; second++) {
          for (const samplingAt of [-1, 0, first, first + 1 + second]) {
            const script: Step[] = [...Array(first).fill('unavailable'), 'unusable', ...Array(second).fill('unavailable'), 'unusable'];
            if (samplingAt >= 0) script.splice(samplingAt, 0, 'sampling');
            longest = Math.max(longest, await simulatedGeminiCall(script, random));
          }
        }
      }
    }
    expect(longest).toBeLessThanOrEqual(bound);
    // The bound is the policy's, not a guess: the worst script comes close to it.
    expect(longest).toBeGreaterThanOrEqual(bound * 0.75);
  });

  it('no Google Tasks call outlasts its bound: every attempt times out, and Retry-After is capped', async () => {
    for (const retryAfterMs of [undefined, 60_000]) {
      let now = 0;
      const env = { ...retryEnvironment({ sleep: async (ms) => void (now += ms), random: () => 0.999 }) };
      await expect(
        withRetries(env, async () => {
          now += TASKS_REQUEST_TIMEOUT_MS;
          throw retryAfterMs ? new TasksApiError('http', 'slow down', { status: 429, retryAfterMs }) : new TasksApiError('timeout', 'no answer');
        }),
      ).rejects.toThrow();
      expect(now).toBeLessThanOrEqual(googleCallWorstCaseMs(DEFAULT_RETRY_POLICY, TASKS_REQUEST_TIMEOUT_MS));
      if (retryAfterMs) expect(now).toBe(googleCallWorstCaseMs(DEFAULT_RETRY_POLICY, TASKS_REQUEST_TIMEOUT_MS));
    }
  });

  it('a drafting command covers an intent and a planner call; commands claimed together add up', () => {
    expect(commandWorstCaseMs('draft_task_from_text')).toBeGreaterThan(2 * geminiCallWorstCaseMs());
    expect(commandWorstCaseMs('confirm_draft')).toBeGreaterThan(googleCallWorstCaseMs());
    // The task-list commands call Google Tasks: an allowance for Telegram steps alone would be too short.
    for (const type of ['list_tasks', 'complete_task', 'undo_last']) expect(commandWorstCaseMs(type)).toBeGreaterThan(googleCallWorstCaseMs());
    expect(commandWorstCaseMs('undo_last')).toBeGreaterThan(10 * googleCallWorstCaseMs());
    expect(claimWorstCaseMs(['draft_task_from_text', 'confirm_draft', 'help'])).toBe(
      commandWorstCaseMs('draft_task_from_text') + commandWorstCaseMs('confirm_draft') + commandWorstCaseMs('help'),
    );
  });
});

describe('Workflow B keeps every claimed command for as long as its work can take', () => {
  const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'workflows', 'B-command-executor.json'), 'utf8'));
  const claimNode = (name: string) => workflow.nodes.find((node: { name: string }) => node.name === name);
  // Literal numbers: B's path from a claim to Finish runs no expression.
  const claims = [
    ['the router calls', claimNode('Claim Commands')],
    ['the 10 s poll runs', claimNode('Claim Backlog')],
  ] as const;

  it.each(claims)('when %s: the lease, renewed while the commands run, covers the worst case of every command it claims', (_when, claim) => {
    const limit = claim.parameters.limit as number;
    const leaseMs = (claim.parameters.leaseSeconds as number) * 1000;
    expect([typeof limit, typeof claim.parameters.leaseSeconds]).toEqual(['number', 'number']);
    const worstClaim = Array(limit).fill(COMMAND_TYPES.reduce((a, b) => (commandWorstCaseMs(a) >= commandWorstCaseMs(b) ? a : b)));
    const renews = claim.parameters.renewWhileRunning === true;
    // Without renewal only the lease itself holds the commands; with it, the node holds them for the claim's worst case.
    const heldMs = renews ? Math.max(leaseMs, claimWorstCaseMs(worstClaim)) : leaseMs;
    expect(heldMs).toBeGreaterThanOrEqual(claimWorstCaseMs(worstClaim));
    // A renewal (every third of the lease) lands in time even when it waits the whole busy timeout for the store.
    expect(renewalIntervalMs(leaseMs) + SQLITE_BUSY_TIMEOUT_MS).toBeLessThan(leaseMs);
  });

  it("claims under the lease and limits the budget names: the generator's, not numbers of its own", () => {
    for (const [, claim] of claims) expect(claim.parameters.leaseSeconds).toBe(WORKFLOW_CLAIM_LEASE_SECONDS);
    expect(claims.map(([, claim]) => claim.parameters.limit)).toEqual([WORKFLOW_CLAIM_LIMIT.routerCall, WORKFLOW_CLAIM_LIMIT.poll]);
  });
});

describe("Workflow B's claim lease", () => {
  const leaseMs = WORKFLOW_CLAIM_LEASE_SECONDS * 1000;

  it('is long enough that a renewal lands in time after waiting the whole store busy timeout', () => {
    expect(renewalIntervalMs(leaseMs) + SQLITE_BUSY_TIMEOUT_MS).toBeLessThan(leaseMs);
  });

  it('is short: the commands of an n8n that stopped are taken over within about a minute', () => {
    expect(leaseMs).toBeLessThanOrEqual(60_000);
  });
});

describe('Claim Commands node with lease renewal', () => {
  const db = useNodeDatabase();
  afterEach(() => releaseAllLeases());
  const node = new CommandQueue();

  it('keeps a claimed command from other workers while the run goes on, and stops renewing once Complete settles it', async () => {
    const { command } = await enqueueCommand(db.store, { type: 'draft_task_from_text', userId: 'telegram:3003', payload: {}, dedupeKey: 'renewed' });
    const [[claimed]] = await runNode(node, {
      parameters: { operation: 'claim', limit: 1, leaseSeconds: 0.3, renewWhileRunning: true, workerName: 'n8n-run' },
      credentials: db.credentials,
    });
    expect(heldLeaseIds()).toEqual([command.id]);
    // Held for the worst case of what it claimed (measured from the claim, a moment ago).
    const heldForMs = leaseHeldUntil(String(claimed.json.leaseToken))! - Date.now();
    expect(heldForMs).toBeLessThanOrEqual(claimWorstCaseMs(['draft_task_from_text']));
    expect(heldForMs).toBeGreaterThan(claimWorstCaseMs(['draft_task_from_text']) - 10_000);
    const until = Date.now() + 1_500;
    while (Date.now() < until) {
      expect(await claimCommands(db.store, { owner: 'other-run', limit: 5, leaseMs: 60_000 })).toEqual([]);
      await sleep(50);
    }
    const [[settled]] = await runNode(node, {
      parameters: { operation: 'complete', commandId: command.id, leaseToken: claimed.json.leaseToken, result: '{}' },
      credentials: db.credentials,
    });
    expect(settled.json).toMatchObject({ applied: true, status: 'completed', attempts: 1 });
    expect(heldLeaseIds()).toEqual([]);
    expect(await getCommand(db.store, command.id)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('holds a claim of several commands for the sum of their worst cases', async () => {
    for (const [type, key] of [['confirm_draft', 'c'], ['draft_task_from_text', 'd'], ['help', 'h']]) {
      await enqueueCommand(db.store, { type, userId: 'telegram:3003', payload: {}, dedupeKey: key });
    }
    const [items] = await runNode(node, {
      parameters: { operation: 'claim', limit: 3, leaseSeconds: 60, renewWhileRunning: true, workerName: 'n8n-run' },
      credentials: db.credentials,
    });
    expect(items).toHaveLength(3);
    const heldForMs = leaseHeldUntil(String(items[0].json.leaseToken))! - Date.now();
    const worst = claimWorstCaseMs(['confirm_draft', 'draft_task_from_text', 'help']);
    expect(heldForMs).toBeLessThanOrEqual(worst);
    expect(heldForMs).toBeGreaterThan(worst - 10_000);
  });

  it('without renewal the lease runs out as before', async () => {
    const { command } = await enqueueCommand(db.store, { type: 'help', userId: 'telegram:3003', payload: {}, dedupeKey: 'not-renewed' });
    await runNode(node, { parameters: { operation: 'claim', limit: 1, leaseSeconds: 0.3, workerName: 'n8n-run' }, credentials: db.credentials });
    expect(heldLeaseIds()).toEqual([]);
    await sleep(450);
    expect(await claimCommands(db.store, { owner: 'other-run', limit: 5, leaseMs: 60_000 })).toMatchObject([{ id: command.id, attempts: 2 }]);
  });
});
