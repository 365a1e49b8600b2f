// Performs the palette's approval intents (palette-approval.ts) through the store's commands.

import type { ApprovalIntent } from './palette-approval.js';
import { run, type KeyContext } from './key-effects.js';

export function performApproval(intent: ApprovalIntent, ctx: KeyContext): void {
  const actions = ctx.deps.store.getState().actions;
  if (intent.op === 'policy')
    return run(
      ctx,
      () => actions.setApprovalPolicy(intent.require, intent.ttlMinutes),
      intent.require === 'off'
        ? 'two-person approval off'
        : 'two-person approval on: destructive actions wait for another responder',
    );
  return run(
    ctx,
    () => actions.decideApproval(intent.requestId, intent.decision, intent.reason),
    `${intent.requestId} ${intent.decision}`,
  );
}
