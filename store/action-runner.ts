// The action lifecycle, in one place. Each step is journaled before the next may begin:
//   plan      → action.planned   (the exact params, their SHA-256, the calls, blast radius, warnings)
//   dryRun    → action.dryrun    (server-side where the API has one, else a labelled simulation)
//   confirm   → action.confirmed (bound to the params hash shown; guardrail override recorded here)
//   execute   → action.started   (fdatasync'd BEFORE the first mutating call)
//             → action.succeeded | action.failed (request ids, a message, what to do)
//             → action.verified  (the read-back)
// A process killed between started and the outcome leaves the action in doubt on the next open:
// it is re-verified on request (reverify), never re-executed by itself. Pressing execute twice
// never calls twice: the status must be `confirmed`, and an in-process guard covers the window
// before `started` is durable; the API's own idempotency token (= the action id) covers retries.

import { meantSuffix } from '../src/domain/suggest.js';
import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from '../src/journal/canonical.js';
import type { RecordData } from '../src/journal/records.js';
import { describeApiError } from '../src/actions/errors.js';
import { ACTION_DEFS } from '../src/actions/registry.js';
import type {
  ActionDef,
  ActionEnv,
  ActionPlan,
  Backend,
  DryRunResult,
  ExecuteResult,
  PreconditionContext,
  Target,
  VerifyResult,
} from '../src/actions/types.js';
import type { ExecuteHooks } from '../src/actions/call-context.js';
import { actionStatus, isApplied, type ActionStatus } from './action-selectors.js';
import { activeArmings } from './arming.js';
import { latest, rolesAsOf, severityAsOf } from './selectors.js';
import type { ActionState } from './state.js';
import { CommandError, type IncidentStore } from './store.js';
import { approvalsOf, localBook } from './approval.js';
import { approvalStatus, planHash } from '../src/journal/share/approval.js';

export function paramsHash(params: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(params)).digest('hex');
}

/** An error after which the call may have landed without an answer: a deadline or a lost connection. */
function mayHaveLanded(e: unknown, depth = 0): boolean {
  const name = (e as { name?: unknown } | undefined)?.name;
  const code = (e as { code?: unknown } | undefined)?.code;
  return (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    name === 'RequestTimeout' ||
    (typeof code === 'string' && /^(ECONNRESET|EPIPE|ETIMEDOUT|UND_ERR_SOCKET|ECONNABORTED)$/.test(code)) ||
    // An action that explains the failure in its own words keeps the API error as the cause.
    (depth < 4 && e instanceof Error && e.cause !== undefined && mayHaveLanded(e.cause, depth + 1))
  );
}

function cancelled(d: ActionDef): CommandError {
  return new CommandError(`plan of ${d.title} cancelled: nothing was recorded`);
}

function dryRunCancelled(d: ActionDef): CommandError {
  return new CommandError(`dry run of ${d.title} cancelled: nothing was recorded`);
}

