// Tags every call of an AWS SDK client with firebreak's user agent: `customUserAgent` carries the
// product token, and a per-call middleware adds the running action's id (one client serves many
// actions). The SDK puts both into the User-Agent header, which CloudTrail records as `userAgent`.
// https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-middleware-user-agent/

import { ACTION_TOKEN, PRODUCT } from '../../domain/user-agent.js';
import { currentActionId } from '../call-context.js';

/** The client option: `firebreak/VERSION` on every call. */
export function firebreakCustomUserAgent(version: string): [string, string][] {
  return [[PRODUCT, version]];
}

/** The part of an SDK v3 client this needs (`never`: the handler arguments pass through untouched). */
interface StackClient {
  middlewareStack: {
    add(
      mw: (
        next: (args: never) => Promise<unknown>,
        context: { userAgent?: [name: string, version?: string][] },
      ) => (args: never) => Promise<unknown>,
      opts: { step: 'initialize'; name: string },
    ): void;
  };
}

/** Adds `firebreak-action/ACTION_ID` to each call made inside an action step. */
export function tagActionCalls<C extends StackClient>(client: C): C {
  client.middlewareStack.add(
    (next, context) => (args) => {
      const id = currentActionId();
      // context.userAgent pairs land between the SDK's own tokens and customUserAgent.
      if (id) context.userAgent = [...(context.userAgent ?? []), [ACTION_TOKEN, id]];
      return next(args);
    },
    { step: 'initialize', name: 'firebreakActionUserAgent' },
  );
  return client;
}
