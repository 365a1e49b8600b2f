// The one shape every containment and evidence action has. An action never talks to the
// journal: the runner (store/action-runner.ts) owns the lifecycle — planned → confirmed → started (durable
// before the first mutating call) → succeeded / failed → verified — and the action supplies the
// steps: what it would do (plan), a rehearsal (dryRun), the change (execute) and the read-back
// (verify). Every step calls the real SDK client held by ActionEnv; in a drill those clients point
// at the simulated cloud on 127.0.0.1, so tabletop teams press the same keys as in a live session.

import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { KubeConfig } from '@kubernetes/client-node';
import type { z } from 'zod';
import type { PhaseId } from '../domain/phases.js';
import type { RateLimiter } from '../sources/cloudtrail/limiter.js';
import type { ExecuteHooks } from './call-context.js';
import type { Target, TargetKind } from './catalog.js';

export type { Target, TargetKind };

/** One API call the plan will make, as shown to the responder before confirming. */
export interface PlannedCall {
  service: 'ec2' | 'iam' | 'sts' | 's3' | 'cloudtrail' | 'eks' | 'kubernetes' | 'vault';
  /** The API operation, e.g. ModifyInstanceAttribute, PATCH pods/NAME. */
  op: string;
  /** What it does with which parameters, one line. */
  summary: string;
  mutating: boolean;
}

/** Parameters as the journal holds them: a JSON object, parsed by the action's schema before any step sees it. */
export type JournaledParams = Record<string, unknown>;

export interface ActionPlan<P = JournaledParams> {
  /**
   * The exact parameters the execute step will use, and nothing else: their canonical SHA-256 is
   * what the responder confirms. No secrets here (the journal redacts them, which would break the hash).
   */
  params: P;
  calls: PlannedCall[];
  /** What else is affected: every pod a policy selects, ASG / load-balancer membership, other users of a role… */
  blastRadius: string[];
  /** Caveats the responder must see (tracked connections survive, IAM is eventually consistent…). */
  warnings: string[];
  /** Seed guidance (terminate versus isolate, evidence first…). */
  guidance?: string[];
}

export interface DryRunResult {
  /** 'server': the API itself rehearsed it (Kubernetes dryRun=All, EC2 DryRun). 'simulated': a read-only check. */
  kind: 'server' | 'simulated';
  ok: boolean;
  message: string;
  requestIds: string[];
}

/** A file an action wrote (evidence): the runner hashes nothing itself, the action reports what it wrote. */
export interface EvidenceArtifact {
  path: string;
  sha256: string;
  size: number;
  /** Where it came from, e.g. "kubernetes pod prod/web-1 logs (previous container)". */
  source: string;
  description: string;
}

export interface ExecuteResult {
  requestIds: string[];
  /** What undo and verify need later (previous labels, the old security groups, snapshot ids…). JSON only. */
  outputs: Record<string, unknown>;
  message: string;
  evidence?: EvidenceArtifact[];
}

export interface VerifyResult {
  ok: boolean;
  detail: string;
  /** Each part of a multi-part change, in place or not: what a partial action shows. */
  parts?: { what: string; inPlace: boolean }[];
}

/** What the runner knows when checking preconditions. */
export interface PreconditionContext {
  mode: 'live' | 'drill' | 'review';
  armed: boolean;
  /** Which backends this session has clients for. */
  backends: ReadonlySet<Backend>;
}

export type Backend = 'aws' | 'kubernetes' | 'vault';

/**
 * The original action an undo reverses: its params and outputs, as journaled. An undo parses them
 * with the original action's exported schemas (a journal edited by hand must not steer an undo).
 */
export interface UndoSource {
  actionId: string;
  params: JournaledParams;
  outputs: Record<string, unknown>;
}

/**
 * An action, typed by its parameters P. Implementations are written as ActionDef<P> and handed to
 * defineAction (define.ts), which parses the journaled params with `params` before every step; the
 * registry and the runner hold the result, an ActionDef over the journaled JSON (the default P).
 */
