// Revoke every Vault lease under a prefix (aws/creds/prod-db-reader): the dynamic credentials the
// attacker may hold stop working, because the secrets engine deletes what stands behind each lease
// (the database user, the IAM user or key). Final: a revoked lease cannot be restored, and every
// application using those credentials must fetch new ones.

import type { ActionEnv, ActionPlan, DryRunResult, ExecuteResult, Target, VerifyResult } from '../types.js';
import { listLeases, normalisePrefix, revokePrefix, vault } from './vault-http.js';
import { actionMeta } from '../meta.js';
import { z } from 'zod';
import { defineAction } from '../define.js';

const revokeParams = z.strictObject({ vaultAddr: z.string().min(1), prefix: z.string().min(1) });
type Params = z.infer<typeof revokeParams>;

/** How many lease ids the plan and outputs name one by one (the count is always exact). */
const SHOWN = 50;

async function plan(target: Target, env: ActionEnv): Promise<ActionPlan<Params>> {
  const v = vault(env);
  const prefix = normalisePrefix(target.id);
  const leases = await listLeases(env, prefix);
  const params: Params = { vaultAddr: v.addr, prefix };
  return {
    params,
    calls: [
      {
        service: 'vault',
        op: `PUT /v1/sys/leases/revoke-prefix/${prefix}/`,
        summary: `revoke every lease under ${prefix}/ (X-Vault-Token)`,
        mutating: true,
      },
      {
        service: 'vault',
        op: `LIST /v1/sys/leases/lookup/${prefix}/`,
        summary: 'read back: no lease left under the prefix',
        mutating: false,
      },
    ],
    blastRadius: leases.length
      ? [
          `${leases.length} lease${leases.length === 1 ? '' : 's'} under ${prefix}/ revoked now, and any issued before the call arrives:`,
          ...leases.slice(0, SHOWN),
          ...(leases.length > SHOWN ? [`… and ${leases.length - SHOWN} more`] : []),
          'Every application using these credentials loses access at once (the secrets engine deletes the users and keys behind them)',
        ]
      : [`No lease under ${prefix}/ right now: the call would revoke nothing`],
    warnings: [
      'Revocation is final: there is no undo — applications must request new credentials from Vault',
      'Credentials issued after the revocation are unaffected: whoever can read this secrets path (a stolen Vault token?) can mint new ones; revoke that token too',
    ],
  };
}

async function dryRun(_t: Target, p: ActionPlan<Params>, env: ActionEnv): Promise<DryRunResult> {
  const { prefix } = p.params;
  const leases = await listLeases(env, prefix);
  return {
    kind: 'simulated',
    ok: true,
    message: `${leases.length} lease${leases.length === 1 ? '' : 's'} under ${prefix}/ would be revoked; nothing revoked`,
    requestIds: [],
  };
}

async function execute(_t: Target, p: ActionPlan<Params>, env: ActionEnv): Promise<ExecuteResult> {
  const { prefix } = p.params;
  // What existed just before the revocation, for the record (the lease ids are not secrets).
  const before = await listLeases(env, prefix);
  await revokePrefix(env, prefix);
  return {
    requestIds: [],
    outputs: { prefix, revokedCount: before.length, revoked: before.slice(0, SHOWN) },
    message: `revoked ${before.length} Vault lease${before.length === 1 ? '' : 's'} under ${prefix}/`,
  };
}

async function verify(_t: Target, p: ActionPlan<Params>, env: ActionEnv): Promise<VerifyResult> {
  const { prefix } = p.params;
  const left = await listLeases(env, prefix);
  if (left.length === 0) return { ok: true, detail: `no lease left under ${prefix}/` };
  return {
    ok: false,
    detail: `${left.length} lease${left.length === 1 ? '' : 's'} still under ${prefix}/: ${left.slice(0, 5).join(', ')}${left.length > 5 ? ', …' : ''}`,
  };
}

export const REVOKE_VAULT_LEASES = defineAction<Params>({
  ...actionMeta('vault.revokeLeases'),
  params: revokeParams,
  plan,
  dryRun,
  execute,
  verify,
});
