// Quarantine a pod without killing it: Service selectors are equality-only maps,
// so adding `quarantine=true` alone leaves the pod in every Service — the labels the selectors
// match must change. We remove them (remembering the originals in the action's outputs and in an
// annotation on the pod), add `quarantine=true` and the incident id, and create a deny-all
// NetworkPolicy (Ingress + Egress) selecting those quarantine labels. The pod keeps running for
// forensics; its ReplicaSet usually lets it go and starts a replacement.
// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#service-and-replicationcontroller
// https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#isolating-pods-from-a-replicaset

import { keepPrevious } from '../call-context.js';
import { ActionError, describeApiError } from '../errors.js';
import type { ActionEnv, ExecuteResult } from '../types.js';
import { labelValue, type Labels } from '../../domain/kube-selectors.js';
import {
  INCIDENT_LABEL,
  ORIGINAL_LABELS_ANNOTATION,
  QUARANTINE_LABEL,
  quarantineBlastRadius,
} from './quarantine-scope.js';
import { apisOf, callLog, type CallLog, httpStatus, kubeOf, NETWORK_POLICY_WARNINGS, podRef } from './wire.js';
import { actionMeta } from '../meta.js';
import { z } from 'zod';
import { defineAction } from '../define.js';

const labels = z.record(z.string(), z.string());

/** The quarantine's params; exported because its undo (unquarantine-pod.ts) parses them back from the journal. */
export const quarantineParams = z.strictObject({
  namespace: z.string().min(1),
  pod: z.string().min(1),
  context: z.string(),
  /** The Services the pod leaves, with their selectors. */
  services: z.array(z.strictObject({ name: z.string().min(1), selector: labels })),
  /** Label key → original value: removed so that no Service selector matches any more. */
  removeLabels: labels,
  addLabels: labels,
  policy: z.strictObject({
    name: z.string().min(1),
    spec: z.strictObject({ podSelector: z.strictObject({ matchLabels: labels }), policyTypes: z.array(z.string()) }),
  }),
});
export type QuarantineParams = z.infer<typeof quarantineParams>;

/** What the quarantine recorded in its outputs that its undo reads: the labels it really removed. */
export const quarantineOutputs = z.object({ removedLabels: labels.optional() });

export function quarantinePolicyName(pod: string): string {
  return `firebreak-quarantine-${pod}`.slice(0, 253).replace(/[^a-z0-9]+$/, '');
}

/** The merge patch that applies the quarantine labels (null deletes a key: RFC 7386). */
export function quarantinePatch(p: QuarantineParams, resourceVersion?: string): object {
  const labels: Record<string, string | null> = {
    ...Object.fromEntries(Object.keys(p.removeLabels).map((k) => [k, null])),
    ...p.addLabels,
  };
  return {
    metadata: {
      ...(resourceVersion ? { resourceVersion } : {}),
      labels,
      annotations: { [ORIGINAL_LABELS_ANNOTATION]: JSON.stringify(p.removeLabels) },
    },
  };
}

export function policyBody(p: QuarantineParams): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: p.policy.name,
      namespace: p.namespace,
      labels: { [INCIDENT_LABEL]: p.addLabels[INCIDENT_LABEL] },
      annotations: { 'firebreak.io/pod': p.pod },
    },
    spec: p.policy.spec,
  };
}

function labelsApplied(labels: Labels, p: QuarantineParams): boolean {
  return (
    Object.entries(p.addLabels).every(([k, v]) => labels[k] === v) &&
    Object.keys(p.removeLabels).every((k) => !(k in labels))
  );
}

async function policyExists(env: ActionEnv, p: QuarantineParams, log: CallLog): Promise<boolean> {
  try {
    await apisOf(env).net.readNamespacedNetworkPolicy({ namespace: p.namespace, name: p.policy.name }, log.opts());
    return true;
  } catch (e) {
    if (httpStatus(e) === 404) return false;
    throw e;
  }
}