export function newActionId(now: Date): string {
  return `act-${now.getTime().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export type Guardrail =
  | { ok: true; override?: RecordData<'action.confirmed'>['override'] }
  | { ok: false; reason: string; captureWith: ActionDef[]; commanderMayOverride: boolean };

export interface RunnerOptions {
  store: IncidentStore;
  mode: 'live' | 'drill' | 'review';
  /**
   * The clients; built lazily (a drill starts its simulated cloud on the first action). Given the
   * target, so a live session can act in the Region the event named.
   */
  env: (target?: Target) => Promise<ActionEnv>;
  /** Which backends this session can reach (without building the env). */
  backends: ReadonlySet<Backend>;
  defs?: readonly ActionDef[];
  /** Wall-clock time for arming (a drill's simulated clock does not age a responder's arming). */
  clock?: () => number;
}

export class ActionRunner {
  private readonly inflight = new Set<string>();
  private readonly defs: readonly ActionDef[];

  constructor(private readonly o: RunnerOptions) {
    this.defs = o.defs ?? ACTION_DEFS;
  }

  def(id: string): ActionDef {
    const d = this.defs.find((x) => x.id === id);
    if (!d) throw new CommandError(`unknown action ${id}${meantSuffix(id, this.ids())}`);
    return d;
  }

  /** Every action id this runner knows (for "did you mean"). */
  ids(): string[] {
    return this.defs.map((x) => x.id);
  }

  /** The actions offered for a target (undo-only ones excluded), evidence first. */
  offered(kind: Target['kind']): ActionDef[] {
    return this.defs
      .filter((d) => d.kind === kind && !d.undoOnly)
      .sort((a, b) => Number(b.evidence) - Number(a.evidence));
  }

  private get state() {
    return this.o.store.getState().state;
  }

  private get actions() {
    return this.o.store.getState().actions;
  }

  private action(actionId: string): ActionState {
    const a = this.state.actions.get(actionId);
    if (!a) throw new CommandError(`no action ${actionId}`);
    return a;
  }

  status(actionId: string): ActionStatus {
    return actionStatus(this.action(actionId), this.o.store.getState().meta.loadedSeq);
  }

  /** Why this action cannot be planned now, or undefined. */
  unavailable(d: ActionDef, target: Target): string | undefined {
    const meta = this.o.store.getState().meta;
    if (this.o.mode === 'review' || meta.readOnly) return 'review is read-only';
    if (!this.o.backends.has(d.needs)) {
      return d.needs === 'aws'
        ? 'no AWS session: start with firebreak live --profile P --region R'
        : d.needs === 'kubernetes'
          ? 'no Kubernetes session: start with firebreak live --context C'
          : 'no Vault: set VAULT_ADDR and VAULT_TOKEN';
    }
    const armed = activeArmings(this.state, meta.session, this.now()).length > 0;
    if (d.destructive && !armed) return 'not armed: arm the session first (A)';
    const ctx: PreconditionContext = { mode: this.o.mode, armed, backends: this.o.backends };
    return d.preconditions?.(target, ctx)[0];
  }

  private now(): number {
    return (this.o.clock ?? Date.now)();
  }

  /** The clients for `target` (the cross-plane bundle reads through them before planning). */
  envFor(target?: Target): Promise<ActionEnv> {
    return this.o.env(target);
  }

  /** Why destructive `d` may not run against what `env` reaches now (arming), or undefined. */
  whyNotArmed(d: ActionDef, env: ActionEnv): string | undefined {
    return this.notArmed(d, env);
  }

  /**
   * Why this session may not run destructive `d` against the account or cluster `env` reaches:
   * arming is per target, so arming the cluster does not arm the AWS account. Checked when the
   * plan is made, confirmed and executed — an arming can lapse in between.
   */
  private notArmed(d: ActionDef, env: ActionEnv): string | undefined {
    if (!d.destructive) return undefined;
    const held = activeArmings(this.state, this.o.store.getState().meta.session, this.now());
    const name = d.needs === 'aws' ? env.aws?.account : d.needs === 'kubernetes' ? env.kube?.cluster : undefined;
    // Vault has no account or cluster to type: any arming of this session covers it.
    if (name === undefined) return held.length ? undefined : 'not armed: arm the session first (A)';
    if (held.some((a) => a.target === name)) return undefined;
    const what = d.needs === 'aws' ? `AWS account ${name}` : `cluster ${name}`;
    return held.length
      ? `not armed for ${what} (armed only for ${held.map((a) => a.target).join(', ')}): arm it first (A, or :arm ${name})`
      : `not armed for ${what}: arm it first (A, or :arm ${name})`;
  }

  /** Evidence before destruction (seeds: "capture state before fixing"). */
  guardrail(d: ActionDef, target: Target): Guardrail {
    if (!d.destructive || !d.evidenceFirst?.length) return { ok: true };
    const s = this.state;
    const loaded = this.o.store.getState().meta.loadedSeq;
    const captured = s.actionOrder.some((id) => {
      const a = s.actions.get(id)!;
      return (
        d.evidenceFirst!.includes(a.planned.action) &&
        a.planned.target.id === target.id &&
        isApplied(actionStatus(a, loaded))
      );
    });
    if (captured) return { ok: true };
    const sev = severityAsOf(s)?.value;
    const exfil = latest(s.exfiltration, s.seq)?.value;
    if (sev === 0 && exfil?.active) {
      return {
        ok: true,
        override: { basis: 'critical-exfiltration', reason: `Sev0 with active exfiltration flagged: ${exfil.reason}` },
      };
    }
    const captureWith = d.evidenceFirst
      .map((id) => this.defs.find((x) => x.id === id))
      .filter((x): x is ActionDef => !!x);
    return {
      ok: false,
      reason: `evidence first: no ${captureWith.map((c) => c.title.toLowerCase()).join(' or ')} has succeeded for ${target.label}`,
      captureWith,
      commanderMayOverride: rolesAsOf(s).has('ic'),
    };
  }

  /**
   * Plans and journals the plan; resolves with the new action id. A failed plan is journaled as a
   * failure too. `signal`: Esc while planning. A plan only reads, so a cancelled one is simply not
   * recorded; reads still in flight end at their own deadline and are discarded.
   */
  async plan(
    defId: string,
    target: Target,
    undoOf?: string,
    signal?: AbortSignal,
    /** Lines journaled with the plan's own guidance (the cross-plane bundle names its step). */
    note?: readonly string[],
  ): Promise<string> {
    const d = this.def(defId);
    const why = undoOf ? undefined : this.unavailable(d, target);
    if (why) throw new CommandError(why);
    const env = await this.o.env(target);
    const unarmed = this.notArmed(d, env);
    if (unarmed) throw new CommandError(unarmed);
    const actionId = newActionId(env.now());
    let source;
    if (undoOf) {
      const orig = this.action(undoOf);
      const st = this.status(undoOf);
      if (!isApplied(st) && st !== 'partial') throw new CommandError(`nothing to undo: the action is ${st}`);
      // A partial (or read-back-settled) action has no succeeded outputs: undo restores what was
      // captured before its first mutating call, and only what was applied differs from it.
      source = {
        actionId: undoOf,
        params: orig.planned.params,
        outputs: orig.succeeded?.outputs ?? orig.captured?.outputs ?? {},
      };
    }
    let plan: ActionPlan;
    try {
      plan = await d.plan(target, env, source);
    } catch (e) {
      if (signal?.aborted) throw cancelled(d);
      const f = describeApiError(e);
      await this.actions.recordAction('action.failed', {
        actionId,
        action: d.id,
        target,
        stage: 'plan',
        requestIds: f.requestIds,
        message: f.message,
        ...(f.code ? { code: f.code } : {}),
        ...(f.hint ? { hint: f.hint } : {}),
      });
      throw new CommandError(`planning ${d.title} failed: ${f.message}${f.hint ? ` — ${f.hint}` : ''}`);
    }
    if (signal?.aborted) throw cancelled(d);
    await this.actions.recordAction('action.planned', {
      actionId,
      action: d.id,
      target,
      params: plan.params,
      paramsHash: paramsHash(plan.params),
      calls: plan.calls,
      blastRadius: plan.blastRadius,
      warnings: plan.warnings,
      ...(plan.guidance?.length || note?.length ? { guidance: [...(plan.guidance ?? []), ...(note ?? [])] } : {}),
      ...(undoOf ? { undoOf } : {}),
    });
    return actionId;
  }

  /**
   * Plans the completion of a partial action: the same params and calls (the same hash to confirm),
   * executed as a new action that re-reads the world, calls only what is missing (every action's
   * execute skips what is already in place) and keeps the original's captured previous state.
   */
  async planComplete(actionId: string): Promise<string> {
    const orig = this.action(actionId);
    const st = this.status(actionId);
    if (st !== 'partial') throw new CommandError(`only a partial action can be completed; this one is ${st}`);
    const d = this.def(orig.planned.action);
    const why = this.unavailable(d, orig.planned.target);
    if (why) throw new CommandError(why);
    const env = await this.o.env(orig.planned.target);
    const unarmed = this.notArmed(d, env);
    if (unarmed) throw new CommandError(unarmed);
    const p = orig.planned;
    const id = newActionId(env.now());
    await this.actions.recordAction('action.planned', {
      actionId: id,
      action: p.action,
      target: p.target,
      params: p.params,
      paramsHash: p.paramsHash,
      calls: p.calls,
      blastRadius: p.blastRadius,
      warnings: p.warnings,
      ...(p.guidance ? { guidance: p.guidance } : {}),
      ...(p.undoOf ? { undoOf: p.undoOf } : {}),
      completes: actionId,
    });
    return id;
  }

  private planOf(a: ActionState): ActionPlan {
    const p = a.planned;
    return {
      params: p.params,
      calls: p.calls as ActionPlan['calls'],
      blastRadius: p.blastRadius,
      warnings: p.warnings,
      ...(p.guidance ? { guidance: p.guidance } : {}),
    };
  }

  private target(a: ActionState): Target {
    return a.planned.target;
  }

  /**
   * Runs the plan's dry run and journals its verdict. `signal`: Esc while it runs. A dry run
   * changes nothing (server dry run or read-only simulation), so a cancelled one is simply not
   * recorded: a verdict nobody waited for would otherwise count as the plan's checked state.
   */
  async dryRun(actionId: string, signal?: AbortSignal): Promise<DryRunResult> {
    const a = this.action(actionId);
    const st = this.status(actionId);
    if (st !== 'planned' && st !== 'confirmed')
      throw new CommandError(`a dry run is for a planned action; this one is ${st}`);
    const d = this.def(a.planned.action);
    const env = await this.o.env(this.target(a));
    let r: DryRunResult;
    try {
      r = await d.dryRun(this.target(a), this.planOf(a), env);
    } catch (e) {
      if (signal?.aborted) throw dryRunCancelled(d);
      const f = describeApiError(e);
      r = {
        kind: 'server',
        ok: false,
        message: `${f.message}${f.hint ? ` — ${f.hint}` : ''}`,
        requestIds: f.requestIds,
      };
    }
    if (signal?.aborted) throw dryRunCancelled(d);
    await this.actions.recordAction('action.dryrun', {
      actionId,
      kind: r.kind,
      ok: r.ok,
      message: r.message,
      requestIds: r.requestIds,
    });
    return r;
  }

  /**
   * Confirms the plan whose hash the responder saw. `commanderReason` overrides the evidence
   * guardrail (only with an incident commander assigned; journaled with the reason).
   */
  async confirm(actionId: string, shownHash: string, commanderReason?: string): Promise<void> {
    const a = this.action(actionId);
    const st = this.status(actionId);
    if (st !== 'planned') throw new CommandError(`only a planned action can be confirmed; this one is ${st}`);
    if (shownHash !== a.planned.paramsHash)
      throw new CommandError('the plan changed since it was shown: review it again and confirm the new one');
    const d = this.def(a.planned.action);
    let override: RecordData<'action.confirmed'>['override'];
    if (!a.planned.undoOf) {
      const g = this.guardrail(d, this.target(a));
      if (!g.ok) {
        const reason = commanderReason?.trim();
        if (!reason)
          throw new CommandError(
            `${g.reason}: capture it first (${g.captureWith.map((c) => c.key).join(' / ')}), or the incident commander overrides with a reason`,
          );
        const ic = rolesAsOf(this.state).get('ic');
        if (!ic)
          throw new CommandError(
            'only the incident commander may override the evidence guardrail: assign one first (r)',
          );
        override = { basis: 'commander', reason, commander: ic.value.person };
      } else override = g.override;
    }
    // A dry run the server refused is an answer, not a formality: confirming past it takes a
    // typed reason, journaled with the refusal it overrides.
    let refusedDryRun: RecordData<'action.confirmed'>['refusedDryRun'];
    const lastDry = a.dryRuns.at(-1);
    if (lastDry && !lastDry.ok) {
      const reason = commanderReason?.trim();
      if (!reason)
        throw new CommandError(
          `the dry run was REFUSED (${lastDry.message}): fix the cause and dry-run again, or type a reason to override`,
        );
      refusedDryRun = { message: lastDry.message, reason };
    }
    const unarmed = this.notArmed(d, await this.o.env(this.target(a)));
    if (unarmed) throw new CommandError(unarmed);
    const approval = d.destructive ? await this.approved(a, true) : undefined;
    await this.actions.recordAction('action.confirmed', {
      actionId,
      paramsHash: a.planned.paramsHash,
      ...(approval ? { approval } : {}),
      ...(override ? { override } : {}),
      ...(refusedDryRun ? { refusedDryRun } : {}),
    });
  }

  /**
   * Two-person approval (store/approval.ts): throws unless another writer approved this very plan
   * and the approval has not expired. At confirm time a plan without a request gets one journaled.
   */
  private async approved(
    a: ActionState,
    request: boolean,
  ): Promise<{ requestId: string; planHash: string; by: string } | undefined> {
    const p = approvalsOf(this.o.store);
    const book = p ? await p.book() : localBook(this.o.store);
    if (book.policy?.require !== 'destructive') return undefined;
    if (!p)
      throw new CommandError(
        'two-person approval is on: another responder must approve this plan (start the cockpit with --share)',
      );
    const hash = planHash(a.planned);
    const st = approvalStatus(book, a.planned.actionId, hash, p.writerId, this.now());
    if (st.state === 'approved') return { requestId: st.requestId, planHash: hash, by: st.by };
    if (st.state === 'pending')
      throw new CommandError(`waiting for approval ${st.requestId}: another responder types :approve ${st.requestId}`);
    if (st.state === 'rejected')
      throw new CommandError(`${st.requestId} was rejected by ${st.by}: ${st.reason} (plan again to ask anew)`);
    if (!request)
      throw new CommandError(
        `the approval of ${'requestId' in st ? st.requestId : 'this plan'} has expired: confirm again to ask anew`,
      );
    const requestId = `apr-${this.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    await this.actions.requestApproval({
      requestId,
      actionId: a.planned.actionId,
      action: a.planned.action,
      targetLabel: a.planned.target.label,
      planHash: hash,
    });
    throw new CommandError(
      `approval ${requestId} requested${st.state === 'expired' ? ' (the last one expired)' : ''}: another responder types :approve ${requestId}`,
    );
  }

  /**
   * Runs a confirmed action once: started (durable) → call → outcome → read-back. `run`: progress
   * reports, and a signal evidence actions stop at (keeping what they have; see ExecuteHooks).
   */
  async execute(actionId: string, run: Pick<ExecuteHooks, 'progress' | 'signal'> = {}): Promise<ActionStatus> {
    if (this.inflight.has(actionId)) throw new CommandError('this action is already running');
    const a0 = this.action(actionId);
    const st = this.status(actionId);
    if (st !== 'confirmed')
      throw new CommandError(
        st === 'planned' ? 'confirm the plan first' : `this action already ran (${st}); it is never run twice`,
      );
    if (a0.confirmed!.paramsHash !== a0.planned.paramsHash)
      throw new CommandError('the confirmation does not match the plan: confirm again');
    this.inflight.add(actionId);
    try {
      const d = this.def(a0.planned.action);
      const target = this.target(a0);
      const env = await this.o.env(target);
      const unarmed = this.notArmed(d, env);
      if (unarmed) throw new CommandError(unarmed);
      // The approval lapses after its time to live: checked again right before the first call.
      if (d.destructive) await this.approved(a0, false);
      const plan = this.planOf(a0);
      await this.actions.recordAction('action.started', {
        actionId,
        paramsHash: a0.planned.paramsHash,
        idempotencyToken: actionId,
      });
      const completes = a0.planned.completes;
      const hooks: ExecuteHooks = {
        ...(completes ? { prior: this.action(completes).captured?.outputs ?? {} } : {}),
        keep: (outputs) => this.actions.recordAction('action.captured', { actionId, outputs }),
        onCall: (c) => this.actions.recordAction('action.call', { actionId, ...c }),
        ...(run.progress ? { progress: run.progress } : {}),
        ...(run.signal ? { signal: run.signal } : {}),
      };
      let result: ExecuteResult;
      try {
        result = await d.execute(target, plan, env, actionId, hooks);
      } catch (e) {
        const f = describeApiError(e);
        const unanswered = mayHaveLanded(e);
        await this.actions.recordAction('action.failed', {
          actionId,
          stage: 'execute',
          requestIds: f.requestIds,
          message: f.message,
          ...(f.code ? { code: f.code } : {}),
          ...(f.hint ? { hint: f.hint } : {}),
          ...(unanswered ? { unanswered: true } : {}),
        });
        // A mutating call was made, or one may have landed unanswered (a deadline, a dropped
        // connection): what is in place is read back now, not guessed from the error.
        if (this.action(actionId).calls.length || unanswered)
          await this.runVerify(actionId, d, target, plan, env, undefined, 'failure');
        return this.status(actionId);
      }
      await this.actions.recordAction('action.succeeded', {
        actionId,
        requestIds: result.requestIds,
        outputs: result.outputs,
        message: result.message,
      });
      await this.recordEvidence(actionId, target, result, env);
      await this.runVerify(actionId, d, target, plan, env, result);
      return this.status(actionId);
    } finally {
      this.inflight.delete(actionId);
    }
  }

  private async recordEvidence(actionId: string, target: Target, result: ExecuteResult, env: ActionEnv): Promise<void> {
    for (const art of result.evidence ?? []) {
      const n = this.state.evidence.length + 1;
      await this.actions.recordEvidence({
        evidenceId: `EV-${String(n).padStart(3, '0')}`,
        path: art.path,
        sha256: art.sha256,
        size: art.size,
        source: art.source,
        description: art.description,
        collector: env.collector,
        toolVersion: env.toolVersion,
        collectedAt: env.now().toISOString(),
        actionId,
        target,
      });
    }
  }

  private async runVerify(
    actionId: string,
    d: ActionDef,
    target: Target,
    plan: ActionPlan,
    env: ActionEnv,
    result: ExecuteResult | undefined,
    after?: 'doubt' | 'failure',
  ) {
    let r: VerifyResult;
    let unreadable = false;
    try {
      r = await d.verify(target, plan, env, result);
    } catch (e) {
      const f = describeApiError(e);
      r = { ok: false, detail: `read-back failed: ${f.message}${f.hint ? ` — ${f.hint}` : ''}` };
      unreadable = true;
    }
    await this.actions.recordAction('action.verified', {
      actionId,
      ok: r.ok,
      detail: r.detail,
      ...(after === 'doubt' ? { afterDoubt: true } : {}),
      ...(after === 'failure' ? { afterFailure: true } : {}),
      ...(r.parts?.length ? { parts: r.parts } : {}),
      ...(unreadable ? { unreadable: true } : {}),
    });
  }

  /** Reads back again: for an action in doubt (settles it) or to re-check a verified one. Never mutates. */
  async reverify(actionId: string): Promise<ActionStatus> {
    const a = this.action(actionId);
    const st = this.status(actionId);
    if (st === 'planned' || st === 'confirmed' || st === 'failed' || st === 'running')
      throw new CommandError(`nothing to verify: the action is ${st}`);
    const d = this.def(a.planned.action);
    const env = await this.o.env(this.target(a));
    const result = a.succeeded
      ? { requestIds: a.succeeded.requestIds, outputs: a.succeeded.outputs, message: a.succeeded.message }
      : undefined;
    await this.runVerify(
      actionId,
      d,
      this.target(a),
      this.planOf(a),
      env,
      result,
      st === 'in-doubt' ? 'doubt' : undefined,
    );
    return this.status(actionId);
  }

  /** Plans the reverse of an applied action (a new action with its own lifecycle). */
  async planUndo(actionId: string, signal?: AbortSignal): Promise<string> {
    const a = this.action(actionId);
    const d = this.def(a.planned.action);
    if (!d.undo)
      throw new CommandError(`${d.title} cannot be undone${d.evidence ? ' (evidence is never deleted)' : ''}`);
    return this.plan(d.undo, this.target(a), actionId, signal);
  }
}
