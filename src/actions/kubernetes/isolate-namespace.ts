// Isolate a namespace: one deny-all NetworkPolicy (`podSelector: {}`, Ingress and Egress, no
// rules) selects every pod in it. Policies add up, so any other policy that allows traffic keeps
// allowing it — the plan lists them. Undo deletes the policy.

import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { ActionError } from '../errors.js';
import type { ActionEnv, ExecuteResult } from '../types.js';
import { dnsLabel, labelValue } from '../../domain/kube-selectors.js';
import { INCIDENT_LABEL } from './quarantine-scope.js';
import { apisOf, callLog, type CallLog, httpStatus, kubeOf, NETWORK_POLICY_WARNINGS } from './wire.js';
import { actionMeta } from '../meta.js';
import { z } from 'zod';
import { defineAction } from '../define.js';
import { parseJournaled } from '../define.js';

/** The isolation's params; its undo parses them back from the journal for the policy's name. */
const isolateParams = z.strictObject({
  namespace: z.string().min(1),
  context: z.string(),
  policy: z.strictObject({
    name: z.string().min(1),
    spec: z.strictObject({ podSelector: z.strictObject({}), policyTypes: z.array(z.string()) }),
  }),
  incidentLabel: z.string(),
});
type IsolateParams = z.infer<typeof isolateParams>;

const unisolateParams = z.strictObject({
  namespace: z.string().min(1),
  context: z.string(),
  policy: z.string().min(1),
});
type UnisolateParams = z.infer<typeof unisolateParams>;

export function isolationPolicyName(incidentId: string): string {
  return `firebreak-isolate-${dnsLabel(incidentId, 253 - 18)}`;
}

function body(p: IsolateParams): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: p.policy.name, namespace: p.namespace, labels: { [INCIDENT_LABEL]: p.incidentLabel } },
    spec: p.policy.spec,
  };
}

function isDenyAll(pol: V1NetworkPolicy): boolean {
  const s = pol.spec;
  const types = s?.policyTypes ?? [];
  return (
    !!s &&
    Object.keys(s.podSelector ?? { x: 1 }).length === 0 &&
    types.includes('Ingress') &&
    types.includes('Egress') &&
    !s.ingress?.length &&
    !s.egress?.length
  );
}

async function readPolicy(
  env: ActionEnv,
  namespace: string,
  name: string,
  log?: CallLog,
): Promise<V1NetworkPolicy | undefined> {
  try {
    return await apisOf(env).net.readNamespacedNetworkPolicy({ namespace, name }, log?.opts());
  } catch (e) {
    if (httpStatus(e) === 404) return undefined;
    throw e;
  }
}

