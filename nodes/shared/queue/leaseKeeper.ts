// Keeps a claim's leases alive while this process runs its commands.
//
// A lease only says "the worker is alive": it is renewed from a timer in the worker's own
// process, every third of the lease, until the command is settled (releaseLease) or the claim
// has been held as long as its work can take at worst (commandBudget.ts). A process that dies
// or stops (SIGKILL, SIGSTOP, a crash) renews nothing, so its commands are taken over one lease
// later; a live worker keeps its commands however slow Gemini or Google is. The bound matters
// only when the process lives on but the run that claimed them ended without settling them
// (an n8n execution that errored): those commands are taken over once the bound has passed.

import type { Store } from '../store/db';
import { renewLeases } from './commands';

/** A lease is renewed this many times per its length: a renewal that waits for a busy store still lands in time. */
export const RENEWALS_PER_LEASE = 3;

export function renewalIntervalMs(leaseMs: number): number {
  return Math.max(1, Math.floor(leaseMs / RENEWALS_PER_LEASE));
}

export interface KeepInput {
  ids: readonly number[];
  leaseToken: string;
  /** The claim's lease; renewed every third of it. */
  leaseMs: number;
  /** Renew for at most this long from now. */
  holdMs: number;
  /** The run was cancelled (n8n's execution cancel signal): renewal stops at once. */
  signal?: AbortSignal;
}

interface HeldClaim {
  store: Store;
  token: string;
  ids: Set<number>;
  holdUntil: number;
  timer: NodeJS.Timeout;
  renewing: boolean;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const heldClaims = new Map<string, HeldClaim>();

function stop(claim: HeldClaim) {
  clearInterval(claim.timer);
  if (claim.onAbort) claim.signal?.removeEventListener('abort', claim.onAbort);
  if (heldClaims.get(claim.token) === claim) heldClaims.delete(claim.token);
}

async function renew(claim: HeldClaim) {
  if (claim.renewing) return;
  if (Date.now() >= claim.holdUntil) return stop(claim);
  claim.renewing = true;
  try {
    const held = new Set(await renewLeases(claim.store, { ids: [...claim.ids], leaseToken: claim.token }));
    // Settled, taken over or buried in the meantime: nothing left to keep for those.
    for (const id of claim.ids) if (!held.has(id)) claim.ids.delete(id);
    if (claim.ids.size === 0) stop(claim);
  } catch {
    // The store is unreachable for now (a PostgreSQL restart, a busy SQLite file): the next
    // tick tries again, and the lease's own length covers the gap.
  } finally {
    claim.renewing = false;
  }
}

/** Starts renewing a claim's leases in this process. */
export function keepLeases(store: Store, input: KeepInput): void {
  if (input.ids.length === 0 || !(input.holdMs > 0) || input.signal?.aborted) return;
  const existing = heldClaims.get(input.leaseToken);
  if (existing) stop(existing);
  const claim: HeldClaim = {
    store,
    token: input.leaseToken,
    ids: new Set(input.ids),
    holdUntil: Date.now() + input.holdMs,
    renewing: false,
    timer: setInterval(() => void renew(claim), renewalIntervalMs(input.leaseMs)),
  };
  // Renewal never keeps a process alive that has nothing else to do.
  claim.timer.unref();
  if (input.signal) {
    claim.signal = input.signal;
    claim.onAbort = () => stop(claim);
    input.signal.addEventListener('abort', claim.onAbort, { once: true });
  }
  heldClaims.set(claim.token, claim);
}

/** Stops renewing one command's lease: it was completed or failed (or its lease was lost). */
export function releaseLease(id: unknown, leaseToken: unknown): void {
  const claim = heldClaims.get(String(leaseToken));
  if (!claim) return;
  claim.ids.delete(Number(id));
  if (claim.ids.size === 0) stop(claim);
}

/** Ids whose leases this process is renewing now (diagnostics and tests). */
export function heldLeaseIds(): number[] {
  return [...heldClaims.values()].flatMap((claim) => [...claim.ids]).sort((a, b) => a - b);
}

/** Until when (epoch ms) this process renews the claim with this token, if it does (diagnostics and tests). */
export function leaseHeldUntil(leaseToken: string): number | undefined {
  return heldClaims.get(leaseToken)?.holdUntil;
}

/** Stops every renewal (shutdown, tests). */
export function releaseAllLeases(): void {
  for (const claim of [...heldClaims.values()]) stop(claim);
}
