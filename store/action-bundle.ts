// The cross-plane bundle: from a compromised pod to the AWS role it holds, contained in one plan.
// The role is resolved from the pod's service account (src/actions/cross-plane/pod-identity.ts),
// then four actions are planned in order, evidence first:
//   1 k8s.capturePod          the pod's spec, logs and events
//   2 aws.preserveCloudTrail  the role's CloudTrail window
//   3 k8s.quarantinePod       relabel out of Services + deny-all NetworkPolicy
//   4 aws.denyAllRole         deny-all on the role + revoke its older sessions (AWSRevokeOlderSessions)
// Each is an ordinary action of the ActionRunner: its own action.planned … action.verified records,
// its own undo, partial and in-doubt handling. The bundle adds only the order, one typed
// confirmation for all of them, and the rule that a failed step stops every later destructive
// step (evidence steps still run: more evidence never hurts). Each step is confirmed through the
// runner right before it runs, so the evidence guardrail sees the capture that step 1 just made.
//
// The typed confirmation is the ROLE's name, not the pod's: the responder picked the pod, but the
// role came from a lookup, and its deny-all is the change with the wider blast radius (every
// workload using the role). Typing it back is the check that the lookup found the role they expect.

import { createHash } from 'node:crypto';
// Types only: the lookup loads @aws-sdk/client-eks and client-node, which the cockpit loads on
// the first plan, never at start-up (src/actions/registry.ts).
import type { PodIdentity, ResolveOptions } from '../src/actions/cross-plane/pod-identity.js';
import type { PlannedCall, Target } from '../src/actions/types.js';
import type { ActionRunner } from './action-runner.js';
import { actionStatus, isApplied, type ActionStatus } from './action-selectors.js';
import { CommandError, type IncidentStore } from './store.js';

export const BUNDLE_STEPS = [
  'k8s.capturePod',
  'aws.preserveCloudTrail',
  'k8s.quarantinePod',
  'aws.denyAllRole',
] as const;

export type StepOutcome = 'planned' | 'running' | 'in place' | 'failed' | 'partial' | 'not run';

export interface BundleStep {
  defId: string;
  title: string;
  target: Target;
  destructive: boolean;
  actionId: string;
  paramsHash: string;
  calls: PlannedCall[];
  outcome: StepOutcome;
  /** The runner's status once the step ran. */
  status?: ActionStatus;
  /** What the screen says about this step after the run. */
  detail?: string;
}

export interface BundlePlan {
  pod: Target;
  role: Target;
  identity: PodIdentity;
  steps: BundleStep[];
  /** SHA-256 over the steps' params hashes, in order: what the one confirmation covers. */
  hash: string;
  /** What the responder types to confirm: the role's name. */
  confirmWith: string;
  /** Caveats from the lookup (IRSA beside Pod Identity, several associations…). */
  notes: string[];
}

export interface BundleDeps {
  runner: ActionRunner;
  store: IncidentStore;
}

function bundleHash(steps: readonly { paramsHash: string }[]): string {
  return createHash('sha256')
    .update(steps.map((s) => s.paramsHash).join('\n'))
    .digest('hex');
}

/**
 * Resolves the pod's role and plans every step (each journaled as action.planned). Refuses, with
 * nothing planned, when no usable role was found, the role is in another account than the session
 * acts in, or either the cluster or the account is not armed.
 */
