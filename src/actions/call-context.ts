// Which action a cloud call belongs to, without threading the id through every SDK call site: the
// action's steps run inside withActionCall(), and the clients' user-agent hooks (aws/user-agent.ts,
// kubernetes/wire.ts) read it back. AsyncLocalStorage follows the step's promises and callbacks.
// https://nodejs.org/api/async_context.html#class-asynclocalstorage
//
// The same context carries what makes partial failure a state: every mutating call's outcome is
// reported as it returns (so a failure on the second of three calls leaves a record of the first),
// and the previous state undo needs is kept — journaled — before the first mutating call, and read
// back on a later attempt instead of being re-read from a half-applied world.

import { AsyncLocalStorage } from 'node:async_hooks';

/** One mutating call as it returned. */
export interface CallOutcome {
  service: string;
  op: string;
  ok: boolean;
  requestId?: string;
  status?: number;
  code?: string;
}

/** What the runner gives one execute attempt. */
export interface ExecuteHooks {
  /** What an earlier attempt of the same change captured (a completion of a partial action). */
  prior?: Record<string, unknown>;
  /** Journals what undo needs; resolves once it is durable. */
  keep?(outputs: Record<string, unknown>): Promise<void>;
  /** Journals one mutating call's outcome; resolves once it is durable. */
  onCall?(c: CallOutcome): Promise<void>;
  /** How far long evidence work is (events fetched, files written): the cockpit shows it. */
  progress?(p: ActionProgress): void;
  /**
   * The responder stopped it. Only evidence actions honour it, between pages or files, and keep
   * what they have (marked incomplete); a change to the cloud is never cut off halfway.
   */
  signal?: AbortSignal;
}

/** One progress report of a running action. */
export interface ActionProgress {
  /** How many `unit` so far. */
  done: number;
  unit: string;
  /** e.g. "page 12 of AccessKeyId=AKIA…". */
  detail?: string;
}

interface CallContext extends ExecuteHooks {
  actionId: string;
}

const current = new AsyncLocalStorage<CallContext>();

/** Runs one action step; every AWS / Kubernetes call it makes carries `actionId` in its user agent. */
export function withActionCall<T>(actionId: string, step: () => Promise<T>, hooks: ExecuteHooks = {}): Promise<T> {
  return current.run({ actionId, ...hooks }, step);
}

/** The action whose step is running here, if any. */
export function currentActionId(): string | undefined {
  return current.getStore()?.actionId;
}

/** Reports a mutating call's outcome to the running step (a no-op outside execute). */
export async function reportCall(c: CallOutcome): Promise<void> {
  await current.getStore()?.onCall?.(c);
}

/**
 * The previous state for undo: what an earlier attempt kept, else `read` (the world as it is now),
 * journaled before the caller's first mutating call. Keys an earlier attempt kept win, so a retry
 * that finds the isolation group already attached never records it as "previous".
 */
export async function keepPrevious<T extends Record<string, unknown>>(read: T): Promise<T> {
  const ctx = current.getStore();
  const kept = { ...read, ...(ctx?.prior ?? {}) };
  await ctx?.keep?.(kept);
  return kept;
}
