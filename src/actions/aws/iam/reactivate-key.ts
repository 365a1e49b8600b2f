// Undo of deactivateKey: the key back to the status it had (Active, unless it was already
// Inactive before firebreak touched it) and the user's AWSRevokeOlderSessions deleted, or its
// previous document put back. Only after the way in is closed: a reactivated leaked key is a
// leaked key again.

import { ActionError } from '../../errors.js';
import type { ActionEnv, ActionPlan, Target, UndoSource } from '../../types.js';
import { keyStatus, setKeyStatus } from './deactivate-key.js';
import { IAM_CONSISTENCY, iamOf } from './iam-env.js';
import { applyPolicies, readBack, simulatePolicies, userPolicies, policyState } from './inline.js';
import { REVOKE_SESSIONS_POLICY } from './policies.js';
import { previousState, restoreCalls } from './restore.js';
import { z } from 'zod';
import { defineAction, parseJournaled } from '../../define.js';
import { actionMeta } from '../../meta.js';

const reactivateKeyParams = z.strictObject({
  accessKeyId: z.string().min(1),
  userName: z.string().min(1),
  status: z.enum(['Active', 'Inactive']),
  restore: policyState,
});
type ReactivateKeyParams = z.infer<typeof reactivateKeyParams>;

/** What the undo reads of the deactivation's journaled params. */
const deactivated = z.object({ accessKeyId: z.string().min(1), userName: z.string().min(1) });

export const reactivateKey = defineAction<ReactivateKeyParams>({
  ...actionMeta('aws.reactivateKey'),
  params: reactivateKeyParams,
  async plan(_t: Target, _env: ActionEnv, undoOf?: UndoSource): Promise<ActionPlan<ReactivateKeyParams>> {
    if (!undoOf)
      throw new ActionError('reactivating a key only reverses a deactivation: start it from that action', 'NotAnUndo');
    const { accessKeyId, userName } = parseJournaled(
      deactivated,
      undoOf.params,
      'the parameters of the deactivation being reversed',
    );
    const status = undoOf.outputs['previousStatus'] === 'Inactive' ? 'Inactive' : 'Active';
    const { restore, known } = previousState(undoOf, [REVOKE_SESSIONS_POLICY]);
    return {
      params: { accessKeyId, userName, status, restore },
      calls: [
        {
          service: 'iam',
          op: 'UpdateAccessKey',
          summary: `UserName=${userName} AccessKeyId=${accessKeyId} Status=${status}`,
          mutating: true,
        },
        ...restoreCalls('user', restore),
        {
          service: 'iam',
          op: 'ListAccessKeys / GetUserPolicy',
          summary: 'read back the status and the policy',
          mutating: false,
        },
      ],
      blastRadius: [
        status === 'Active'
          ? `key ${accessKeyId} works again, for whoever holds it`
          : `key ${accessKeyId} stays Inactive (it was Inactive before the deactivation)`,
        `user ${userName}'s sessions issued before the cut-off work again (until they expire)`,
      ],
      warnings: [
        ...(known
          ? []
          : [
              `the state before the deactivation is unknown (the action was in doubt): the key is set Active and ${REVOKE_SESSIONS_POLICY} is deleted`,
            ]),
        'a leaked key stays leaked: reactivate only a key that was never exposed, otherwise rotate it',
        IAM_CONSISTENCY,
      ],
    };
  },
  async dryRun(_t, plan, env) {
    const iam = iamOf(env);
    const keyId = plan.params.accessKeyId;
    const userName = plan.params.userName;
    const cur = await keyStatus(iam, userName, keyId);
    const sim = await simulatePolicies(userPolicies(iam, userName), plan.params.restore);
    const target = plan.params.status;
    const key = cur.status === target ? `already ${target}` : `${cur.status} → would be ${target}`;
    return {
      kind: 'simulated',
      ok: true,
      message: `simulated (IAM has no dry run): key ${keyId} ${key}; ${sim.lines.join('; ')}`,
      requestIds: [...cur.requestIds, ...sim.requestIds],
    };
  },
  async execute(_t, plan, env) {
    const iam = iamOf(env);
    const keyId = plan.params.accessKeyId;
    const userName = plan.params.userName;
    const k = await setKeyStatus(iam, userName, keyId, plan.params.status);
    const a = await applyPolicies(userPolicies(iam, userName), plan.params.restore);
    const message =
      !k.changed && !a.changed.length
        ? `already restored: key ${keyId} ${plan.params.status} and ${REVOKE_SESSIONS_POLICY} as before`
        : `key ${keyId} ${k.changed ? `set ${plan.params.status}` : 'unchanged'}; ${a.changed.length ? `${REVOKE_SESSIONS_POLICY} restored` : `${REVOKE_SESSIONS_POLICY} already as before`} on user ${userName}`;
    return {
      requestIds: [...k.requestIds, ...a.requestIds],
      outputs: { replacedStatus: k.was ?? null, replaced: a.previous },
      message,
    };
  },
  async verify(_t, plan, env) {
    const iam = iamOf(env);
    const keyId = plan.params.accessKeyId;
    const userName = plan.params.userName;
    const want = plan.params.status;
    const { status } = await keyStatus(iam, userName, keyId);
    const r = await readBack(userPolicies(iam, userName), plan.params.restore);
    // The key part first: a half-applied undo with the key Active again is the state a responder
    // must see (a leaked key that works), not a plain "failed".
    const parts = [{ what: `access key ${keyId} ${want}`, inPlace: status === want }, ...r.parts];
    if (status !== want)
      return { ok: false, detail: `access key ${keyId} is ${status ?? 'of unknown status'}, not ${want}`, parts };
    return r.ok ? { ok: true, detail: `access key ${keyId} is ${want}; ${r.detail}`, parts } : { ...r, parts };
  },
});