export async function planBundle(deps: BundleDeps, pod: Target, o: ResolveOptions = {}): Promise<BundlePlan> {
  if (pod.kind !== 'pod') throw new CommandError('the cross-plane bundle starts from a pod');
  const { runner } = deps;
  const defs = BUNDLE_STEPS.map((id) => runner.def(id));
  for (const d of defs) {
    const why = runner.unavailable(d, pod.kind === d.kind ? pod : { ...pod, kind: d.kind });
    if (why) throw new CommandError(`${d.title}: ${why}`);
  }
  const env = await runner.envFor(pod);
  const { describeIdentity, resolvePodIdentity } = await import('../src/actions/cross-plane/pod-identity.js');
  let identity: PodIdentity;
  try {
    identity = await resolvePodIdentity(pod, env, o);
  } catch (e) {
    throw new CommandError(`cannot resolve the role of ${pod.label}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const chosen = identity.chosen;
  if (!chosen) throw new CommandError(`${describeIdentity(identity)}: ${identity.problems.join('; ')}`);
  // The role is acted on in its own account: a session on several accounts (--profile …) picks
  // the profile that reaches it (src/actions/live-env.ts); one that reaches none refuses.
  const role: Target = {
    kind: 'iam-role',
    id: chosen.name,
    label: `role ${chosen.name}`,
    ...(env.aws?.region ? { scope: env.aws.region } : {}),
    account: chosen.account,
  };
  let roleEnv: typeof env;
  try {
    roleEnv = await runner.envFor(role);
  } catch (e) {
    throw new CommandError(
      `role ${chosen.name} is in account ${chosen.account}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (roleEnv.aws && chosen.account !== roleEnv.aws.account)
    throw new CommandError(
      `role ${chosen.name} is in account ${chosen.account}, but this session acts in ${roleEnv.aws.account}: contain it from a session in that account`,
    );
  // Arming is per account and per cluster: both must hold before anything is planned.
  const unarmed = [
    ...new Set(defs.filter((d) => d.destructive).map((d) => runner.whyNotArmed(d, d.kind === 'pod' ? env : roleEnv))),
  ].filter((x): x is string => !!x);
  if (unarmed.length)
    throw new CommandError(`the bundle needs the cluster and the account armed: ${unarmed.join('; ')}`);
  const steps: BundleStep[] = [];
  for (const [i, d] of defs.entries()) {
    const target = d.kind === 'pod' ? pod : role;
    // Journaled with the plan, so a review of the journal sees which actions were one bundle.
    const note = `step ${i + 1} of ${defs.length} of the cross-plane bundle: ${describeIdentity(identity)}`;
    const actionId = await runner.plan(d.id, target, undefined, undefined, [note]);
    const a = deps.store.getState().state.actions.get(actionId)!;
    steps.push({
      defId: d.id,
      title: d.title,
      target,
      destructive: d.destructive,
      actionId,
      paramsHash: a.planned.paramsHash,
      calls: a.planned.calls as PlannedCall[],
      outcome: 'planned',
    });
  }
  return {
    pod,
    role,
    identity,
    steps,
    hash: bundleHash(steps),
    confirmWith: chosen.name,
    notes: identity.problems,
  };
}

/**
 * Dry-runs every step in order (each journaled as its own action.dryrun). A refused dry run is an
 * answer: that step's confirmation will then need a reason (the runner's rule), so the bundle
 * would stop there — the screen says so before anything runs.
 */
export async function dryRunBundle(deps: BundleDeps, plan: BundlePlan): Promise<BundleStep[]> {
  const out: BundleStep[] = [];
  for (const step of plan.steps) {
    let detail: string;
    try {
      const r = await deps.runner.dryRun(step.actionId);
      detail = `dry run (${r.kind}): ${r.ok ? 'ok' : 'REFUSED'} — ${r.message}`;
    } catch (e) {
      detail = `dry run not run: ${e instanceof Error ? e.message : String(e)}`;
    }
    out.push({ ...step, detail });
  }
  return out;
}

/** Does the typed text confirm the bundle? Exactly the role's name. */
export function confirmsBundle(text: string, plan: BundlePlan): boolean {
  return text.trim() === plan.confirmWith;
}

function outcomeOf(st: ActionStatus): StepOutcome {
  if (st === 'partial') return 'partial';
  return isApplied(st) && st !== 'verify-failed' ? 'in place' : 'failed';
}

/**
 * Runs the confirmed bundle, step by step, through the runner. `onStep` is called after every
 * change of a step (the dialog repaints). Resolves with the plan's steps as they ended.
 */
export async function runBundle(
  deps: BundleDeps,
  plan: BundlePlan,
  typed: string,
  shownHash: string,
  onStep?: (steps: readonly BundleStep[]) => void,
): Promise<BundleStep[]> {
  if (!confirmsBundle(typed, plan))
    throw new CommandError(`type the role's name (${plan.confirmWith}) to confirm the bundle`);
  if (shownHash !== plan.hash || bundleHash(plan.steps) !== plan.hash)
    throw new CommandError('the bundle changed since it was shown: plan it again');
  const { runner, store } = deps;
  const steps = plan.steps.map((s) => ({ ...s }));
  const publish = () => onStep?.(steps.map((s) => ({ ...s })));
  let stoppedBy: BundleStep | undefined;
  for (const step of steps) {
    if (stoppedBy && step.destructive) {
      step.outcome = 'not run';
      step.detail = `not run: step ${steps.indexOf(stoppedBy) + 1} (${stoppedBy.title}) did not complete`;
      publish();
      continue;
    }
    step.outcome = 'running';
    publish();
    try {
      await runner.confirm(step.actionId, step.paramsHash);
      const st = await runner.execute(step.actionId);
      step.status = st;
      step.outcome = outcomeOf(st);
      const a = store.getState().state.actions.get(step.actionId)!;
      step.detail = stepDetail(step, a.failed?.message, a.verified.at(-1));
    } catch (e) {
      step.status = runner.status(step.actionId);
      // Confirmed but refused before started (arming lapsed…): nothing of this step ran.
      step.outcome = step.status === 'planned' || step.status === 'confirmed' ? 'not run' : 'failed';
      step.detail = e instanceof Error ? e.message : String(e);
    }
    if (step.outcome !== 'in place') stoppedBy ??= step;
    publish();
  }
  return steps;
}

function stepDetail(
  step: BundleStep,
  failure: string | undefined,
  verified: { ok: boolean; detail: string; parts?: { what: string; inPlace: boolean }[] } | undefined,
): string {
  const parts = verified?.parts?.map((p) => `${p.what}: ${p.inPlace ? 'in place' : 'NOT in place'}`) ?? [];
  if (step.outcome === 'in place') return parts.length ? parts.join('; ') : (verified?.detail ?? 'done');
  const what = failure ?? verified?.detail ?? String(step.status);
  return parts.length ? `${what} — ${parts.join('; ')}` : what;
}

/** The steps as the journal now has them (after a reopen, or to re-read after undo). */
export function bundleStatus(deps: BundleDeps, plan: BundlePlan): { step: BundleStep; status: ActionStatus }[] {
  const s = deps.store.getState();
  return plan.steps.map((step) => ({
    step,
    status: actionStatus(s.state.actions.get(step.actionId)!, s.meta.loadedSeq),
  }));
}

/** One line per step for the screen: the role's deny-all and the session revocation apart. */
export function bundleLines(plan: BundlePlan, steps: readonly BundleStep[] = plan.steps): string[] {
  return steps.map(
    (s, i) => `${i + 1}. ${s.title} (${s.target.label}): ${s.outcome}${s.detail ? ` — ${s.detail}` : ''}`,
  );
}
