// What the cockpit holds to act on the cloud: the action runner (store/action-runner.ts), why the
// whole session cannot act (a drill without its simulated cloud), and what arming asks to type.
// Destructive actions are absent from a `--read-only` session — not listed, not keyed, not
// plannable from the palette (k9s: dangerous commands are not even registered).

import type { ActionRunner } from './action-runner.js';
import type { ActionDef, Target } from '../src/actions/types.js';

/** An account or cluster the session can be armed for: its name is typed back to arm. */
export interface ArmTarget {
  /** What the responder types: the AWS account id or the Kubernetes cluster name. */
  name: string;
  /** How it is shown, e.g. "AWS account 123456789012 (profile prod-admin)". */
  label: string;
  /** Matches the production pattern: shown in the production colour. */
  prod: boolean;
}

export interface ActionSession {
  runner: ActionRunner;
  /** Why no action can run in this session at all; every offered action shows it. */
  blocked?: string;
  /** The accounts and clusters this session reaches (AWS needs STS, so it is asynchronous). */
  armTargets(): Promise<ArmTarget[]>;
  /**
   * Vault lease prefixes this session knows to be affected (a drill's scenario names its own): the
   * runbook's "revoke the leases" step acts on the first, since no event in the feed names one.
   */
  vaultPrefixes?: readonly string[];
  /**
   * The EKS cluster name for Pod Identity lookups when the kubeconfig's cluster name is not it
   * (FIREBREAK_EKS_CLUSTER); otherwise it is read from the kubeconfig (src/actions/cross-plane/).
   */
  eksCluster?: string;
}

/** The actions offered for a target in this session, evidence first. */
export function offeredFor(session: ActionSession, kind: Target['kind'], readOnly: boolean): ActionDef[] {
  return session.runner.offered(kind).filter((d) => !(readOnly && d.destructive));
}

/** An action by id as this session knows it (undefined if unknown, or destructive in --read-only). */
export function sessionDef(session: ActionSession, id: string, readOnly: boolean): ActionDef | undefined {
  let d: ActionDef;
  try {
    d = session.runner.def(id);
  } catch {
    return undefined;
  }
  return readOnly && d.destructive ? undefined : d;
}

/** Why this action cannot be planned now (blocked session, no backend, not armed, preconditions). */
export function whyNot(session: ActionSession, d: ActionDef, t: Target): string | undefined {
  return session.blocked ?? session.runner.unavailable(d, t);
}

/** The last path segment of a target id ("prod/web-1" → "web-1"): typing the name confirms too. */
export function targetName(t: Target): string {
  return t.id.slice(t.id.lastIndexOf('/') + 1);
}

/** Does the typed text confirm a destructive action on `t`? Exactly its id or its name. */
export function confirmsTarget(text: string, t: Target): boolean {
  const s = text.trim();
  return s.length > 0 && (s === t.id || s === targetName(t));
}
