// Lift a quarantine: put back the labels it removed (from the original action's outputs), drop
// the quarantine labels and annotation, delete the pod's deny-all policy. The pod rejoins its
// Services — and its ReplicaSet, which by then has a replacement and may scale one pod away.

import { ActionError } from '../errors.js';
import type { ActionEnv, ExecuteResult } from '../types.js';
import { formatLabels, type Labels } from '../../domain/kube-selectors.js';
import { ORIGINAL_LABELS_ANNOTATION } from './quarantine-scope.js';
import { quarantineOutputs, quarantineParams } from './quarantine-pod.js';
import { apisOf, callLog, type CallLog, httpStatus, kubeOf, podRef } from './wire.js';
import { actionMeta } from '../meta.js';
import { z } from 'zod';
import { defineAction } from '../define.js';
import { parseJournaled } from '../define.js';

const unquarantineParams = z.strictObject({
  namespace: z.string().min(1),
  pod: z.string().min(1),
  context: z.string(),
  restoreLabels: z.record(z.string(), z.string()),
  dropLabels: z.array(z.string()),
  policy: z.string().min(1),
  services: z.array(z.string()),
});
type UnquarantineParams = z.infer<typeof unquarantineParams>;

function restorePatch(p: UnquarantineParams): object {
  return {
    metadata: {
      labels: { ...Object.fromEntries(p.dropLabels.map((k) => [k, null])), ...p.restoreLabels },
      annotations: { [ORIGINAL_LABELS_ANNOTATION]: null },
    },
  };
}

function restored(labels: Labels, p: UnquarantineParams): boolean {
  return (
    Object.entries(p.restoreLabels).every(([k, v]) => labels[k] === v) && p.dropLabels.every((k) => !(k in labels))
  );
}

async function policyGone(p: UnquarantineParams, env: ActionEnv, log?: CallLog): Promise<boolean> {
  try {
    await apisOf(env).net.readNamespacedNetworkPolicy({ namespace: p.namespace, name: p.policy }, log?.opts());
    return false;
  } catch (e) {
    if (httpStatus(e) === 404) return true;
    throw e;
  }
}

export const unquarantinePod = defineAction<UnquarantineParams>({
  ...actionMeta('k8s.unquarantinePod'),
  params: unquarantineParams,
  async plan(target, env, undoOf) {
    if (!undoOf)
      throw new ActionError('lifting a quarantine is started from the quarantine it reverses (undo)', 'NoUndoSource');
    const { namespace, name } = podRef(target);
    const q = parseJournaled(quarantineParams, undoOf.params, 'the parameters of the quarantine being lifted');
    const restoreLabels = quarantineOutputs.safeParse(undoOf.outputs).data?.removedLabels ?? q.removeLabels;
    const params: UnquarantineParams = {
      namespace,
      pod: name,
      context: kubeOf(env).context,
      restoreLabels,
      dropLabels: Object.keys(q.addLabels),
      policy: q.policy.name,
      services: q.services.map((s) => s.name),
    };
    return {
      params,
      calls: [
        {
          service: 'kubernetes',
          op: `GET pods/${name}`,
          summary: 'current labels (detects "already lifted")',
          mutating: false,
        },
        {
          service: 'kubernetes',
          op: `PATCH pods/${name}`,
          summary: `merge patch: restore ${formatLabels(restoreLabels) || 'no labels'}; remove ${params.dropLabels.join(', ')} and ${ORIGINAL_LABELS_ANNOTATION}`,
          mutating: true,
        },
        {
          service: 'kubernetes',
          op: `DELETE networkpolicies/${params.policy}`,
          summary: `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies/${params.policy}`,
          mutating: true,
        },
      ],
      blastRadius: [
        `pod ${namespace}/${name}: traffic to and from it is allowed again`,
        ...params.services.map((s) => `Service ${namespace}/${s}: the pod rejoins its endpoints and receives traffic`),
        'its ReplicaSet (if it let the pod go) adopts it back and, having a replacement, may delete one pod — possibly this one',
      ],
      warnings: [
        'Lift a quarantine only once the pod is known clean or its evidence is captured: it serves traffic again.',
      ],
    };
  },

  async dryRun(_target, plan, env) {
    const p = plan.params;
    const { core, net } = apisOf(env);
    const log = callLog(env);
    await core.patchNamespacedPod(
      { namespace: p.namespace, name: p.pod, body: restorePatch(p), dryRun: 'All' },
      log.patch(),
    );
    let policy = 'policy delete accepted';
    try {
      await net.deleteNamespacedNetworkPolicy({ namespace: p.namespace, name: p.policy, dryRun: 'All' }, log.opts());
    } catch (e) {
      if (httpStatus(e) !== 404) throw e;
      policy = `policy ${p.policy} is already gone`;
    }
    return {
      kind: 'server',
      ok: true,
      message: `server dry run (dryRun=All): label restore accepted; ${policy}; nothing persisted`,
      requestIds: log.requestIds,
    };
  },

  async execute(_target, plan, env): Promise<ExecuteResult> {
    const p = plan.params;
    const { core, net } = apisOf(env);
    const log = callLog(env);
    const pod = await core.readNamespacedPod({ namespace: p.namespace, name: p.pod }, log.opts());
    const labelsDone =
      restored(pod.metadata?.labels ?? {}, p) && !pod.metadata?.annotations?.[ORIGINAL_LABELS_ANNOTATION];
    const gone = await policyGone(p, env, log);
    if (labelsDone && gone)
      return {
        requestIds: log.requestIds,
        outputs: { alreadyApplied: true },
        message: `already applied: pod ${p.namespace}/${p.pod} has its labels back and ${p.policy} is gone; nothing changed`,
      };
    if (!labelsDone)
      await core.patchNamespacedPod({ namespace: p.namespace, name: p.pod, body: restorePatch(p) }, log.patch());
    if (!gone) {
      try {
        await net.deleteNamespacedNetworkPolicy({ namespace: p.namespace, name: p.policy }, log.opts());
      } catch (e) {
        if (httpStatus(e) !== 404) throw e;
      }
    }
    return {
      requestIds: log.requestIds,
      outputs: { alreadyApplied: false, restoredLabels: p.restoreLabels, deletedPolicy: p.policy },
      message: `quarantine lifted: pod ${p.namespace}/${p.pod} has ${formatLabels(p.restoreLabels) || 'its labels'} back; ${p.policy} deleted`,
    };
  },

  async verify(_target, plan, env) {
    const p = plan.params;
    const pod = await apisOf(env).core.readNamespacedPod({ namespace: p.namespace, name: p.pod });
    const problems: string[] = [];
    const labels = pod.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(p.restoreLabels))
      if (labels[k] !== v) problems.push(`label ${k}=${v} not restored`);
    for (const k of p.dropLabels) if (k in labels) problems.push(`label ${k} still set`);
    const labelsBack = problems.length === 0;
    const gone = await policyGone(p, env);
    if (!gone) problems.push(`NetworkPolicy ${p.policy} still exists`);
    // Two parts, so a lift that half-applied reads PARTIAL with what is back and what is not.
    const parts = [
      { what: `labels of pod ${p.namespace}/${p.pod} restored`, inPlace: labelsBack },
      { what: `NetworkPolicy ${p.policy} deleted`, inPlace: gone },
    ];
    return problems.length
      ? { ok: false, detail: `quarantine not lifted: ${problems.join('; ')}`, parts }
      : {
          ok: true,
          detail: `labels restored (${formatLabels(p.restoreLabels) || 'none removed'}), quarantine labels gone, ${p.policy} deleted`,
          parts,
        };
  },
});
