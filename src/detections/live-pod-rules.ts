// Rules on the live Kubernetes feed: a pod that appears in the Pods watch running privileged,
// sharing a host namespace or mounting a host path is the same risk the audit rule
// k8s.privileged-pod raises on a create request — one predicate (podRisks), two feeds, so a
// cluster without audit logs still raises it. The watch does not say who created the pod; the
// audit log does. A pod already running when the watch started (LISTED) may predate the incident:
// one level lower. Each pod raises once (dedupe on its uid), not on every status change.

import type { IncidentEvent } from '../domain/event.js';
import { podRisks } from './kubernetes-rules.js';
import { at, clip, str } from './read.js';
import type { Rule, RuleHit } from './types.js';

const LIVE_ACTIONS = new Set(['pod.added', 'pod.modified', 'pod.observed']);

export const livePrivilegedPod: Rule = {
  id: 'k8s.live-privileged-pod',
  title: 'Privileged or host-namespace pod running',
  severity: 1,
  why: 'The Pods watch shows a pod running privileged, sharing the host network/PID/IPC, or mounting a host path: from inside it the node — and every pod on it — is reachable. The audit log says who created it.',
  runbook: 'host-compromise: capture and delete the pod, cordon the node and snapshot it; check who could create it',
  match(e: IncidentEvent): RuleHit | false {
    if (e.source !== 'kubernetes' || !LIVE_ACTIONS.has(e.action)) return false;
    const risks = podRisks(at(e.raw, 'spec'));
    if (!risks.length) return false;
    const ns = str(at(e.raw, 'metadata', 'namespace'));
    const name = str(at(e.raw, 'metadata', 'name')) ?? '?';
    const uid = str(at(e.raw, 'metadata', 'uid')) ?? e.id;
    const node = str(at(e.raw, 'spec', 'nodeName'));
    const listed = e.action === 'pod.observed';
    return {
      severity: listed ? 2 : 1,
      title: `Pod ${clip(ns ? `${ns}/${name}` : name, 120)} ${listed ? 'running' : 'appeared'} with ${clip(risks.join(', '), 160)}${node ? ` on ${clip(node, 80)}` : ''}`,
      dedupeKey: `pod:${uid}`,
    };
  },
};

export const LIVE_POD_RULES: readonly Rule[] = [livePrivilegedPod];