export const isolateNamespace = defineAction<IsolateParams>({
  ...actionMeta('k8s.isolateNamespace'),
  params: isolateParams,
  async plan(target, env) {
    const namespace = target.id;
    const { core, net } = apisOf(env);
    await core.readNamespace({ name: namespace });
    const pods = (await core.listNamespacedPod({ namespace })).items;
    const others = (await net.listNamespacedNetworkPolicy({ namespace })).items;
    const name = isolationPolicyName(env.incidentId);
    const params: IsolateParams = {
      namespace,
      context: kubeOf(env).context,
      policy: { name, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
      incidentLabel: labelValue(env.incidentId),
    };
    const blastRadius = pods.length
      ? pods.map(
          (p) =>
            `pod ${namespace}/${p.metadata?.name}${p.spec?.nodeName ? ` on ${p.spec.nodeName}` : ''}: all ingress and egress denied (DNS included)`,
        )
      : [`namespace ${namespace} has no pods now: the policy applies to any pod started later`];
    for (const o of others) {
      if (o.metadata?.name === name) continue;
      const allow = [
        (o.spec?.ingress?.length ?? 0) > 0 ? 'ingress' : '',
        (o.spec?.egress?.length ?? 0) > 0 ? 'egress' : '',
      ].filter(Boolean);
      if (allow.length)
        blastRadius.push(
          `NetworkPolicy ${namespace}/${o.metadata?.name} still allows ${allow.join(' and ')} for the pods it selects: policies add up, a deny-all does not override it`,
        );
    }
    return {
      params,
      calls: [
        {
          service: 'kubernetes',
          op: `GET networkpolicies/${name}`,
          summary: 'does the isolation policy exist already?',
          mutating: false,
        },
        {
          service: 'kubernetes',
          op: 'POST networkpolicies',
          summary: `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies ${name}: podSelector {}, policyTypes [Ingress, Egress], no rules`,
          mutating: true,
        },
      ],
      blastRadius,
      warnings: [
        ...NETWORK_POLICY_WARNINGS,
        'Every workload in the namespace stops serving, including health checks from other namespaces and the ingress controller.',
      ],
    };
  },

  async dryRun(_target, plan, env) {
    const p = plan.params;
    const log = callLog(env);
    try {
      await apisOf(env).net.createNamespacedNetworkPolicy(
        { namespace: p.namespace, body: body(p), dryRun: 'All' },
        log.opts(),
      );
    } catch (e) {
      if (httpStatus(e) !== 409) throw e;
      return {
        kind: 'server',
        ok: true,
        message: `server dry run (dryRun=All): ${p.policy.name} already exists (already applied)`,
        requestIds: log.requestIds,
      };
    }
    return {
      kind: 'server',
      ok: true,
      message: `server dry run (dryRun=All): NetworkPolicy ${p.policy.name} accepted; nothing persisted`,
      requestIds: log.requestIds,
    };
  },

  async execute(_target, plan, env): Promise<ExecuteResult> {
    const p = plan.params;
    const log = callLog(env);
    const existing = await readPolicy(env, p.namespace, p.policy.name, log);
    if (existing) {
      if (!isDenyAll(existing))
        throw new ActionError(
          `NetworkPolicy ${p.namespace}/${p.policy.name} exists but is not a deny-all: inspect it and re-plan`,
          'Conflict',
        );
      return {
        requestIds: log.requestIds,
        outputs: { policy: p.policy.name, alreadyApplied: true },
        message: `already applied: ${p.policy.name} isolates namespace ${p.namespace}; nothing changed`,
      };
    }
    await apisOf(env).net.createNamespacedNetworkPolicy({ namespace: p.namespace, body: body(p) }, log.opts());
    return {
      requestIds: log.requestIds,
      outputs: { policy: p.policy.name, alreadyApplied: false },
      message: `namespace ${p.namespace} isolated: deny-all ${p.policy.name} created`,
    };
  },

  async verify(_target, plan, env) {
    const p = plan.params;
    const pol = await readPolicy(env, p.namespace, p.policy.name);
    if (!pol) return { ok: false, detail: `NetworkPolicy ${p.policy.name} does not exist` };
    if (!isDenyAll(pol))
      return {
        ok: false,
        detail: `NetworkPolicy ${p.policy.name} is no longer a deny-all (podSelector ${JSON.stringify(pol.spec?.podSelector)}, policyTypes ${JSON.stringify(pol.spec?.policyTypes)})`,
      };
    return { ok: true, detail: `${p.policy.name} read back: podSelector {}, Ingress and Egress, no rules` };
  },
});

export const unisolateNamespace = defineAction<UnisolateParams>({
  ...actionMeta('k8s.unisolateNamespace'),
  params: unisolateParams,
  async plan(target, env, undoOf) {
    if (!undoOf)
      throw new ActionError('lifting an isolation is started from the isolation it reverses (undo)', 'NoUndoSource');
    const orig = parseJournaled(isolateParams, undoOf.params, 'the parameters of the isolation being lifted');
    const params = { namespace: target.id, context: kubeOf(env).context, policy: orig.policy.name };
    return {
      params,
      calls: [
        {
          service: 'kubernetes',
          op: `DELETE networkpolicies/${params.policy}`,
          summary: `/apis/networking.k8s.io/v1/namespaces/${params.namespace}/networkpolicies/${params.policy}`,
          mutating: true,
        },
      ],
      blastRadius: [
        `every pod in namespace ${params.namespace}: traffic allowed again (as the remaining policies say)`,
      ],
      warnings: [],
    };
  },

  async dryRun(_target, plan, env) {
    const { namespace, policy } = plan.params;
    const log = callLog(env);
    try {
      await apisOf(env).net.deleteNamespacedNetworkPolicy({ namespace, name: policy, dryRun: 'All' }, log.opts());
    } catch (e) {
      if (httpStatus(e) !== 404) throw e;
      return {
        kind: 'server',
        ok: true,
        message: `${policy} is already gone (already applied)`,
        requestIds: log.requestIds,
      };
    }
    return {
      kind: 'server',
      ok: true,
      message: `server dry run (dryRun=All): delete of ${policy} accepted; nothing persisted`,
      requestIds: log.requestIds,
    };
  },

  async execute(_target, plan, env): Promise<ExecuteResult> {
    const { namespace, policy } = plan.params;
    const log = callLog(env);
    try {
      await apisOf(env).net.deleteNamespacedNetworkPolicy({ namespace, name: policy }, log.opts());
    } catch (e) {
      if (httpStatus(e) !== 404) throw e;
      return {
        requestIds: log.requestIds,
        outputs: { alreadyApplied: true },
        message: `already applied: ${policy} is gone; nothing changed`,
      };
    }
    return {
      requestIds: log.requestIds,
      outputs: { alreadyApplied: false },
      message: `namespace ${namespace} no longer isolated: ${policy} deleted`,
    };
  },

  async verify(_target, plan, env) {
    const { namespace, policy } = plan.params;
    const pol = await readPolicy(env, namespace, policy);
    return pol
      ? { ok: false, detail: `NetworkPolicy ${policy} still exists` }
      : { ok: true, detail: `${policy} is gone` };
  },
});
