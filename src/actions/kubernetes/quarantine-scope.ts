// What quarantining one pod touches, read from the cluster before the responder confirms: the
// Services whose selectors match it (and so the labels that must go), its owner — a ReplicaSet
// whose selector uses one of those labels lets the pod go and starts a replacement — and the
// NetworkPolicies that will still allow traffic to it (policies add up: a deny-all cannot
// subtract what another policy allows).

import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { describeApiError } from '../errors.js';
import type { ActionEnv } from '../types.js';
import {
  formatLabels,
  labelValue,
  selectorKeys,
  selectorMatches,
  serviceSelects,
  type Labels,
} from '../../domain/kube-selectors.js';
import { apisOf } from './wire.js';

export const QUARANTINE_LABEL = 'quarantine';
export const INCIDENT_LABEL = 'firebreak.io/incident';
/** The labels quarantine removed, as JSON: lets anyone looking at the pod see how to undo it. */
export const ORIGINAL_LABELS_ANNOTATION = 'firebreak.io/quarantined-labels';

export interface QuarantineScope {
  services: { name: string; selector: Labels }[];
  removeLabels: Labels;
  blastRadius: string[];
  warnings: string[];
}

/** The labels the pod had before an earlier quarantine (from its annotation), so a re-plan sees the same Services. */
function originalLabels(labels: Labels, annotations: Record<string, string>): Labels {
  try {
    const prior = JSON.parse(annotations[ORIGINAL_LABELS_ANNOTATION] ?? '{}') as unknown;
    if (prior && typeof prior === 'object' && !Array.isArray(prior)) return { ...labels, ...(prior as Labels) };
  } catch {
    // A hand-edited annotation: fall back to the labels as they are.
  }
  return labels;
}

/** The directions in which a policy that selects the pod still allows traffic. */
function allows(p: V1NetworkPolicy): string[] {
  const types = p.spec?.policyTypes ?? (p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  const out: string[] = [];
  if (types.includes('Ingress') && (p.spec?.ingress?.length ?? 0) > 0) out.push('ingress');
  if (types.includes('Egress') && (p.spec?.egress?.length ?? 0) > 0) out.push('egress');
  return out;
}

export async function quarantineBlastRadius(env: ActionEnv, namespace: string, name: string): Promise<QuarantineScope> {
  const { core, net, apps } = apisOf(env);
  const pod = await core.readNamespacedPod({ namespace, name });
  const labels = originalLabels(pod.metadata?.labels ?? {}, pod.metadata?.annotations ?? {});
  const services = (await core.listNamespacedService({ namespace })).items
    .filter((s) => serviceSelects(s.spec?.selector, labels))
    .map((s) => ({ name: s.metadata?.name ?? '?', selector: { ...(s.spec?.selector ?? {}) } }));
  const removeLabels: Labels = {};
  for (const s of services)
    for (const k of Object.keys(s.selector))
      if (k !== QUARANTINE_LABEL && k !== INCIDENT_LABEL) removeLabels[k] = labels[k]!;

  const blastRadius: string[] = [
    `pod ${namespace}/${name}${pod.spec?.nodeName ? ` on node ${pod.spec.nodeName}` : ''}: keeps running (not stopped or deleted), cut off by the deny-all policy`,
  ];
  const warnings: string[] = [];
  for (const s of services)
    blastRadius.push(
      `Service ${namespace}/${s.name} (selector ${formatLabels(s.selector)}): the pod leaves its endpoints`,
    );
  if (services.length === 0) blastRadius.push('no Service selects the pod: only the deny-all policy isolates it');
  else
    warnings.push(
      `Adding quarantine=true alone would not take the pod out of a Service (selectors are equality maps): firebreak removes ${Object.keys(removeLabels).join(', ')}.`,
    );

  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (owner?.kind === 'ReplicaSet') {
    try {
      const rs = await apps.readNamespacedReplicaSet({ namespace, name: owner.name });
      const deploy = rs.metadata?.ownerReferences?.find((o) => o.kind === 'Deployment')?.name;
      const who = `ReplicaSet ${namespace}/${owner.name}${deploy ? ` (Deployment ${deploy})` : ''}`;
      const shared = selectorKeys(rs.spec?.selector).filter((k) => k in removeLabels);
      if (shared.length) {
        blastRadius.push(
          `${who}: the pod leaves it too (${shared.join(', ')} ${shared.length > 1 ? 'are' : 'is'} in its selector); it starts a replacement pod, and this one keeps running orphaned`,
        );
        warnings.push(
          `${who} will start a replacement pod: the workload keeps serving, and the quarantined pod is no longer managed (the documented way to isolate a pod from a ReplicaSet).`,
        );
      } else blastRadius.push(`${who}: keeps owning the pod (its selector does not use the removed labels)`);
    } catch (e) {
      blastRadius.push(
        `ReplicaSet ${namespace}/${owner.name}: could not read it (${describeApiError(e).message}); if its selector uses the removed labels it starts a replacement`,
      );
    }
  } else if (owner)
    blastRadius.push(
      `${owner.kind} ${owner.name} owns the pod: if its selector uses the removed labels it lets the pod go and starts a replacement`,
    );

  // The pod's labels once quarantined: the policies that select *those* still apply to it.
  const after: Labels = { ...labels, [QUARANTINE_LABEL]: 'true', [INCIDENT_LABEL]: labelValue(env.incidentId) };
  for (const k of Object.keys(removeLabels)) delete after[k];
  for (const p of (await net.listNamespacedNetworkPolicy({ namespace })).items) {
    const sel = p.spec?.podSelector;
    if (!sel || !selectorMatches(sel, after)) continue;
    if (p.metadata?.name?.startsWith('firebreak-')) continue;
    const open = allows(p);
    if (open.length)
      blastRadius.push(
        `NetworkPolicy ${namespace}/${p.metadata?.name} selects the pod and still allows ${open.join(' and ')}: policies add up, a deny-all does not override it`,
      );
  }
  return { services, removeLabels, blastRadius, warnings };
}