export interface ActionDef<P extends JournaledParams = JournaledParams> {
  id: string;
  title: string;
  /** The key that starts it from the actions pane (unique within one target kind). */
  key: string;
  kind: TargetKind;
  phase: PhaseId;
  /** Changes something the attacker (or the business) relies on: needs arming and, first, evidence. */
  destructive: boolean;
  /** Has an undo action (`undo` names it). */
  reversible: boolean;
  /** Captures evidence: offered first, and what the evidence guardrail looks for. */
  evidence: boolean;
  /** For destructive actions: evidence actions of which one must have succeeded on the same target first. */
  evidenceFirst?: string[];
  /** The id of the action that reverses this one. */
  undo?: string;
  /** Undo actions are not offered in the menu; they are started from the action they reverse. */
  undoOnly?: boolean;
  needs: Backend;
  /** The IAM actions, Kubernetes RBAC rules and Vault capabilities the action's calls need (permissions.ts). */
  permissions: ActionPermissions;
  /** The schema of the params: what plan builds, the journal holds and every later step receives. */
  params: z.ZodType<P>;
  /** Unmet preconditions, each as a reason the responder can act on. */
  preconditions?(target: Target, ctx: PreconditionContext): string[];
  plan(target: Target, env: ActionEnv, undoOf?: UndoSource): Promise<ActionPlan<P>>;
  dryRun(target: Target, plan: ActionPlan<P>, env: ActionEnv): Promise<DryRunResult>;
  /**
   * `token` is stable for this action id: pass it as the API's idempotency token where there is one
   * (EC2 ClientToken). Read the state undo needs through keepPrevious (call-context.ts) before the
   * first mutating call: it is journaled then, and a completion gets the first attempt's back.
   */
  execute(
    target: Target,
    plan: ActionPlan<P>,
    env: ActionEnv,
    token: string,
    hooks?: ExecuteHooks,
  ): Promise<ExecuteResult>;
  /** Reads back. `result` is undefined when re-verifying an action a crash left in doubt. */
  verify(target: Target, plan: ActionPlan<P>, env: ActionEnv, result: ExecuteResult | undefined): Promise<VerifyResult>;
}

/** A Kubernetes RBAC rule, as a ClusterRole lists it. */
export interface RbacRule {
  /** '' is the core group (pods, nodes, events…). */
  apiGroup: string;
  /** e.g. pods, pods/log, networkpolicies. */
  resource: string;
  verbs: readonly ('get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete')[];
}

/** What an action may need to be allowed to call, per backend (empty lists where it calls none). */
export interface ActionPermissions {
  /** IAM action names, e.g. ec2:ModifyInstanceAttribute. */
  aws?: readonly string[];
  kubernetes?: readonly RbacRule[];
  /** Vault policy paths and capabilities, e.g. sys/leases/revoke-prefix/* with ['update']. */
  vault?: readonly { path: string; capabilities: readonly ('read' | 'list' | 'update' | 'create' | 'sudo')[] }[];
}

export interface AwsClients {
  ec2: EC2Client;
  iam: IAMClient;
  sts: STSClient;
  s3: S3Client;
  cloudtrail: CloudTrailClient;
  /** EKS, for the Pod Identity associations a pod's role may come from (src/actions/cross-plane/). */
  eks?: EKSClient;
  region: string;
  /** The account id (from STS GetCallerIdentity) — what arming asks the responder to type. */
  account: string;
  /** The shared CloudTrail limiter for this account and region (2 requests/s across everything). */
  cloudtrailLimiter: RateLimiter;
}

export interface KubeClients {
  kc: KubeConfig;
  context: string;
  cluster: string;
  /** Each call's deadline (KUBE_DEADLINE_MS unless a test shortens it to exercise a hang). */
  deadlineMs?: number;
}

export interface VaultClient {
  addr: string;
  token: string;
}

/** Everything an action may use. Built once per session (live: real endpoints; drill: the simulated cloud). */
export interface ActionEnv {
  incidentId: string;
  aws?: AwsClients;
  kube?: KubeClients;
  vault?: VaultClient;
  /** Where evidence files go (created on demand). */
  evidenceDir: string;
  /** Object Lock bucket for evidence uploads, when configured. */
  evidenceBucket?: { bucket: string; retentionDays: number; mode: 'COMPLIANCE' | 'GOVERNANCE' };
  now(): Date;
  /**
   * Where the incident's window starts for this target (the session reads it from the store): the
   * earliest event linked to the target, else the incident's first signal. The CloudTrail
   * preservation window starts 24 h before it; without it, 24 h before now.
   */
  windowAnchor?(target: Target): { at: Date; what: string } | undefined;
  /** Who collects evidence (the OS user / actor). */
  collector: string;
  toolVersion: string;
}

/** Where an action stands, derived from which lifecycle records exist (store/action-selectors.ts). */
export type ActionStatus =
  | 'planned'
  | 'confirmed'
  /** Started in this process, outcome not yet recorded. */
  | 'running'
  /** Started before the journal was (re)opened and never finished: re-verify, never retry. */
  | 'in-doubt'
  | 'failed'
  /** A call failed after an earlier one changed something: the read-back shows which parts are in place. */
  | 'partial'
  /** Succeeded; the read-back has not run (or not yet). */
  | 'succeeded'
  | 'verified'
  /** The call succeeded but the read-back disagrees. */
  | 'verify-failed'
  /** Re-verified after a crash: the change is not in place. */
  | 'not-applied';
