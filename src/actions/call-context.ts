// Which action a cloud call belongs to, without threading the id through every SDK call site: the
// action's steps run inside withActionCall(), and the clients' user-agent hooks (aws/user-agent.ts,
// kubernetes/wire.ts) read it back. AsyncLocalStorage follows the step's promises and callbacks.
// https://nodejs.org/api/async_context.html#class-asynclocalstorage

import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string>();

/** Runs one action step; every AWS / Kubernetes call it makes carries `actionId` in its user agent. */
export function withActionCall<T>(actionId: string, step: () => Promise<T>): Promise<T> {
  return current.run(actionId, step);
}

/** The action whose step is running here, if any. */
export function currentActionId(): string | undefined {
  return current.getStore();
}