export const quarantinePod = defineAction<QuarantineParams>({
  ...actionMeta('k8s.quarantinePod'),
  params: quarantineParams,
  async plan(target, env) {
    const { namespace, name } = podRef(target);
    const scope = await quarantineBlastRadius(env, namespace, name);
    const addLabels = { [QUARANTINE_LABEL]: 'true', [INCIDENT_LABEL]: labelValue(env.incidentId) };
    const policy = {
      name: quarantinePolicyName(name),
      spec: { podSelector: { matchLabels: addLabels }, policyTypes: ['Ingress', 'Egress'] },
    };
    const params: QuarantineParams = {
      namespace,
      pod: name,
      context: kubeOf(env).context,
      services: scope.services,
      removeLabels: scope.removeLabels,
      addLabels,
      policy,
    };
    const removed = Object.entries(scope.removeLabels).map(([k, v]) => `${k}=${v}`);
    const base = `/api/v1/namespaces/${namespace}`;
    return {
      params,
      calls: [
        {
          service: 'kubernetes',
          op: `GET pods/${name}`,
          summary: `${base}/pods/${name} (current labels; detects "already applied")`,
          mutating: false,
        },
        {
          service: 'kubernetes',
          op: `GET networkpolicies/${policy.name}`,
          summary: 'does the quarantine policy exist already?',
          mutating: false,
        },
        {
          service: 'kubernetes',
          op: `POST networkpolicies`,
          summary: `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies ${policy.name}: deny-all Ingress+Egress for ${QUARANTINE_LABEL}=true,${INCIDENT_LABEL}=${addLabels[INCIDENT_LABEL]}`,
          mutating: true,
        },
        {
          service: 'kubernetes',
          op: `PATCH pods/${name}`,
          summary: `merge patch: remove ${removed.join(', ') || 'no labels (no Service selects the pod)'}; add ${QUARANTINE_LABEL}=true, ${INCIDENT_LABEL}=${addLabels[INCIDENT_LABEL]}; annotate ${ORIGINAL_LABELS_ANNOTATION}`,
          mutating: true,
        },
      ],
      blastRadius: scope.blastRadius,
      warnings: [...scope.warnings, ...NETWORK_POLICY_WARNINGS],
      guidance: [
        'Quarantine keeps the pod running for forensics (memory, processes, open connections); delete it only once its evidence is captured.',
      ],
    };
  },

  async dryRun(_target, plan, env) {
    const p = plan.params;
    const { core, net } = apisOf(env);
    const log = callLog(env);
    const notes: string[] = [];
    try {
      await net.createNamespacedNetworkPolicy(
        { namespace: p.namespace, body: policyBody(p), dryRun: 'All' },
        log.opts(),
      );
      notes.push(`NetworkPolicy ${p.policy.name} create accepted`);
    } catch (e) {
      if (httpStatus(e) !== 409) throw e;
      notes.push(`NetworkPolicy ${p.policy.name} already exists`);
    }
    await core.patchNamespacedPod(
      { namespace: p.namespace, name: p.pod, body: quarantinePatch(p), dryRun: 'All' },
      log.patch(),
    );
    notes.push('label patch accepted');
    return {
      kind: 'server',
      ok: true,
      message: `server dry run (dryRun=All): ${notes.join('; ')}; nothing persisted`,
      requestIds: log.requestIds,
    };
  },

  async execute(_target, plan, env): Promise<ExecuteResult> {
    const p = plan.params;
    const { core, net } = apisOf(env);
    const log = callLog(env);
    const pod = await core.readNamespacedPod({ namespace: p.namespace, name: p.pod }, log.opts());
    const labels = pod.metadata?.labels ?? {};
    const applied = labelsApplied(labels, p);
    if (!applied) {
      // The originals we will record must be the pod's current values, or undo would restore stale ones.
      const drift = Object.entries(p.removeLabels).filter(([k, v]) => k in labels && labels[k] !== v);
      if (drift.length)
        throw new ActionError(
          `the pod's labels changed since the plan (${drift.map(([k]) => `${k}=${labels[k]}`).join(', ')}): re-plan`,
          'Conflict',
        );
    }
    const hadPolicy = await policyExists(env, p, log);
    const outputs = {
      removedLabels: p.removeLabels,
      addedLabels: p.addLabels,
      policy: p.policy.name,
      services: p.services.map((s) => s.name),
    };
    // Journaled before the first write: the undo of a partial quarantine reads it.
    await keepPrevious(outputs);
    if (applied && hadPolicy)
      return {
        requestIds: log.requestIds,
        outputs: { ...outputs, alreadyApplied: true },
        message: `already applied: pod ${p.namespace}/${p.pod} carries the quarantine labels and ${p.policy.name} exists; nothing changed`,
      };

    let created = false;
    if (!hadPolicy) {
      try {
        await net.createNamespacedNetworkPolicy({ namespace: p.namespace, body: policyBody(p) }, log.opts());
        created = true;
      } catch (e) {
        if (httpStatus(e) !== 409) throw e; // created meanwhile: the same name is ours
      }
    }
    if (!applied) {
      try {
        await core.patchNamespacedPod(
          { namespace: p.namespace, name: p.pod, body: quarantinePatch(p, pod.metadata?.resourceVersion) },
          log.patch(),
        );
      } catch (e) {
        const f = describeApiError(e);
        const partial = created
          ? ` (the deny-all policy ${p.policy.name} was created; it selects no pod until the labels change — C completes the quarantine, u removes the policy)`
          : '';
        throw new ActionError(
          `relabelling pod ${p.namespace}/${p.pod} failed: ${f.message}${partial}`,
          f.code,
          f.hint,
          [...log.requestIds, ...f.requestIds],
          e,
        );
      }
    }
    const done = [applied ? undefined : 'relabelled', created ? `created ${p.policy.name}` : undefined]
      .filter(Boolean)
      .join(' and ');
    return {
      requestIds: log.requestIds,
      outputs: { ...outputs, alreadyApplied: false, createdPolicy: created },
      message: `quarantined pod ${p.namespace}/${p.pod}: ${done}; it leaves ${p.services.map((s) => s.name).join(', ') || 'no Service'}`,
    };
  },

  async verify(_target, plan, env) {
    const p = plan.params;
    const { core, discovery } = apisOf(env);
    const problems: string[] = [];
    const pod = await core.readNamespacedPod({ namespace: p.namespace, name: p.pod });
    const labels = pod.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(p.addLabels)) if (labels[k] !== v) problems.push(`label ${k}=${v} missing`);
    for (const k of Object.keys(p.removeLabels)) if (k in labels) problems.push(`label ${k}=${labels[k]} still set`);
    const labelled = problems.length === 0;
    for (const s of p.services) {
      const slices = await discovery.listNamespacedEndpointSlice({
        namespace: p.namespace,
        labelSelector: `kubernetes.io/service-name=${s.name}`,
      });
      // The selector narrows the wire; the label is checked here too, so another Service's slice
      // (from a server that ignored the selector) is not blamed on this one.
      const inIt = slices.items.some(
        (sl) =>
          sl.metadata?.labels?.['kubernetes.io/service-name'] === s.name &&
          (sl.endpoints ?? []).some((ep) => ep.targetRef?.kind === 'Pod' && ep.targetRef.name === p.pod),
      );
      if (inIt) problems.push(`still an endpoint of Service ${s.name}`);
    }
    try {
      const pol = await apisOf(env).net.readNamespacedNetworkPolicy({ namespace: p.namespace, name: p.policy.name });
      const sel = pol.spec?.podSelector?.matchLabels ?? {};
      const types = pol.spec?.policyTypes ?? [];
      if (
        JSON.stringify(sel) !== JSON.stringify(p.addLabels) ||
        !types.includes('Ingress') ||
        !types.includes('Egress') ||
        pol.spec?.ingress?.length ||
        pol.spec?.egress?.length
      ) {
        problems.push(`NetworkPolicy ${p.policy.name} is not the deny-all for the quarantine labels`);
      }
    } catch (e) {
      if (httpStatus(e) !== 404) throw e;
      problems.push(`NetworkPolicy ${p.policy.name} does not exist`);
    }
    // The two writes of the action, each in place or not (what a partial quarantine shows).
    const parts = [
      { what: `deny-all NetworkPolicy ${p.policy.name}`, inPlace: !problems.some((x) => x.includes(p.policy.name)) },
      { what: `quarantine labels on pod ${p.namespace}/${p.pod}`, inPlace: labelled },
    ];
    if (problems.length) return { ok: false, detail: `quarantine not in place: ${problems.join('; ')}`, parts };
    return {
      parts,
      ok: true,
      detail: `pod carries the quarantine labels, is in no EndpointSlice of ${p.services.map((s) => s.name).join(', ') || '(no Service)'}, and deny-all ${p.policy.name} exists`,
    };
  },
});
