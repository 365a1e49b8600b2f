// Tags every call of an AWS SDK client with firebreak's user agent: `customUserAgent` carries the
// product token, and a per-call middleware adds the running action's id (one client serves many
// actions). The SDK puts both into the User-Agent header, which CloudTrail records as `userAgent`.
// https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-middleware-user-agent/

import { ACTION_TOKEN, PRODUCT } from '../../domain/user-agent.js';
import { currentActionId, reportCall } from '../call-context.js';

/** Reads: everything else an action calls changes something, and is reported as it returns. */
const READ_ONLY = /^(Get|List|Describe|Simulate|Lookup|Head)/;

/** The SDK's error and output metadata, as far as this needs it. */
interface Meta {
  $metadata?: { requestId?: string; httpStatusCode?: number };
  name?: string;
}

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
        context: { userAgent?: [name: string, version?: string][]; commandName?: string; clientName?: string },
      ) => (args: never) => Promise<unknown>,
      opts: { step: 'initialize'; name: string },
    ): void;
  };
}

/**
 * Adds `firebreak-action/ACTION_ID` to each call made inside an action step, and reports each
 * mutating call's outcome to the step (call-context.ts). At the initialize step the middleware
 * wraps the SDK's retries: one report per call as the action sees it.
 */
export function tagActionCalls<C extends StackClient>(client: C): C {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const id = currentActionId();
      // context.userAgent pairs land between the SDK's own tokens and customUserAgent.
      if (id) context.userAgent = [...(context.userAgent ?? []), [ACTION_TOKEN, id]];
      const op = (context.commandName ?? '').replace(/Command$/, '');
      if (!id || !op || READ_ONLY.test(op)) return next(args);
      const service = (context.clientName ?? '').replace(/Client$/, '').toLowerCase();
      const outcome = (ok: boolean, m: Meta) => ({
        service,
        op,
        ok,
        ...(m.$metadata?.requestId ? { requestId: m.$metadata.requestId } : {}),
        ...(m.$metadata?.httpStatusCode ? { status: m.$metadata.httpStatusCode } : {}),
        ...(!ok && m.name ? { code: m.name } : {}),
      });
      let out: unknown;
      try {
        out = await next(args);
      } catch (e) {
        await reportCall(outcome(false, e ?? {}));
        throw e;
      }
      await reportCall(outcome(true, (out as { output?: Meta } | undefined)?.output ?? {}));
      return out;
    },
    { step: 'initialize', name: 'firebreakActionUserAgent' },
  );
  return client;
}
