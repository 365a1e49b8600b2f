// Cordon a node: `spec.unschedulable = true` by merge patch, so nothing new is scheduled there.
// It is not containment — the pods already on the node keep running, and DaemonSet pods tolerate
// the taint — so the plan says so and points at isolation. Undo uncordons, unless
// the node was cordoned before firebreak touched it.
// https://kubernetes.io/docs/concepts/architecture/nodes/#manual-node-administration

import type { V1Node } from '@kubernetes/client-node';
import { ActionError } from '../errors.js';
import type { ActionDef, ActionEnv, ExecuteResult } from '../types.js';
import { apisOf, callLog, type CallLog, kubeOf } from './wire.js';
import { z } from 'zod';
import { defineAction } from '../define.js';
import { actionMeta } from '../meta.js';

const cordonParams = z.strictObject({ node: z.string().min(1), context: z.string(), unschedulable: z.boolean() });
type CordonParams = z.infer<typeof cordonParams>;

function cordonPatch(unschedulable: boolean): object {
  return { spec: { unschedulable } };
}

async function readNode(env: ActionEnv, name: string, log?: CallLog): Promise<V1Node> {
  return apisOf(env).core.readNode({ name }, log?.opts());
}

/** The shared steps of cordon and uncordon: they differ only in the value and the wording. */
function nodeSteps(
  to: boolean,
  verb: string,
): Pick<ActionDef<CordonParams>, 'params' | 'dryRun' | 'execute' | 'verify'> {
  return {
    params: cordonParams,
    async dryRun(_target, plan, env) {
      const p = plan.params;
      const log = callLog(env);
      await apisOf(env).core.patchNode({ name: p.node, body: cordonPatch(to), dryRun: 'All' }, log.patch());
      return {
        kind: 'server',
        ok: true,
        message: `server dry run (dryRun=All): ${verb} of node ${p.node} accepted; nothing persisted`,
        requestIds: log.requestIds,
      };
    },

    async execute(_target, plan, env): Promise<ExecuteResult> {
      const p = plan.params;
      const log = callLog(env);
      const node = await readNode(env, p.node, log);
      if ((node.spec?.unschedulable ?? false) === to) {
        return {
          requestIds: log.requestIds,
          outputs: { node: p.node, alreadyApplied: true },
          message: `already applied: node ${p.node} is ${to ? 'cordoned' : 'schedulable'}; nothing changed`,
        };
      }
      try {
        await apisOf(env).core.patchNode({ name: p.node, body: cordonPatch(to) }, log.patch());
      } catch (e) {
        // An error (a 504, a deadline) can come back after the server applied the patch. Settle it
        // by read-back: if the node is now as asked, the change is ours, so the undo may revert it.
        const now = await readNode(env, p.node, log).then(
          (n) => n.spec?.unschedulable ?? false,
          () => undefined,
        );
        if (now !== to) throw e;
        return {
          requestIds: log.requestIds,
          outputs: { node: p.node, alreadyApplied: false, settledByReadBack: true },
          message: `node ${p.node} ${to ? 'cordoned' : 'uncordoned'}: the patch answered ${errText(e)}, but a read-back shows it applied`,
        };
      }
      return {
        requestIds: log.requestIds,
        outputs: { node: p.node, alreadyApplied: false },
        message: `node ${p.node} ${to ? 'cordoned: no new pods will be scheduled on it' : 'uncordoned: schedulable again'}`,
      };
    },

    async verify(_target, plan, env) {
      const p = plan.params;
      const node = await readNode(env, p.node);
      const now = node.spec?.unschedulable ?? false;
      return now === to
        ? { ok: true, detail: `node ${p.node}: spec.unschedulable=${now}` }
        : { ok: false, detail: `node ${p.node}: spec.unschedulable=${now}, expected ${to}` };
    },
  };
}

export const cordonNode = defineAction<CordonParams>({
  ...actionMeta('k8s.cordonNode'),
  async plan(target, env) {
    const name = target.id;
    const { core } = apisOf(env);
    await readNode(env, name);
    // The field selector narrows the wire; the check in code decides (a server, proxy or stand-in that
    // ignores the selector must not put another node's pods into this node's blast radius).
    const pods = (await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}` })).items.filter(
      (p) => p.spec?.nodeName === name,
    );
    const params: CordonParams = { node: name, context: kubeOf(env).context, unschedulable: true };
    return {
      params,
      calls: [
        { service: 'kubernetes', op: `GET nodes/${name}`, summary: 'is it cordoned already?', mutating: false },
        {
          service: 'kubernetes',
          op: `PATCH nodes/${name}`,
          summary: `/api/v1/nodes/${name} merge patch {"spec":{"unschedulable":true}}`,
          mutating: true,
        },
      ],
      blastRadius: pods.length
        ? pods.map(
            (p) =>
              `pod ${p.metadata?.namespace}/${p.metadata?.name}: keeps running on ${name} (cordon does not move or stop it)`,
          )
        : [`node ${name} runs no pods now`],
      warnings: [
        'Cordon only stops new pods from being scheduled: the pods already on the node keep running, and DaemonSet pods tolerate it.',
        'It is not containment: combine it with a namespace isolation or pod quarantine (or drain the node once evidence is captured).',
      ],
    };
  },

  ...nodeSteps(true, 'cordon'),
});

export const uncordonNode = defineAction<CordonParams>({
  ...actionMeta('k8s.uncordonNode'),
  async plan(target, env, undoOf) {
    if (!undoOf) throw new ActionError('uncordon is started from the cordon it reverses (undo)', 'NoUndoSource');
    // A node that was cordoned before firebreak (someone else's maintenance) stays cordoned.
    if (undoOf.outputs.alreadyApplied === true)
      throw new ActionError(
        `node ${target.id} was already cordoned before this action: firebreak leaves it cordoned (uncordon it with kubectl if that is intended)`,
        'NotOurs',
      );
    const params: CordonParams = { node: target.id, context: kubeOf(env).context, unschedulable: false };
    return {
      params,
      calls: [
        {
          service: 'kubernetes',
          op: `PATCH nodes/${target.id}`,
          summary: `/api/v1/nodes/${target.id} merge patch {"spec":{"unschedulable":false}}`,
          mutating: true,
        },
      ],
      blastRadius: [`node ${target.id}: the scheduler may place new pods on it again`],
      warnings: ['Uncordon only once the node is known clean (or rebuilt).'],
    };
  },

  ...nodeSteps(false, 'uncordon'),
});

function errText(e: unknown): string {
  const status = (e as { code?: unknown }).code;
  return typeof status === 'number' ? `HTTP ${status}` : e instanceof Error ? e.name : 'an error';
}
