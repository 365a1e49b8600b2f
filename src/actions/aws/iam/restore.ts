// Undo of the deny-all actions: puts the principal's inline policies back as they were before —
// deleted when firebreak created them, the previous document when it overwrote one. The previous
// documents come from the original action's outputs; when they are missing (the action was left in
// doubt by a crash) both policies are deleted, and the plan says so.

import type { IAMClient } from '@aws-sdk/client-iam';
import { ActionError } from '../../errors.js';
import type { ActionDef, ActionEnv, ActionPlan, PlannedCall, Target, UndoSource } from '../../types.js';
import { z } from 'zod';
import { defineAction } from '../../define.js';
import { actionMeta } from '../../meta.js';
import {
  applyPolicies,
  readBack,
  rolePolicies,
  simulatePolicies,
  userPolicies,
  type InlinePolicies,
  type PolicyState,
  policyState,
} from './inline.js';
import { DENY_ALL_POLICY, REVOKE_SESSIONS_POLICY } from './policies.js';
import { iamOf } from './iam-env.js';

type Kind = 'role' | 'user';

function principal(kind: Kind, iam: IAMClient, name: string): InlinePolicies {
  return kind === 'role' ? rolePolicies(iam, name) : userPolicies(iam, name);
}

/** The state to return to, from the original action's outputs (null = delete). */
export function previousState(src: UndoSource | undefined, names: string[]): { restore: PolicyState; known: boolean } {
  const prev = policyState.safeParse(src?.outputs['previous']).data;
  const restore: PolicyState = {};
  for (const n of names) restore[n] = typeof prev?.[n] === 'string' ? prev[n] : null;
  return { restore, known: !!prev };
}

export function restoreCalls(kind: Kind, restore: PolicyState): PlannedCall[] {
  const Kind = kind === 'role' ? 'Role' : 'User';
  return Object.entries(restore).map(([name, doc]) =>
    doc === null
      ? { service: 'iam', op: `Delete${Kind}Policy`, summary: `delete inline policy ${name}`, mutating: true }
      : { service: 'iam', op: `Put${Kind}Policy`, summary: `put back the previous ${name} document`, mutating: true },
  );
}

/** The params of a restore: the principal's name and the state to put back (null: delete the policy). */
const restoreParams = z.strictObject({ name: z.string().min(1), restore: policyState });
type RestoreParams = z.infer<typeof restoreParams>;

/** What the undo reads of the deny-all's journaled params: the principal's name. */
const deniedPrincipal = {
  role: z.object({ roleName: z.string().min(1) }),
  user: z.object({ userName: z.string().min(1) }),
};

export function restoreDef(o: { id: string; kind: Kind }): ActionDef {
  const names = [DENY_ALL_POLICY, REVOKE_SESSIONS_POLICY];
  const meta = actionMeta(o.id);
  const nameIn = (undoOf: UndoSource): string | undefined => {
    const r = deniedPrincipal[o.kind].safeParse(undoOf.params);
    return !r.success ? undefined : 'roleName' in r.data ? r.data.roleName : r.data.userName;
  };
  return defineAction<RestoreParams>({
    ...meta,
    params: restoreParams,
    async plan(t: Target, _env: ActionEnv, undoOf?: UndoSource): Promise<ActionPlan<RestoreParams>> {
      if (!undoOf)
        throw new ActionError(`${meta.title} only reverses a deny-all action: start it from that action`, 'NotAnUndo');
      const name = nameIn(undoOf) ?? t.id;
      const { restore, known } = previousState(undoOf, names);
      return {
        params: { name, restore },
        calls: [
          ...restoreCalls(o.kind, restore),
          {
            service: 'iam',
            op: `Get${o.kind === 'role' ? 'Role' : 'User'}Policy`,
            summary: 'read both back',
            mutating: false,
          },
        ],
        blastRadius: [
          `${o.kind} ${name} gets its access back (whatever its other policies allow), for every session, old ones included`,
        ],
        warnings: [
          ...(known
            ? []
            : ['the documents before the deny-all are unknown (the action was in doubt): both policies are deleted']),
          'before restoring access, make sure the way in is closed (trust policy, leaked credentials): otherwise the attacker walks back in',
          'IAM is eventually consistent: access returns within a few minutes, not at once',
        ],
      };
    },
    async dryRun(_t, plan, env) {
      const p = principal(o.kind, iamOf(env), plan.params.name);
      const sim = await simulatePolicies(p, plan.params.restore);
      return {
        kind: 'simulated',
        ok: true,
        message: `simulated (IAM has no dry run): ${sim.lines.join('; ')}`,
        requestIds: sim.requestIds,
      };
    },
    async execute(_t, plan, env) {
      const p = principal(o.kind, iamOf(env), plan.params.name);
      const a = await applyPolicies(p, plan.params.restore);
      const message = a.changed.length
        ? `${o.kind} ${p.name}: restored ${a.changed.join(' and ')}`
        : `already restored: ${o.kind} ${p.name} was as before`;
      return { requestIds: a.requestIds, outputs: { replaced: a.previous }, message };
    },
    async verify(_t, plan, env) {
      return readBack(principal(o.kind, iamOf(env), plan.params.name), plan.params.restore);
    },
  });
}
